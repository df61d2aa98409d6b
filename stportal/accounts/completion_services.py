"""Writes on the planned ST completion date (C5a): proposals, decisions and direct changes.

The date priority uses belongs to the trainee's profile. The trainee proposes a new date with a
reason; the study director of the trainee's area (or the one named on the record), or staff of
the region, confirm or reject it with a comment; they may also set the date directly, as an HR
import does. Every proposal and change is kept with who, when and why; an approved change
updates `TraineeProfile.planned_completion`, and its `changed_at` is what the allocation
preview compares with the registration deadline. Who may do what: `accounts.permissions`.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts import notify, permissions
from stportal.accounts.models import (
    PlannedCompletionChange,
    PlannedCompletionSource,
    PlannedCompletionStatus,
    TraineeProfile,
    User,
)
from stportal.core import audit, bounds
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed

CHANGE_FIELDS = (
    "trainee_id",
    "status",
    "old_date",
    "new_date",
    "source",
    "reason",
    "requested_by_id",
    "requested_at",
    "decided_by_id",
    "decided_at",
    "decision_comment",
    "changed_by_id",
    "changed_at",
)


def _snapshot(change: PlannedCompletionChange) -> dict:
    return audit.snapshot(change, CHANGE_FIELDS)


def check_new_date(
    profile: TraineeProfile, new_date: dt.date | None, reason: str
) -> dict[str, list[str]]:
    """The problems with a new planned completion date and its reason (empty when none)."""
    errors: dict[str, list[str]] = {}
    if new_date is None:
        errors["planned_completion"] = [_("Enter a date.")]
    elif not bounds.MIN_DATE <= new_date <= bounds.MAX_DATE:
        errors["planned_completion"] = [_("Enter a date between 2000 and 2100.")]
    elif profile.st_start is not None and new_date < profile.st_start:
        errors["planned_completion"] = [_("Planned completion is before the ST start.")]
    elif new_date == profile.planned_completion:
        errors["planned_completion"] = [_("That is already the planned completion date.")]
    if not reason.strip():
        errors["reason"] = [_("Give a reason for the change.")]
    elif len(reason) > bounds.NOTE_MAX_LENGTH or bounds.NUL in reason:
        errors["reason"] = [_("The reason is too long or contains characters not allowed.")]
    return errors


def _lock_trainee(trainee: TraineeProfile) -> TraineeProfile:
    # The profile is the parent row: every write on its date and history takes this lock first.
    return (
        TraineeProfile.objects.select_for_update()
        .select_related("user", "home_unit")
        .get(pk=trainee.pk)
    )


def _source_for(actor: User | None, profile: TraineeProfile) -> str:
    if actor is not None and actor.pk == profile.user_id:
        return PlannedCompletionSource.TRAINEE
    if actor is not None and permissions.directs_trainee(actor, profile):
        return PlannedCompletionSource.STUDY_DIRECTOR
    return PlannedCompletionSource.STAFF


def _apply(
    *, actor: User | None, profile: TraineeProfile, change: PlannedCompletionChange, now
) -> None:
    """Move the confirmed date to the change's and audit it on the profile."""
    old = profile.planned_completion
    change.old_date = old
    if change.new_date != old:
        change.changed_by = actor
        change.changed_at = now
        profile.planned_completion = change.new_date
        profile.save(update_fields=["planned_completion"])
        audit.record(
            actor=actor,
            action="trainee.planned_completion_changed",
            obj=profile,
            before={"planned_completion": old.isoformat()},
            after={"planned_completion": change.new_date.isoformat(), "change_id": change.pk},
            reason=change.reason,
        )


def propose_planned_completion_change(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    planned_completion: dt.date,
    reason: str,
    now: dt.datetime | None = None,
) -> PlannedCompletionChange:
    """A proposal of a new date, waiting for the study director (C5a).

    1. The trainee for themself, or whoever may decide (`may_propose_planned_completion`).
    2. One proposal waits at a time: another answers 409 `proposal_pending`.
    3. The study director is told by e-mail after commit.
    """
    now = now or timezone.now()
    if not permissions.may_propose_planned_completion(actor, trainee):
        raise PermissionDenied(_("You may not propose a planned completion date for this trainee."))
    with transaction.atomic():
        profile = _lock_trainee(trainee)
        errors = check_new_date(profile, planned_completion, reason)
        if errors:
            raise ValidationFailed(errors)
        waiting = profile.planned_completion_changes.filter(
            status=PlannedCompletionStatus.PROPOSED
        ).first()
        if waiting is not None:
            raise _pending(waiting)
        try:
            with transaction.atomic():
                change = PlannedCompletionChange.objects.create(
                    trainee=profile,
                    status=PlannedCompletionStatus.PROPOSED,
                    old_date=profile.planned_completion,
                    new_date=planned_completion,
                    source=_source_for(actor, profile),
                    reason=reason.strip(),
                    requested_by=actor,
                    requested_at=now,
                )
        except IntegrityError as exc:  # a proposal made at the same moment (SQLite)
            waiting = profile.planned_completion_changes.filter(
                status=PlannedCompletionStatus.PROPOSED
            ).first()
            raise _pending(waiting) from exc
        audit.record(
            actor=actor,
            action="planned_completion.proposed",
            obj=change,
            after=_snapshot(change),
            reason=change.reason,
        )
        notify.proposal_made(change)
    return change


