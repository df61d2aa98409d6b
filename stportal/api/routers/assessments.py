"""Competence assessments (SPEC 5 P12, Appendix A "Trainee record"): the trainee starts one
and names the assessor, who completes it through the link they are sent by e-mail (a web page,
not the API); the trainee withdraws a pending one or sends its link again; whoever may read
the trainee's record lists and reads them. Unknown ids and ids outside the caller's reach
answer 404 alike."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from stportal.accounts.models import TraineeProfile
from stportal.api.auth import AUTH, caller
from stportal.api.types import Id, Text, TextOf
from stportal.assessments import rules, selectors, services
from stportal.assessments.models import GOAL_CODE_MAX_LENGTH, MAX_GOALS, Assessment
from stportal.core.dates import local_date
from stportal.core.errors import NotFound

router = Router(tags=["assessments"])

KindWord = Literal["mini_cex", "cbd", "dops", "msf"]


class AssessmentIn(Schema):
    trainee_id: Id | None = Field(None, description="The trainee; omitted: the caller's own.")
    kind: KindWord
    assessor_name: TextOf(Assessment, "assessor_name")
    assessor_email: TextOf(Assessment, "assessor_email")
    goals: list[Text(GOAL_CODE_MAX_LENGTH)] = Field(
        max_length=MAX_GOALS, description="Goal codes of the trainee's curriculum version."
    )
    context: TextOf(Assessment, "context") = Field(
        "", description="The situation or context, optionally."
    )


class AssessmentOut(Schema):
    id: int
    trainee_id: int
    trainee_name: str
    kind: KindWord
    status: Literal["requested", "completed", "withdrawn"]
    goals: list[str]
    requested_goals: list[str]
    context: str
    assessor_name: str
    assessor_email: str
    created_at: dt.datetime
    link_sent_at: dt.datetime
    link_expires_at: dt.datetime
    link_expired: bool
    completed_at: dt.datetime | None
    assessed_on: dt.date | None
    independence: Literal["direct_supervision", "supervision_on_request", "independent"] | None
    feedback: str
    withdrawn_at: dt.datetime | None


class AssessmentListOut(Schema):
    year: int
    completed_this_year: int
    expected_per_year: int
    due_by_now: int
    behind: bool
    assessments: list[AssessmentOut]


def _local(instant: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(instant) if instant is not None else None


def _out(assessment: Assessment) -> dict[str, Any]:
    now = timezone.now()
    return {
        "id": assessment.pk,
        "trainee_id": assessment.trainee_id,
        "trainee_name": assessment.trainee.user.display_name,
        "kind": assessment.kind,
        "status": assessment.status,
        "goals": assessment.goals_shown,
        "requested_goals": [str(code) for code in assessment.goal_codes],
        "context": assessment.context,
        "assessor_name": assessment.assessor_name,
        "assessor_email": assessment.assessor_email,
        "created_at": _local(assessment.created_at),
        "link_sent_at": _local(assessment.link_sent_at),
        "link_expires_at": _local(assessment.link_expires_at),
        "link_expired": rules.link_state(assessment.status, assessment.link_expires_at, now)
        == rules.EXPIRED,
        "completed_at": _local(assessment.completed_at),
        "assessed_on": assessment.assessed_on,
        "independence": assessment.independence or None,
        "feedback": assessment.feedback,
        "withdrawn_at": _local(assessment.withdrawn_at),
    }


def _trainee(request: HttpRequest, trainee_id: int | None) -> TraineeProfile:
    user = caller(request)
    if trainee_id is None:
        profile = selectors.own_profile(user)
        if profile is None:
            raise NotFound()
        return profile
    return selectors.get_trainee_for_user(user, trainee_id)


@router.post(
    "/assessments",
    auth=AUTH,
    response={201: AssessmentOut},
    summary="Start a competence assessment and send its link to the assessor (the trainee)",
)
def request_one(request: HttpRequest, payload: AssessmentIn) -> Status:
    user = caller(request)
    profile = _trainee(request, payload.trainee_id)
    assessment = services.request_assessment(
        actor=user,
        trainee=profile,
        kind=payload.kind,
        assessor_name=payload.assessor_name,
        assessor_email=payload.assessor_email,
        goal_codes=payload.goals,
        context=payload.context,
    )
    return Status(201, _out(selectors.get_assessment_for_user(user, assessment.pk)))


@router.get(
    "/trainees/{id:trainee_id}/assessments",
    auth=AUTH,
    response=AssessmentListOut,
    summary="A trainee's competence assessments and this year's count against the expectation",
)
def list_for_trainee(request: HttpRequest, trainee_id: int) -> dict[str, Any]:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    progress = selectors.progress_of(profile, local_date(timezone.now()))
    return {
        "year": progress.year,
        "completed_this_year": progress.done,
        "expected_per_year": progress.expected,
        "due_by_now": progress.due_by_now,
        "behind": progress.behind,
        "assessments": [_out(a) for a in selectors.assessments_of(profile)],
    }


@router.get(
    "/assessments/{id:assessment_id}",
    auth=AUTH,
    response=AssessmentOut,
    summary="One competence assessment",
)
def get_one(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    return _out(selectors.get_assessment_for_user(caller(request), assessment_id))


@router.post(
    "/assessments/{id:assessment_id}/withdraw",
    auth=AUTH,
    response=AssessmentOut,
    summary="Withdraw a pending assessment; its link stops working (the trainee)",
)
def withdraw(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    user = caller(request)
    assessment = selectors.get_assessment_for_user(user, assessment_id)
    services.withdraw_assessment(actor=user, assessment=assessment)
    return _out(selectors.get_assessment_for_user(user, assessment_id))


@router.post(
    "/assessments/{id:assessment_id}/resend",
    auth=AUTH,
    response=AssessmentOut,
    summary="Send the assessor a new link; the earlier one stops working (the trainee)",
)
def resend(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    user = caller(request)
    assessment = selectors.get_assessment_for_user(user, assessment_id)
    services.resend_assessment_link(actor=user, assessment=assessment)
    return _out(selectors.get_assessment_for_user(user, assessment_id))
