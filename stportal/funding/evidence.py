"""External courses paid from the training funds as attachments to the specialist application
(SPEC 5 P14): each approved application with its course certificate attached, naming the goals
the application gave; its document is the certificate the trainee attached.

Registered with `stportal.curricula.attachments` in `FundingConfig.ready()`. Two queries.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch

from stportal.curricula.attachments import COURSE, Evidence
from stportal.curricula.models import Goal
from stportal.funding.models import FundingApplication, FundingStatus

SOURCE = "funding"


def _attached(application_id: int) -> Callable[[], bytes]:
    def pdf() -> bytes:
        raw = (
            FundingApplication.objects.filter(pk=application_id)
            .values_list("certificate_pdf", flat=True)
            .first()
        )
        return bytes(raw or b"")

    return pdf


def evidence(trainee_id: int) -> list[Evidence]:
    """The trainee's approved external courses with their certificate attached."""
    rows = (
        FundingApplication.objects.filter(
            trainee_id=trainee_id,
            status=FundingStatus.APPROVED,
            certificate_uploaded_at__isnull=False,
        )
        .only("pk", "course_title", "provider", "start_date", "end_date")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("pk", "code").order_by("position", "code"))
        )
        .order_by("start_date", "id")
    )
    return [
        Evidence(
            kind=COURSE,
            title=f"{application.course_title} ({application.provider})",
            goals=tuple(goal.code for goal in application.goals.all()),
            start=application.start_date,
            end=application.end_date or application.start_date,
            source=SOURCE,
            source_id=application.pk,
            pdf=_attached(application.pk),
        )
        for application in rows
    ]
