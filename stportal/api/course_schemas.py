"""Bodies of the course endpoints (C3, C4, Appendix A `PATCH /courses/{id}`, `/remove`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from stportal.api.schemas import MAX_DAYS, MAX_LEADERS, GoalsIn
from stportal.api.types import Capacity, Day, Id, NoteText, TextOf
from stportal.courses.models import Course


class CoursePatch(Schema):
    """Any of the fields a course is created with; those left out keep their value. `null` is
    refused, except for `capacity`, where it makes the course follow the week's (C3)."""

    model_config = ConfigDict(extra="forbid")

    title: TextOf(Course, "title") | None = None
    description: TextOf(Course, "description") | None = None
    days: list[Day] | None = Field(
        None, max_length=MAX_DAYS, description="Days of the week, Monday to Friday, each once."
    )
    capacity: Capacity | None = Field(None, description="null: follows the week's capacity (C3).")
    leader_ids: list[Id] | None = Field(None, max_length=MAX_LEADERS)
    goals: GoalsIn | None = None
    goals_2008: TextOf(Course, "goals_2008_text") | None = Field(
        None, description="SOSFS 2008:17 goals as free text."
    )

    @field_validator(
        "title", "description", "days", "leader_ids", "goals", "goals_2008", mode="before"
    )
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Validators run only on values the client sent: an explicit null lands here.
        if value is None:
            raise ValueError(_("This field cannot be empty."))
        return value


class RemoveCourseIn(Schema):
    reason: NoteText = Field(description="Why the course is removed; told to its participants.")
