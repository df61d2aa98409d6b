"""The course administration pages (SPEC 2, C4, C7–C16, C20–C22) and the unit manager's page.

Server-rendered, working without JavaScript. Views stay thin: reads through
`staff_selectors`, writes through the services (which audit every change); a rule that says
no is shown on the page, never as a server error; every action ends with a message saying
what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from stportal.core import audit, errors, pages, spreadsheets
from stportal.core.dates import local_date
from stportal.core.personnummer import looks_like as looks_like_personal_id
from stportal.courses import info_services
from stportal.courses import services as course_services
from stportal.courses.models import CourseWeek
from stportal.notifications import services as notify
from stportal.notifications.models import OutboxStatus
from stportal.registrations import reasons, reports, services
from stportal.registrations import staff_selectors as sel
from stportal.registrations.lines import CANCELLABLE
from stportal.registrations.models import FeeStatus, LineStatus, Registration, RegistrationLine
from stportal.registrations.page_selectors import split_reopened
from stportal.registrations.staff_forms import (
    CancelForm,
    CapacityForm,
    FeeFilterForm,
    InformationPageForm,
    OutboxFilterForm,
    RegisterOnBehalfForm,
    TraineeSearchForm,
    WaiveForm,
)

# --- words ---------------------------------------------------------------------------------

# A line's state in words (C9: shown with its reason). "line status" keeps the words of a
# line apart from those of a course week ("cancelled" is avbokad for a line, inställd for a
# week).
LINE_STATUS_LABELS = {
    LineStatus.PENDING: pgettext_lazy("line status", "Registered"),
    LineStatus.CONFIRMED: pgettext_lazy("line status", "Confirmed"),
    LineStatus.OFFERED: pgettext_lazy("line status", "Offered a seat"),
    LineStatus.WAITLISTED: pgettext_lazy("line status", "On the waiting list"),
    LineStatus.CANCELLED: pgettext_lazy("line status", "Cancelled"),
    LineStatus.NOT_SEATED: pgettext_lazy("line status", "No seat"),
    LineStatus.NO_SHOW: pgettext_lazy("line status", "No-show"),
    LineStatus.PASSED: pgettext_lazy("line status", "Passed"),
    LineStatus.NOT_PASSED: pgettext_lazy("line status", "Not passed"),
    LineStatus.INCOMPLETE: pgettext_lazy("line status", "Incomplete"),
}
# The badge a line's state borrows from the week badges; the word carries the meaning.
LINE_BADGES = {
    LineStatus.PENDING: "draft",
    LineStatus.CONFIRMED: "published",
    LineStatus.OFFERED: "allocated",
    LineStatus.WAITLISTED: "closed",
    LineStatus.CANCELLED: "cancelled",
    LineStatus.NOT_SEATED: "finished",
    LineStatus.NO_SHOW: "cancelled",
    LineStatus.PASSED: "published",
    LineStatus.NOT_PASSED: "cancelled",
    LineStatus.INCOMPLETE: "closed",
}
FEE_STATUS_LABELS = {
    FeeStatus.CHARGED: pgettext_lazy("fee status", "Charged"),
    FeeStatus.WAIVED: pgettext_lazy("fee status", "Waived"),
}
FEE_CAUSE_LABELS = {
    "late_cancellation": gettext_lazy("Late cancellation"),
    "no_show": pgettext_lazy("fee cause", "No-show"),
}
OUTBOX_STATUS_LABELS = {
    OutboxStatus.QUEUED: pgettext_lazy("e-mail status", "Queued"),
    OutboxStatus.SENT: pgettext_lazy("e-mail status", "Sent"),
    OutboxStatus.FAILED: pgettext_lazy("e-mail status", "Failed"),
}
OUTBOX_BADGES = {
    OutboxStatus.QUEUED: "closed",
    OutboxStatus.SENT: "published",
    OutboxStatus.FAILED: "cancelled",
}
EMAIL_KINDS = {
    "registration_received": gettext_lazy("Registration received"),
    "registration_changed": gettext_lazy("Registration changed"),
    "seat_confirmed": gettext_lazy("Seat confirmed"),
    "seat_confirmed_manager": gettext_lazy("Seat confirmed (to the unit manager)"),
    "waitlisted": gettext_lazy("Placed on the waiting list"),
    "offer_made": gettext_lazy("Offer of a seat"),
    "offer_lapsed": gettext_lazy("Offer lapsed"),
    "cancellation_confirmed": gettext_lazy("Cancellation confirmed"),
    "week_changed": gettext_lazy("Course week changed"),
    "week_cancelled": gettext_lazy("Course week cancelled"),
    "course_removed": gettext_lazy("Course removed"),
    "reminder_cancellation_deadline": gettext_lazy("Reminder: cancellation deadline"),
    "reminder_week_before": gettext_lazy("Reminder: the week before the course"),
    "fee_charged_manager": gettext_lazy("Fee charged (to the unit manager)"),
}
AUDIT_ACTIONS = {
    "registration.created": gettext_lazy("Registration made"),
    "registration.reopened": gettext_lazy("Registration made again"),
    "registration.changed": gettext_lazy("Registration changed"),
    "line.created": gettext_lazy("Course asked for"),
    "line.allocated": gettext_lazy("Placed by the allocation"),
    "line.promoted": gettext_lazy("Moved up from the waiting list"),
    "line.offer_accepted": gettext_lazy("Offer accepted"),
    "line.offer_declined": gettext_lazy("Offer declined"),
    "line.offer_lapsed": gettext_lazy("Offer lapsed"),
    "line.not_seated": gettext_lazy("No seat: the course started"),
    "line.cancelled": gettext_lazy("Course cancelled"),
    "fee.charged": gettext_lazy("Fee charged"),
    "fee.waived": gettext_lazy("Fee waived"),
}
AUDIT_FIELDS = {
    "status": gettext_lazy("Status"),
    "needs_lodging": gettext_lazy("Lodging wanted"),
    "dietary_needs": gettext_lazy("Dietary needs"),
    "earlier_courses_note": gettext_lazy("Earlier courses covering the rest"),
    "note": gettext_lazy("Note"),
    "amount": gettext_lazy("Amount (SEK)"),
    "reason": gettext_lazy("Reason"),
    "offer_expires_at": gettext_lazy("Offer expires"),
}


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _error_message(exc: errors.ServiceError) -> str:
    """A service's refusal in the reader's language. A few rule messages come from the pure
    core in Swedish only; those are worded here."""
    if exc.code == "capacity_below_taken":
        return _("The capacity cannot be lower than the seats already taken.")
    return pages.refusal_text(exc)


# --- access --------------------------------------------------------------------------------


def _refused(request: HttpRequest, exc: errors.ServiceError, kwargs: dict) -> HttpResponse:
    if request.method == "POST":
        messages.error(request, _error_message(exc))
        return redirect(request.path)
    return render(request, "staff/refused.html", {"message": _error_message(exc)}, status=409)


# Log-in required; the selectors' 403 and 404 become Django's; any other refusal that a view
# did not handle becomes a message on the page, never a server error.
staff_page = pages.service_page(_refused)


# --- downloads (C16, C20) ------------------------------------------------------------------


Column = tuple[str, Any]  # (key, label)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _when(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _yes_no(value)
    return value


def _table(
    columns: Sequence[Column], rows: Iterable[dict], sheet_title: str, *, csv: bool
) -> spreadsheets.Table:
    """CSV cells are all text as people read them; Excel keeps dates and numbers typed."""
    return spreadsheets.Table(
        title=sheet_title,
        header=[label for _key, label in columns],
        rows=(
            [
                _cell(row[key]) if csv or isinstance(row[key], bool | dt.datetime) else row[key]
                for key, _label in columns
            ]
            for row in rows
        ),
        widths=24,
    )


def _download(
    request: HttpRequest,
    columns: Sequence[Column],
    rows: list[dict],
    *,
    filename: str,
    sheet_title: str,
) -> HttpResponse | None:
    wanted = request.GET.get("format")
    if wanted not in ("csv", "xlsx"):
        return None
    table = _table(columns, rows, sheet_title, csv=wanted == "csv")
    return spreadsheets.table_response(table, stem=filename, kind=wanted)


def _file_stem(kind: str, week: CourseWeek) -> str:
    return f"{kind}-{slugify(week.title) or week.pk}"


# --- rows the templates show ---------------------------------------------------------------


@dataclass
class LineRow:
    line: RegistrationLine
    label: str
    badge: str
    position: int | None
    reason: str
    fee_amount: int | None
    fee_label: str


def line_row(line: RegistrationLine) -> LineRow:
    position = getattr(line, "position", None)
    if position is None and line.status == LineStatus.WAITLISTED:
        ahead = getattr(line, "ahead", None)
        position = ahead + 1 if ahead is not None else services.waitlist_position(line)
    fee = line.fee if line.fee_id else None
    return LineRow(
        line=line,
        label=str(LINE_STATUS_LABELS.get(line.status, line.status)),
        badge=LINE_BADGES.get(line.status, "draft"),
        position=position if line.status == LineStatus.WAITLISTED else None,
        reason=reasons.describe(line),
        fee_amount=fee.amount if fee else None,
        fee_label=str(FEE_STATUS_LABELS.get(fee.status, "")) if fee else "",
    )


@dataclass
class HistoryRow:
    at: dt.datetime
    who: str
    what: str
    changes: list[str]
    reason: str


def audit_value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    marker = audit.marker_label(value)  # health data is kept hidden in the audit trail
    if marker is not None:
        return marker
    if key == "status":
        labels = {**LINE_STATUS_LABELS, **FEE_STATUS_LABELS}
        return str(labels.get(value, value))
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    if key.endswith("_at") and isinstance(value, str):
        try:
            return _when(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def history_rows(events: Iterable[Any], registration: Registration) -> list[HistoryRow]:
    courses = {str(line.pk): line.course.title for line in registration.lines.all()}
    titles = {line.course_id: line.course.title for line in registration.lines.all()}
    rows = []
    for event in events:
        what = str(AUDIT_ACTIONS.get(event.action, event.action))
        if event.object_type == "registrations.registrationline" and event.object_id in courses:
            what = f"{what}: {courses[event.object_id]}"
        before = event.before or {}
        after = event.after or {}
        changes = []
        for key, label in AUDIT_FIELDS.items():
            if key not in after or before.get(key) == after.get(key):
                continue
            if key == "offer_expires_at" and not after[key]:
                continue
            if key == "reason" and after[key] == event.reason:
                continue  # shown once, as the event's reason
            if before.get(key) not in (None, ""):
                changes.append(
                    f"{label}: {audit_value(key, before[key])} → {audit_value(key, after[key])}"
                )
            elif after[key] not in (None, "", False):
                changes.append(f"{label}: {audit_value(key, after[key])}")
        for key, label in (
            ("added_courses", _("Courses added")),
            ("removed_courses", _("Courses removed")),
        ):
            if after.get(key):
                names = ", ".join(titles.get(pk, str(pk)) for pk in after[key])
                changes.append(f"{label}: {names}")
        rows.append(
            HistoryRow(
                at=event.at,
                who=event.actor.display_name if event.actor else _("The system"),
                what=what,
                changes=changes,
                reason=event.reason,
            )
        )
    return rows


# --- 1. the weeks --------------------------------------------------------------------------


@staff_page
def weeks(request: HttpRequest) -> HttpResponse:
    """The region's course weeks in every state with live counts per course (C4, C8)."""
    return render(request, "staff/weeks.html", {"overviews": sel.weeks_overview(request.user)})


