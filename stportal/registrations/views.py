"""The trainee's registration pages (C5–C16, C20): register, my registrations, one
registration, change it, answer an offer, cancel, and the calendar file.

Views stay thin: reads go through `page_selectors`/`selectors` (which check permission and
answer 404 for other people's registrations), writes through `services`. A rule's refusal
(`ServiceError`) becomes a message on the page, never a server error; every action ends with
a confirmation message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stportal.core import pages
from stportal.core.errors import ServiceError
from stportal.courses.selectors import get_course_week_for_user
from stportal.courses.states import StoredState
from stportal.registrations import calendar, page_selectors, permissions, projection, services
from stportal.registrations import lines as line_rules
from stportal.registrations.forms import CancelForm, ChangeRegistrationForm, RegistrationForm
from stportal.registrations.page_selectors import RegistrationView, format_day, format_sek


def _view_for_change(request: HttpRequest, registration_id: int) -> RegistrationView:
    """The trainee and staff of the region may act; a unit manager only reads (403)."""
    return pages.readable(
        page_selectors.registration_for_change_page,
        request.user,
        registration_id,
        now=timezone.now(),
    )


def _service_message(exc: ServiceError) -> str:
    """The rule's answer in the person's language, with dates written out."""
    if exc.code == "registration_not_open" and exc.extra.get("opens_on"):
        opens = dt.date.fromisoformat(exc.extra["opens_on"])
        return _("Registration opens on %(date)s.") % {"date": format_day(opens)}
    return exc.message


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _course_titles(lines) -> str:
    return ", ".join(lv.course.title for lv in lines)


# --- register (C5–C7) -------------------------------------------------------------------------


@login_required
def register(request: HttpRequest, week_id: int) -> HttpResponse:
    week = pages.readable(get_course_week_for_user, request.user, week_id)
    now = timezone.now()
    view = page_selectors.week_page(request.user, week, now=now)
    if view.opening.code == "registered":
        messages.info(
            request,
            _("You are already registered for %(week)s. Here is your registration.")
            % {"week": week.title},
        )
        return redirect("registrations:detail", view.opening.registration_id)
    trainee = page_selectors.trainee_of(request.user)
    context: dict[str, Any] = {"view": view, "week": week, "form": None, "trainee": trainee}
    if not view.opening.can_register or trainee is None:
        return render(request, "registrations/register.html", context)
    courses = [row.course for row in view.courses]
    if request.method == "POST":
        form = RegistrationForm(request.POST, courses=courses)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = services.register_for_course_week(
                    actor=request.user,
                    week=week,
                    trainee=trainee,
                    course_ids=None if form.all_chosen() else form.chosen_ids(),
                    needs_lodging=data["needs_lodging"],
                    dietary_needs=data["dietary_needs"],
                    earlier_courses_note=data["earlier_courses_note"],
                    note=data["note"],
                )
            except ServiceError as exc:
                existing = exc.extra.get("existing_registration_id")
                if exc.code == "registration_exists" and existing:
                    messages.info(
                        request,
                        _("You are already registered for %(week)s. Here is your registration.")
                        % {"week": week.title},
                    )
                    return redirect("registrations:detail", existing)
                exc.message = _service_message(exc)
                form.add_service_error(exc)
            else:
                if view.opening.code == "late":
                    text = _(
                        "Your registration for %(week)s has been received. It came after the "
                        "registration deadline, so it is handled space permitting."
                    )
                else:
                    text = _(
                        "Your registration for %(week)s has been received. Seats are "
                        "allocated after the registration deadline, %(deadline)s."
                    )
                messages.success(
                    request,
                    text % {"week": week.title, "deadline": format_day(week.registration_deadline)},
                )
                return redirect("registrations:detail", registration.pk)
    else:
        form = RegistrationForm(courses=courses, initial={"courses": [str(c.pk) for c in courses]})
    context["form"] = form
    return render(request, "registrations/register.html", context)


# --- my registrations and one registration --------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    registrations = page_selectors.my_registrations(request.user, now=now)
    trainee = page_selectors.trainee_of(request.user)
    return render(
        request,
        "registrations/mine.html",
        {"registrations": registrations, "trainee": trainee, "now": now},
    )


@login_required
def detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    now = timezone.now()
    view = pages.readable(
        page_selectors.registration_for_page, request.user, registration_id, now=now
    )
    registration = view.registration
    view.projections = projection.project_pending([registration])
    is_own = registration.trainee.user_id == request.user.pk
    can_change = permissions.may_change_registration(request.user, registration)
    return render(
        request,
        "registrations/detail.html",
        {
            "view": view,
            "registration": registration,
            "is_own": is_own,
            "can_change": can_change,
            "can_edit": can_change and _may_edit(request, view, now),
            "cancel_deadline_passed": view.week.windows.cancellation_deadline_passed(now),
            "can_register_again": is_own
            and page_selectors.opening_for(
                week=view.week, now=now, registration=registration, is_trainee=True
            ).can_register,
            "now": now,
        },
    )


def _may_edit(request: HttpRequest, view: RegistrationView, now: dt.datetime) -> bool:
    week = view.week
    if not view.is_active or week.stored_state == StoredState.CANCELLED:
        return False
    # Staff's permission is looked up only once the trainee's window has closed.
    return week.windows.editable(now, staff=False) or week.windows.editable(
        now, staff=permissions.may_manage_registration(request.user, view.registration)
    )


# --- change (C6) ---------------------------------------------------------------------------------


@login_required
def edit(request: HttpRequest, registration_id: int) -> HttpResponse:
    view = _view_for_change(request, registration_id)
    now = timezone.now()
    week = view.week
    registration = view.registration
    staff = permissions.may_manage_registration(request.user, registration)
    context: dict[str, Any] = {"view": view, "week": week, "form": None, "reason": ""}
    if not view.is_active:
        context["reason"] = "inactive"
    elif week.stored_state == StoredState.CANCELLED:
        context["reason"] = "cancelled"
    elif not week.windows.editable(now, staff=staff):
        context["reason"] = "started"
    if context["reason"]:
        return render(request, "registrations/edit.html", context)

    version = registration.curriculum_version.code
    own = {lv.course.pk: lv for lv in view.lines if line_rules.is_active(lv.status)}
    rows = [
        replace(row, line=own.get(row.course.pk))
        for row in page_selectors.course_rows(week, version=version)
    ]
    courses = [row.course for row in rows]
    live = {c.pk for c in courses}
    held = sorted(lv.course.pk for lv in view.lines if line_rules.is_active(lv.status))
    held = [pk for pk in held if pk in live]
    deadline_passed = week.windows.is_late(now)
    # C6, C7: the same window as the service: staff change courses after the start too.
    courses_editable = week.windows.editable(now, staff=staff)
    form_kwargs = {
        "courses": courses,
        "held": held,
        "after_deadline": deadline_passed,
        "courses_editable": courses_editable,
    }
    context.update(rows=rows, held=held, deadline_passed=deadline_passed, fee_preview=None)
    context["courses_editable"] = courses_editable
    if request.method == "POST":
        form = ChangeRegistrationForm(request.POST, **form_kwargs)
        if form.is_valid():
            response = _save_change(request, form, view, context)
            if response is not None:
                return response
    else:
        form = ChangeRegistrationForm(
            initial={
                "courses": [str(pk) for pk in held],
                "earlier_courses_note": registration.earlier_courses_note,
                "needs_lodging": registration.needs_lodging,
                "dietary_needs": registration.dietary_needs,
                "note": registration.note,
            },
            **form_kwargs,
        )
    context["form"] = form
    return render(request, "registrations/edit.html", context)


def _save_change(
    request: HttpRequest,
    form: ChangeRegistrationForm,
    view: RegistrationView,
    context: dict[str, Any],
) -> HttpResponse | None:
    """Save the change, or first show what it costs. Giving up a course goes by the same fee
    rule as API PATCH (`services.change_registration` → `decide_cancellation`): free before
    the registration deadline, after it a confirmed seat given up is a cancellation with its
    fee (C6, C14). A change that costs is shown with its fee and saved only when confirmed
    with the amount shown; the service checks that amount again under its lock."""
    registration = view.registration
    data = form.cleaned_data
    chosen = form.chosen_ids()
    removed = form.removed_ids()
    expected_charge: int | None = None
    if removed:
        preview = page_selectors.cancel_preview(view, removed, now=timezone.now(), editing=True)
        expected_charge = preview.amount or 0
        confirmed = "confirm" in request.POST
        if preview.charged and not (confirmed and data.get("expected_charge") == preview.amount):
            if confirmed:
                messages.warning(
                    request,
                    _(
                        "What the change costs has changed since you looked: check it and "
                        "confirm again."
                    ),
                )
            context["fee_preview"] = preview
            context["giving_up"] = _course_titles(
                lv for lv in view.lines if lv.course.pk in removed
            )
            form.data = form.data.copy()
            form.data["expected_charge"] = str(preview.amount)
            return None
    details = {
        "needs_lodging": data["needs_lodging"],
        "dietary_needs": data["dietary_needs"].strip(),
        "earlier_courses_note": data["earlier_courses_note"].strip(),
        "note": data["note"].strip(),
    }
    unchanged = all(getattr(registration, k) == v for k, v in details.items())
    if unchanged and not form.courses_changed():
        messages.info(request, _("Nothing was changed."))
        return redirect("registrations:detail", registration.pk)
    try:
        services.change_registration(
            actor=request.user,
            registration=registration,
            course_ids=chosen if form.courses_changed() else None,
            expected_charge=expected_charge,
            **details,
        )
    except ServiceError as exc:
        exc.message = _service_message(exc)
        form.add_service_error(exc)
        return None
    added = set(chosen) - {int(pk) for pk in form.held}
    if added and form.after_deadline:
        messages.success(
            request,
            _(
                "Your registration has been changed. The courses you added came after the "
                "registration deadline and are handled space permitting."
            ),
        )
    else:
        messages.success(request, _("Your registration has been changed."))
    return redirect("registrations:detail", registration.pk)


# --- offers (C11) ------------------------------------------------------------------------------


def _answer_offer(request: HttpRequest, registration_id: int, course_id: int, *, accept: bool):
    view = _view_for_change(request, registration_id)
    title = next(
        (lv.course.title for lv in view.lines if lv.course.pk == course_id), str(course_id)
    )
    default = reverse("registrations:detail", args=[registration_id])
    action = services.accept_offer if accept else services.decline_offer
    try:
        action(actor=request.user, registration=view.registration, course_id=course_id)
    except ServiceError as exc:
        messages.error(request, _service_message(exc))
    else:
        if accept:
            text = _("You accepted the seat on %(course)s. Your seat is confirmed.")
        else:
            text = _("You declined the seat on %(course)s. The seat goes to the next in line.")
        messages.success(request, text % {"course": title})
    return redirect(_next_url(request, default))


@login_required
@require_POST
def accept_offer(request: HttpRequest, registration_id: int, course_id: int) -> HttpResponse:
    return _answer_offer(request, registration_id, course_id, accept=True)


@login_required
@require_POST
def decline_offer(request: HttpRequest, registration_id: int, course_id: int) -> HttpResponse:
    return _answer_offer(request, registration_id, course_id, accept=False)


# --- cancel (C14, C15) --------------------------------------------------------------------------


@login_required
def cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    """A two-step cancellation: choose courses and a reason; see what it costs (the pure fee
    rule, C14); confirm. The cost shown is checked again when confirming, so nobody is
    charged an amount they were not shown."""
    view = _view_for_change(request, registration_id)
    now = timezone.now()
    lines = view.cancellable_lines
    courses = [lv.course for lv in lines]
    context: dict[str, Any] = {
        "view": view,
        "week": view.week,
        "lines": lines,
        "step": "choose",
        "form": None,
        "preview": None,
        "is_own": view.registration.trainee.user_id == request.user.pk,
    }
    if not lines:
        return render(request, "registrations/cancel.html", context)
    all_ids = [str(c.pk) for c in courses]
    if request.method != "POST":
        form = CancelForm(courses=courses, initial={"courses": all_ids})
    elif "change" in request.POST:
        form = CancelForm(
            courses=courses,
            initial={
                "courses": request.POST.getlist("courses") or all_ids,
                "reason": request.POST.get("reason", ""),
            },
        )
    else:
        form = CancelForm(request.POST, courses=courses)
        if form.is_valid():
            chosen = form.chosen_ids()
            preview = page_selectors.cancel_preview(view, chosen, now=now)
            context.update(
                step="review",
                preview=preview,
                chosen=[lv for lv in lines if lv.course.pk in chosen],
            )
            if "confirm" in request.POST:
                expected = form.cleaned_data.get("expected_charge") or 0
                if (preview.amount or 0) != expected:
                    messages.warning(
                        request,
                        _(
                            "What the cancellation costs has changed since you looked: check it "
                            "and confirm again."
                        ),
                    )
                else:
                    response = _confirm_cancel(request, view, form, chosen)
                    if response is not None:
                        return response
                    context.update(step="choose", preview=None)
    context["form"] = form
    return render(request, "registrations/cancel.html", context)


def _confirm_cancel(
    request: HttpRequest, view: RegistrationView, form: CancelForm, chosen: list[int]
) -> HttpResponse | None:
    try:
        result = services.cancel_registration_lines(
            actor=request.user,
            registration=view.registration,
            course_ids=chosen,
            reason=form.cleaned_data["reason"].strip(),
        )
    except ServiceError as exc:
        exc.message = _service_message(exc)
        form.add_service_error(exc)
        return None
    titles = _course_titles(lv for lv in view.lines if lv.course.pk in chosen)
    fee = result.fee
    if fee is not None and fee.status == "charged":
        text = _(
            "Cancelled: %(courses)s. A late-cancellation fee of %(amount)s is charged to %(unit)s."
        ) % {"courses": titles, "amount": format_sek(fee.amount), "unit": fee.home_unit.name}
    else:
        text = _("Cancelled: %(courses)s. The cancellation was free of charge.") % {
            "courses": titles
        }
    messages.success(request, text)
    return redirect("registrations:detail", view.registration.pk)


# --- the calendar file (iCalendar) -----------------------------------------------------------


@login_required
def calendar_file(request: HttpRequest) -> HttpResponse:
    """The trainee's confirmed courses, one event per course day, for any calendar app."""
    lines = page_selectors.confirmed_lines_for_calendar(request.user)
    domain = urlsplit(settings.SITE_URL).hostname or request.get_host().split(":")[0]
    content = calendar.build_calendar(
        lines,
        now=timezone.now(),
        domain=domain,
        name=_("ST-portalen: my courses"),
        registration_url=lambda line: request.build_absolute_uri(
            reverse("registrations:detail", args=[line.registration_id])
        ),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="st-portalen-kurser.ics"'
    return response
