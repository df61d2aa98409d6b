"""Registering on someone's behalf, one registration (cancel, waive, history) and a week's
registrations (C6, C7, C14, C15)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stportal.core import errors
from stportal.core.personnummer import looks_like as looks_like_personal_id
from stportal.registrations import services
from stportal.registrations import staff_selectors as sel
from stportal.registrations.lines import CANCELLABLE
from stportal.registrations.models import FeeStatus, LineStatus, Registration, RegistrationLine
from stportal.registrations.page_selectors import split_reopened
from stportal.registrations.staff_forms import (
    CancelForm,
    RegisterOnBehalfForm,
    TraineeSearchForm,
    WaiveForm,
)
from stportal.registrations.staff_views.common import (
    FEE_CAUSE_LABELS,
    FEE_STATUS_LABELS,
    _error_message,
    history_rows,
    line_row,
    staff_page,
)

SEARCH_LIMIT = 25


@staff_page
def register_on_behalf(request: HttpRequest, week_id: int) -> HttpResponse:
    """C5–C7: staff register a trainee at any time, also after the deadline (the line is
    late) and after the start (records entered after the fact)."""
    user = request.user
    week = sel.get_week_for_staff(user, week_id)
    courses = list(week.courses.filter(removed_at__isnull=True).order_by("position", "pk"))
    if request.method == "GET" and "q" in request.GET:
        # The search is posted: a term in the address would put a personal identity number
        # in access logs and browser histories (SPEC 7). Not searched, not shown back.
        if looks_like_personal_id(request.GET["q"]):
            messages.warning(
                request, _("Search with the form: it does not put the number in the page address.")
            )
        return redirect("staff:register_on_behalf", week_id=week.pk)
    searching = request.method == "POST" and "search" in request.POST
    query = request.POST.get("q", "") if request.method == "POST" else ""
    search = TraineeSearchForm({"q": query})
    search.is_valid()
    results = sel.search_trainees(user, query, limit=SEARCH_LIMIT + 1)
    more = len(results) > SEARCH_LIMIT
    results = results[:SEARCH_LIMIT]
    existing_url = ""
    if request.method == "POST" and not searching:
        form = RegisterOnBehalfForm(
            request.POST, trainees=sel.trainees_of_staff(user), courses=courses
        )
        if form.is_valid():
            trainee = form.cleaned_data["trainee"]
            try:
                registration = services.register_for_course_week(
                    actor=user,
                    week=week,
                    trainee=trainee,
                    course_ids=form.cleaned_data["courses"],
                    needs_lodging=form.cleaned_data["needs_lodging"],
                    dietary_needs=form.cleaned_data["dietary_needs"],
                    earlier_courses_note=form.cleaned_data["earlier_courses_note"],
                    note=form.cleaned_data["note"],
                )
            except errors.ValidationFailed as exc:
                for name, found in exc.fields.items():
                    target = "courses" if name == "course_ids" else None
                    for message in found:
                        form.add_error(target, message)
            except errors.ServiceError as exc:
                if exc.code == "registration_exists" and exc.extra.get("existing_registration_id"):
                    existing_url = reverse(
                        "staff:registration", args=[exc.extra["existing_registration_id"]]
                    )
                    form.add_error(
                        None,
                        _("%(name)s is already registered for %(week)s.")
                        % {"name": trainee.user.display_name, "week": week.title},
                    )
                else:
                    form.add_error(None, _error_message(exc))
            else:
                late = registration.lines.filter(late=True).exists()
                text = _("%(name)s is registered for %(week)s.") % {
                    "name": trainee.user.display_name,
                    "week": week.title,
                }
                if late:
                    text += " " + _(
                        "The registration is late: it is handled space permitting, after every "
                        "on-time one."
                    )
                messages.success(request, text)
                return redirect("staff:registration", registration_id=registration.pk)
        chosen = form.data.get("trainee")
        if chosen and chosen.isdigit() and int(chosen) not in {t.pk for t in results}:
            results = list(sel.trainees_of_staff(user).filter(pk=int(chosen))) + results
    else:
        initial: dict[str, Any] = {"courses": [c.pk for c in courses]}
        if len(results) == 1:
            initial["trainee"] = results[0].pk
        form = RegisterOnBehalfForm(
            initial=initial, trainees=sel.trainees_of_staff(user), courses=courses
        )
    now = timezone.now()
    selected = str(form["trainee"].value() or "")
    registered = sel.registered_trainee_ids(week, [t.pk for t in results])
    return render(
        request,
        "staff/register.html",
        {
            "week": week,
            "search": search,
            "query": query,
            "results": [(t, t.pk in registered) for t in results],
            "more": more,
            "limit": SEARCH_LIMIT,
            "selected": selected,
            "form": form,
            "existing_url": existing_url,
            "deadline_passed": week.windows.is_late(now),
            "started": week.windows.has_started(now),
        },
    )


def _cancellable(registration: Registration) -> list[RegistrationLine]:
    return [ln for ln in registration.lines.all() if ln.status in CANCELLABLE]


def _render_registration(
    request: HttpRequest,
    registration: Registration,
    *,
    cancel_form: CancelForm | None = None,
    waive_form: WaiveForm | None = None,
) -> HttpResponse:
    cancellable = _cancellable(registration)
    fee = sel.fee_of(registration)
    current, earlier = split_reopened(list(registration.lines.all()))
    return render(
        request,
        "staff/registration.html",
        {
            "registration": registration,
            "week": registration.course_week,
            "trainee": registration.trainee,
            "rows": [line_row(line) for line in current],
            "history_rows": [line_row(line) for line in earlier],
            "fee": fee,
            "fee_label": FEE_STATUS_LABELS.get(fee.status, "") if fee else "",
            "fee_cause": FEE_CAUSE_LABELS.get(fee.cause, fee.cause) if fee else "",
            "cancel_form": cancel_form or CancelForm(lines=cancellable),
            "waive_form": waive_form or WaiveForm(prefix="waive"),
            "can_cancel": bool(cancellable),
            "history": history_rows(sel.audit_history(registration), registration),
            "bound_form": next(
                (f for f in (cancel_form, waive_form) if f is not None and f.errors), None
            ),
        },
    )


@staff_page
def registration_detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    return _render_registration(
        request, sel.get_registration_for_staff(request.user, registration_id)
    )


def _fee_outcome(result: services.CancelResult) -> str:
    fee = result.fee
    if fee is not None and fee.status == FeeStatus.CHARGED:
        return _("A late-cancellation fee of %(amount)s SEK is charged to %(unit)s.") % {
            "amount": formats.number_format(fee.amount, force_grouping=True),
            "unit": fee.home_unit.name,
        }
    if fee is not None:
        return _("The late-cancellation fee of %(amount)s SEK is waived: acceptable reason.") % {
            "amount": formats.number_format(fee.amount, force_grouping=True)
        }
    if any(decision is not None for decision in result.fee_by_line.values()):
        return _("No new fee: the registration already has one.")
    return _("The cancellation is free of charge.")


@staff_page
@require_POST
def cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    """C14, C15: cancel some or all courses, with a reason; an acceptable reason waives the
    fee. Each seat freed goes to the first on the waiting list at once (C11)."""
    registration = sel.get_registration_for_staff(request.user, registration_id)
    form = CancelForm(request.POST, lines=_cancellable(registration))
    if not form.is_valid():
        return _render_registration(request, registration, cancel_form=form)
    try:
        result = services.cancel_registration_lines(
            actor=request.user,
            registration=registration,
            course_ids=form.cleaned_data["courses"],
            reason=form.cleaned_data["reason"],
            acceptable_reason=form.cleaned_data["acceptable_reason"],
        )
    except errors.ServiceError as exc:
        form.add_error(None, _error_message(exc))
        return _render_registration(request, registration, cancel_form=form)
    count = len(result.fee_by_line)
    text = (
        _("One course is cancelled.")
        if count == 1
        else _("%(count)d courses are cancelled.") % {"count": count}
    )
    messages.success(request, f"{text} {_fee_outcome(result)}")
    return redirect("staff:registration", registration_id=registration.pk)


@staff_page
@require_POST
def waive(request: HttpRequest, registration_id: int) -> HttpResponse:
    """C14: an acceptable reason recorded afterwards waives the fee; the fee stays, waived."""
    registration = sel.get_registration_for_staff(request.user, registration_id)
    form = WaiveForm(request.POST, prefix="waive")
    if not form.is_valid():
        return _render_registration(request, registration, waive_form=form)
    try:
        fee = services.record_acceptable_reason(
            actor=request.user, registration=registration, reason=form.cleaned_data["reason"]
        )
    except errors.ServiceError as exc:
        form.add_error("reason" if exc.fields.get("reason") else None, _error_message(exc))
        return _render_registration(request, registration, waive_form=form)
    messages.success(
        request,
        _("The fee of %(amount)s SEK is waived. %(unit)s will not be invoiced for it.")
        % {
            "amount": formats.number_format(fee.amount, force_grouping=True),
            "unit": registration.home_unit.name,
        },
    )
    return redirect("staff:registration", registration_id=registration.pk)


def _line_per_course(registration: Registration) -> dict[int, RegistrationLine]:
    """Each course's line: the active one, else the latest cancelled one (C6, C15)."""
    found: dict[int, RegistrationLine] = {}
    for line in registration.lines.all():
        current = found.get(line.course_id)
        if current is None or (
            current.status == LineStatus.CANCELLED
            and (line.status != LineStatus.CANCELLED or line.pk > current.pk)
        ):
            found[line.course_id] = line
    return found


@staff_page
def week_registrations(request: HttpRequest, week_id: int) -> HttpResponse:
    """Every registration of the week, one row per trainee and one column per course."""
    week = sel.get_week_for_staff(request.user, week_id)
    # The form posts its term; an address with a personal identity number in it is refused
    # without searching or showing it back (SPEC 7).
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    if request.method == "GET" and looks_like_personal_id(query):
        return redirect("staff:registrations", week_id=week.pk)
    courses = list(week.courses.filter(removed_at__isnull=True).order_by("position", "pk"))
    rows = []
    for registration in sel.week_registrations(week, query=query):
        lines = _line_per_course(registration)
        rows.append(
            {
                "registration": registration,
                "cells": [line_row(lines[c.pk]) if c.pk in lines else None for c in courses],
                "fee": sel.fee_of(registration),
            }
        )
    return render(
        request,
        "staff/week_registrations.html",
        {"week": week, "rows": rows, "query": query, "courses": courses},
    )
