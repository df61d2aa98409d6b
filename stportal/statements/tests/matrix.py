"""The authorisation matrix's rows for supervisor statements (P5): pages and API.

In each region the owner's supervisor has written two statements: `statement` is ready for
review (the trainee reads it, the study director reviews it, editing it is `locked`), and
`statement_draft` is a draft (the trainee does not see it; the supervisor edits and submits).
"""

from __future__ import annotations

from stportal.core.tests.matrix_cases import Case, case, pk
from stportal.core.tests.matrix_world import World

TEXT = "Ägaren arbetar självständigt och tar ansvar för sina patienter."


def extend(world: World) -> None:
    from stportal.statements import services

    for side in (world.a, world.b):
        ready = services.write_statement(actor=side.supervisor, trainee=side.owner, text=TEXT)
        services.edit_statement(actor=side.supervisor, statement=ready, text=TEXT + " Klart.")
        side.statement = services.submit_statement(actor=side.supervisor, statement=ready)
        side.statement_draft = services.write_statement(
            actor=side.supervisor, trainee=side.owner, text="Ett utkast."
        )


def _compare_url(world: World) -> str:
    return f"/handledarutlatanden/{world.a.statement.pk}/jamfor/?a=1&b=2"


def _review_url(world: World) -> str:
    return f"/handledarutlatanden/{world.a.statement.pk}/granska/"


WEB = {
    "handledarutlatanden/": [case("any_user")],
    "handledarutlatanden/granska/": [case("any_user", shows=("record_director", _review_url))],
    "handledarutlatanden/ny/<id:trainee_id>/": [
        case("supervisor", trainee_id="a.owner"),
        case("supervisor", "POST", {"text": TEXT, "action": "save"}, trainee_id="a.owner"),
    ],
    "handledarutlatanden/<id:statement_id>/": [
        case("trainee_record", statement_id="a.statement"),
        case(
            "supervisor",
            "POST",
            {"text": "Nytt utkast.", "action": "save"},
            statement_id="a.statement_draft",
        ),
    ],
    "handledarutlatanden/<id:statement_id>/granska/": [
        case("record_director", "POST", {"accepted": "yes"}, statement_id="a.statement")
    ],
    "handledarutlatanden/<id:statement_id>/jamfor/": [
        Case(rule="trainee_record", fill={"statement_id": pk("a.statement")}, url=_compare_url)
    ],
}

API = {
    "POST /supervisor-statements": [
        case("supervisor", "POST", lambda w: {"trainee_id": w.a.owner.pk, "text": TEXT})
    ],
    "GET /supervisor-statements/{statement_id}": [
        case("trainee_record", statement_id="a.statement")
    ],
    "PATCH /supervisor-statements/{statement_id}": [
        case("supervisor", "PATCH", {"text": "Nytt utkast."}, statement_id="a.statement_draft"),
        Case(
            rule="supervisor",
            method="PATCH",
            fill={"statement_id": pk("a.statement")},
            body=lambda w: {"text": "Låst."},
            refused="supervisor",
            label="locked",
        ),
    ],
    "POST /supervisor-statements/{statement_id}/submit": [
        case("supervisor", "POST", statement_id="a.statement_draft")
    ],
    "POST /supervisor-statements/{statement_id}/review": [
        case("record_director", "POST", {"accepted": True}, statement_id="a.statement")
    ],
    "GET /trainees/{trainee_id}/supervisor-statements": [
        case("trainee_record", trainee_id="a.owner")
    ],
}
