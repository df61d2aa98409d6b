"""The authorisation matrix's rows of secondments, the training allowance and credited
service (SPEC 2, 5 P7–P9): see `stportal/core/tests/matrix_cases.py`. Whoever reads the
record reads and plans secondments; the study director of the area and staff of the region
record the allowance and credit prior service; nobody sees another's plan."""

from __future__ import annotations

import datetime as dt

from stportal.core.tests.matrix_cases import case
from stportal.core.tests.matrix_world import World
from stportal.secondments import services
from stportal.secondments.seed import load_seed

START = dt.date(2027, 9, 6)

PLAN_FORM = {
    "kind": "psychiatry",
    "place": "Psykiatriska kliniken",
    "start_date": "2028-02-07",
}
PLAN_JSON = {"kind": "psychiatry", "place": "Psykiatriska kliniken", "start_date": "2028-02-07"}
ALLOWANCE_FORM = {"queue_position": "3", "months_paid": "12", "secondment_months_paid": "4"}
ALLOWANCE_JSON = {"queue_position": 3, "months_paid": 12, "secondment_months_paid": 4}
CREDIT_FORM = {"period_start": "2024-01-01", "period_end": "2024-12-31", "months": "6"}
CREDIT_JSON = {"period_start": "2024-01-01", "period_end": "2024-12-31", "months": 6}
REASON = {"reason": "Fel beslut."}

WEB = {
    "sidotjanstgoring/": [case("any_user")],
    "sidotjanstgoring/st-lakare/<id:trainee_id>/": [case("trainee_record", trainee_id="a.owner")],
    "sidotjanstgoring/st-lakare/<id:trainee_id>/ny/": [
        case("trainee_record", trainee_id="a.owner"),
        case("trainee_record", "POST", PLAN_FORM, trainee_id="a.owner"),
    ],
    "sidotjanstgoring/st-lakare/<id:trainee_id>/st-ersattning/": [
        case("completion_decider", trainee_id="a.owner"),
        case("completion_decider", "POST", ALLOWANCE_FORM, trainee_id="a.owner"),
    ],
    "sidotjanstgoring/st-lakare/<id:trainee_id>/tillgodoraknande/": [
        case("completion_decider", trainee_id="a.owner"),
        case("completion_decider", "POST", CREDIT_FORM, trainee_id="a.owner"),
    ],
    "sidotjanstgoring/<id:secondment_id>/andra/": [
        case("trainee_record", secondment_id="a.secondment"),
        case(
            "trainee_record",
            "POST",
            {"kind": "internal_medicine", "place": "NÄL", "start_date": START.isoformat()},
            secondment_id="a.secondment",
        ),
    ],
    "sidotjanstgoring/<id:secondment_id>/ta-bort/": [
        case("trainee_record", secondment_id="a.secondment"),
        case("trainee_record", "POST", {}, secondment_id="a.secondment"),
    ],
    "sidotjanstgoring/tillgodoraknande/<id:credit_id>/aterkalla/": [
        case("completion_decider", credit_id="a.service_credit"),
        case("completion_decider", "POST", REASON, credit_id="a.service_credit"),
    ],
}

API = {
    "POST /trainees/{trainee_id}/secondments": [
        case("trainee_record", "POST", PLAN_JSON, trainee_id="a.owner")
    ],
    "GET /trainees/{trainee_id}/secondments": [case("trainee_record", trainee_id="a.owner")],
    "GET /secondment-kinds": [case("any_user")],
    "GET /secondments/{secondment_id}": [case("trainee_record", secondment_id="a.secondment")],
    "PATCH /secondments/{secondment_id}": [
        case("trainee_record", "PATCH", {"place": "NÄL"}, secondment_id="a.secondment")
    ],
    "DELETE /secondments/{secondment_id}": [
        case("trainee_record", "DELETE", secondment_id="a.secondment")
    ],
    "GET /trainees/{trainee_id}/allowance": [case("trainee_record", trainee_id="a.owner")],
    "PUT /trainees/{trainee_id}/allowance": [
        case("completion_decider", "PUT", ALLOWANCE_JSON, trainee_id="a.owner")
    ],
    "GET /trainees/{trainee_id}/service-credits": [case("trainee_record", trainee_id="a.owner")],
    "POST /trainees/{trainee_id}/service-credits": [
        case("completion_decider", "POST", CREDIT_JSON, trainee_id="a.owner")
    ],
    "POST /service-credits/{credit_id}/withdraw": [
        case("completion_decider", "POST", REASON, credit_id="a.service_credit")
    ],
}


def extend(world: World) -> None:
    """Each region's owner has an internal-medicine secondment planned and one credit
    decision."""
    load_seed()
    for side in (world.a, world.b):
        owner = side.owner
        side.secondment = services.plan_secondment(  # type: ignore[attr-defined]
            actor=None,
            trainee=owner,
            kind="internal_medicine",
            place="Medicinkliniken",
            start_date=START,
        )
        side.service_credit = services.credit_prior_service(  # type: ignore[attr-defined]
            actor=None,
            trainee=owner,
            period_start=dt.date(2023, 1, 1),
            period_end=dt.date(2023, 12, 31),
            months=6,
            comment="Vikariat",
        )
