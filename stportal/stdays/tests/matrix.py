"""The authorisation matrix's rows of the ST-day certificates (SPEC 2, 5 P4): see
`stportal/core/tests/matrix_cases.py`."""

from __future__ import annotations

import datetime as dt

from stportal.core.tests.matrix_cases import Case, case
from stportal.core.tests.matrix_world import World
from stportal.curricula.models import MandatorySubject
from stportal.stdays import services

DAY = dt.date(2027, 4, 7)


def _subject_id(world: World) -> int:
    owner = world.a.owner
    return (
        MandatorySubject.objects.filter(
            specialty_id=owner.specialty_id,
            version_id=owner.curriculum_version_id,
            name="BVC, barnmedicin",
        )
        .values_list("pk", flat=True)
        .get()
    )


def _record_form(world: World) -> dict:
    return {
        "subject": _subject_id(world),
        "title": "BVC-dag",
        "first_day": DAY.isoformat(),
        "examined_on": DAY.isoformat(),
        "examination": "Fallseminarium.",
    }


def _record_json(world: World) -> dict:
    return {
        "subject_id": _subject_id(world),
        "title": "BVC-dag",
        "first_day": DAY.isoformat(),
        "examined_on": DAY.isoformat(),
        "examination": "Fallseminarium.",
    }


def _code(world: World) -> str:
    return world.a.st_day_certificate.verification_code


def _with_body(item: Case, body) -> Case:
    return Case(**{**item.__dict__, "body": body})


WEB: dict[str, list[Case]] = {
    "st-dagar/": [case("any_user")],
    "st-dagar/st-lakare/<id:trainee_id>/": [case("trainee_record", trainee_id="a.owner")],
    "st-dagar/st-lakare/<id:trainee_id>/ny/": [
        case("supervisor", trainee_id="a.owner"),
        _with_body(case("supervisor", "POST", trainee_id="a.owner"), _record_form),
    ],
    "st-dagar/intyg/<id:certificate_id>.pdf": [
        case("trainee_record", certificate_id="a.st_day_certificate")
    ],
    "st-dagar/intyg/<id:certificate_id>/aterkalla/": [
        case("supervisor_or_staff", certificate_id="a.st_day_certificate"),
        case(
            "supervisor_or_staff",
            "POST",
            {"reason": "Fel ämne."},
            certificate_id="a.st_day_certificate",
        ),
    ],
    "st-dagar/verifiera/<str:code>/": [case("public", code=_code)],
}

API: dict[str, list[Case]] = {
    "POST /trainees/{trainee_id}/st-day-certificates": [
        _with_body(case("supervisor", "POST", trainee_id="a.owner"), _record_json)
    ],
    "GET /trainees/{trainee_id}/st-day-certificates": [
        case("trainee_record", trainee_id="a.owner")
    ],
    "GET /st-day-certificates/{certificate_id}": [
        case("trainee_record", certificate_id="a.st_day_certificate")
    ],
    "GET /st-day-certificates/{certificate_id}.pdf": [
        case("trainee_record", certificate_id="a.st_day_certificate")
    ],
    "POST /st-day-certificates/{certificate_id}/revoke": [
        case(
            "supervisor_or_staff",
            "POST",
            {"reason": "Fel ämne."},
            certificate_id="a.st_day_certificate",
        )
    ],
}


def extend(world: World) -> None:
    """An ST-day certificate issued by each region's supervisor of the owner."""
    for side in (world.a, world.b):
        owner = side.owner
        subject = MandatorySubject.objects.get(
            specialty_id=owner.specialty_id,
            version_id=owner.curriculum_version_id,
            name="Läkemedel",
        )
        side.st_day_certificate = services.issue_st_day_certificate(  # type: ignore[attr-defined]
            actor=side.supervisor,
            trainee=owner,
            subject=subject,
            first_day=DAY,
            place="Folkets hus, Umeå",
            examined_on=DAY,
            examination="Fallseminarium med handledaren.",
        )
