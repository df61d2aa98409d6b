"""Trainees (ST-läkare): staff create and list them; the trainee, their supervisor and study
director read one record. Personal identity numbers are masked in every answer (SPEC 7)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from stportal.accounts import selectors, services
from stportal.accounts.exports import export_personal_data
from stportal.accounts.models import HomeUnit, TraineeProfile
from stportal.accounts.permissions import may_move_trainee
from stportal.api.auth import AUTH, STAFF_AUTH, caller
from stportal.api.errors import resolve_together
from stportal.api.schemas import TraineeIn, TraineeOut
from stportal.api.types import Id
from stportal.core.errors import NotFound, ValidationFailed

router = Router(tags=["trainees"])


@router.post("", auth=STAFF_AUTH, response={201: TraineeOut}, summary="Create a trainee")
def create_trainee(request: HttpRequest, payload: TraineeIn) -> TraineeProfile:
    user = caller(request)
    refs = resolve_together(
        specialty=lambda: selectors.resolve_specialty(payload.specialty),
        curriculum_version=lambda: selectors.resolve_curriculum_version(payload.curriculum_version),
        home_unit=lambda: selectors.home_unit_for_staff(user, payload.home_unit_id),
    )
    profile = services.create_trainee(
        actor=user,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        personal_id=payload.personal_id,
        specialty=refs["specialty"],
        curriculum_version=refs["curriculum_version"],
        planned_completion=payload.planned_completion,
        home_unit=refs["home_unit"],
        employment_percent=payload.employment_percent,
        st_start=payload.st_start,
    )
    return selectors.get_trainee_for_user(user, profile.pk)


@router.get("", auth=STAFF_AUTH, response=list[TraineeOut], summary="List trainees")
def list_trainees(request: HttpRequest, home_unit_id: Id | None = None) -> QuerySet[TraineeProfile]:
    return selectors.trainees_for_user(caller(request), home_unit_id=home_unit_id)


@router.get("/{id:trainee_id}", auth=AUTH, response=TraineeOut, summary="Get a trainee")
def get_trainee(request: HttpRequest, trainee_id: int) -> TraineeProfile:
    return selectors.get_trainee_for_user(caller(request), trainee_id)


@router.get(
    "/{id:trainee_id}/export",
    auth=AUTH,
    response=dict[str, Any],
    summary="Everything held about a trainee (GDPR): the trainee, staff of the region",
)
def export_trainee(request: HttpRequest, trainee_id: int) -> dict[str, Any]:
    profile = (
        TraineeProfile.objects.select_related("user", "home_unit").filter(pk=trainee_id).first()
    )
    if profile is None:
        raise NotFound()
    return export_personal_data(actor=caller(request), profile=profile)


class MoveIn(Schema):
    home_unit_id: Id = Field(description="A home unit of another region of the installation.")


@router.post(
    "/{id:trainee_id}/move",
    auth=STAFF_AUTH,
    response=TraineeOut,
    summary="Move a trainee to another region (C23): staff of the present region",
)
def move_trainee(request: HttpRequest, trainee_id: int, payload: MoveIn) -> TraineeProfile:
    user = caller(request)
    profile = (
        TraineeProfile.objects.select_related("user", "home_unit").filter(pk=trainee_id).first()
    )
    if profile is None:
        raise NotFound()
    home_unit = HomeUnit.objects.filter(pk=payload.home_unit_id).first()
    if home_unit is None:
        if not may_move_trainee(user, profile):
            raise NotFound()
        raise ValidationFailed({"home_unit_id": [_("Unknown home unit.")]})
    moved = services.move_trainee(actor=user, profile=profile, home_unit=home_unit)
    return TraineeProfile.objects.select_related(
        "user", "home_unit", "specialty", "curriculum_version"
    ).get(pk=moved.pk)
