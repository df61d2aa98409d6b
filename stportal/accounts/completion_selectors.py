"""Reads on the planned ST completion date and its history (C5a), with permission meaning.

An object outside the caller's reach and an unknown one answer alike: `NotFound`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from stportal.accounts import permissions
from stportal.accounts.models import (
    PlannedCompletionChange,
    PlannedCompletionStatus,
    Role,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core.errors import NotFound
from stportal.core.permissions import staff_region_ids


def _changes() -> QuerySet[PlannedCompletionChange]:
    return PlannedCompletionChange.objects.select_related(
        "trainee__user",
        "trainee__home_unit",
        "requested_by",
        "decided_by",
    )


def history_of(profile: TraineeProfile) -> QuerySet[PlannedCompletionChange]:
    """Every proposal and change of the trainee's date, newest first."""
    return _changes().filter(trainee=profile).order_by("-requested_at", "-id")


def _decidable(user: User) -> Q:
    """The trainees whose proposals `user` decides (`permissions.may_decide_planned_completion`
    as a query): named study director, study director of the unit's area, staff of the region."""
    areas = RoleAssignment.objects.filter(
        user=user, role=Role.STUDY_DIRECTOR, area__isnull=False
    ).values("area_id")
    condition = (
        Q(trainee__study_director=user)
        | Q(trainee__home_unit__area_id__in=areas)
        | Q(trainee__home_unit__region_id__in=staff_region_ids(user))
    )
    return condition & ~Q(trainee__user=user)


def pending_proposals_for(user: User) -> QuerySet[PlannedCompletionChange]:
    """Proposals waiting for this study director or staff member, oldest first."""
    return (
        _changes()
        .filter(_decidable(user), status=PlannedCompletionStatus.PROPOSED)
        .order_by("requested_at", "id")
    )


def decides_any(user: User) -> bool:
    """Whether the person decides planned completion dates for anyone: staff, a study
    director by role, or a study director named on a record."""
    return bool(
        staff_region_ids(user)
        or RoleAssignment.objects.filter(user=user, role=Role.STUDY_DIRECTOR).exists()
        or TraineeProfile.objects.filter(study_director=user).exists()
    )


def get_change_for_user(user: User, change_id: int) -> PlannedCompletionChange:
    """A proposal or change the caller may see: the trainee's own, or one they decide."""
    change = _changes().filter(pk=change_id).first()
    if change is None or not permissions.may_see_planned_completion_history(user, change.trainee):
        raise NotFound()
    return change


def get_trainee_for_decider(user: User, trainee_id: int) -> TraineeProfile:
    """A trainee whose date the caller decides (the study director, staff); 404 otherwise."""
    profile = (
        TraineeProfile.objects.select_related(
            "user", "home_unit", "home_unit__region", "specialty", "curriculum_version"
        )
        .filter(pk=trainee_id)
        .first()
    )
    if profile is None or not permissions.may_decide_planned_completion(user, profile):
        raise NotFound()
    return profile
