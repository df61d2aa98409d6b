"""E-mail about competence assessments (P12): the assessor is sent the link, the trainee is
told when the assessment is completed. Queued in the action's transaction, sent after commit,
so a failed send never undoes the action."""

from __future__ import annotations

from django.urls import reverse

from stportal.assessments.models import Assessment
from stportal.notifications.services import queue_email, site_url

REQUESTED = "assessment_requested"
COMPLETED = "assessment_completed"


def link_url(token: str) -> str:
    return site_url() + reverse("assessments:assess", args=[token])


def assessment_requested(assessment: Assessment, token: str) -> None:
    """To the assessor's address: who asks, what kind, which goals, and the link (the only
    place the token goes)."""
    trainee = assessment.trainee
    queue_email(
        kind=REQUESTED,
        to_email=assessment.assessor_email,
        context={
            "recipient_name": assessment.assessor_name,
            "trainee_name": trainee.user.display_name,
            "kind": assessment.get_kind_display(),
            "goals": ", ".join(assessment.goal_codes),
            "context": assessment.context,
            "expires_at": assessment.link_expires_at,
            "url": link_url(token),
        },
        dedupe_key=f"{REQUESTED}:{assessment.pk}:{assessment.times_sent}",
    )


def assessment_completed(assessment: Assessment) -> None:
    """To the trainee: the assessor completed it; where to read it."""
    queue_email(
        kind=COMPLETED,
        to_user=assessment.trainee.user,
        context={
            "assessor_name": assessment.assessor_name,
            "kind": assessment.get_kind_display(),
            "goals": ", ".join(assessment.goals_shown),
            "url": site_url() + reverse("assessments:detail", args=[assessment.pk]),
        },
        dedupe_key=f"{COMPLETED}:{assessment.pk}",
    )
