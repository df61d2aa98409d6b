"""Who may do what with supervisor statements (P5), built on the record's rules in
`accounts.permissions`. Pages, the API and the services all ask here.

- The trainee's current supervisor writes, edits and submits statements for that trainee.
- The trainee's study director (named on the record, of the home unit's area, or the regional
  study director) reviews them.
- Whoever reads the record reads its statements, except that the trainee sees a statement only
  once it is ready for review: a draft is the supervisor's work in progress.

An object outside the caller's reach answers 404 (`check_readable`); a caller who may read a
statement but not act on it answers 403.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts import permissions as record
from stportal.accounts.models import TraineeProfile, User
from stportal.core.errors import NotFound, PermissionDenied
from stportal.statements import workflow
from stportal.statements.models import SupervisorStatement


def may_write_statement(actor: User | None, profile: TraineeProfile) -> bool:
    """Only the trainee's current supervisor writes (and edits and submits) statements."""
    return record.supervises(actor, profile)


def may_review_statement(actor: User | None, profile: TraineeProfile) -> bool:
    return record.may_direct_record(actor, profile)


def may_read_statement(actor: User | None, statement: SupervisorStatement) -> bool:
    """The record's readers; the trainee only once it is ready for review (not drafts)."""
    profile = statement.trainee
    if actor is not None and actor.pk == profile.user_id:
        return actor.is_active and workflow.shown_to_trainee(statement.status)
    return record.may_read_record(actor, profile)


def roles_of(actor: User | None, profile: TraineeProfile) -> frozenset[str]:
    """The workflow's role words `actor` holds for this trainee's statements."""
    roles = set()
    if may_write_statement(actor, profile):
        roles.add(workflow.SUPERVISOR)
    if may_review_statement(actor, profile):
        roles.add(workflow.DIRECTOR)
    return frozenset(roles)


def check_readable(actor: User | None, statement: SupervisorStatement) -> None:
    if not may_read_statement(actor, statement):
        raise NotFound()


def check_may_write(actor: User | None, profile: TraineeProfile) -> None:
    """404 for a trainee whose record the caller cannot read, 403 for one they can."""
    if may_write_statement(actor, profile):
        return
    if not record.may_read_record(actor, profile):
        raise NotFound()
    raise PermissionDenied(_("Only the trainee's supervisor writes supervisor statements."))


def check_may_review(actor: User | None, statement: SupervisorStatement) -> None:
    check_readable(actor, statement)
    if not may_review_statement(actor, statement.trainee):
        raise PermissionDenied(
            _("Only the trainee's study director reviews supervisor statements.")
        )
