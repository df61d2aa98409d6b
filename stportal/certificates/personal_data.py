"""What this app holds about a person, for their export (`core.personal_data`)."""

from __future__ import annotations

from typing import Any

from stportal.certificates.models import Certificate, ReplacementRequest
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "certificates": rows(Certificate.objects.filter(line__registration__trainee_id=trainee_id)),
        "replacement_requests": rows(ReplacementRequest.objects.filter(trainee_id=trainee_id)),
    }
