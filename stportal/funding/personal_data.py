"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.core.erasure import Erased, Person, clear
from stportal.core.personal_data import rows
from stportal.funding.models import FundingApplication, FundingCost


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "applications": rows(FundingApplication.objects.filter(trainee_id=trainee_id)),
        "costs": rows(FundingCost.objects.filter(application__trainee_id=trainee_id)),
    }


def anonymise(person: Person) -> Erased:
    """The motivation, the reasons and the decision's comment go, and so does the attached
    course certificate (its file); the application stays with its course, dates, costs and
    decision (the area's spending)."""
    if person.trainee_id is None:
        return {}
    return clear(
        FundingApplication.objects.filter(trainee_id=person.trainee_id),
        motivation="",
        exception_reason="",
        decision_comment="",
        certificate_pdf=None,
        certificate_filename="",
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = FundingApplication.objects.filter(trainee_id=trainee_id).aggregate(
        submitted=Max("submitted_at"),
        decided=Max("decided_at"),
        attached=Max("certificate_uploaded_at"),
    )
    return max((day for day in found.values() if day is not None), default=None)
