"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from stportal.annualreport.models import AnnualReport, AnnualReportVersion
from stportal.core.erasure import Erased, Person, clear, merged
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "annual_reports": rows(AnnualReport.objects.filter(trainee_id=trainee_id)),
        "versions": rows(AnnualReportVersion.objects.filter(report__trainee_id=trainee_id)),
    }


def anonymise(person: Person) -> Erased:
    """The reflections, the supervisor's assessment, comments and the frozen sections of the
    year go; the reports stay (how many were written and reviewed)."""
    if person.trainee_id is None:
        return {}
    texts = {"trainee_text": "", "supervisor_text": "", "sections": []}
    return merged(
        clear(
            AnnualReport.objects.filter(trainee_id=person.trainee_id),
            **texts,
            review_comment="",
        ),
        clear(
            AnnualReportVersion.objects.filter(report__trainee_id=person.trainee_id),
            **texts,
            comment="",
        ),
    )


def last_change(user_id: int, trainee_id: int | None):
    if trainee_id is None:
        return None
    found = AnnualReport.objects.filter(trainee_id=trainee_id).aggregate(last=Max("updated_at"))
    return found["last"]
