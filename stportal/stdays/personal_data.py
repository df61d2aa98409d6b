"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.core.erasure import Erased, Person, clear
from stportal.core.personal_data import rows
from stportal.stdays.models import StDayCertificate


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {"st_day_certificates": rows(StDayCertificate.objects.filter(trainee_id=trainee_id))}


def anonymise(person: Person) -> Erased:
    """As a course certificate: the holder's name and number and the texts about the day
    and its examination go; the subject, goals, dates and certifier stay."""
    if person.trainee_id is None:
        return {}
    certificates = StDayCertificate.objects.filter(trainee_id=person.trainee_id)
    for certificate in certificates:
        content = dict(certificate.content)
        content.update(first_name="", last_name="", personal_id="", anonymised=True)
        StDayCertificate.objects.filter(pk=certificate.pk).update(
            content=content, description="", examination="", revoke_reason=""
        )
    return clear(certificates)


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = StDayCertificate.objects.filter(trainee_id=trainee_id).aggregate(
        issued=Max("issued_at"), revoked=Max("revoked_at")
    )
    return max((day for day in found.values() if day is not None), default=None)
