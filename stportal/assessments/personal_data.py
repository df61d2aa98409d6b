"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.assessments.models import Assessment
from stportal.core.erasure import Erased, Person, clear
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {"assessments": rows(Assessment.objects.filter(trainee_id=trainee_id))}


def anonymise(person: Person) -> Erased:
    """The assessor's name and e-mail, the situation and the feedback go; the assessment
    stays (its kind, goals, dates and degree of independence)."""
    if person.trainee_id is None:
        return {}
    return clear(
        Assessment.objects.filter(trainee_id=person.trainee_id),
        assessor_name="",
        assessor_email="",
        context="",
        feedback="",
        token_digest=None,
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = Assessment.objects.filter(trainee_id=trainee_id).aggregate(
        created=Max("created_at"), completed=Max("completed_at"), withdrawn=Max("withdrawn_at")
    )
    return max((day for day in found.values() if day is not None), default=None)