# --- 2. one week: publish, allocate, capacity ----------------------------------------------


def _week_context(request: HttpRequest, week: CourseWeek) -> dict[str, Any]:
    now = timezone.now()
    overview = sel.week_overview(week, now=now)
    return {
        "week": overview.week,
        "overview": overview,
        "deadline_passed": week.windows.is_late(now),
        "started": week.windows.has_started(now),
        "pending": sum(c.pending for c in overview.courses),
    }


def _render_week(
    request: HttpRequest,
    week: CourseWeek,
    *,
    bound: CapacityForm | None = None,
) -> HttpResponse:
    context = _week_context(request, week)
    forms = []
    for row in context["overview"].courses:
        if bound is not None and bound.course.pk == row.course.pk:
            form = bound
            form.course = row.course
        else:
            form = CapacityForm(course=row.course)
        form.seats_taken = row.seats_taken  # type: ignore[attr-defined]
        forms.append(form)
    context["capacity_forms"] = forms
    context["bound_form"] = bound
    return render(request, "staff/week.html", context)


@staff_page
def week_detail(request: HttpRequest, week_id: int) -> HttpResponse:
    return _render_week(request, sel.get_week_for_staff(request.user, week_id))


@staff_page
@require_POST
def publish(request: HttpRequest, week_id: int) -> HttpResponse:
    """C4: staff publish a draft; registration opens on the invitation date."""
    week = sel.get_week_for_staff(request.user, week_id)
    try:
        course_services.publish_course_week(actor=request.user, week=week)
    except errors.ServiceError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(
            request,
            _("%(week)s is published. Registration opens on %(date)s.")
            % {"week": week.title, "date": formats.date_format(week.invitation_date)},
        )
    return redirect("staff:week", week_id=week.pk)


