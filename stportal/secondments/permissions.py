"""Who may do what with secondments, the training allowance and credited service (SPEC 2,
5 P7–P9), built on the record's one home for permissions (`accounts.permissions`):

- whoever may read the trainee's record reads all three;
- secondments are planned and changed by the trainee, their supervisor, their study director
  and staff of the home unit's region (everyone who reads the record);
- the allowance is recorded, and prior service credited or a credit withdrawn, by the study
  director (of the trainee's area, named on the record, or regional) and staff of the region.

Refusals: a caller who may read the record but not act answers 403; anyone else 404 (the
record's existence is private).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import may_direct_record, may_read_record
from stportal.core.errors import NotFound, PermissionDenied
from stportal.core.permissions import staff_region_ids


def may_read(actor: User | None, profile: TraineeProfile) -> bool:
    return may_read_record(actor, profile)


def check_may_read(actor: User | None, profile: TraineeProfile) -> None:
    if not may_read(actor, profile):
        raise NotFound()


def may_plan(actor: User | None, profile: TraineeProfile) -> bool:
    """Plan, change and remove secondments: the trainee, the supervisor, the study director
    and staff of the region (everyone who reads the record)."""
    return may_read_record(actor, profile)


def check_may_plan(actor: User | None, profile: TraineeProfile) -> None:
    if not may_plan(actor, profile):
        raise NotFound()


def may_decide(actor: User | None, profile: TraineeProfile) -> bool:
    """Record the allowance and credit prior service: the study director and the region's
    staff; nobody for their own record (a command or the demo loader acts as nobody)."""
    if actor is None:
        return True
    if not actor.is_active or actor.pk == profile.user_id:
        return False
    if profile.home_unit.region_id in staff_region_ids(actor):
        return True
    return may_direct_record(actor, profile)


def check_may_decide(actor: User | None, profile: TraineeProfile, message: str = "") -> None:
    if may_decide(actor, profile):
        return
    if actor is not None and may_read_record(actor, profile):
        raise PermissionDenied(
            message or _("Only the study director or the region's staff may do this.")
        )
    raise NotFound()
