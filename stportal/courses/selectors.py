"""Reads on course series, weeks and courses with permission meaning (SPEC 2, C3, C4).

Who sees what:
- staff (course admin, regional study director) of a week's region see it in every state;
- anyone else who belongs to the region (accounts.selectors.member_region_ids), or to another
  region the week is opened to (C23), sees it once it has been published; a draft, or a week
  cancelled before it was ever published, is 404;
- staff of another region get 404 for our objects: their existence is private.

List queries run a fixed number of SQL queries whatever the number of rows (SPEC 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.accounts.selectors import member_region_ids
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, PermissionDenied, ValidationFailed
from stportal.core.permissions import require_staff, staff_region_ids
from stportal.courses import permissions
from stportal.courses.models import Course, CourseSeries, CourseWeek
from stportal.courses.states import StoredState, WeekState
from stportal.curricula.models import Goal

# Curriculum versions whose goals a course names by code (C3); 2008 is free text.
GOAL_VERSIONS = ("2015", "2021")


def series_for_user(user: User) -> QuerySet[CourseSeries]:
    """The series of every region the caller belongs to or is staff in."""
    regions = member_region_ids(user)
    return (
        CourseSeries.objects.filter(region_id__in=regions)
        .select_related("region")
        .order_by("region__name", "name")
    )


def resolve_series_for_staff(
    user: User, value: int | str, *, region_id: int | None = None, field: str = "series"
) -> CourseSeries:
    """A series given by id or by name (`"LEKA A"`) within the caller's staff region(s), or
    within `region_id` when the series of an existing week changes. Unknown: 422 (Appendix A).
    """
    regions = {region_id} if region_id is not None else require_staff(user)
    candidates = CourseSeries.objects.filter(region_id__in=regions)
    text = str(value).strip()
    lookup = Q(name__iexact=text)
    if isinstance(value, int) or text.isdigit():
        lookup |= Q(pk=int(text))
    found = list(candidates.filter(lookup).select_related("region")[:2])
    if not found:
        raise ValidationFailed({field: [_("Unknown course series.")]})
    if len(found) > 1:
        raise ValidationFailed(
            {field: [_("Several regions have a series with this name: give its id.")]}
        )
    return found[0]


def _visible_to_members() -> Q:
    """C4: published or later; a week cancelled while still a draft was never visible."""
    return ~Q(stored_state=StoredState.DRAFT) & ~Q(
        stored_state=StoredState.CANCELLED, published_at__isnull=True
    )


def state_filter(state: str, today: dt.date) -> Q:
    """The SQL form of courses.states.effective_state for one state, on the local date `today`.

    Deadlines are instants at the end of their day (SPEC 4), so "now is past the end of day D"
    is "today > D", and "now is past the start of day D" is "today >= D".
    """
    live = (StoredState.PUBLISHED, StoredState.ALLOCATED)
    if state == WeekState.DRAFT:
        return Q(stored_state=StoredState.DRAFT)
    if state == WeekState.CANCELLED:
        return Q(stored_state=StoredState.CANCELLED)
    if state == WeekState.FINISHED:
        return Q(stored_state__in=live, end_date__lt=today)
    if state == WeekState.RUNNING:
        return Q(stored_state__in=live, start_date__lte=today, end_date__gte=today)
    if state == WeekState.ALLOCATED:
        return Q(stored_state=StoredState.ALLOCATED, start_date__gt=today)
    if state == WeekState.CLOSED:
        return Q(
            stored_state=StoredState.PUBLISHED,
            start_date__gt=today,
            registration_deadline__lt=today,
        )
    if state == WeekState.PUBLISHED:
        return Q(
            stored_state=StoredState.PUBLISHED,
            start_date__gt=today,
            registration_deadline__gte=today,
        )
    raise ValueError(state)


def weeks_for_user(
    user: User, *, state: str | None = None, now: dt.datetime | None = None
) -> QuerySet[CourseWeek]:
    """Course weeks of the caller's region(s), and those other regions have opened to the
    caller's (C23): staff see drafts of their own regions too (C4)."""
    staff = staff_region_ids(user)
    members = member_region_ids(user)
    weeks = CourseWeek.objects.filter(
        Q(series__region_id__in=staff)
        | (
            (Q(series__region_id__in=members) | permissions.open_to_guests_from(members))
            & _visible_to_members()
        )
    )
    if state is not None:
        weeks = weeks.filter(state_filter(state, local_date(now or timezone.now())))
    return (
        weeks.select_related("series", "series__region")
        .prefetch_related("open_to_regions")
        .order_by("start_date", "pk")
    )