@dataclass
class PlacedRow:
    rank: int
    placed: services.PlacedLine
    seat: bool
    reason: str


@dataclass
class CoursePreview:
    title: str
    capacity: int
    confirmed_after: int
    waiting_after: int
    rows: list[PlacedRow]


def _preview(result: services.AllocationResult, week: CourseWeek) -> list[CoursePreview]:
    courses = {c.pk: c for c in week.courses.all()}
    previews = []
    for course_result in result.courses:
        course = courses[course_result.course_id]
        course.week = week
        rows = []
        for rank, placed in enumerate(course_result.placed, start=1):
            # The reason in the reader's language, from its code (C9), as the trainee sees it.
            shim = SimpleNamespace(
                reason_code=placed.reason_code,
                reason=placed.reason,
                course=course,
                offer_expires_at=None,
            )
            rows.append(
                PlacedRow(
                    rank=rank,
                    placed=placed,
                    seat=placed.status == LineStatus.CONFIRMED,
                    reason=reasons.describe(shim),
                )
            )
        previews.append(
            CoursePreview(
                title=course_result.title,
                capacity=course_result.capacity,
                confirmed_after=len(course_result.confirmed),
                waiting_after=len(course_result.waitlisted),
                rows=rows,
            )
        )
    return previews


@staff_page
def allocate(request: HttpRequest, week_id: int) -> HttpResponse:
    """C8–C10, C5a. GET: the preview (nothing is saved); POST: allocate for real."""
    week = sel.get_week_for_staff(request.user, week_id)
    if request.method == "POST":
        try:
            result = services.run_allocation(actor=request.user, week=week, dry_run=False)
        except errors.ServiceError as exc:
            messages.error(request, _error_message(exc))
            return redirect("staff:allocate", week_id=week.pk)
        placed = [p for c in result.courses for p in c.placed]
        if placed:
            seats = sum(1 for p in placed if p.status == LineStatus.CONFIRMED)
            messages.success(
                request,
                ngettext(
                    "The seats are allocated: %(seats)d course place confirmed and "
                    "%(waiting)d placed on waiting lists. The trainees are told by e-mail.",
                    "The seats are allocated: %(seats)d course places confirmed and "
                    "%(waiting)d placed on waiting lists. The trainees are told by e-mail.",
                    seats,
                )
                % {"seats": seats, "waiting": len(placed) - seats},
            )
        else:
            messages.info(request, _("There was nothing to allocate: no registrations wait."))
        return redirect("staff:week", week_id=week.pk)
    error = ""
    previews: list[CoursePreview] = []
    try:
        result = services.run_allocation(actor=request.user, week=week, dry_run=True)
    except errors.ServiceError as exc:
        error = _error_message(exc)
    else:
        previews = _preview(result, week)
    placed_count = sum(len(p.rows) for p in previews)
    return render(
        request,
        "staff/allocate.html",
        {
            "week": week,
            "state": week.state,
            "error": error,
            "previews": previews,
            "placed_count": placed_count,
            "flagged": len(
                {
                    r.placed.trainee_id
                    for p in previews
                    for r in p.rows
                    if r.placed.planned_completion_changed_after_deadline
                }
            ),
        },
    )


