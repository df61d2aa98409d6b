"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from stportal.attendance.models import AttendanceRecord, CourseResult
from stportal.core.erasure import Erased, Person, clear, merged
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    mine = {"line__registration__trainee_id": trainee_id}
    return {
        "attendance": rows(AttendanceRecord.objects.filter(**mine)),
        "results": rows(CourseResult.objects.filter(**mine)),
    }


def anonymise(person: Person) -> Erased:
    """Notes and reasons go; presence and results stay (the course register's counts)."""
    if person.trainee_id is None:
        return {}
    mine = {"line__registration__trainee_id": person.trainee_id}
    return merged(
        clear(AttendanceRecord.objects.filter(**mine), note=""),
        clear(CourseResult.objects.filter(**mine), reason="", makeup=""),
    )
