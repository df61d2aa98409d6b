"""Supervisor statements (handledarutlåtanden, SPEC 5 P5, Appendix A): the trainee's own
supervisor writes a draft, edits it, marks it ready for review (then it is locked: 409
`locked`), and the trainee's study director marks it reviewed or sends it back to draft with a
comment. Every version is kept. Unknown ids and ids outside the caller's reach answer 404
alike; the trainee does not see drafts."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from stportal.api.auth import AUTH, caller
from stportal.api.types import Day, Id, NoteText, Text
from stportal.statements import selectors, services
from stportal.statements.models import TEXT_MAX_LENGTH, StatementVersion, SupervisorStatement

router = Router(tags=["statements"])

StatementText = Text(TEXT_MAX_LENGTH)


class StatementIn(Schema):
    trainee_id: Id
    text: StatementText
    period_from: Day | None = Field(None, description="The first day the statement covers.")
    period_to: Day | None = Field(None, description="The last day the statement covers.")


class StatementPatch(Schema):
    text: StatementText
    period_from: Day | None = None
    period_to: Day | None = None


class ReviewIn(Schema):
    accepted: bool = Field(description="True: reviewed. False: back to draft (comment needed).")
    comment: NoteText = ""


class VersionOut(Schema):
    number: int
    event: str = Field(description="`created`, `edited`, `submitted`, `reviewed`, `sent_back`.")
    text: str
    status: str
    written_by_id: int | None
    written_at: dt.datetime
    comment: str


class StatementOut(Schema):
    id: int
    trainee_id: int
    supervisor_id: int
    status: str = Field(description="`draft`, `ready_for_review` or `reviewed`.")
    text: str
    period_from: dt.date | None
    period_to: dt.date | None
    version: int = Field(description="The number of the newest version.")
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None
    review_comment: str


class StatementDetailOut(StatementOut):
    versions: list[VersionOut] = Field(description="Every version, oldest first.")

    @staticmethod
    def resolve_versions(obj: SupervisorStatement) -> list[StatementVersion]:
        return list(selectors.versions_of(obj))


def _detail(statement: SupervisorStatement) -> SupervisorStatement:
    # Read back as stored (the services' swaps write with `update`).
    return selectors.get_statement_for_user(None, statement.pk)


@router.post(
    "/supervisor-statements",
    auth=AUTH,
    response={201: StatementDetailOut},
    summary="Write a supervisor statement (a draft) for one's own trainee",
)
def create_statement(request: HttpRequest, payload: StatementIn) -> Status:
    user = caller(request)
    profile = selectors.get_trainee_for_reader(user, payload.trainee_id)
    statement = services.write_statement(
        actor=user,
        trainee=profile,
        text=payload.text,
        period_from=payload.period_from,
        period_to=payload.period_to,
    )
    return Status(201, _detail(statement))


@router.get(
    "/supervisor-statements/{id:statement_id}",
    auth=AUTH,
    response=StatementDetailOut,
    summary="A supervisor statement with all its versions",
)
def get_statement(request: HttpRequest, statement_id: int) -> SupervisorStatement:
    statement = selectors.get_statement_for_user(caller(request), statement_id)
    return _detail(statement)


@router.patch(
    "/supervisor-statements/{id:statement_id}",
    auth=AUTH,
    response=StatementDetailOut,
    summary="Edit a draft statement (409 `locked` once it is ready for review)",
)
def patch_statement(
    request: HttpRequest, statement_id: int, payload: StatementPatch
) -> SupervisorStatement:
    user = caller(request)
    statement = selectors.get_statement_for_user(user, statement_id)
    sent = payload.model_fields_set
    period_given = bool({"period_from", "period_to"} & sent)
    edited = services.edit_statement(
        actor=user,
        statement=statement,
        text=payload.text,
        period_from=payload.period_from if "period_from" in sent else statement.period_from,
        period_to=payload.period_to if "period_to" in sent else statement.period_to,
        keep_period=not period_given,
    )
    return _detail(edited)


@router.post(
    "/supervisor-statements/{id:statement_id}/submit",
    auth=AUTH,
    response=StatementDetailOut,
    summary="Mark a statement ready for review (it is then locked)",
)
def submit_statement(request: HttpRequest, statement_id: int) -> SupervisorStatement:
    user = caller(request)
    statement = selectors.get_statement_for_user(user, statement_id)
    return _detail(services.submit_statement(actor=user, statement=statement))


@router.post(
    "/supervisor-statements/{id:statement_id}/review",
    auth=AUTH,
    response=StatementDetailOut,
    summary="Review a statement: reviewed, or back to draft with a comment",
)
def review_statement(
    request: HttpRequest, statement_id: int, payload: ReviewIn
) -> SupervisorStatement:
    user = caller(request)
    statement = selectors.get_statement_for_user(user, statement_id)
    reviewed = services.review_statement(
        actor=user, statement=statement, accepted=payload.accepted, comment=payload.comment
    )
    return _detail(reviewed)


@router.get(
    "/trainees/{id:trainee_id}/supervisor-statements",
    auth=AUTH,
    response=list[StatementOut],
    summary="A trainee's supervisor statements (the trainee sees no drafts)",
)
def list_statements(request: HttpRequest, trainee_id: int) -> list[SupervisorStatement]:
    user = caller(request)
    profile = selectors.get_trainee_for_reader(user, trainee_id)
    return list(selectors.statements_of(user, profile))
