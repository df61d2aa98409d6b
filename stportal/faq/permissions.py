"""Who may read and edit the questions and answers (SPEC 2, SPEC 5 P10).

Everyone who belongs to a region reads its published questions; the region's staff (course
admin, regional study director) also see the unpublished ones and add, change and remove them.
`None` as the user is the system (the demo), which may do everything.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.accounts.selectors import member_region_ids
from stportal.core.errors import NotFound, PermissionDenied, ServiceError
from stportal.core.permissions import staff_region_ids


def reader_region_ids(user: User | None) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return member_region_ids(user) | set(staff_region_ids(user))


def editor_region_ids(user: User | None) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return set(staff_region_ids(user))


def may_edit_questions(user: User | None, region_id: int) -> bool:
    if user is None:
        return True
    return bool(user.is_superuser) or region_id in staff_region_ids(user)


def may_edit_anywhere(user: User | None) -> bool:
    if user is None:
        return True
    return bool(user.is_superuser or staff_region_ids(user))


def refusal(user: User | None) -> ServiceError:
    """403 to a person who is staff nowhere (the role may not), 404 to staff of another region
    (the question is private)."""
    if not may_edit_anywhere(user):
        return PermissionDenied(_("Only course administrators and study directors may do this."))
    return NotFound()


def check_edit_questions(user: User | None, region_id: int) -> None:
    if not may_edit_questions(user, region_id):
        raise refusal(user)


def check_editor(user: User | None) -> None:
    if not may_edit_anywhere(user):
        raise refusal(user)
