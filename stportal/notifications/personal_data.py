"""What this app holds about a person, for their export (`core.personal_data`)."""

from __future__ import annotations

from typing import Any

from stportal.core.personal_data import rows
from stportal.notifications.models import OutboxMessage


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    return {"e_mail": rows(OutboxMessage.objects.filter(recipient_id=user_id))}
