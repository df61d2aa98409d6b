"""Writes of the core app: a barrier report from the accessibility statement."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stportal.core import audit
from stportal.core.models import BarrierReport


def report_barrier(
    *, actor: Any, page: str, description: str, email: str, language: str
) -> BarrierReport:
    """Keep a report of an accessibility barrier (anyone may send one, logged in or not),
    audited in the same transaction. The reporter's address is kept on the report only."""
    with transaction.atomic():
        report = BarrierReport.objects.create(
            reporter=actor if getattr(actor, "is_authenticated", False) else None,
            page=page,
            description=description,
            email=email,
            language=language,
        )
        audit.record(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action="barrier.reported",
            obj=report,
            after={"page": page},
        )
    return report
