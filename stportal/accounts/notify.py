"""E-mail about the planned ST completion date (C5a, C22): the study director is told of a
proposal, the trainee of the decision. Queued in the outbox inside the action's transaction
and sent after commit, so a failed send never undoes the action."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from stportal.accounts.models import (
    PlannedCompletionChange,
    PlannedCompletionStatus,
    Role,
    RoleAssignment,
    TraineeProfile,
    User,
)


def _queue(**kwargs: Any) -> None:
    # The outbox lives in a later layer (it renders e-mail for the registration engine too);
    # imported here so that accounts stays importable without it.
    from stportal.notifications.services import queue_email

    queue_email(**kwargs)


def _url(path: str) -> str:
    from stportal.notifications.services import site_url

    return site_url() + path


def study_directors_of(profile: TraineeProfile) -> list[User]:
    """Who decides the trainee's proposals: the study director named on the record and those
    of the home unit's area; where there is none, the region's regional study directors."""
    unit = profile.home_unit
    condition = Q(pk=profile.study_director_id) if profile.study_director_id else Q(pk__in=[])
    if unit.area_id is not None:
        condition |= Q(
            pk__in=RoleAssignment.objects.filter(
                role=Role.STUDY_DIRECTOR, region_id=unit.region_id, area_id=unit.area_id
            ).values("user_id")
        )
    found = list(
        User.objects.filter(condition, is_active=True).exclude(pk=profile.user_id).order_by("pk")
    )
    if found:
        return found
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.filter(
                role=Role.REGIONAL_STUDY_DIRECTOR, region_id=unit.region_id
            ).values("user_id"),
        )
        .exclude(pk=profile.user_id)
        .order_by("pk")
    )


def _context(change: PlannedCompletionChange) -> dict[str, Any]:
    return {
        "trainee_name": change.trainee.user.display_name,
        "old_date": change.old_date,
        "new_date": change.new_date,
        "reason": change.reason,
        "comment": change.decision_comment,
        "approved": change.status == PlannedCompletionStatus.APPROVED,
        "decided_by": change.decided_by.display_name if change.decided_by else "",
        "set_directly": change.requested_by_id != change.trainee.user_id,
    }


def proposal_made(change: PlannedCompletionChange) -> None:
    context = {**_context(change), "url": _url(reverse("accounts:completion_proposals"))}
    for director in study_directors_of(change.trainee):
        _queue(
            kind="planned_completion_proposed",
            to_user=director,
            context=context,
            dedupe_key=f"planned_completion_proposed:{change.pk}:{director.pk}",
        )


def decision_made(change: PlannedCompletionChange) -> None:
    _queue(
        kind="planned_completion_decided",
        to_user=change.trainee.user,
        context={**_context(change), "url": _url(reverse("accounts:my_st"))},
        dedupe_key=f"planned_completion_decided:{change.pk}",
    )
