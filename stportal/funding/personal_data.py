"""What this app holds about a person, for their export (`core.personal_data`)."""

from __future__ import annotations

from typing import Any

from stportal.core.personal_data import rows
from stportal.funding.models import FundingApplication, FundingCost


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "applications": rows(FundingApplication.objects.filter(trainee_id=trainee_id)),
        "costs": rows(FundingCost.objects.filter(application__trainee_id=trainee_id)),
    }
