"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.core.erasure import Erased, Person, clear, merged
from stportal.core.personal_data import rows
from stportal.secondments.models import Allowance, Secondment, ServiceCredit


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "secondments": rows(Secondment.objects.filter(trainee_id=trainee_id)),
        "allowance": rows(Allowance.objects.filter(trainee_id=trainee_id)),
        "service_credits": rows(ServiceCredit.objects.filter(trainee_id=trainee_id)),
    }


def anonymise(person: Person) -> Erased:
    """Notes, comments and reasons go; the secondments, the allowance's months and the
    credit decisions stay."""
    if person.trainee_id is None:
        return {}
    mine = {"trainee_id": person.trainee_id}
    return merged(
        clear(Secondment.objects.filter(**mine), note=""),
        clear(Allowance.objects.filter(**mine), note=""),
        clear(ServiceCredit.objects.filter(**mine), comment="", withdraw_reason=""),
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = [
        Secondment.objects.filter(trainee_id=trainee_id).aggregate(last=Max("updated_at"))["last"],
        Allowance.objects.filter(trainee_id=trainee_id).aggregate(last=Max("updated_at"))["last"],
        ServiceCredit.objects.filter(trainee_id=trainee_id).aggregate(last=Max("decided_at"))[
            "last"
        ],
    ]
    return max((day for day in found if day is not None), default=None)
