"""What this app holds about a person, for their export (`core.personal_data`)."""

from __future__ import annotations

from typing import Any

from stportal.core.personal_data import rows
from stportal.studytime.models import StudyTimeEntry


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {"study_time": rows(StudyTimeEntry.objects.filter(trainee_id=trainee_id))}
