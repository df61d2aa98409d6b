"""What this app holds about a person, for their export (`core.personal_data`)."""

from __future__ import annotations

from typing import Any

from stportal.accounts.models import (
    ApiToken,
    PlannedCompletionChange,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {
        "user": rows(User.objects.filter(pk=user_id), leave_out=("password",)),
        "roles": rows(RoleAssignment.objects.filter(user_id=user_id)),
        "api_tokens": rows(ApiToken.objects.filter(user_id=user_id)),
    }
    if trainee_id is not None:
        found["trainee_profile"] = rows(TraineeProfile.objects.filter(pk=trainee_id))
        found["planned_completion_changes"] = rows(
            PlannedCompletionChange.objects.filter(trainee_id=trainee_id)
        )
    return found
