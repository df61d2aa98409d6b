"""The authorisation matrix's rows of study time (SPEC 2, 5 P6): see
`stportal/core/tests/matrix_cases.py`. Whoever may read the trainee's record reads the
entitlement and the log; only the trainee logs and removes entries."""

from __future__ import annotations

import datetime as dt

from stportal.core.tests.matrix_cases import Case, case
from stportal.core.tests.matrix_world import World
from stportal.studytime import services
from stportal.studytime.models import StudyActivity

DAY = dt.date(2027, 4, 7)


def _activity_id() -> int:
    return StudyActivity.objects.values_list("pk", flat=True).get(code="reading")


def _with_body(item: Case, body) -> Case:
    return Case(**{**item.__dict__, "body": body})


WEB: dict[str, list[Case]] = {
    "studietid/": [case("any_user")],
    "studietid/st-lakare/<id:trainee_id>/": [
        case("trainee_record", trainee_id="a.owner"),
        _with_body(
            case("owner", "POST", trainee_id="a.owner"),
            lambda w: {"day": DAY.isoformat(), "hours": "1", "activity": _activity_id()},
        ),
    ],
    "studietid/post/<id:entry_id>/ta-bort/": [
        case("owner", "POST", entry_id="a.study_time_entry"),
    ],
}

API: dict[str, list[Case]] = {
    "GET /trainees/{trainee_id}/study-time": [case("trainee_record", trainee_id="a.owner")],
    "POST /trainees/{trainee_id}/study-time": [
        _with_body(
            case("owner", "POST", trainee_id="a.owner"),
            lambda w: {"day": DAY.isoformat(), "hours": 1.5, "activity_id": _activity_id()},
        )
    ],
    "GET /trainees/{trainee_id}/study-time/entries": [case("trainee_record", trainee_id="a.owner")],
    "GET /study-time/{entry_id}": [case("trainee_record", entry_id="a.study_time_entry")],
    "DELETE /study-time/{entry_id}": [case("owner", "DELETE", entry_id="a.study_time_entry")],
    "GET /study-activities": [case("any_user")],
}


def extend(world: World) -> None:
    """An hour of study time logged by each region's owner."""
    activity = StudyActivity.objects.get(code="reading")
    for side in (world.a, world.b):
        side.study_time_entry = services.log_study_time(  # type: ignore[attr-defined]
            actor=side.owner.user,
            trainee=side.owner,
            day=DAY,
            hours=1,
            activity=activity,
            note="Läste riktlinjer.",
        )