def get_course_week_for_user(user: User, week_id: int, *, staff: bool = False) -> CourseWeek:
    """A week the caller may see, or with `staff=True` one the caller may change.

    Staff of the week's region: always. With `staff=True` anyone else is refused: 403 when the
    caller is staff nowhere (the role may not), 404 when staff of another region (the object
    is private). Otherwise members of the region, and of the other regions it is opened to
    (C23), see a published week; the rest get 404.
    """
    week = CourseWeek.objects.select_related("series", "series__region").filter(pk=week_id).first()
    staff_regions = staff_region_ids(user)
    if week is not None and week.series.region_id in staff_regions:
        return week
    if staff:
        if not staff_regions:
            raise PermissionDenied(_("Only course administrators and study directors may do this."))
        raise NotFound()
    if week is None or not any(
        permissions.admits_region(week, region_id) for region_id in member_region_ids(user)
    ):
        raise NotFound()
    if week.stored_state == StoredState.DRAFT or (
        week.stored_state == StoredState.CANCELLED and week.published_at is None
    ):
        raise NotFound()
    return week


def courses_with_counts(*, include_removed: bool = False) -> QuerySet[Course]:
    """Courses with seats taken (confirmed + offered, C8) and the waiting count annotated, and
    their days, goals and leaders prefetched: four queries for any number of courses. Courses
    removed from their week (C4) only with `include_removed`."""
    from stportal.registrations.lines import SEAT_TAKING
    from stportal.registrations.models import LineStatus

    courses = Course.objects.all()
    if not include_removed:
        courses = courses.filter(removed_at__isnull=True)
    return (
        courses.annotate(
            seats_taken=Count("lines", filter=Q(lines__status__in=SEAT_TAKING)),
            waiting=Count("lines", filter=Q(lines__status=LineStatus.WAITLISTED)),
        )
        .prefetch_related(
            "days",
            Prefetch("goals", queryset=Goal.objects.select_related("version")),
            Prefetch("leaders", queryset=User.objects.only("pk")),
        )
        .order_by("position", "pk")
    )


def with_courses(week: CourseWeek) -> CourseWeek:
    """Attach the week's courses with their counts: `week.live_courses`, and
    `week.listed_courses` with the courses removed from it after them (shown as removed, C4)."""
    listed = list(courses_with_counts(include_removed=True).filter(week=week))
    for course in listed:
        course.week = week  # the capacity of a course without its own follows the week (C3)
    live = [course for course in listed if course.removed_at is None]
    week.live_courses = live  # type: ignore[attr-defined]
    week.listed_courses = live + [c for c in listed if c.removed_at is not None]  # type: ignore[attr-defined]
    return week


def get_course_with_counts(course_id: int, *, include_removed: bool = False) -> Course:
    found = courses_with_counts(include_removed=include_removed).select_related("week")
    course = found.filter(pk=course_id).first()
    if course is None:
        raise NotFound()
    return course


def active_registration_count(course: Course) -> int:
    """How many registrations hold or ask for a place on the course: the people removing it
    would cancel and tell (C4)."""
    from stportal.registrations.services import ACTIVE

    return course.lines.filter(status__in=ACTIVE).values("registration_id").distinct().count()


def get_course_for_staff(user: User, course_id: int) -> Course:
    """A course the caller may change (C3, C4), removed ones too: staff of its week's region.
    403 to someone who is staff nowhere, 404 to staff of another region and for an unknown id
    (its existence is private)."""
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        if not staff_region_ids(user):
            raise PermissionDenied(_("Only course administrators and study directors may do this."))
        raise NotFound()
    course.week = get_course_week_for_user(user, course.week_id, staff=True)
    return course


def resolve_goals(goals: Mapping[str, Iterable[str]], *, field: str = "goals") -> list[Goal]:
    """Goals named by code per curriculum version (`{"2015": ["a1"], "2021": ["STa3"]}`).

    General goals (the same for every specialty) are matched first; a code that is no general
    goal may name specialty-specific goals. Unknown codes answer 422 naming `goals.<version>`.
    """
    wanted = {
        version: sorted({code.strip() for code in codes if code.strip()})
        for version, codes in goals.items()
    }
    errors: dict[str, list[str]] = {}
    for version in wanted:
        if version not in GOAL_VERSIONS:
            errors[f"{field}.{version}"] = [
                _("Goals are given by code only for the 2015 and 2021 curricula.")
            ]
    all_codes = {code for codes in wanted.values() for code in codes}
    rows = list(
        Goal.objects.filter(version__code__in=GOAL_VERSIONS, code__in=all_codes).select_related(
            "version"
        )
    )
    chosen: list[Goal] = []
    for version, codes in wanted.items():
        if version not in GOAL_VERSIONS:
            continue
        unknown = []
        for code in codes:
            matches = [g for g in rows if g.version.code == version and g.code == code]
            general = [g for g in matches if g.specialty_id is None]
            if not matches:
                unknown.append(code)
            chosen.extend(general or matches)
        if unknown:
            errors[f"{field}.{version}"] = [
                _("Unknown goal code: %(codes)s.") % {"codes": ", ".join(unknown)}
            ]
    if errors:
        raise ValidationFailed(errors)
    return chosen


def resolve_leaders(
    user_ids: Iterable[int], *, week: CourseWeek, field: str = "leader_ids"
) -> list[User]:
    """Course leaders by user id: people who already belong to the week's region (security
    review finding 9). Unknown ids and people of other regions answer the same 422."""
    ids = set(user_ids)
    permissions.check_leaders(ids, week, field=field)
    return list(User.objects.filter(pk__in=ids))
