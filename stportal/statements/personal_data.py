"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.core.erasure import Erased, Person, clear, merged
from stportal.core.personal_data import rows
from stportal.statements.models import StatementVersion, SupervisorStatement


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "statements": rows(SupervisorStatement.objects.filter(trainee_id=trainee_id)),
        "versions": rows(StatementVersion.objects.filter(statement__trainee_id=trainee_id)),
    }


def anonymise(person: Person) -> Erased:
    """The statements' text and comments, in every version, go; that a statement was
    written, when and by whom stays."""
    if person.trainee_id is None:
        return {}
    return merged(
        clear(
            SupervisorStatement.objects.filter(trainee_id=person.trainee_id),
            text="",
            review_comment="",
        ),
        clear(
            StatementVersion.objects.filter(statement__trainee_id=person.trainee_id),
            text="",
            comment="",
        ),
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = SupervisorStatement.objects.filter(trainee_id=trainee_id).aggregate(
        last=Max("updated_at")
    )
    return found["last"]
