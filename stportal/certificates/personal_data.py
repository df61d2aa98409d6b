"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.certificates.models import Certificate, ReplacementRequest
from stportal.core.erasure import Erased, Person, clear, merged
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "certificates": rows(Certificate.objects.filter(line__registration__trainee_id=trainee_id)),
        "replacement_requests": rows(ReplacementRequest.objects.filter(trainee_id=trainee_id)),
    }


def anonymise(person: Person) -> Erased:
    """A certificate keeps its number, course, goals, dates and certifier (the verification
    page and the statistics still work, saying the holder is anonymised); the holder's name
    and personal identity number go, and with them everything a print would say of them.
    Requests for a new original lose their reasons and comments."""
    if person.trainee_id is None:
        return {}
    certificates = Certificate.objects.filter(line__registration__trainee_id=person.trainee_id)
    for certificate in certificates:
        content = dict(certificate.content)
        content.update(first_name="", last_name="", personal_id="", anonymised=True)
        Certificate.objects.filter(pk=certificate.pk).update(
            content=content, revoke_reason="", reissue_reason=""
        )
    return merged(
        clear(certificates),
        clear(
            ReplacementRequest.objects.filter(trainee_id=person.trainee_id), reason="", comment=""
        ),
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = Certificate.objects.filter(line__registration__trainee_id=trainee_id).aggregate(
        issued=Max("issued_at"), revoked=Max("revoked_at")
    )
    return max((day for day in found.values() if day is not None), default=None)
