"""Who may do what with study time (SPEC 2, 5 P6), built on the record's one home for
permissions (`accounts.permissions`):

- whoever may read the trainee's record (the trainee, their supervisor and study director,
  the region's staff) reads the entitlement and the log;
- only the trainee logs and removes their own entries.

Refusals: a caller who may read the record but not act answers 403; anyone else 404 (the
record's existence is private).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import may_read_record
from stportal.core.errors import NotFound, PermissionDenied


def may_read(actor: User | None, profile: TraineeProfile) -> bool:
    return may_read_record(actor, profile)


def may_log(actor: User | None, profile: TraineeProfile) -> bool:
    """The trainee keeps their own log (a command or the demo loader acts for them)."""
    if actor is None:
        return True
    return actor.is_active and actor.pk == profile.user_id


def check_may_log(actor: User | None, profile: TraineeProfile) -> None:
    if may_log(actor, profile):
        return
    if may_read(actor, profile):
        raise PermissionDenied(_("Only the trainee logs their own study time."))
    raise NotFound()
