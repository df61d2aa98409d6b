"""Who may do what with the completion pack (SPEC 5 P14), built on the record's permissions
(`accounts.permissions`):

- whoever may read the trainee's record reads the pack and downloads it (the trainee, the
  supervisor, the study director, staff of the region);
- only the trainee uploads their summary certificates or marks them as to come;
- staff of a region (or a superuser, also for the whole installation) upload Socialstyrelsen's
  application forms, as for the course-certificate forms (`certificates.permissions`).

Refusals: a caller who may read the record but not act answers 403; anyone else 404.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts.models import Region, TraineeProfile, User
from stportal.accounts.permissions import may_read_record
from stportal.certificates import permissions as certificate_permissions
from stportal.core.errors import NotFound, PermissionDenied


def may_read(actor: User | None, profile: TraineeProfile) -> bool:
    if actor is not None and not actor.is_active:
        return False
    return may_read_record(actor, profile)


def check_may_read(actor: User | None, profile: TraineeProfile) -> None:
    if not may_read(actor, profile):
        raise NotFound()


def may_keep_summary(actor: User | None, profile: TraineeProfile) -> bool:
    """The trainee for self (a command or the demo loader acts as nobody)."""
    if actor is None:
        return True
    return actor.is_active and actor.pk == profile.user_id


def check_may_keep_summary(actor: User | None, profile: TraineeProfile) -> None:
    if may_keep_summary(actor, profile):
        return
    if may_read(actor, profile):
        raise PermissionDenied(_("Only the trainee keeps their summary certificates."))
    raise NotFound()


def may_upload_form(actor: User | None, region: Region | None) -> bool:
    return certificate_permissions.may_upload_form(actor, region)


def may_list_forms(actor: User | None) -> bool:
    return certificate_permissions.may_list_forms(actor)


def upload_region_ids(actor: User | None) -> set[int]:
    return set(certificate_permissions.form_upload_region_ids(actor))


def may_upload_installation_form(actor: User | None) -> bool:
    return certificate_permissions.may_upload_installation_form(actor)