@staff_page
@require_POST
def capacity(request: HttpRequest, course_id: int) -> HttpResponse:
    """C12: raise at any time (the waiting list moves up), lower down to the seats taken."""
    course = sel.get_course_for_staff(request.user, course_id)
    week = course.week
    form = CapacityForm(request.POST, course=course)
    if not form.is_valid():
        return _render_week(request, week, bound=form)
    try:
        changed = services.change_course_capacity(
            actor=request.user, course=course, capacity=form.new_capacity
        )
    except errors.ServiceError as exc:
        form.add_error("capacity", _error_message(exc))
        return _render_week(request, week, bound=form)
    changed.week = CourseWeek.objects.get(pk=week.pk)
    if form.new_capacity is None:
        text = ngettext(
            "%(course)s now follows the course week's capacity: %(capacity)d seat.",
            "%(course)s now follows the course week's capacity: %(capacity)d seats.",
            changed.capacity,
        )
    else:
        text = ngettext(
            "The capacity of %(course)s is now %(capacity)d seat.",
            "The capacity of %(course)s is now %(capacity)d seats.",
            changed.capacity,
        )
    messages.success(request, text % {"course": changed.title, "capacity": changed.capacity})
    return redirect(reverse("staff:week", args=[week.pk]) + "#capacity-heading")


