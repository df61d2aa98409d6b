"""Rows of the authorisation matrix for funding applications (SPEC 2, SPEC 5 P3): the
trainee applies and reads; the study director of the trainee's area and the regional study
director decide (the trainee, a study director of another area and region B never do);
staff of a region see its spending."""

from __future__ import annotations

import datetime as dt
import json

from stportal.core.tests.matrix_cases import Case, case, pk
from stportal.funding import services
from stportal.funding.tests.conftest import make_pdf


def _title(world) -> str:
    return world.a.funding_application.course_title


def _area_name(world) -> str:
    return world.a.area.name


def _area_name_in_json(world) -> str:
    return json.dumps(world.a.area.name)[1:-1]


def extend(world) -> None:
    """Per region: an application waiting for the director, and an approved one with its
    certificate attached."""
    for code, side in (("A", world.a), ("B", world.b)):
        owner = side.owner
        side.funding_application = services.submit_application(
            actor=owner.user,
            trainee=owner,
            course_title=f"Astma och KOL {code}",
            provider="Kurskompaniet AB",
            start_date=dt.date(2027, 5, 10),
            costs=[services.Cost("fee", 8000)],
        )
        approved = services.submit_application(
            actor=owner.user,
            trainee=owner,
            course_title=f"Geriatrik för allmänläkare {code}",
            provider="Kurskompaniet AB",
            start_date=dt.date(2027, 2, 1),
            costs=[services.Cost("fee", 6000), services.Cost("travel", 900)],
        )
        approved = services.decide_application(
            actor=side.study_director,
            application=approved,
            approved=True,
            exception_reason="Ges inte i regionen.",
        )
        side.approved_application = services.attach_certificate(
            actor=owner.user, application=approved, data=make_pdf(), filename="intyg.pdf"
        )


WEB = {
    "st-medel/": [case("any_user", shows=("owner", _title))],
    "st-medel/ny/": [case("any_user")],
    "st-medel/beslut/": [case("any_user", shows=("record_director", _title))],
    "st-medel/utgifter/": [case("staff_anywhere", shows=("staff_of_region", _area_name))],
    "st-medel/<id:application_id>/": [
        case("trainee_record", application_id="a.funding_application")
    ],
    "st-medel/<id:application_id>/beslut/": [
        case("record_director", application_id="a.funding_application"),
        case(
            "record_director",
            "POST",
            {"approved": "no", "comment": "Kursen täcks av LEKA."},
            application_id="a.funding_application",
        ),
    ],
    "st-medel/<id:application_id>/intyg/": [
        case("owner_or_staff", "POST", application_id="a.approved_application")
    ],
    "st-medel/<id:application_id>/intyg.pdf": [
        case("trainee_record", application_id="a.approved_application")
    ],
}

API = {
    "POST /funding-applications": [
        Case(
            label="for the owner",
            rule="owner_or_staff",
            method="POST",
            body=lambda w: {
                "trainee_id": w.a.owner.pk,
                "course_title": "Diabetes typ 2",
                "provider": "Kurskompaniet AB",
                "start_date": "2027-09-06",
                "costs": [{"kind": "fee", "amount": 4500}],
            },
        )
    ],
    "GET /funding-applications": [case("any_user", shows=("trainee_record", _title))],
    "GET /funding-applications/{application_id}": [
        case("trainee_record", application_id="a.funding_application")
    ],
    "POST /funding-applications/{application_id}/decision": [
        case(
            "record_director",
            "POST",
            {"approved": False, "comment": "Kursen täcks av LEKA."},
            application_id="a.funding_application",
        )
    ],
    "POST /funding-applications/{application_id}/certificate": [
        Case(
            label="a PDF",
            rule="owner_or_staff",
            method="POST",
            fill={"application_id": pk("a.approved_application")},
            body=lambda w: make_pdf(),
        )
    ],
    "GET /funding-applications/{application_id}/certificate.pdf": [
        case("trainee_record", application_id="a.approved_application")
    ],
    "GET /funding-spending": [
        case("staff_anywhere", shows=("staff_of_region", _area_name_in_json))
    ],
}
