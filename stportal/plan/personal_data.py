"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.core.erasure import Erased, Person, clear
from stportal.core.personal_data import rows
from stportal.plan.models import PlanItem


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {"plan_items": rows(PlanItem.objects.filter(trainee_id=trainee_id))}


def anonymise(person: Person) -> Erased:
    """Notes and attached certificates (their files) go; the items stay."""
    if person.trainee_id is None:
        return {}
    return clear(
        PlanItem.objects.filter(trainee_id=person.trainee_id),
        note="",
        certificate_pdf=None,
        certificate_filename="",
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    return PlanItem.objects.filter(trainee_id=trainee_id).aggregate(last=Max("updated_at"))["last"]
