"""The course leader's pages (C17, SPEC 2): my courses, a course's register (attendance per
day, an overview, results), closing it, and reopening it (staff).

Server-rendered and usable without JavaScript, on a phone in the classroom too: attendance is
saved one course day at a time. Views stay thin: reads through `attendance.selectors`, writes
through `attendance.services`. A rule's refusal is shown on the page, next to the field it is
about where there is one, never as a server error; every action ends with a message saying
what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from stportal.attendance import permissions, rules, selectors, services
from stportal.attendance.forms import DayForm, ReopenForm, ResultForm
from stportal.attendance.models import AttendanceRecord, CourseRegister
from stportal.certificates.permissions import may_see_course_certificates
from stportal.core import pages
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.permissions import staff_region_ids
from stportal.courses.models import Course
from stportal.courses.states import StoredState
from stportal.registrations.models import LineStatus

# --- words ---------------------------------------------------------------------------------

# A participant's result in words (SPEC 6 status words); the word carries the meaning, the
# badge colour only supports it.
RESULT_LABELS = {
    LineStatus.CONFIRMED: pgettext_lazy("course result", "No result yet"),
    LineStatus.PASSED: pgettext_lazy("course result", "Passed"),
    LineStatus.NOT_PASSED: pgettext_lazy("course result", "Not passed"),
    LineStatus.INCOMPLETE: pgettext_lazy("course result", "Incomplete: must make up"),
    LineStatus.NO_SHOW: pgettext_lazy("course result", "No-show"),
}
ATTENDANCE_LABELS = {
    rules.Attendance.FULL: gettext_lazy("Present every day"),
    rules.Attendance.NONE: gettext_lazy("Absent every day"),
    rules.Attendance.PARTIAL: gettext_lazy("Missed some days"),
    rules.Attendance.MISSING: gettext_lazy("Not recorded for every day"),
}


def _day(day: dt.date) -> str:
    return formats.date_format(day, "l j F")


# --- access --------------------------------------------------------------------------------


def _back_to_register(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
    course_id = kwargs.get("course_id")
    if course_id is None or request.method != "POST":
        return redirect("attendance:courses")
    return redirect("attendance:register", course_id=course_id)


# Log-in required; the selectors' 403 and 404 become Django's; a refusal a view did not
# handle itself becomes a message on the register page, never a server error.
register_page = pages.service_page(pages.message_and_redirect(_back_to_register))


# --- 1. my courses -------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseRow:
    course: Course
    days: list[dt.date]
    when: str  # upcoming, running, finished
    register_label: str
    to_do: bool  # a finished course whose register is still open


def _course_row(course: Course, today: dt.date) -> CourseRow:
    days = sorted(day.date for day in course.days.all())
    first = days[0] if days else course.week.start_date
    last = days[-1] if days else course.week.end_date
    when = "upcoming" if today < first else "running" if today <= last else "finished"
    try:
        closed = course.register.is_closed
    except CourseRegister.DoesNotExist:
        closed = False
    if closed:
        label = _("Closed")
    elif when == "upcoming":
        label = _("Opens on the first course day")
    elif when == "running":
        label = _("Open: record each day")
    else:
        label = _("Open: fill in and close")
    return CourseRow(
        course=course,
        days=days,
        when=when,
        register_label=label,
        to_do=when == "finished" and not closed,
    )


def _region_courses(user) -> QuerySet[Course]:
    """Staff: every course of their regions' weeks that have started (C17: staff may fill,
    close and reopen any register of the region). Two queries whatever the number."""
    regions = staff_region_ids(user)
    if not regions:
        return Course.objects.none()
    return (
        Course.objects.filter(
            week__series__region_id__in=regions,
            removed_at__isnull=True,
            week__start_date__lte=local_date(timezone.now()),
        )
        .exclude(week__stored_state=StoredState.CANCELLED)
        .exclude(week__stored_state=StoredState.DRAFT)
        .select_related("week__series", "register")
        .prefetch_related("days")
        .order_by("-week__start_date", "week_id", "position", "id")
    )


@dataclass
class WeekGroup:
    title: str
    week_id: int
    rows: list[CourseRow] = field(default_factory=list)

    @property
    def caption_id(self) -> str:
        return f"week-{self.week_id}-caption"


def _by_week(rows: Iterable[CourseRow]) -> list[WeekGroup]:
    groups: dict[int, WeekGroup] = {}
    for row in rows:
        week = row.course.week
        groups.setdefault(week.pk, WeekGroup(week.title, week.pk)).rows.append(row)
    return list(groups.values())


@register_page
def courses(request: HttpRequest) -> HttpResponse:
    """The courses the person leads, by when they run, with their register's state; staff
    also see every started course of their regions."""
    today = local_date(timezone.now())
    mine = [
        _course_row(course, today)
        for course in selectors.courses_led_by(request.user)
        if course.week.stored_state != StoredState.CANCELLED
    ]
    sections = [
        ("finished", _("Finished courses"), [r for r in mine if r.when == "finished"]),
        ("running", _("Running now"), [r for r in mine if r.when == "running"]),
        (
            "upcoming",
            _("Upcoming courses"),
            sorted(
                (r for r in mine if r.when == "upcoming"), key=lambda r: r.days or [dt.date.max]
            ),
        ),
    ]
    mine_ids = {row.course.pk for row in mine}
    region_rows = [
        _course_row(course, today)
        for course in _region_courses(request.user)
        if course.pk not in mine_ids
    ]
    return render(
        request,
        "attendance/courses.html",
        {
            "sections": [s for s in sections if s[2]],
            "leads_courses": bool(mine),
            "to_do": [r for r in mine if r.to_do],
            "is_staff": bool(staff_region_ids(request.user)),
            "region_weeks": _by_week(region_rows),
        },
    )


# --- 2. the register -----------------------------------------------------------------------


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    label: str
    recorded: int
    total: int
    future: bool
    selected: bool

    @property
    def state(self) -> str:
        if self.future:
            return str(_("Not yet"))
        if self.total and self.recorded == self.total:
            return str(_("Recorded"))
        if self.recorded:
            return str(_("Partly recorded"))
        return str(_("Not recorded"))

    @property
    def complete(self) -> bool:
        return not self.future and self.recorded == self.total


@dataclass(frozen=True)
class Cell:
    day: dt.date
    label: str
    kind: str  # present, absent, missing
    note: str


def _at_closing(row: selectors.ParticipantRow) -> str:
    """C17 in words, for a participant without a result: full attendance passes at closing,
    absence on every day makes a no-show."""
    if row.status != LineStatus.CONFIRMED:
        return ""
    kind = row.attendance_kind
    if kind == rules.Attendance.FULL:
        return _("Passes when the register is closed")
    if kind == rules.Attendance.NONE:
        return _("Recorded as a no-show when the register is closed, unless given a result")
    return ""


def _cell(day: dt.date, record: AttendanceRecord | None) -> Cell:
    if record is None:
        return Cell(day, _("Not recorded"), "missing", "")
    if record.present:
        return Cell(day, pgettext("attendance", "Present"), "present", record.note)
    return Cell(day, pgettext("attendance", "Absent"), "absent", record.note)


def _cells(row: selectors.ParticipantRow, days: Iterable[dt.date]) -> list[Cell]:
    return [_cell(day, row.attendance.get(day)) for day in days]


@dataclass(frozen=True)
class OverviewRow:
    participant: selectors.ParticipantRow
    cells: list[Cell]
    result_label: str
    attendance_label: str
    needs_result: bool
    reason: str
    may_set_result: bool
    at_closing: str  # what closing will do for a participant without a result (C17)

    @property
    def has_result(self) -> bool:
        return self.participant.status != LineStatus.CONFIRMED


@dataclass(frozen=True)
class MissingPerson:
    registration_id: int
    name: str


@dataclass(frozen=True)
class MissingDay:
    """A course day some participants have no record for (C17)."""

    date: dt.date
    people: list[MissingPerson]


@dataclass(frozen=True)
class MissingList:
    """The 409 `register_incomplete` list, ready to link: per day the participants without a
    record (linking to that day's form, at the person), then those who need a result (linking
    to their result page)."""

    days: list[MissingDay]
    results: list[MissingPerson]

    def __bool__(self) -> bool:
        return bool(self.days or self.results)

    @property
    def result_ids(self) -> set[int]:
        return {person.registration_id for person in self.results}


# A day missing more people than this is summed up with a count rather than every name.
NAMES_PER_DAY = 6


def _missing_list(missing: Iterable[rules.Missing | dict[str, Any]]) -> MissingList:
    by_day: dict[dt.date, list[MissingPerson]] = {}
    results: list[MissingPerson] = []
    for entry in missing:
        if isinstance(entry, dict):
            person = MissingPerson(int(entry["registration_id"]), str(entry["name"]))
            dates = [dt.date.fromisoformat(d) for d in entry["dates"]]
            needs_result = bool(entry["needs_result"])
        else:
            person = MissingPerson(entry.registration_id, entry.name)
            dates = list(entry.dates)
            needs_result = entry.needs_result
        for day in dates:
            by_day.setdefault(day, []).append(person)
        if needs_result:
            results.append(person)
    return MissingList(
        days=[MissingDay(day, by_day[day]) for day in sorted(by_day)], results=results
    )


def _recordable(view: selectors.RegisterView) -> list[selectors.ParticipantRow]:
    return [row for row in view.participants if row.status in rules.RECORDABLE_STATES]


def _chosen_day(request: HttpRequest, view: selectors.RegisterView, today: dt.date) -> dt.date:
    """The day asked for (`?day=`), else the first day up to today with someone not recorded,
    else the last day up to today, else the first day."""
    asked = request.GET.get("day")
    if asked:
        try:
            day = dt.date.fromisoformat(asked)
        except ValueError:
            raise Http404(_("There is no such course day.")) from None
        if day not in view.days:
            raise Http404(_("There is no such course day."))
        return day
    recordable = _recordable(view)
    past = [day for day in view.days if day <= today]
    for day in past:
        if any(day not in row.attendance for row in recordable):
            return day
    if past:
        return past[-1]
    return view.days[0]


def _register_context(
    request: HttpRequest,
    course: Course,
    *,
    day: dt.date | None = None,
    day_form: DayForm | None = None,
    close_error: ServiceError | None = None,
    reopen_form: ReopenForm | None = None,
) -> dict[str, Any]:
    view = selectors.register_view(course)
    today = local_date(timezone.now())
    recordable = _recordable(view)
    selected = None
    if view.days:
        selected = day or _chosen_day(request, view, today)
    days = [
        DayInfo(
            date=d,
            label=_day(d),
            recorded=sum(1 for row in recordable if d in row.attendance),
            total=len(recordable),
            future=d > today,
            selected=d == selected,
        )
        for d in view.days
    ]
    missing = _missing_list(view.missing)
    needing = missing.result_ids
    rows = []
    for row in view.participants:
        rows.append(
            OverviewRow(
                participant=row,
                cells=_cells(row, view.days),
                result_label=str(RESULT_LABELS.get(row.status, row.status)),
                attendance_label=str(ATTENDANCE_LABELS[row.attendance_kind]),
                needs_result=row.registration_id in needing,
                reason=row.makeup if row.status == LineStatus.INCOMPLETE else row.result_reason,
                may_set_result=row.status in rules.RECORDABLE_STATES
                and (not view.closed or row.status == LineStatus.INCOMPLETE),
                at_closing=_at_closing(row),
            )
        )
    selected_info = next((d for d in days if d.selected), None)
    if day_form is None and selected is not None and not view.closed:
        day_form = DayForm(participants=recordable, day=selected)
    user = request.user
    staff = permissions.may_reopen(user, course.week)
    if reopen_form is None and staff and view.closed:
        reopen_form = ReopenForm()
    close_items = None
    if close_error is not None:
        close_items = _missing_list(close_error.extra.get("missing", []))
    return {
        "course": course,
        "week": course.week,
        "view": view,
        "register": view.register,
        "closed": view.closed,
        "days": days,
        "selected_day": selected_info,
        "day_form": day_form,
        "rows": rows,
        "missing": missing,
        "close_error": close_error,
        "close_items": close_items,
        "names_per_day": NAMES_PER_DAY,
        "is_staff": staff,
        "reopen_form": reopen_form,
        "leaders": ", ".join(leader.display_name for leader in course.leaders.all()),
        "may_see_certificates": view.closed and may_see_course_certificates(user, course),
    }


@register_page
def register(request: HttpRequest, course_id: int) -> HttpResponse:
    """The register: one course day's form (`?day=`), the overview of every day with the
    results, what closing still needs, and closing or reopening."""
    course = selectors.get_course_for_register(request.user, course_id)
    return render(request, "attendance/register.html", _register_context(request, course))


def _register_url(course: Course, day: dt.date | None = None, anchor: str = "") -> str:
    url = reverse("attendance:register", args=[course.pk])
    if day is not None:
        url += f"?day={day.isoformat()}"
    return url + (f"#{anchor}" if anchor else "")


@register_page
@require_POST
def record_day(request: HttpRequest, course_id: int, day: str) -> HttpResponse:
    """C17: present or absent, with an optional note, for every participant on one day."""
    course = selectors.get_course_for_register(request.user, course_id)
    view = selectors.register_view(course)
    try:
        chosen = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404(_("There is no such course day.")) from None
    if chosen not in view.days:
        raise Http404(_("There is no such course day."))
    form = DayForm(request.POST, participants=_recordable(view), day=chosen)
    if form.is_valid():
        try:
            services.record_attendance(actor=request.user, course=course, records=form.records())
        except ValidationFailed as exc:
            for found in exc.fields.values():
                for message in found:
                    form.add_error(None, message)
        except (NotFound, PermissionDenied):
            raise  # 404 and 403 are the page's own answers
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            absent = sum(1 for record in form.records() if not record[2])
            messages.success(
                request,
                _("Attendance for %(day)s is saved: %(present)d present, %(absent)d absent.")
                % {"day": _day(chosen), "present": len(form.records()) - absent, "absent": absent},
            )
            return redirect(_register_url(course, chosen, "day-heading"))
    context = _register_context(request, course, day=chosen, day_form=form)
    return render(request, "attendance/register.html", context)


@register_page
def result(request: HttpRequest, course_id: int, registration_id: int) -> HttpResponse:
    """C17: pass, fail or mark one participant incomplete. Passing with less than full
    attendance needs a written reason: the service says so and the page shows it by the
    field."""
    course = selectors.get_course_for_register(request.user, course_id)
    view = selectors.register_view(course)
    row = next((r for r in view.participants if r.registration_id == registration_id), None)
    if row is None:
        raise Http404(_("This person is not a participant of the course."))
    editable = row.status in rules.RECORDABLE_STATES and (
        not view.closed or row.status == LineStatus.INCOMPLETE
    )
    if request.method == "POST" and editable:
        form = ResultForm(request.POST)
        if form.is_valid():
            outcome = form.cleaned_data["result"]
            reason = form.cleaned_data["reason"].strip()
            try:
                services.record_results(
                    actor=request.user,
                    course=course,
                    results=[(registration_id, outcome, reason)],
                )
            except ValidationFailed as exc:
                for name, found in exc.fields.items():
                    target = name if name in ("result", "reason") else None
                    for message in found:
                        form.add_error(target, message)
            except (NotFound, PermissionDenied):
                raise  # 404 and 403 are the page's own answers
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                texts = {
                    "passed": _("%(name)s has passed %(course)s."),
                    "not_passed": _("%(name)s has not passed %(course)s."),
                    "incomplete": _(
                        "%(name)s must make up part of %(course)s before passing. What to make "
                        "up is saved."
                    ),
                }
                messages.success(
                    request, texts[outcome] % {"name": row.name, "course": course.title}
                )
                return redirect(_register_url(course, anchor="overview-heading"))
    else:
        initial: dict[str, Any] = {}
        if row.status in rules.RESULTS:
            initial["result"] = row.status
            initial["reason"] = (
                row.makeup if row.status == LineStatus.INCOMPLETE else row.result_reason
            )
        form = ResultForm(initial=initial)
    return render(
        request,
        "attendance/result.html",
        {
            "course": course,
            "week": course.week,
            "row": row,
            "cells": _cells(row, view.days),
            "attendance_label": ATTENDANCE_LABELS[row.attendance_kind],
            "full_attendance": row.attendance_kind == rules.Attendance.FULL,
            "result_label": RESULT_LABELS.get(row.status, row.status),
            "closed": view.closed,
            "editable": editable,
            "form": form,
        },
    )


@register_page
@require_POST
def close(request: HttpRequest, course_id: int) -> HttpResponse:
    """C17: close the register. What is still missing (409 `register_incomplete`) is shown as
    a list, each item linking to the day or the participant."""
    course = selectors.get_course_for_register(request.user, course_id)
    try:
        closed = services.close_register(actor=request.user, course=course)
    except ServiceError as exc:
        if exc.code != "register_incomplete":
            raise
        context = _register_context(request, course, close_error=exc)
        return render(request, "attendance/register.html", context)
    text = _(
        "The register of %(course)s is closed. Passed with full attendance at closing: "
        "%(passed)d. No-shows: %(no_shows)d."
    ) % {"course": course.title, "passed": len(closed.passed), "no_shows": len(closed.no_shows)}
    if closed.fees_charged:
        text += " " + _(
            "A late-cancellation fee is charged to the home unit for each no-show, and "
            "the unit's manager is told."
        )
    messages.success(request, text)
    return redirect(_register_url(course))


@register_page
@require_POST
def reopen(request: HttpRequest, course_id: int) -> HttpResponse:
    """C17: staff reopen a closed register with a reason (audited)."""
    course = selectors.get_course_for_staff(request.user, course_id)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_register(
                actor=request.user, course=course, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            for name, found in exc.fields.items():
                for message in found:
                    form.add_error("reason" if name == "reason" else None, message)
        else:
            messages.success(
                request,
                _(
                    "The register of %(course)s is open again. Results decided when it was "
                    "closed are removed until it is closed again."
                )
                % {"course": course.title},
            )
            return redirect(_register_url(course))
    context = _register_context(request, course, reopen_form=form)
    return render(request, "attendance/register.html", context)