# --- 3. register on behalf -----------------------------------------------------------------

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


# --- 4. a registration: cancel, waive, history ---------------------------------------------


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


# --- 5. lists per week (C20) ---------------------------------------------------------------


@staff_page
def participants(request: HttpRequest, week_id: int) -> HttpResponse:
    week = sel.get_week_for_staff(request.user, week_id)
    groups = sel.participants_by_course(week)
    columns: list[Column] = [
        ("course", _("Course")),
        ("name", _("Name")),
        ("status", _("Status")),
        ("home_unit", _("Home unit")),
        ("lodging", _("Lodging wanted")),
        ("dietary_needs", _("Dietary needs")),
        ("email", _("E-mail address")),
    ]
    rows = [
        {
            "course": course.title,
            "name": line.registration.trainee.user.display_name,
            "status": str(LINE_STATUS_LABELS[line.status]),
            "home_unit": line.registration.home_unit.name,
            "lodging": line.registration.needs_lodging,
            "dietary_needs": line.registration.dietary_needs,
            "email": line.registration.trainee.user.email,
        }
        for course, lines in groups
        for line in lines
    ]
    download = _download(
        request,
        columns,
        rows,
        filename=_file_stem("deltagare", week),
        sheet_title=_("Participants"),
    )
    if download is not None:
        return download
    return render(
        request,
        "staff/participants.html",
        {
            "week": week,
            "groups": [(course, [line_row(line) for line in lines]) for course, lines in groups],
        },
    )


@staff_page
def waiting(request: HttpRequest, week_id: int) -> HttpResponse:
    week = sel.get_week_for_staff(request.user, week_id)
    groups = sel.waiting_by_course(week)
    columns: list[Column] = [
        ("course", _("Course")),
        ("position", _("Place in line")),
        ("name", _("Name")),
        ("home_unit", _("Home unit")),
        ("late", _("Late registration")),
        ("requested_at", _("Registered")),
        ("reason", _("Reason")),
    ]
    rows = [
        {
            "course": course.title,
            "position": line.position,
            "name": line.registration.trainee.user.display_name,
            "home_unit": line.registration.home_unit.name,
            "late": line.late,
            "requested_at": line.requested_at,
            "reason": reasons.describe(line),
        }
        for course, lines in groups
        for line in lines
    ]
    download = _download(
        request,
        columns,
        rows,
        filename=_file_stem("reservlista", week),
        sheet_title=_("Waiting lists"),
    )
    if download is not None:
        return download
    return render(
        request,
        "staff/waiting.html",
        {
            "week": week,
            "groups": [(course, [line_row(line) for line in lines]) for course, lines in groups],
        },
    )


