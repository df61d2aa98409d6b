"""A trainee who moves region (C23, SPEC 2): staff of the present region move them to a home
unit of another region; the whole record goes with them, the new region's staff see it from the
move on and the old region's no longer; registrations made before keep the unit that paid."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from stportal.accounts.models import Role, RoleAssignment, TraineeProfile
from stportal.accounts.services import move_trainee
from stportal.accounts.tokens import issue_api_token
from stportal.core.audit import AuditEvent
from stportal.core.errors import NotFound, ValidationFailed
from stportal.courses.services import create_course_week
from stportal.registrations.models import Registration
from stportal.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_unit(other_region):
    return factories.HomeUnitFactory(region=other_region, name="Vårdcentralen Högsbo")


@pytest.fixture
def trainee_with_supervisor(trainee, region):
    trainee.supervisor = factories.user_with_role(Role.SUPERVISOR, region=region)
    trainee.save()
    return trainee


def call(user, method, path, body=None):
    client = Client()
    headers = {"Authorization": f"Bearer {issue_api_token(actor=None, user=user)}"}
    if method == "get":
        return client.get(f"/api/v1/{path}", headers=headers)
    return client.post(
        f"/api/v1/{path}", data=body or {}, content_type="application/json", headers=headers
    )


def test_the_record_moves_and_the_new_regions_staff_see_it_from_then(
    trainee_with_supervisor, course_admin, outsider_admin, new_unit, other_region, region
):
    trainee = trainee_with_supervisor
    assert call(outsider_admin, "get", f"trainees/{trainee.pk}").status_code == 404
    response = call(
        course_admin, "post", f"trainees/{trainee.pk}/move", {"home_unit_id": new_unit.pk}
    )
    assert response.status_code == 200, response.content
    trainee.refresh_from_db()
    assert trainee.home_unit == new_unit
    assert trainee.supervisor is None, "the old region's supervisor no longer follows"
    assert call(outsider_admin, "get", f"trainees/{trainee.pk}").status_code == 200
    assert call(course_admin, "get", f"trainees/{trainee.pk}").status_code == 404
    roles = set(
        RoleAssignment.objects.filter(user=trainee.user, role=Role.TRAINEE).values_list(
            "region_id", flat=True
        )
    )
    assert roles == {other_region.pk}
    event = AuditEvent.objects.get(action="trainee.moved")
    assert (event.before["region_id"], event.after["region_id"]) == (region.pk, other_region.pk)


def test_registrations_made_before_keep_the_unit_that_paid(trainee, course_admin, new_unit, series):
    week = create_course_week(
        actor=course_admin,
        series=series,
        title="LEKA A 2027",
        start_date=dt.date(2027, 3, 22),
        end_date=dt.date(2027, 3, 26),
        place="Umeå",
        capacity=10,
        invitation_date=dt.date(2026, 9, 1),
        registration_deadline=dt.date(2026, 10, 15),
        late_cancellation_fee=3000,
    )
    registration = Registration.objects.create(
        course_week=week,
        trainee=trainee,
        home_unit=trainee.home_unit,
        curriculum_version=trainee.curriculum_version,
        created_by=trainee.user,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    old_unit = trainee.home_unit
    move_trainee(actor=course_admin, profile=trainee, home_unit=new_unit)
    registration.refresh_from_db()
    assert registration.home_unit == old_unit


def test_only_staff_of_the_present_region_move_a_trainee(
    trainee, outsider_admin, region, new_unit, home_unit
):
    supervisor = factories.user_with_role(Role.SUPERVISOR, region=region)
    for outsider in (outsider_admin, supervisor, trainee.user):
        with pytest.raises(NotFound):
            move_trainee(actor=outsider, profile=trainee, home_unit=new_unit)
    assert TraineeProfile.objects.get(pk=trainee.pk).home_unit == home_unit
    refused = call(trainee.user, "post", f"trainees/{trainee.pk}/move", {"home_unit_id": 1})
    assert refused.status_code == 403


def test_a_move_within_the_region_or_to_an_unknown_unit_is_refused(trainee, course_admin, region):
    same_region = factories.HomeUnitFactory(region=region)
    with pytest.raises(ValidationFailed):
        move_trainee(actor=course_admin, profile=trainee, home_unit=same_region)
    response = call(course_admin, "post", f"trainees/{trainee.pk}/move", {"home_unit_id": 999_999})
    assert response.status_code == 422
    assert "home_unit_id" in response.content.decode()
