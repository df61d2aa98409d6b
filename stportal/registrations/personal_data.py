"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.core.erasure import Erased, Person, clear, merged
from stportal.core.personal_data import rows
from stportal.registrations.models import Fee, Registration, RegistrationLine


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "registrations": rows(Registration.objects.filter(trainee_id=trainee_id)),
        "lines": rows(RegistrationLine.objects.filter(registration__trainee_id=trainee_id)),
        "fees": rows(Fee.objects.filter(registration__trainee_id=trainee_id)),
    }


def anonymise(person: Person) -> Erased:
    """Dietary needs, notes and reasons go. The registrations, their lines and fees stay,
    linked to the anonymised person: the course statistics and the fee ledger (amounts,
    home units, dates) are unchanged."""
    if person.trainee_id is None:
        return {}
    mine = {"registration__trainee_id": person.trainee_id}
    return merged(
        clear(
            Registration.objects.filter(trainee_id=person.trainee_id),
            dietary_needs="",
            earlier_courses_note="",
            note="",
        ),
        clear(
            RegistrationLine.objects.filter(**mine),
            reason="",
            cancel_reason="",
            result_reason="",
        ),
        clear(Fee.objects.filter(**mine), reason=""),
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    registrations = Registration.objects.filter(trainee_id=trainee_id).aggregate(
        last=Max("updated_at")
    )
    fees = Fee.objects.filter(registration__trainee_id=trainee_id).aggregate(last=Max("charged_at"))
    found = [registrations["last"], fees["last"]]
    return max((day for day in found if day is not None), default=None)
