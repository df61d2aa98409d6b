"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.core.erasure import Erased, Person, clear
from stportal.core.personal_data import rows
from stportal.studytime.models import StudyTimeEntry


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {"study_time": rows(StudyTimeEntry.objects.filter(trainee_id=trainee_id))}


def anonymise(person: Person) -> Erased:
    """Notes go; the hours and activities stay."""
    if person.trainee_id is None:
        return {}
    return clear(StudyTimeEntry.objects.filter(trainee_id=person.trainee_id), note="")


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = StudyTimeEntry.objects.filter(trainee_id=trainee_id).aggregate(last=Max("created_at"))
    return found["last"]
