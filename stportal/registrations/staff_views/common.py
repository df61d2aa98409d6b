"""What the course administration pages share: the words for states and audit events, the
access wrapper `staff_page`, the downloads (C16, C20) and the rows the templates show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from stportal.core import audit, errors, pages, spreadsheets
from stportal.courses.models import CourseWeek
from stportal.notifications.models import OutboxStatus
from stportal.registrations import reasons, services
from stportal.registrations.models import FeeStatus, LineStatus, Registration, RegistrationLine

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
    "allocation_result": gettext_lazy("Seats allocated (to the trainee)"),
    "allocation_digest_manager": gettext_lazy("Seats allocated (digest to the unit manager)"),
    "offer_made": gettext_lazy("Offer of a seat"),
    "offer_lapsed": gettext_lazy("Offer lapsed"),
    "cancellation_confirmed": gettext_lazy("Cancellation confirmed"),
    "week_changed": gettext_lazy("Course week changed"),
    "week_cancelled": gettext_lazy("Course week cancelled"),
    "course_removed": gettext_lazy("Course removed"),
    "reminder_cancellation_deadline": gettext_lazy("Reminder: cancellation deadline"),
    "reminder_week_before": gettext_lazy("Reminder: the week before the course"),
    "fee_charged_manager": gettext_lazy("Fee charged (to the unit manager)"),
    "certificate_issued": gettext_lazy("Certificate issued"),
    "certificate_replacement_reissued": gettext_lazy("New original of a lost certificate"),
    "certificate_replacement_declined": gettext_lazy("Request for a new original declined"),
    "planned_completion_proposed": gettext_lazy("Planned completion proposed"),
    "planned_completion_decided": gettext_lazy("Planned completion decided"),
    "email_changed": gettext_lazy("E-mail address changed (to the old address)"),
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


def _refused(request: HttpRequest, exc: errors.ServiceError, kwargs: dict) -> HttpResponse:
    if request.method == "POST":
        messages.error(request, _error_message(exc))
        return redirect(request.path)
    return render(request, "staff/refused.html", {"message": _error_message(exc)}, status=409)


# Log-in required; the selectors' 403 and 404 become Django's; any other refusal that a view
# did not handle becomes a message on the page, never a server error.
staff_page = pages.service_page(_refused)


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


def download_or_none(
    request: HttpRequest,
    columns: Sequence[Column],
    rows: list[dict],
    *,
    filename: str,
    sheet_title: str,
) -> HttpResponse | None:
    """The list as a CSV or Excel file when `?format=` asks for one, else None (the page)."""
    wanted = request.GET.get("format")
    if wanted not in ("csv", "xlsx"):
        return None
    table = _table(columns, rows, sheet_title, csv=wanted == "csv")
    return spreadsheets.table_response(table, stem=filename, kind=wanted)


def file_stem(kind: str, week: CourseWeek) -> str:
    return f"{kind}-{slugify(week.title) or week.pk}"


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
