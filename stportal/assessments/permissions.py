"""Who may do what with competence assessments (SPEC 2, 5 P12), built on the record's one
home for permissions (`accounts.permissions`):

- the trainee starts their own assessments, withdraws a pending one and sends its link again;
- whoever may read the trainee's record (the trainee, their supervisor and study director, the
  region's staff) reads them;
- the assessor completes one through the link they were sent (no account needed), or in the
  product when they are logged in with an account whose verified e-mail address is the one
  the trainee named.

Refusals: a caller who may read the record but not act answers 403; anyone else 404 (the
record's existence is private).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import may_read_record
from stportal.assessments.models import Assessment
from stportal.core.errors import NotFound, PermissionDenied


def is_own(actor: User | None, profile: TraineeProfile) -> bool:
    return actor is not None and actor.is_active and actor.pk == profile.user_id


def may_request(actor: User | None, profile: TraineeProfile) -> bool:
    """The trainee for themself (SPEC 5 P12: "started by the trainee")."""
    return is_own(actor, profile)


def check_may_request(actor: User | None, profile: TraineeProfile) -> None:
    if may_request(actor, profile):
        return
    if actor is not None and may_read_record(actor, profile):
        raise PermissionDenied(_("Only the trainee starts their own assessments."))
    raise NotFound()


def verified_emails(actor: User | None) -> frozenset[str]:
    """The person's verified e-mail addresses, lower-cased (cached on the user)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return frozenset()
    cached = getattr(actor, "_verified_emails", None)
    if cached is None:
        cached = frozenset(
            address.lower()
            for address in EmailAddress.objects.filter(user=actor, verified=True).values_list(
                "email", flat=True
            )
        )
        setattr(actor, "_verified_emails", cached)  # noqa: B010 - a per-request cache
    return cached


def is_assessor(actor: User | None, assessment: Assessment) -> bool:
    """Whether `actor` is the named assessor: a verified address of theirs is the one the
    trainee named. Nobody assesses themself."""
    if actor is None or actor.pk == assessment.trainee.user_id:
        return False
    return assessment.assessor_email.lower() in verified_emails(actor)


def may_read(actor: User | None, assessment: Assessment) -> bool:
    return may_read_record(actor, assessment.trainee) or is_assessor(actor, assessment)


def may_manage(actor: User | None, assessment: Assessment) -> bool:
    """Withdraw or send again: the trainee."""
    return is_own(actor, assessment.trainee)


def check_may_manage(actor: User | None, assessment: Assessment) -> None:
    if may_manage(actor, assessment):
        return
    if may_read(actor, assessment):
        raise PermissionDenied(_("Only the trainee withdraws an assessment or sends it again."))
    raise NotFound()


def check_may_complete(actor: User | None, assessment: Assessment) -> None:
    if is_assessor(actor, assessment):
        return
    if may_read(actor, assessment):
        raise PermissionDenied(_("Only the assessor the trainee named completes the assessment."))
    raise NotFound()