# The lodging list (C20) and its adjustments live in `lodging_views`.


# --- 6. the fee report (C16) ---------------------------------------------------------------


@login_required
def fees(request: HttpRequest) -> HttpResponse:
    """C16: charged and waived fees per home unit for a period, on screen and as CSV and
    Excel. Staff see their regions' fees; a unit manager those of own units."""
    user = request.user
    if not sel.may_see_fees(user):
        raise DjangoPermissionDenied()
    filters = {k: v for k, v in request.GET.items() if k in ("date_from", "date_to", "home_unit")}
    form = FeeFilterForm(filters or None, units=sel.fee_filter_units(user))
    rows: list[dict[str, Any]] = []
    valid = form.is_valid() if form.is_bound else True
    if valid:
        data = form.cleaned_data if form.is_bound else {}
        unit = data.get("home_unit")
        rows = reports.fee_rows(
            reports.fees_visible_to(user),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            home_unit_id=unit.pk if unit else None,
        )
        wanted = request.GET.get("format")
        if wanted == "csv":
            return spreadsheets.file_response(reports.rows_to_csv(rows), filename="avgifter.csv")
        if wanted == "xlsx":
            return spreadsheets.file_response(reports.rows_to_xlsx(rows), filename="avgifter.xlsx")
    staff_regions = sel.staff_region_ids(user)
    per_unit: dict[int, dict[str, Any]] = {}
    for row in rows:
        row["status_label"] = FEE_STATUS_LABELS.get(row["status"], row["status"])
        row["cause_label"] = FEE_CAUSE_LABELS.get(row["cause"], row["cause"])
        unit_total = per_unit.setdefault(
            row["home_unit_id"],
            {
                "name": row["home_unit"],
                "charged": 0,
                "charged_count": 0,
                "waived": 0,
                "waived_count": 0,
            },
        )
        key = "charged" if row["status"] == FeeStatus.CHARGED else "waived"
        unit_total[key] += row["amount"]
        unit_total[f"{key}_count"] += 1
    totals = {
        "charged": sum(u["charged"] for u in per_unit.values()),
        "charged_count": sum(u["charged_count"] for u in per_unit.values()),
        "waived": sum(u["waived"] for u in per_unit.values()),
        "waived_count": sum(u["waived_count"] for u in per_unit.values()),
    }
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "staff/fees.html",
        {
            "form": form,
            "rows": rows,
            "per_unit": list(per_unit.values()),
            "totals": totals,
            "is_staff": bool(staff_regions),
            "query": query,
            "bound_form": form if form.is_bound and form.errors else None,
        },
    )


# --- 7. the information page (C21) ---------------------------------------------------------


@staff_page
def information_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    regions = sel.information_regions(user)
    wanted = request.POST.get("region") or request.GET.get("region")
    region = next((r for r in regions if str(r.pk) == wanted), regions[0])
    page = sel.information_page_of(region)
    if request.method == "POST":
        form = InformationPageForm(request.POST)
        if form.is_valid():
            try:
                info_services.save_information_page(actor=user, region=region, **form.cleaned_data)
            except errors.ValidationFailed as exc:
                for name, found in exc.fields.items():
                    for message in found:
                        form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("The information page of %(region)s is saved.") % {"region": region.name},
                )
                url = reverse("staff:info_edit")
                if len(regions) > 1:
                    url += "?" + urlencode({"region": region.pk})
                return redirect(url)
    else:
        initial = (
            {name: getattr(page, name) for name in info_services.EDITABLE_FIELDS}
            if page
            else {"title": _("The course programme for ST trainees")}
        )
        form = InformationPageForm(initial=initial)
    return render(
        request,
        "staff/information.html",
        {
            "form": form,
            "page": page,
            "region": region,
            "regions": regions,
            "bound_form": form if form.is_bound and form.errors else None,
        },
    )


