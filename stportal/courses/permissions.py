"""Who may do what with course weeks and courses (SPEC 2).

Plain predicates, used by the selectors, the pages, the API, the admin and the services alike.
`None` as the user is the system (commands, the demo), which may do everything. Staff (course
admin, regional study director) manage the weeks of the regions where they hold the role; a
course leader acts on own courses only; and only people who already belong to a week's region
may be made leaders of its courses, since leading a course makes one a member of the region
(security review finding 9).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _

from stportal.accounts.models import Role, RoleAssignment, User
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.permissions import staff_region_ids
from stportal.courses.models import Course, CourseWeek


def may_manage_region(user: User | None, region_id: int) -> bool:
    """Course admins and regional study directors of the region; superusers (the
    installation's administrators, who see every region in the back office)."""
    if user is None:
        return True
    return bool(user.is_superuser) or region_id in staff_region_ids(user)


def may_manage_week(user: User | None, week: CourseWeek) -> bool:
    """Change, publish, cancel, allocate a week and change its courses: staff of its region."""
    return may_manage_region(user, week.series.region_id)


def admits_region(week: CourseWeek, region_id: int) -> bool:
    """C23: whether trainees of `region_id` may take part in the week: the host region's own,
    and those of the other regions the week is opened to (all, or a list). Reads the week's
    list of regions (prefetched or one query)."""
    if region_id == week.series.region_id or week.open_to_all_regions:
        return True
    return any(region.pk == region_id for region in week.open_to_regions.all())


def open_to_guests_from(region_ids: Iterable[int]) -> Q:
    """C23, as a filter on course weeks: those opened to any of `region_ids` (not counting the
    host region's own weeks, which `series__region_id` finds)."""
    wanted = set(region_ids)
    if not wanted:
        return Q(pk__in=[])
    listed = CourseWeek.open_to_regions.through.objects.filter(region_id__in=wanted)
    return Q(open_to_all_regions=True) | Q(pk__in=listed.values("courseweek_id"))


def may_lead_course(user: User | None, course: Course) -> bool:
    """The course's own leader(s) (SPEC 2: "for own sub-courses only")."""
    if user is None:
        return True
    return any(leader.pk == user.pk for leader in course.leaders.all())


def refusal(user: User | None) -> ServiceError:
    """What to answer someone who may not touch an object: 403 to a person who is staff
    nowhere (the role may not), 404 to staff of another region (the object is private)."""
    if user is not None and not (user.is_superuser or staff_region_ids(user)):
        return PermissionDenied(_("Only course administrators and study directors may do this."))
    return NotFound()


def require_manage_region(user: User | None, region_id: int) -> None:
    if not may_manage_region(user, region_id):
        raise refusal(user)


def require_manage_week(user: User | None, week: CourseWeek) -> None:
    require_manage_region(user, week.series.region_id)


def may_change_course(user: User | None, course: Course) -> bool:
    """Edit a course (title, description, days, capacity, leaders, goals) or remove it from its
    week (C3, C4): staff of the week's region, as for the week itself."""
    return may_manage_week(user, course.week)


def require_change_course(user: User | None, course: Course) -> None:
    if not may_change_course(user, course):
        raise refusal(user)


# --- who may lead a course --------------------------------------------------------------------


def region_members(user_ids: Iterable[int], region_id: int) -> set[int]:
    """Of these people, those with an active account who belong to the region: a role held
    there (other than trainee), or as a trainee a home unit there. One query."""
    roles_here = (
        RoleAssignment.objects.filter(region_id=region_id)
        .exclude(role=Role.TRAINEE)
        .values("user_id")
    )
    return set(
        User.objects.filter(pk__in=set(user_ids), is_active=True)
        .filter(Q(pk__in=roles_here) | Q(trainee_profile__home_unit__region_id=region_id))
        .values_list("pk", flat=True)
    )


def may_be_leader(user: User, week: CourseWeek) -> bool:
    """Only a person who already belongs to the week's region may lead one of its courses."""
    return bool(region_members([user.pk], week.series.region_id))


def check_leaders(user_ids: Iterable[int], week: CourseWeek, *, field: str = "leader_ids") -> None:
    """422 naming `field` for anyone who may not lead a course of the week; an unknown id and a
    person of another region get the same answer, so ids reveal nobody."""
    wanted = set(user_ids)
    refused = sorted(wanted - region_members(wanted, week.series.region_id))
    if refused:
        raise ValidationFailed(
            {field: [_("Unknown user: %(ids)s.") % {"ids": ", ".join(map(str, refused))}]}
        )
