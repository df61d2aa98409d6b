"""E-mail about funding applications (P3): the trainee is told of the decision, with the
comment. Queued in the outbox inside the decision's transaction, sent after commit."""

from __future__ import annotations

from django.urls import reverse

from stportal.funding.models import FundingApplication, FundingStatus
from stportal.notifications.services import queue_email, site_url


def decision_made(application: FundingApplication) -> None:
    trainee = application.trainee
    queue_email(
        kind="funding_application_decided",
        to_user=trainee.user,
        context={
            "trainee_name": trainee.user.display_name,
            "course_title": application.course_title,
            "provider": application.provider,
            "start_date": application.start_date,
            "approved": application.status == FundingStatus.APPROVED,
            "comment": application.decision_comment,
            "decided_by": application.decided_by.display_name if application.decided_by else "",
            "url": site_url() + reverse("funding:detail", args=[application.pk]),
        },
        dedupe_key=f"funding_application_decided:{application.pk}",
    )