def _pending(waiting: PlannedCompletionChange | None) -> ServiceError:
    return ServiceError(
        "proposal_pending",
        _("A proposed planned completion date is already waiting for the study director."),
        extra={"existing_change_id": waiting.pk if waiting is not None else None},
    )


def decide_planned_completion_change(
    *,
    actor: User | None,
    change: PlannedCompletionChange,
    approved: bool,
    comment: str = "",
    now: dt.datetime | None = None,
) -> PlannedCompletionChange:
    """The study director (or staff) confirms or rejects a proposal (C5a).

    1. Only whoever may decide for the trainee; never the trainee themself.
    2. Compare-and-swap on the proposal's status: a decided proposal answers 409
       `already_decided`. A rejection needs a comment.
    3. Approval moves the confirmed date (kept with who and when); the trainee is told.
    """
    now = now or timezone.now()
    trainee = change.trainee
    if not permissions.may_decide_planned_completion(actor, trainee):
        raise PermissionDenied(_("Only the trainee's study director or staff may decide this."))
    comment = comment.strip()
    if not approved and not comment:
        raise ValidationFailed({"comment": [_("Say why the proposal is rejected.")]})
    if len(comment) > bounds.NOTE_MAX_LENGTH or bounds.NUL in comment:
        raise ValidationFailed(
            {"comment": [_("The comment is too long or contains characters not allowed.")]}
        )
    with transaction.atomic():
        profile = _lock_trainee(trainee)
        current = PlannedCompletionChange.objects.select_for_update().get(pk=change.pk)
        if current.status != PlannedCompletionStatus.PROPOSED:
            raise ServiceError("already_decided", _("This proposal has already been decided."))
        before = _snapshot(current)
        status = PlannedCompletionStatus.APPROVED if approved else PlannedCompletionStatus.REJECTED
        swapped = PlannedCompletionChange.objects.filter(
            pk=current.pk, status=PlannedCompletionStatus.PROPOSED
        ).update(status=status, decided_by=actor, decided_at=now, decision_comment=comment)
        if swapped != 1:
            raise ServiceError("already_decided", _("This proposal has already been decided."))
        current.status, current.decided_by, current.decided_at = status, actor, now
        current.decision_comment = comment
        if approved:
            _apply(actor=actor, profile=profile, change=current, now=now)
            current.save(update_fields=["old_date", "changed_by", "changed_at"])
        audit.record(
            actor=actor,
            action="planned_completion.approved" if approved else "planned_completion.rejected",
            obj=current,
            before=before,
            after=_snapshot(current),
            reason=comment,
        )
        notify.decision_made(current)
    return current


def set_planned_completion(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    planned_completion: dt.date,
    reason: str,
    source: str | None = None,
    tell_trainee: bool = True,
    now: dt.datetime | None = None,
) -> PlannedCompletionChange:
    """The study director or staff set the confirmed date directly (C5a; an HR import too).

    Kept as an approved change with who, when and why; the trainee is told unless the caller
    (the HR import) says otherwise. A proposal still waiting stays for its own decision.
    """
    now = now or timezone.now()
    if not permissions.may_decide_planned_completion(actor, trainee):
        raise PermissionDenied(
            _("Only the trainee's study director or staff may set the planned completion date.")
        )
    with transaction.atomic():
        profile = _lock_trainee(trainee)
        errors = check_new_date(profile, planned_completion, reason)
        if errors:
            raise ValidationFailed(errors)
        change = PlannedCompletionChange.objects.create(
            trainee=profile,
            status=PlannedCompletionStatus.APPROVED,
            old_date=profile.planned_completion,
            new_date=planned_completion,
            source=source or _source_for(actor, profile),
            reason=reason.strip(),
            requested_by=actor,
            requested_at=now,
            decided_by=actor,
            decided_at=now,
        )
        _apply(actor=actor, profile=profile, change=change, now=now)
        change.save(update_fields=["old_date", "changed_by", "changed_at"])
        audit.record(
            actor=actor,
            action="planned_completion.set",
            obj=change,
            after=_snapshot(change),
            reason=change.reason,
        )
        if tell_trainee:
            notify.decision_made(change)
    trainee.planned_completion = planned_completion
    return change
