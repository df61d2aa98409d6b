"""Who may do what with annual reports (SPEC 5 P13), built on the record's rules in
`accounts.permissions`. Pages, the API and the services all ask here.

- The trainee creates the report for a year and writes their reflection.
- The trainee's current supervisor writes the assessment and submits the report.
- The trainee's study director (named on the record, of the home unit's area, or the regional
  study director) reviews it.
- Whoever reads the record reads its annual reports, drafts included: the trainee is an author.

An object outside the caller's reach answers 404 (`check_readable`); a caller who may read a
report but not act on it answers 403.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts import permissions as record
from stportal.accounts.models import TraineeProfile, User
from stportal.annualreport import rules
from stportal.annualreport.models import AnnualReport
from stportal.core.errors import NotFound, PermissionDenied
from stportal.statements import workflow


def is_trainee(actor: User | None, profile: TraineeProfile) -> bool:
    return actor is not None and actor.is_active and actor.pk == profile.user_id


def part_of(actor: User | None, profile: TraineeProfile) -> str | None:
    """The part `actor` writes in this trainee's reports (`rules.part_of`), or None."""
    return rules.part_of(
        is_trainee=is_trainee(actor, profile), is_supervisor=record.supervises(actor, profile)
    )


def may_create(actor: User | None, profile: TraineeProfile) -> bool:
    """The trainee assembles their own annual report."""
    return is_trainee(actor, profile)


def may_review(actor: User | None, profile: TraineeProfile) -> bool:
    return record.may_direct_record(actor, profile)


def may_read(actor: User | None, report: AnnualReport) -> bool:
    return record.may_read_record(actor, report.trainee)


def roles_of(actor: User | None, profile: TraineeProfile) -> frozenset[str]:
    """The workflow's role words `actor` holds: both authors are its writers (`SUPERVISOR`),
    who submits is narrowed by the service; the study director reviews (`DIRECTOR`)."""
    roles = set()
    if part_of(actor, profile) is not None:
        roles.add(workflow.SUPERVISOR)
    if may_review(actor, profile):
        roles.add(workflow.DIRECTOR)
    return frozenset(roles)


def may_submit(actor: User | None, profile: TraineeProfile) -> bool:
    """The supervisor submits: they sign off the year (`rules`)."""
    return part_of(actor, profile) == rules.SUPERVISOR


def check_readable(actor: User | None, report: AnnualReport) -> None:
    if not may_read(actor, report):
        raise NotFound()


def check_may_create(actor: User | None, profile: TraineeProfile) -> None:
    """404 for a trainee whose record the caller cannot read, 403 for one they can."""
    if may_create(actor, profile):
        return
    if not record.may_read_record(actor, profile):
        raise NotFound()
    raise PermissionDenied(_("Only the trainee assembles their annual report."))


def check_may_write(actor: User | None, report: AnnualReport) -> str:
    """The part the caller writes; 404 out of reach, 403 for a reader who writes none."""
    check_readable(actor, report)
    part = part_of(actor, report.trainee)
    if part is None:
        raise PermissionDenied(_("Only the trainee and their supervisor write the annual report."))
    return part


def check_may_submit(actor: User | None, report: AnnualReport) -> None:
    check_readable(actor, report)
    if not may_submit(actor, report.trainee):
        raise PermissionDenied(
            _("Only the trainee's supervisor marks the annual report ready for review.")
        )


def check_may_review(actor: User | None, report: AnnualReport) -> None:
    check_readable(actor, report)
    if not may_review(actor, report.trainee):
        raise PermissionDenied(_("Only the trainee's study director reviews annual reports."))
