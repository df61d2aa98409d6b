"""Who may do what with ST-day certificates (SPEC 2, 5 P4), built on the record's one home
for permissions (`accounts.permissions`):

- the trainee's own supervisor issues them (seed 004: "ett intyg utfärdat av din handledare");
- whoever may read the trainee's record reads them; the trainee and study directors get a
  copy of the PDF, the issuing or current supervisor and staff of the region the original;
- the supervisor who issued one, and staff of the trainee's region, revoke it.

Refusals: a caller who may read the record but not act answers 403; anyone else 404 (the
record's existence is private).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import may_read_record, supervises
from stportal.core.errors import NotFound, PermissionDenied
from stportal.core.permissions import staff_region_ids
from stportal.stdays.models import StDayCertificate


def may_issue(actor: User | None, profile: TraineeProfile) -> bool:
    """Only the trainee's own supervisor issues an ST-day certificate (a command or the demo
    loader acts as nobody and is not a supervisor either)."""
    return supervises(actor, profile)


def check_may_issue(actor: User | None, profile: TraineeProfile) -> None:
    if may_issue(actor, profile):
        return
    if actor is not None and may_read_record(actor, profile):
        raise PermissionDenied(_("Only the trainee's supervisor issues ST-day certificates."))
    raise NotFound()


def _is_staff_of(actor: User, profile: TraineeProfile) -> bool:
    return profile.home_unit.region_id in staff_region_ids(actor)


def may_read(actor: User | None, certificate: StDayCertificate) -> bool:
    if actor is not None and actor.is_active and certificate.issued_by_id == actor.pk:
        return True
    return may_read_record(actor, certificate.trainee)


def may_see_original(actor: User | None, certificate: StDayCertificate) -> bool:
    """The original for the supervisor who issued it, the trainee's supervisor now and staff
    of the region; everyone else who may read it gets a copy."""
    if actor is None:
        return True
    if not actor.is_active or actor.pk == certificate.trainee.user_id:
        return False
    if certificate.issued_by_id == actor.pk or supervises(actor, certificate.trainee):
        return True
    return _is_staff_of(actor, certificate.trainee)


def may_revoke(actor: User | None, certificate: StDayCertificate) -> bool:
    if actor is None:
        return True
    if not actor.is_active or actor.pk == certificate.trainee.user_id:
        return False
    return certificate.issued_by_id == actor.pk or _is_staff_of(actor, certificate.trainee)


def check_may_revoke(actor: User | None, certificate: StDayCertificate) -> None:
    if may_revoke(actor, certificate):
        return
    if may_read(actor, certificate):
        raise PermissionDenied(
            _("Only the supervisor who issued the certificate, or staff, may revoke it.")
        )
    raise NotFound()