# --- 8. the e-mail outbox (C22) ------------------------------------------------------------

OUTBOX_LIMIT = 50


@staff_page
def outbox(request: HttpRequest) -> HttpResponse:
    """C22: failed sends first, with their error, and a way to try them again."""
    scoped = sel.outbox_for_staff(request.user)
    form = OutboxFilterForm(request.GET or None)
    shown = scoped
    if form.is_bound and form.is_valid() and form.cleaned_data["status"]:
        shown = scoped.filter(status=form.cleaned_data["status"])
    shown = shown.annotate(
        failed_first=Case(
            When(status=OutboxStatus.FAILED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("failed_first", "-created_at", "-pk")
    counts = sel.outbox_counts(scoped)
    rows = [
        {
            "message": message,
            "label": OUTBOX_STATUS_LABELS.get(message.status, message.status),
            "badge": OUTBOX_BADGES.get(message.status, "draft"),
            "kind": EMAIL_KINDS.get(message.kind, message.kind),
        }
        for message in shown[:OUTBOX_LIMIT]
    ]
    total = sum(counts.values()) if not form.is_bound else shown.count()
    return render(
        request,
        "staff/outbox.html",
        {
            "form": form,
            "rows": rows,
            "counts": counts,
            "labels": OUTBOX_STATUS_LABELS,
            "total": total,
            "limited": total > OUTBOX_LIMIT,
            "limit": OUTBOX_LIMIT,
        },
    )


@staff_page
@require_POST
def outbox_retry(request: HttpRequest) -> HttpResponse:
    """C22: "try again" on failed messages of the caller's regions only."""
    failed = sel.outbox_for_staff(request.user).filter(status=OutboxStatus.FAILED)
    if request.POST.get("all"):
        ids = list(failed.values_list("pk", flat=True))
    else:
        chosen = [int(v) for v in request.POST.getlist("message") if v.isdigit()]
        ids = list(failed.filter(pk__in=chosen).values_list("pk", flat=True))
    if not ids:
        messages.warning(request, _("None of the chosen e-mails has failed."))
        return redirect("staff:outbox")
    report = notify.retry_failed(ids=ids, now=timezone.now())
    text = _("Tried again: %(sent)d sent, %(failed)d failed again.") % {
        "sent": report.sent,
        "failed": report.failed + report.gave_up,
    }
    if report.failed or report.gave_up:
        messages.warning(request, text)
    else:
        messages.success(request, text)
    return redirect("staff:outbox")


# --- 9. the unit manager -------------------------------------------------------------------


@staff_page
def unit(request: HttpRequest) -> HttpResponse:
    """SPEC 2: a unit manager sees the registrations and fees charged to own home units."""
    overviews = sel.units_overview(request.user)
    units = []
    for overview in overviews:
        units.append(
            {
                "overview": overview,
                "rows": [
                    {
                        "registration": r,
                        "lines": [
                            {
                                "title": line.course.title,
                                "label": LINE_STATUS_LABELS.get(line.status, line.status),
                                "badge": LINE_BADGES.get(line.status, "draft"),
                            }
                            for line in r.lines.all()
                        ],
                        "fee": sel.fee_of(r),
                    }
                    for r in overview.registrations
                ],
            }
        )
    totals = {
        "registrations": sum(len(o.registrations) for o in overviews),
        "confirmed_seats": sum(o.confirmed_seats for o in overviews),
        "charged_amount": sum(o.charged_amount for o in overviews),
        "charged_count": sum(o.charged_count for o in overviews),
        "waived_amount": sum(o.waived_amount for o in overviews),
        "waived_count": sum(o.waived_count for o in overviews),
    }
    return render(
        request,
        "staff/unit.html",
        {
            "units": units,
            "totals": totals,
            "fee_labels": FEE_STATUS_LABELS,
            "today": local_date(timezone.now()),
        },
    )
