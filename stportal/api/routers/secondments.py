"""Secondments, the training allowance and credited service (SPEC 5 P7–P9, Appendix A
"Trainee record"): whoever may read the trainee's record lists them; the trainee, the
supervisor, the study director and staff plan secondments (`kind` by code); the study director
and staff record the allowance and credit prior service. Unknown ids and ids outside the
caller's reach answer 404 alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from stportal.api.auth import AUTH, caller
from stportal.api.types import Day, NoteText, ShortText, TextOf
from stportal.secondments import selectors, services
from stportal.secondments.allowance import SECONDMENT_MONTHS, TOTAL_MONTHS
from stportal.secondments.models import (
    MAX_CREDITED_MONTHS,
    MAX_QUEUE_POSITION,
    Secondment,
    ServiceCredit,
)

router = Router(tags=["secondments"])

QueuePosition = Field(None, ge=1, le=MAX_QUEUE_POSITION)


class SecondmentIn(Schema):
    kind: ShortText = Field(description="The kind's code, e.g. `internal_medicine`.")
    place: TextOf(Secondment, "place")
    start_date: Day
    end_date: Day | None = Field(
        None, description="Empty: the kind's default length from the start date."
    )
    mandatory: bool | None = Field(
        None, description="Empty: mandatory when the trainee's specialty requires the kind."
    )
    note: NoteText = ""


class SecondmentPatch(Schema):
    kind: ShortText | None = None
    place: TextOf(Secondment, "place") | None = None
    start_date: Day | None = None
    end_date: Day | None = Field(
        None, description="Given as null: the kind's default length from the start date."
    )
    mandatory: bool | None = None
    note: NoteText | None = None


class KindOut(Schema):
    code: str
    name: str
    name_en: str
    default_weeks: int


class SecondmentOut(Schema):
    id: int
    trainee_id: int
    kind: str
    kind_name: str
    place: str
    start_date: dt.date
    end_date: dt.date
    end_from_default: bool = Field(
        description="True when no end date was given and the kind's default length set it."
    )
    mandatory: bool
    note: str


class SecondmentPlanOut(Schema):
    secondments: list[SecondmentOut]
    required: list[KindOut]
    missing: list[KindOut] = Field(description="Required kinds with no secondment planned.")


class AllowanceIn(Schema):
    queue_position: int | None = QueuePosition
    months_paid: int = Field(ge=0, le=TOTAL_MONTHS)
    secondment_months_paid: int = Field(0, ge=0, le=SECONDMENT_MONTHS)
    note: NoteText = ""


class AllowanceOut(Schema):
    trainee_id: int
    recorded: bool
    queue_position: int | None
    months_total: int
    secondment_months_total: int
    months_paid: int
    months_left: int
    secondment_months_paid: int
    secondment_months_left: int
    months_needed: int = Field(description="Months from today to the planned completion.")
    secondment_months_needed: int = Field(description="Months of planned secondment from today on.")
    warning: bool = Field(description="The plan needs more than is left.")
    note: str
    updated_at: dt.datetime | None


class CreditIn(Schema):
    period_start: Day
    period_end: Day
    months: int = Field(ge=1, le=MAX_CREDITED_MONTHS)
    comment: NoteText = ""


class ReasonIn(Schema):
    reason: NoteText


class CreditOut(Schema):
    id: int
    trainee_id: int
    period_start: dt.date
    period_end: dt.date
    months: int
    comment: str
    state: str = Field(description="`in_force` or `withdrawn`.")
    decided_at: dt.datetime
    decided_by_id: int | None
    withdrawn_at: dt.datetime | None
    withdraw_reason: str


class CreditsOut(Schema):
    credited_months: int = Field(description="The sum of the decisions in force.")
    decisions: list[CreditOut]


def _secondment(s: Secondment) -> dict[str, Any]:
    return {
        "id": s.pk,
        "trainee_id": s.trainee_id,
        "kind": s.kind.code,
        "kind_name": s.kind.label,
        "place": s.place,
        "start_date": s.start_date,
        "end_date": s.end_date,
        "end_from_default": s.end_from_default,
        "mandatory": s.mandatory,
        "note": s.note,
    }


def _kind(kind) -> dict[str, Any]:
    return {
        "code": kind.code,
        "name": kind.name,
        "name_en": kind.name_en,
        "default_weeks": kind.default_weeks,
    }


def _credit(c: ServiceCredit) -> dict[str, Any]:
    return {
        "id": c.pk,
        "trainee_id": c.trainee_id,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "months": c.months,
        "comment": c.comment,
        "state": "withdrawn" if c.is_withdrawn else "in_force",
        "decided_at": timezone.localtime(c.decided_at),
        "decided_by_id": c.decided_by_id,
        "withdrawn_at": timezone.localtime(c.withdrawn_at) if c.withdrawn_at else None,
        "withdraw_reason": c.withdraw_reason,
    }


def _allowance(profile) -> dict[str, Any]:
    view = selectors.allowance_of(profile, list(selectors.secondments_of(profile)))
    found, status = view.allowance, view.status
    return {
        "trainee_id": profile.pk,
        "recorded": found is not None,
        "queue_position": found.queue_position if found else None,
        "months_total": TOTAL_MONTHS,
        "secondment_months_total": SECONDMENT_MONTHS,
        "months_paid": status.months_paid,
        "months_left": status.months_left,
        "secondment_months_paid": status.secondment_months_paid,
        "secondment_months_left": status.secondment_months_left,
        "months_needed": status.months_needed,
        "secondment_months_needed": status.secondment_months_needed,
        "warning": status.warns,
        "note": found.note if found else "",
        "updated_at": timezone.localtime(found.updated_at) if found else None,
    }


@router.post(
    "/trainees/{id:trainee_id}/secondments",
    auth=AUTH,
    response={201: SecondmentOut},
    summary="Plan a secondment (the trainee, the supervisor, the study director, staff)",
)
def plan(request: HttpRequest, trainee_id: int, payload: SecondmentIn) -> Status:
    user = caller(request)
    profile = selectors.get_trainee_for_user(user, trainee_id)
    secondment = services.plan_secondment(
        actor=user,
        trainee=profile,
        kind=payload.kind,
        place=payload.place,
        start_date=payload.start_date,
        end_date=payload.end_date,
        note=payload.note,
        mandatory=payload.mandatory,
    )
    return Status(201, _secondment(selectors.get_secondment_for_user(user, secondment.pk)))


@router.get(
    "/trainees/{id:trainee_id}/secondments",
    auth=AUTH,
    response=SecondmentPlanOut,
    summary="A trainee's secondments, the kinds the specialty requires and those not planned",
)
def list_for_trainee(request: HttpRequest, trainee_id: int) -> dict[str, Any]:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    found = selectors.plan_of(profile)
    return {
        "secondments": [_secondment(s) for s in found.secondments],
        "required": [_kind(k) for k in found.required],
        "missing": [_kind(k) for k in found.missing],
    }


@router.get(
    "/secondment-kinds",
    auth=AUTH,
    response=list[KindOut],
    summary="The kinds of secondment and their default lengths",
)
def kinds(request: HttpRequest) -> list[dict[str, Any]]:
    caller(request)
    return [_kind(k) for k in selectors.kinds()]


@router.get(
    "/secondments/{id:secondment_id}",
    auth=AUTH,
    response=SecondmentOut,
    summary="One secondment",
)
def get_one(request: HttpRequest, secondment_id: int) -> dict[str, Any]:
    return _secondment(selectors.get_secondment_for_user(caller(request), secondment_id))


@router.patch(
    "/secondments/{id:secondment_id}",
    auth=AUTH,
    response=SecondmentOut,
    summary="Change a secondment (the fields given)",
)
def change(request: HttpRequest, secondment_id: int, payload: SecondmentPatch) -> dict[str, Any]:
    user = caller(request)
    secondment = selectors.get_secondment_for_user(user, secondment_id)
    given = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    for name in ("kind", "place", "start_date", "note", "mandatory"):
        if name in given and given[name] is not None:
            changes[name] = given[name]
    if "end_date" in given:
        changes["end_date"] = given["end_date"]
    services.change_secondment(actor=user, secondment=secondment, **changes)
    return _secondment(selectors.get_secondment_for_user(user, secondment_id))


@router.delete(
    "/secondments/{id:secondment_id}",
    auth=AUTH,
    response={204: None},
    summary="Take a secondment out of the plan",
)
def remove(request: HttpRequest, secondment_id: int) -> Status:
    user = caller(request)
    secondment = selectors.get_secondment_for_user(user, secondment_id)
    services.remove_secondment(actor=user, secondment=secondment)
    return Status(204, None)


@router.get(
    "/trainees/{id:trainee_id}/allowance",
    auth=AUTH,
    response=AllowanceOut,
    summary="The training allowance: months paid, left and needed by the plan",
)
def get_allowance(request: HttpRequest, trainee_id: int) -> dict[str, Any]:
    return _allowance(selectors.get_trainee_for_user(caller(request), trainee_id))


@router.put(
    "/trainees/{id:trainee_id}/allowance",
    auth=AUTH,
    response=AllowanceOut,
    summary="Record the training allowance (the study director, staff)",
)
def put_allowance(request: HttpRequest, trainee_id: int, payload: AllowanceIn) -> dict[str, Any]:
    user = caller(request)
    profile = selectors.get_trainee_for_user(user, trainee_id)
    services.record_allowance(
        actor=user,
        trainee=profile,
        queue_position=payload.queue_position,
        months_paid=payload.months_paid,
        secondment_months_paid=payload.secondment_months_paid,
        note=payload.note,
    )
    return _allowance(profile)


@router.get(
    "/trainees/{id:trainee_id}/service-credits",
    auth=AUTH,
    response=CreditsOut,
    summary="Credit of prior service: every decision, withdrawn ones too",
)
def list_credits(request: HttpRequest, trainee_id: int) -> dict[str, Any]:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    return {
        "credited_months": profile.credited_months,
        "decisions": [_credit(c) for c in selectors.credits_of(profile)],
    }


@router.post(
    "/trainees/{id:trainee_id}/service-credits",
    auth=AUTH,
    response={201: CreditOut},
    summary="Credit prior service (the study director, staff)",
)
def credit(request: HttpRequest, trainee_id: int, payload: CreditIn) -> Status:
    user = caller(request)
    profile = selectors.get_trainee_for_user(user, trainee_id)
    decision = services.credit_prior_service(
        actor=user,
        trainee=profile,
        period_start=payload.period_start,
        period_end=payload.period_end,
        months=payload.months,
        comment=payload.comment,
    )
    return Status(201, _credit(decision))


@router.post(
    "/service-credits/{id:credit_id}/withdraw",
    auth=AUTH,
    response=CreditOut,
    summary="Withdraw a credit decision with a reason (the study director, staff)",
)
def withdraw(request: HttpRequest, credit_id: int, payload: ReasonIn) -> dict[str, Any]:
    user = caller(request)
    decision = selectors.get_credit_for_user(user, credit_id)
    services.withdraw_service_credit(actor=user, credit=decision, reason=payload.reason)
    return _credit(selectors.get_credit_for_user(user, credit_id))
