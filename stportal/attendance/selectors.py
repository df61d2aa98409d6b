"""Reads of the course register with permission and business meaning (C17, STYLE rule 6).

Who sees a course's register: its own leader(s) and staff of the week's region. A leader of
another course, a trainee or any other member of the region gets 403 (the course itself is
public in the catalogue); staff of another region get 404 (their existence is private).

List reads run a fixed number of SQL queries whatever the number of participants (SPEC 7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from stportal.accounts.models import User
from stportal.attendance import permissions, rules
from stportal.attendance.models import AttendanceRecord, CourseRegister, CourseResult
from stportal.core.errors import NotFound
from stportal.courses.models import Course
from stportal.registrations.models import RegistrationLine


def _course(course_id: int) -> Course:
    course = (
        Course.objects.select_related("week__series__region")
        .filter(pk=course_id, removed_at__isnull=True)
        .first()
    )
    if course is None:
        raise NotFound()
    return course


def get_course_for_register(user: User, course_id: int) -> Course:
    """A course whose register the caller may read and fill: its leader, or staff of the
    region (C17; SPEC 2: "a course leader sees only own sub-courses")."""
    course = _course(course_id)
    if permissions.may_record(user, course):
        return course
    raise permissions.outsider_refusal(user, course)


def get_course_for_staff(user: User, course_id: int) -> Course:
    """A course the caller administers as staff of its region (reopening a register, C17)."""
    course = _course(course_id)
    if permissions.may_reopen(user, course.week):
        return course
    raise permissions.outsider_refusal(user, course)


@dataclass(frozen=True)
class ParticipantRow:
    """One participant of a course register, ready to show."""

    line: RegistrationLine
    registration_id: int
    trainee_id: int
    name: str
    status: str
    attendance: dict[dt.date, AttendanceRecord]
    result: str | None  # passed, not_passed, incomplete, or None
    result_reason: str
    makeup: str

    @property
    def attendance_kind(self) -> str:
        return rules.attendance_of(
            sorted(self.attendance), {day: r.present for day, r in self.attendance.items()}
        )


def participant_lines(course: Course) -> QuerySet[RegistrationLine]:
    """The course's participants (confirmed, or given a result) with trainee, result and
    attendance records: two queries for any number."""
    return (
        RegistrationLine.objects.filter(course=course, status__in=rules.PARTICIPANT_STATES)
        .select_related("registration__trainee__user", "course_result")
        .prefetch_related(
            Prefetch("attendance_records", queryset=AttendanceRecord.objects.order_by("date"))
        )
        .order_by(
            "registration__trainee__user__last_name",
            "registration__trainee__user__first_name",
            "id",
        )
    )


def _row(line: RegistrationLine) -> ParticipantRow:
    try:
        course_result: CourseResult | None = line.course_result
    except CourseResult.DoesNotExist:
        course_result = None
    result = line.status if line.status in rules.RESULTS else None
    return ParticipantRow(
        line=line,
        registration_id=line.registration_id,
        trainee_id=line.registration.trainee_id,
        name=line.registration.trainee.user.display_name,
        status=line.status,
        attendance={record.date: record for record in line.attendance_records.all()},
        result=result,
        result_reason=line.result_reason,
        makeup=course_result.makeup if course_result is not None else "",
    )


def participants(course: Course) -> list[ParticipantRow]:
    return [_row(line) for line in participant_lines(course)]


@dataclass(frozen=True)
class RegisterView:
    """A course's register as a page shows it: days, participants, state, and what closing
    would still need (the same list `close_register` answers with)."""

    course: Course
    register: CourseRegister | None
    days: list[dt.date]
    participants: list[ParticipantRow]
    missing: list[rules.Missing] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.register is not None and self.register.is_closed

    @property
    def can_close(self) -> bool:
        return not self.closed and not self.missing and bool(self.days)


def register_view(course: Course) -> RegisterView:
    """Four queries: the register row, the days, the participants and their records."""
    register = CourseRegister.objects.filter(course=course).first()
    days = sorted(course.days.values_list("date", flat=True))
    rows = participants(course)
    plan = rules.plan_closing(
        days,
        [
            rules.Participant(
                registration_id=row.registration_id,
                name=row.name,
                status=row.status,
                records={day: record.present for day, record in row.attendance.items()},
                result_reason=row.result_reason,
            )
            for row in rows
        ],
    )
    return RegisterView(
        course=course,
        register=register,
        days=days,
        participants=rows,
        missing=list(plan.missing),
    )


def courses_led_by(user: User) -> QuerySet[Course]:
    """The courses the person leads, newest week first, with their register (for the
    course leader's pages)."""
    return (
        Course.objects.filter(leaders=user, removed_at__isnull=True)
        .select_related("week__series", "register")
        .prefetch_related("days")
        .order_by("-week__start_date", "position", "id")
    )
