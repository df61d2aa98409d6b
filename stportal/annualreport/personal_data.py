"""What this app holds about a person, for their export (`core.personal_data`)."""

from __future__ import annotations

from typing import Any

from stportal.annualreport.models import AnnualReport, AnnualReportVersion
from stportal.core.personal_data import rows


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    if trainee_id is None:
        return {}
    return {
        "annual_reports": rows(AnnualReport.objects.filter(trainee_id=trainee_id)),
        "versions": rows(AnnualReportVersion.objects.filter(report__trainee_id=trainee_id)),
    }
