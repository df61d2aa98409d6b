"""Writes on supervisor statements (P5): write, edit, submit, review.

Every write runs in one transaction: it locks the statement row (the trainee's row first when
a statement is created), asks the pure rules (`statements.workflow`), changes the state by
compare-and-swap on the old state and version (STYLE rule 4), keeps a version, records the
audit event, and queues the e-mail that goes after commit. Who may: `statements.permissions`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.core import audit, bounds
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from stportal.statements import notify, permissions, workflow
from stportal.statements.models import (
    TEXT_MAX_LENGTH,
    StatementVersion,
    SupervisorStatement,
    VersionEvent,
)

STATEMENT_FIELDS = (
    "trainee_id",
    "supervisor_id",
    "period_from",
    "period_to",
    "text",
    "status",
    "version",
    "submitted_at",
    "reviewed_by_id",
    "reviewed_at",
    "review_comment",
)


def _snapshot(statement: SupervisorStatement) -> dict[str, Any]:
    return audit.snapshot(statement, STATEMENT_FIELDS)


def refusal(code: str) -> ServiceError:
    """A workflow refusal as the error every interface shows."""
    if code == workflow.LOCKED:
        return ServiceError(
            "locked",
            _(
                "The statement is locked: it has been marked ready for review. It can be "
                "edited again only if the study director sends it back."
            ),
        )
    if code == workflow.COMMENT_REQUIRED:
        return ValidationFailed({"comment": [_("Say why the statement is sent back to draft.")]})
    if code == workflow.NOT_ALLOWED:
        return PermissionDenied(_("You may not do that with this statement."))
    return ServiceError(
        "invalid_transition", _("The statement is not in a state where that can be done.")
    )


def check_text(text: str) -> str:
    """The statement's text, stripped, or a validation failure naming `text`."""
    text = text.strip()
    if not text:
        raise ValidationFailed({"text": [_("Write the statement's text.")]})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationFailed(
            {
                "text": [
                    _("The text may be at most %(max)d characters long.") % {"max": TEXT_MAX_LENGTH}
                ]
            }
        )
    if bounds.NUL in text:
        raise ValidationFailed({"text": [bounds.nul_message()]})
    return text


def _check_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > bounds.NOTE_MAX_LENGTH:
        raise ValidationFailed(
            {
                "comment": [
                    _("The comment may be at most %(max)d characters long.")
                    % {"max": bounds.NOTE_MAX_LENGTH}
                ]
            }
        )
    if bounds.NUL in comment:
        raise ValidationFailed({"comment": [bounds.nul_message()]})
    return comment


def _check_period(period_from: dt.date | None, period_to: dt.date | None) -> None:
    problems: dict[str, list[str]] = {}
    for name, value in (("period_from", period_from), ("period_to", period_to)):
        if value is not None and not bounds.MIN_DATE <= value <= bounds.MAX_DATE:
            problems[name] = [bounds.date_message()]
    if not problems and period_from and period_to and period_to < period_from:
        problems["period_to"] = [_("The period ends before it begins.")]
    if problems:
        raise ValidationFailed(problems)


def _keep_version(
    statement: SupervisorStatement, *, event: str, actor: User | None, now: dt.datetime, comment=""
) -> StatementVersion:
    return StatementVersion.objects.create(
        statement=statement,
        number=statement.version,
        event=event,
        text=statement.text,
        status=statement.status,
        written_by=actor,
        written_at=now,
        comment=comment,
    )


def _lock(statement: SupervisorStatement) -> SupervisorStatement:
    return (
        SupervisorStatement.objects.select_for_update()
        .select_related("trainee__user", "trainee__home_unit", "supervisor")
        .get(pk=statement.pk)
    )


def _swap(
    statement: SupervisorStatement, *, expected_status: str, **changes: Any
) -> SupervisorStatement:
    """Compare-and-swap on the statement's state and version (STYLE rule 4): a statement
    someone else changed meanwhile is a conflict the person is told about."""
    changes["version"] = statement.version + 1
    updated = SupervisorStatement.objects.filter(
        pk=statement.pk, status=expected_status, version=statement.version
    ).update(**changes)
    if updated != 1:
        raise ServiceError(
            "conflict", _("The statement was changed by someone else. Reload and try again.")
        )
    for name, value in changes.items():
        setattr(statement, name, value)
    return statement


def _next(statement: SupervisorStatement, action: str, actor: User | None, comment="") -> str:
    role = workflow.TRANSITIONS[action].by
    if role not in permissions.roles_of(actor, statement.trainee):
        if role == workflow.SUPERVISOR:
            raise PermissionDenied(_("Only the trainee's supervisor writes supervisor statements."))
        raise PermissionDenied(
            _("Only the trainee's study director reviews supervisor statements.")
        )
    try:
        return workflow.next_status(statement.status, action, role, comment)
    except workflow.WorkflowRefusal as exc:
        raise refusal(exc.code) from exc


