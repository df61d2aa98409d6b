"""Who may read and change the course catalogue (SPEC 2, SPEC 5 P2).

Everyone who belongs to a region reads its catalogue; the staff of the region (course admin,
regional study director) add, change and remove its providers and external courses. `None` as
the user is the system (commands, the demo), which may do everything. Pages, the API, the admin
and the services all ask here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.accounts.selectors import member_region_ids
from stportal.core.errors import NotFound, PermissionDenied, ServiceError
from stportal.core.permissions import staff_region_ids


def reader_region_ids(user: User | None) -> set[int]:
    """The regions whose catalogue the person reads: where they belong, and where they are
    staff."""
    if user is None or not user.is_authenticated:
        return set()
    return member_region_ids(user) | set(staff_region_ids(user))


def may_manage_catalogue(user: User | None, region_id: int) -> bool:
    """Staff of the region, superusers and the system."""
    if user is None:
        return True
    return bool(user.is_superuser) or region_id in staff_region_ids(user)


def refusal(user: User | None) -> ServiceError:
    """403 to a person who is staff nowhere (the role may not), 404 to staff of another region
    (the object is private)."""
    if user is not None and not (user.is_superuser or staff_region_ids(user)):
        return PermissionDenied(_("Only course administrators and study directors may do this."))
    return NotFound()


def check_manage_catalogue(user: User | None, region_id: int) -> None:
    if not may_manage_catalogue(user, region_id):
        raise refusal(user)


def check_staff_anywhere(user: User | None) -> None:
    """403 for someone who is staff nowhere, before anything is looked up."""
    if user is not None and not (user.is_superuser or staff_region_ids(user)):
        raise refusal(user)
