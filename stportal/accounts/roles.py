"""Which roles a person holds, and where (SPEC 2). Used by every permission check."""

from __future__ import annotations

from django.db.models import QuerySet

from stportal.accounts.models import STAFF_ROLES, HomeUnit, Region, Role, RoleAssignment, User
from stportal.core.permissions import staff_region_ids


def roles_of(user: User) -> set[str]:
    """The role words of Appendix A that a person holds, in any region."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_stportal_roles", None)
    if cached is not None:
        return cached
    found = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if hasattr(user, "trainee_profile"):
        found.add(Role.TRAINEE)
    if user.supervised_trainees.exists():
        found.add(Role.SUPERVISOR)
    if user.led_courses.exists():
        found.add(Role.COURSE_LEADER)
    roles = {str(r) for r in found}
    setattr(user, "_stportal_roles", roles)  # noqa: B010 - cached for the request
    return roles


def staff_regions(user: User) -> QuerySet[Region]:
    """Regions where the person is course admin or regional study director."""
    return Region.objects.filter(pk__in=staff_region_ids(user))


def is_staff_in(user: User, region: Region | int) -> bool:
    return (region if isinstance(region, int) else region.pk) in staff_region_ids(user)


def is_staff_anywhere(user: User) -> bool:
    return RoleAssignment.objects.filter(user=user, role__in=STAFF_ROLES).exists()


def managed_units(user: User) -> QuerySet[HomeUnit]:
    return HomeUnit.objects.filter(
        manager_assignments__user=user, manager_assignments__role=Role.UNIT_MANAGER
    ).distinct()