def write_statement(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    text: str,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    now: dt.datetime | None = None,
) -> SupervisorStatement:
    """A new statement, a draft (P5).

    1. Only the trainee's current supervisor (404 for a trainee out of reach, 403 otherwise).
    2. The text is required and bounded; the period (optional) must run forwards.
    3. Version 1 is kept and the creation audited; nobody is told yet.
    """
    now = now or timezone.now()
    permissions.check_may_write(actor, trainee)
    if actor is None:  # a statement is always someone's: commands cannot write one
        raise PermissionDenied()
    text = check_text(text)
    _check_period(period_from, period_to)
    with transaction.atomic():
        # The trainee is the parent row: writes on their statements queue behind this lock.
        profile = TraineeProfile.objects.select_for_update().get(pk=trainee.pk)
        permissions.check_may_write(actor, trainee)
        statement = SupervisorStatement.objects.create(
            trainee=profile,
            supervisor=actor,
            period_from=period_from,
            period_to=period_to,
            text=text,
            status=workflow.DRAFT,
            version=1,
            created_at=now,
            updated_at=now,
        )
        _keep_version(statement, event=VersionEvent.CREATED, actor=actor, now=now)
        audit.record(
            actor=actor, action="statement.written", obj=statement, after=_snapshot(statement)
        )
    statement.trainee = trainee
    return statement


def edit_statement(
    *,
    actor: User | None,
    statement: SupervisorStatement,
    text: str,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    keep_period: bool = True,
    now: dt.datetime | None = None,
) -> SupervisorStatement:
    """Save a new text of a draft (P5); a statement no longer a draft answers 409 `locked`.

    The period stays as it was unless `keep_period` is false. A save that changes nothing
    keeps no version.
    """
    now = now or timezone.now()
    permissions.check_readable(actor, statement)
    text = check_text(text)
    if keep_period:
        period_from, period_to = statement.period_from, statement.period_to
    _check_period(period_from, period_to)
    with transaction.atomic():
        current = _lock(statement)
        _next(current, workflow.EDIT, actor)
        if (current.text, current.period_from, current.period_to) == (
            text,
            period_from,
            period_to,
        ):
            return current
        before = _snapshot(current)
        _swap(
            current,
            expected_status=workflow.DRAFT,
            text=text,
            period_from=period_from,
            period_to=period_to,
            updated_at=now,
        )
        _keep_version(current, event=VersionEvent.EDITED, actor=actor, now=now)
        audit.record(
            actor=actor,
            action="statement.edited",
            obj=current,
            before=before,
            after=_snapshot(current),
        )
    return current


def submit_statement(
    *, actor: User | None, statement: SupervisorStatement, now: dt.datetime | None = None
) -> SupervisorStatement:
    """The supervisor marks a draft ready for review (P5): it is locked, and the trainee's
    study director(s) are told by e-mail after commit."""
    now = now or timezone.now()
    permissions.check_readable(actor, statement)
    with transaction.atomic():
        current = _lock(statement)
        status = _next(current, workflow.SUBMIT, actor)
        before = _snapshot(current)
        _swap(
            current, expected_status=workflow.DRAFT, status=status, submitted_at=now, updated_at=now
        )
        _keep_version(current, event=VersionEvent.SUBMITTED, actor=actor, now=now)
        audit.record(
            actor=actor,
            action="statement.submitted",
            obj=current,
            before=before,
            after=_snapshot(current),
        )
        notify.statement_submitted(current)
    return current


def review_statement(
    *,
    actor: User | None,
    statement: SupervisorStatement,
    accepted: bool,
    comment: str = "",
    now: dt.datetime | None = None,
) -> SupervisorStatement:
    """The study director marks a statement reviewed, or sends it back to draft with a
    comment (P5). The supervisor is told either way, the trainee when it is reviewed.

    1. 404 for a statement out of reach; 403 for a reader who is not the study director.
    2. Only a statement ready for review (409 `invalid_transition` otherwise); a send-back
       needs a comment (422 naming `comment`).
    """
    now = now or timezone.now()
    permissions.check_may_review(actor, statement)
    comment = _check_comment(comment)
    action = workflow.ACCEPT if accepted else workflow.SEND_BACK
    with transaction.atomic():
        current = _lock(statement)
        status = _next(current, action, actor, comment)
        before = _snapshot(current)
        _swap(
            current,
            expected_status=workflow.READY_FOR_REVIEW,
            status=status,
            reviewed_by=actor,
            reviewed_at=now,
            review_comment=comment,
            updated_at=now,
        )
        _keep_version(
            current,
            event=VersionEvent.REVIEWED if accepted else VersionEvent.SENT_BACK,
            actor=actor,
            now=now,
            comment=comment,
        )
        audit.record(
            actor=actor,
            action="statement.reviewed" if accepted else "statement.sent_back",
            obj=current,
            before=before,
            after=_snapshot(current),
            reason=comment,
        )
        notify.statement_reviewed(current)
    return current
