"""Planned ST completion (C5a, Appendix A): the trainee proposes a new date, the study director
of the trainee's area (or staff) confirms or rejects it, or sets it directly with
`"confirmed": true`. Unknown ids and ids outside the caller's reach answer 404 alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from stportal.accounts import completion_selectors, completion_services, permissions, selectors
from stportal.accounts.models import PlannedCompletionChange
from stportal.api.auth import AUTH, caller
from stportal.api.types import Day, NoteText
from stportal.core.errors import NotFound

trainee_router = Router(tags=["planned completion"])
router = Router(tags=["planned completion"])


class PlannedCompletionChangeIn(Schema):
    planned_completion: Day
    reason: NoteText
    confirmed: bool = Field(
        False,
        description="Staff and the study director: set the date at once instead of proposing.",
    )


class PlannedCompletionDecisionIn(Schema):
    approved: bool
    comment: NoteText = ""


class PlannedCompletionChangeOut(Schema):
    id: int
    trainee_id: int
    status: str = Field(description="`proposed`, `approved` or `rejected`.")
    planned_completion: dt.date = Field(description="The date proposed or set.")
    old_date: dt.date | None
    source: str = Field(description="`trainee`, `study_director`, `staff` or `hr_import`.")
    reason: str
    requested_by_id: int | None
    requested_at: dt.datetime | None
    decided_by_id: int | None
    decided_at: dt.datetime | None
    comment: str
    changed_at: dt.datetime | None = Field(
        description="When the confirmed date changed (approved changes only)."
    )
    trainee_planned_completion: dt.date = Field(description="The trainee's confirmed date now.")

    @staticmethod
    def resolve_planned_completion(obj: Any) -> dt.date:
        return obj.new_date

    @staticmethod
    def resolve_comment(obj: Any) -> str:
        return obj.decision_comment

    @staticmethod
    def resolve_trainee_planned_completion(obj: Any) -> dt.date:
        return obj.trainee.planned_completion


def _fresh(change: PlannedCompletionChange) -> PlannedCompletionChange:
    return PlannedCompletionChange.objects.select_related("trainee").get(pk=change.pk)


@trainee_router.post(
    "/{id:trainee_id}/planned-completion-changes",
    auth=AUTH,
    response={201: PlannedCompletionChangeOut},
    summary="Propose or set a new planned completion date",
)
def create_planned_completion_change(
    request: HttpRequest, trainee_id: int, payload: PlannedCompletionChangeIn
) -> Status:
    user = caller(request)
    profile = selectors.get_trainee_for_user(user, trainee_id)
    if payload.confirmed:
        change = completion_services.set_planned_completion(
            actor=user,
            trainee=profile,
            planned_completion=payload.planned_completion,
            reason=payload.reason,
        )
    else:
        change = completion_services.propose_planned_completion_change(
            actor=user,
            trainee=profile,
            planned_completion=payload.planned_completion,
            reason=payload.reason,
        )
    return Status(201, _fresh(change))


@trainee_router.get(
    "/{id:trainee_id}/planned-completion-changes",
    auth=AUTH,
    response=list[PlannedCompletionChangeOut],
    summary="The history of a trainee's planned completion date",
)
def list_planned_completion_changes(
    request: HttpRequest, trainee_id: int
) -> QuerySet[PlannedCompletionChange]:
    user = caller(request)
    profile = selectors.get_trainee_for_user(user, trainee_id)
    if not permissions.may_see_planned_completion_history(user, profile):
        raise NotFound()
    return completion_selectors.history_of(profile)


@router.get(
    "/planned-completion-changes",
    auth=AUTH,
    response=list[PlannedCompletionChangeOut],
    summary="Proposals waiting for the caller's decision",
)
def list_pending_planned_completion_changes(
    request: HttpRequest,
) -> QuerySet[PlannedCompletionChange]:
    return completion_selectors.pending_proposals_for(caller(request))


@router.get(
    "/planned-completion-changes/{id:change_id}",
    auth=AUTH,
    response=PlannedCompletionChangeOut,
    summary="Get a proposal or change of a planned completion date",
)
def get_planned_completion_change(request: HttpRequest, change_id: int) -> PlannedCompletionChange:
    return completion_selectors.get_change_for_user(caller(request), change_id)


@router.post(
    "/planned-completion-changes/{id:change_id}/decision",
    auth=AUTH,
    response=PlannedCompletionChangeOut,
    summary="Confirm or reject a proposed planned completion date",
)
def decide_planned_completion_change(
    request: HttpRequest, change_id: int, payload: PlannedCompletionDecisionIn
) -> PlannedCompletionChange:
    user = caller(request)
    change = completion_selectors.get_change_for_user(user, change_id)
    decided = completion_services.decide_planned_completion_change(
        actor=user, change=change, approved=payload.approved, comment=payload.comment
    )
    return _fresh(decided)
