"""Reads behind the course administration pages and the unit manager's page (SPEC 2, C4,
C8–C16, C20, C22).

Who sees what: course admins and regional study directors see their own regions' weeks,
registrations and e-mail; staff of another region get 404 for our objects and people who
are staff nowhere 403 (as `courses.selectors.get_course_week_for_user`). A unit manager sees
the registrations and fees of own home units only. List reads run a fixed number of queries
whatever the number of rows (SPEC 7).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from stportal.accounts.models import HomeUnit, Region, RoleAssignment, TraineeProfile, User
from stportal.accounts.roles import managed_units
from stportal.core.errors import NotFound, PermissionDenied
from stportal.core.models import AuditEvent
from stportal.core.permissions import require_staff, staff_region_ids
from stportal.core.personnummer import InvalidPersonnummer, normalise
from stportal.courses import selectors as course_selectors
from stportal.courses.models import Course, CourseDay, CourseWeek, InformationPage
from stportal.courses.states import StoredState, WeekState
from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.registrations import permissions, selectors
from stportal.registrations.lines import NOT_CANCELLED
from stportal.registrations.lodging import Guest, LodgingSummary, lodging_summary
from stportal.registrations.models import (
    Fee,
    FeeStatus,
    LineStatus,
    Registration,
    RegistrationLine,
)

# A line that holds (or held) a seat: taken seats (C8) and the results recorded on them (C17).
HELD_SEAT = (
    LineStatus.CONFIRMED,
    LineStatus.OFFERED,
    LineStatus.PASSED,
    LineStatus.NOT_PASSED,
    LineStatus.INCOMPLETE,
    LineStatus.NO_SHOW,
)
# A confirmed seat, for the unit manager: confirmed and every result recorded on one.
CONFIRMED_SEAT = tuple(s for s in HELD_SEAT if s != LineStatus.OFFERED)


# --- who may -------------------------------------------------------------------------------


def require_unit_manager(user: User) -> list[HomeUnit]:
    """The home units the caller manages; 403 for anyone who manages none."""
    units = list(managed_units(user).select_related("region", "area").order_by("name", "pk"))
    if not units:
        raise PermissionDenied()
    return units


def may_see_fees(user: User) -> bool:
    return bool(user.is_superuser or staff_region_ids(user) or managed_units(user).exists())


# --- weeks and courses with live counts ----------------------------------------------------


def courses_with_counts() -> QuerySet[Course]:
    """A week's live courses with every count of the overview annotated: one query for any
    number of courses and lines (C8: seats taken = confirmed + offered)."""
    return (
        Course.objects.filter(removed_at__isnull=True)
        .annotate(
            requests=Count("lines", filter=Q(lines__status__in=NOT_CANCELLED), distinct=True),
            pending=Count("lines", filter=Q(lines__status=LineStatus.PENDING), distinct=True),
            confirmed=Count("lines", filter=Q(lines__status=LineStatus.CONFIRMED), distinct=True),
            offered=Count("lines", filter=Q(lines__status=LineStatus.OFFERED), distinct=True),
            waiting=Count("lines", filter=Q(lines__status=LineStatus.WAITLISTED), distinct=True),
            late=Count(
                "lines", filter=Q(lines__status__in=NOT_CANCELLED, lines__late=True), distinct=True
            ),
            cancelled=Count("lines", filter=Q(lines__status=LineStatus.CANCELLED), distinct=True),
            # A finished week's results (C17) and the certificates issued on them (C19).
            passed=Count("lines", filter=Q(lines__status=LineStatus.PASSED), distinct=True),
            not_passed=Count("lines", filter=Q(lines__status=LineStatus.NOT_PASSED), distinct=True),
            no_show=Count("lines", filter=Q(lines__status=LineStatus.NO_SHOW), distinct=True),
            incomplete=Count("lines", filter=Q(lines__status=LineStatus.INCOMPLETE), distinct=True),
            certificates=Count(
                "lines__certificates",
                filter=~Q(lines__certificates__state="revoked"),
                distinct=True,
            ),
        )
        .order_by("position", "pk")
    )


@dataclass
class CourseCounts:
    course: Course
    capacity: int
    requests: int
    pending: int
    confirmed: int
    offered: int
    waiting: int
    late: int
    cancelled: int
    passed: int = 0
    not_passed: int = 0
    no_show: int = 0
    incomplete: int = 0
    certificates: int = 0

    @property
    def seats_taken(self) -> int:
        return self.confirmed + self.offered

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.seats_taken)


@dataclass
class WeekOverview:
    week: CourseWeek
    state: str
    courses: list[CourseCounts] = field(default_factory=list)
    registrations: int = 0

    @property
    def state_label(self) -> str:
        return str(WeekState(self.state).label)


def _counts(week: CourseWeek, course: Course) -> CourseCounts:
    course.week = week  # a course without its own capacity follows the week's (C3)
    return CourseCounts(
        course=course,
        capacity=course.capacity,
        requests=course.requests,  # type: ignore[attr-defined]
        pending=course.pending,  # type: ignore[attr-defined]
        confirmed=course.confirmed,  # type: ignore[attr-defined]
        offered=course.offered,  # type: ignore[attr-defined]
        waiting=course.waiting,  # type: ignore[attr-defined]
        late=course.late,  # type: ignore[attr-defined]
        cancelled=course.cancelled,  # type: ignore[attr-defined]
        passed=course.passed,  # type: ignore[attr-defined]
        not_passed=course.not_passed,  # type: ignore[attr-defined]
        no_show=course.no_show,  # type: ignore[attr-defined]
        incomplete=course.incomplete,  # type: ignore[attr-defined]
        certificates=course.certificates,  # type: ignore[attr-defined]
    )


def _overview(week: CourseWeek, now: dt.datetime) -> WeekOverview:
    return WeekOverview(
        week=week,
        state=week.state_at(now),
        courses=[_counts(week, c) for c in week.counted_courses],  # type: ignore[attr-defined]
        registrations=week.registration_count,  # type: ignore[attr-defined]
    )


def _weeks_with_counts() -> QuerySet[CourseWeek]:
    return (
        CourseWeek.objects.select_related("series__region")
        .annotate(
            registration_count=Count(
                "registrations",
                filter=Q(registrations__lines__status__in=NOT_CANCELLED),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch("courses", queryset=courses_with_counts(), to_attr="counted_courses")
        )
    )


def weeks_overview(user: User, *, now: dt.datetime | None = None) -> list[WeekOverview]:
    """Every week of the caller's staff regions, in all states, with live counts per course:
    three queries whatever the number of weeks, courses and registrations. Weeks still ahead
    or running come first (soonest first), then finished and cancelled ones (latest first)."""
    now = now or timezone.now()
    regions = require_staff(user)
    weeks = _weeks_with_counts().filter(series__region_id__in=regions).order_by("start_date", "pk")
    rows = [_overview(week, now) for week in weeks]
    over = {WeekState.FINISHED, WeekState.CANCELLED}
    return [r for r in rows if r.state not in over] + [r for r in rows if r.state in over][::-1]


def week_overview(week: CourseWeek, *, now: dt.datetime | None = None) -> WeekOverview:
    return _overview(_weeks_with_counts().get(pk=week.pk), now or timezone.now())


def get_week_for_staff(user: User, week_id: int) -> CourseWeek:
    """403 for people who are staff nowhere, 404 for staff of another region."""
    return course_selectors.get_course_week_for_user(user, week_id, staff=True)


def get_course_for_staff(user: User, course_id: int) -> Course:
    course = Course.objects.filter(pk=course_id, removed_at__isnull=True).first()
    if course is None:
        require_staff(user)
        raise NotFound()
    course.week = get_week_for_staff(user, course.week_id)
    return course


# --- registrations -------------------------------------------------------------------------


def get_registration_for_staff(user: User, registration_id: int) -> Registration:
    """A registration of one of the caller's staff regions, with its lines and waiting-list
    positions; reading it also expires its own lapsed offer (as the trainee's read does)."""
    require_staff(user)
    found = (
        Registration.objects.select_related("course_week__series")
        .filter(pk=registration_id)
        .first()
    )
    if found is None or not permissions.may_manage_registration(user, found):
        raise NotFound()
    registration = selectors.get_registration_for_user(user, registration_id)
    registration.course_week = CourseWeek.objects.select_related("series__region").get(
        pk=registration.course_week_id
    )
    for line in registration.lines.all():
        line.course.week = registration.course_week
    return registration


def fee_of(registration: Registration) -> Fee | None:
    try:
        return registration.fee
    except Fee.DoesNotExist:
        return None


def week_registrations(week: CourseWeek, *, query: str = "") -> list[Registration]:
    """The week's registrations with their lines, by trainee name; `query` narrows by name."""
    registrations = list(
        selectors.with_lines(Registration.objects.filter(course_week=week))
        .select_related("trainee__user", "home_unit")
        .order_by("trainee__user__last_name", "trainee__user__first_name", "pk")
    )
    words = query.casefold().split()
    if words:
        registrations = [
            r
            for r in registrations
            if all(w in r.trainee.user.get_full_name().casefold() for w in words)
        ]
    for registration in registrations:
        registration.course_week = week
        for line in registration.lines.all():
            line.course.week = week
    return registrations


def audit_history(registration: Registration) -> list[AuditEvent]:
    """Every audit event about the registration, its lines and its fee, oldest first."""
    line_ids = [str(line.pk) for line in registration.lines.all()]
    condition = Q(object_type="registrations.registration", object_id=str(registration.pk)) | Q(
        object_type="registrations.registrationline", object_id__in=line_ids
    )
    fee = fee_of(registration)
    if fee is not None:
        condition |= Q(object_type="registrations.fee", object_id=str(fee.pk))
    return list(AuditEvent.objects.filter(condition).select_related("actor").order_by("at", "id"))


def _line_rows(week: CourseWeek, statuses: tuple[str, ...]) -> QuerySet[RegistrationLine]:
    return RegistrationLine.objects.filter(
        course__week=week, course__removed_at__isnull=True, status__in=statuses
    ).select_related(
        "registration__trainee__user",
        "registration__home_unit",
        "course",
        "registration__fee",
        "fee",
    )


def participants_by_course(week: CourseWeek) -> list[tuple[Course, list[RegistrationLine]]]:
    """C20: per course, who holds a seat (confirmed or offered, and after the course the
    results recorded on those seats), by name."""
    courses = list(week.courses.filter(removed_at__isnull=True).order_by("position", "pk"))
    lines = _line_rows(week, HELD_SEAT).order_by(
        "registration__trainee__user__last_name",
        "registration__trainee__user__first_name",
        "pk",
    )
    by_course: dict[int, list[RegistrationLine]] = {c.pk: [] for c in courses}
    for line in lines:
        by_course[line.course_id].append(line)
    return [(course, by_course[course.pk]) for course in courses]


def waiting_by_course(week: CourseWeek) -> list[tuple[Course, list[RegistrationLine]]]:
    """C9: per course, the waiting list in order; `line.position` is 1 for the next in line."""
    courses = list(week.courses.filter(removed_at__isnull=True).order_by("position", "pk"))
    for course in courses:
        course.week = week
    by_course: dict[int, list[RegistrationLine]] = {c.pk: [] for c in courses}
    course_by_id = {c.pk: c for c in courses}
    for line in _line_rows(week, (LineStatus.WAITLISTED,)).order_by("queue_order", "pk"):
        line.course = course_by_id[line.course_id]
        line.position = len(by_course[line.course_id]) + 1  # type: ignore[attr-defined]
        by_course[line.course_id].append(line)
    return [(course, by_course[course.pk]) for course in courses]


@dataclass(frozen=True)
class LodgingList:
    preliminary: bool
    summary: LodgingSummary
    registrations: dict[int, Registration]
    courses_of: dict[int, list[str]]  # registration id → titles of the courses counted


def _lodging_lines(week: CourseWeek) -> tuple[bool, QuerySet[RegistrationLine]]:
    """Whether the list is preliminary, and the lines that give lodging nights (C20): the
    seats held, and before allocation the courses asked for (pending lines)."""
    preliminary = week.stored_state != StoredState.ALLOCATED
    statuses = (*HELD_SEAT, LineStatus.PENDING) if preliminary else HELD_SEAT
    lines = RegistrationLine.objects.filter(
        course__week=week, course__removed_at__isnull=True, status__in=statuses
    )
    return preliminary, lines


def _days_by_course(week: CourseWeek) -> dict[int, list[dt.date]]:
    days: dict[int, list[dt.date]] = {}
    for day in CourseDay.objects.filter(course__week=week).order_by("date"):
        days.setdefault(day.course_id, []).append(day.date)
    return days


def _line_days(line: RegistrationLine, days: dict[int, list[dt.date]], week: CourseWeek):
    # A course without days of its own is held on the week's first day (as the services take
    # its start).
    return days.get(line.course_id) or [week.start_date]


def lodging_days_of(registration: Registration, week: CourseWeek) -> tuple[dt.date, ...]:
    """The course days that give one registration its default lodging nights (C20)."""
    _preliminary, lines = _lodging_lines(week)
    days = _days_by_course(week)
    found: set[dt.date] = set()
    for line in lines.filter(registration=registration):
        found.update(_line_days(line, days, week))
    return tuple(sorted(found))


def guest_for(registration: Registration, days: Iterable[dt.date]) -> Guest:
    """A registration as the pure lodging rule sees it, with staff's adjustments (C20)."""
    return Guest(
        key=registration.pk,
        name=registration.trainee.user.display_name,
        home_unit=registration.home_unit.name,
        days=tuple(sorted(days)),
        extra_nights=_iso_dates(registration.lodging_extra_nights),
        skipped_nights=_iso_dates(registration.lodging_skipped_nights),
    )


def _iso_dates(values: Iterable[str]) -> tuple[dt.date, ...]:
    return tuple(sorted(dt.date.fromisoformat(value) for value in values or ()))


def lodging_for_week(week: CourseWeek) -> LodgingList:
    """C20: who needs lodging and which nights, at the week's nightly rate.

    Participants whose home unit is away from the host site and who asked for lodging, for
    the nights before the days of the courses they hold a seat on, as staff adjusted them.
    Before allocation the list is preliminary and counts the courses asked for (pending
    lines), for booking early. Three queries whatever the number of participants.
    """
    preliminary, lines_qs = _lodging_lines(week)
    lines = list(
        lines_qs.filter(
            registration__needs_lodging=True,
            registration__home_unit__away_from_host_site=True,
        )
        .select_related("registration__trainee__user", "registration__home_unit", "course")
        .order_by("course__position", "course_id", "pk")
    )
    days = _days_by_course(week)
    per_registration: dict[int, set[dt.date]] = {}
    registrations: dict[int, Registration] = {}
    courses_of: dict[int, list[str]] = {}
    for line in lines:
        registration = line.registration
        registrations[registration.pk] = registration
        per_registration.setdefault(registration.pk, set()).update(_line_days(line, days, week))
        courses_of.setdefault(registration.pk, []).append(line.course.title)
    guests = [
        guest_for(registrations[pk], course_days) for pk, course_days in per_registration.items()
    ]
    return LodgingList(
        preliminary=preliminary,
        summary=lodging_summary(guests, nightly_rate=week.lodging_nightly_rate),
        registrations=registrations,
        courses_of=courses_of,
    )


# --- trainees ------------------------------------------------------------------------------

_NUMBERISH = re.compile(r"^[\d\s+\-]+$")


def search_trainees(
    user: User, query: str, *, today: dt.date | None = None, limit: int = 25
) -> list[TraineeProfile]:
    """Trainees of the caller's staff regions by name, user name, e-mail or personal identity
    number in any common form (YYMMDD-NNNC, YYYYMMDDNNNC, …; a birth date finds everyone born
    that day). Names match without regard to case or accents' case (Öberg, öberg)."""
    regions = require_staff(user)
    query = query.strip()
    if not query:
        return []
    base = TraineeProfile.objects.filter(home_unit__region_id__in=regions)
    if _NUMBERISH.match(query):
        try:
            ids = list(
                base.filter(personal_id=normalise(query, today=today)).values_list("pk", flat=True)
            )
        except InvalidPersonnummer:
            digits = re.sub(r"\D", "", query)
            ids = (
                list(base.filter(personal_id__contains=digits).values_list("pk", flat=True))
                if len(digits) >= 6
                else []
            )
    else:
        # Compared in Python: SQLite's LIKE ignores case for ASCII letters only (å, ä, ö).
        words = query.casefold().split()
        ids = [
            pk
            for pk, *texts in base.values_list(
                "pk", "user__first_name", "user__last_name", "user__username", "user__email"
            )
            if all(any(w in (t or "").casefold() for t in texts) for w in words)
        ]
    return list(
        TraineeProfile.objects.filter(pk__in=ids[: limit * 4])
        .select_related("user", "home_unit")
        .order_by("user__last_name", "user__first_name", "pk")[:limit]
    )


def registered_trainee_ids(week: CourseWeek, trainee_ids: list[int]) -> set[int]:
    """Which of these trainees already hold a registration for the week that registering
    them again would be refused for (C6, `lines.blocks_registering_again`)."""
    return set(
        Registration.objects.filter(
            course_week=week, trainee_id__in=trainee_ids, lines__status__in=NOT_CANCELLED
        ).values_list("trainee_id", flat=True)
    )


def trainees_of_staff(user: User) -> QuerySet[TraineeProfile]:
    return TraineeProfile.objects.filter(
        home_unit__region_id__in=require_staff(user)
    ).select_related("user", "home_unit")


# --- fees ----------------------------------------------------------------------------------


def fee_filter_units(user: User) -> QuerySet[HomeUnit]:
    """The home units the fee report may be narrowed to: the staff regions' units and the
    units the caller manages."""
    if user.is_superuser:
        units = HomeUnit.objects.all()
    else:
        units = HomeUnit.objects.filter(
            Q(region_id__in=staff_region_ids(user)) | Q(pk__in=managed_units(user).values("pk"))
        )
    return units.select_related("region").order_by("name", "pk")


# --- the information page ------------------------------------------------------------------


def information_regions(user: User) -> list[Region]:
    return list(Region.objects.filter(pk__in=require_staff(user)).order_by("name"))


def information_page_of(region: Region) -> InformationPage | None:
    return InformationPage.objects.filter(region=region).select_related("updated_by").first()


# --- the e-mail outbox ---------------------------------------------------------------------


def outbox_for_staff(user: User) -> QuerySet[OutboxMessage]:
    """C22: messages to the people of the caller's regions (anyone holding a role there, and
    the trainees whose home unit is there), as in the back office."""
    regions = require_staff(user)
    people = RoleAssignment.objects.filter(region_id__in=regions).values("user_id")
    return OutboxMessage.objects.filter(
        Q(recipient_id__in=people) | Q(recipient__trainee_profile__home_unit__region_id__in=regions)
    ).select_related("recipient")


def outbox_counts(messages: QuerySet[OutboxMessage]) -> dict[str, int]:
    counts = {status: 0 for status in OutboxStatus.values}
    for row in messages.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


# --- the unit manager ----------------------------------------------------------------------


@dataclass
class UnitOverview:
    unit: HomeUnit
    registrations: list[Registration] = field(default_factory=list)
    confirmed_seats: int = 0
    charged_count: int = 0
    charged_amount: int = 0
    waived_count: int = 0
    waived_amount: int = 0


def units_overview(user: User) -> list[UnitOverview]:
    """Per home unit the caller manages: its registrations (the unit that pays, C5), the seats
    confirmed and the fees charged and waived (C14, C16). Four queries in all."""
    units = require_unit_manager(user)
    overviews = {unit.pk: UnitOverview(unit=unit) for unit in units}
    registrations = (
        Registration.objects.filter(home_unit_id__in=list(overviews))
        .select_related("trainee__user", "course_week", "fee")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=RegistrationLine.objects.select_related("course").order_by(
                    "course__position", "course_id", "pk"
                ),
            )
        )
        .order_by(
            "-course_week__start_date",
            "course_week_id",
            "trainee__user__last_name",
            "trainee__user__first_name",
            "pk",
        )
    )
    for registration in registrations:
        overview = overviews[registration.home_unit_id]
        overview.registrations.append(registration)
        overview.confirmed_seats += sum(
            1 for line in registration.lines.all() if line.status in CONFIRMED_SEAT
        )
        fee = fee_of(registration)
        if fee is not None and fee.status == FeeStatus.CHARGED:
            overview.charged_count += 1
            overview.charged_amount += fee.amount
        elif fee is not None:
            overview.waived_count += 1
            overview.waived_amount += fee.amount
    return list(overviews.values())
