"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.completion.models import SummaryCertificate
from stportal.core.erasure import Erased, Person, clear
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {"summary_certificates": rows(SummaryCertificate.objects.filter(trainee_id=trainee_id))}


def anonymise(person: Person) -> Erased:
    """The uploaded signed copies are deleted; whether each certificate was there stays."""
    if person.trainee_id is None:
        return {}
    return clear(
        SummaryCertificate.objects.filter(trainee_id=person.trainee_id), pdf=None, filename=""
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = SummaryCertificate.objects.filter(trainee_id=trainee_id).aggregate(
        last=Max("updated_at")
    )
    return found["last"]
