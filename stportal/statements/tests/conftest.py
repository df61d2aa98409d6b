"""The people around a trainee's statements (P5): the trainee and their supervisor, the
study director of their area and the region's, and outsiders of every kind."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from stportal.accounts.models import Role
from stportal.accounts.tokens import issue_api_token
from stportal.testing import factories


@pytest.fixture
def people(region, other_region):
    area = factories.AreaFactory(region=region)
    other_area = factories.AreaFactory(region=region)
    unit = factories.HomeUnitFactory(region=region, area=area)
    supervisor = factories.UserFactory(username="handledare-t", first_name="Hanna")
    other_supervisor = factories.UserFactory(username="handledare-annan")
    owner = factories.TraineeFactory(
        home_unit=unit, supervisor=supervisor, user__username="stlakare-t"
    )
    neighbour = factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(region=region, area=other_area),
        supervisor=other_supervisor,
    )
    return SimpleNamespace(
        owner=owner,
        neighbour=neighbour,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        area_director=factories.user_with_role(
            Role.STUDY_DIRECTOR, region=region, area=area, username="studierektor-t"
        ),
        other_area_director=factories.user_with_role(
            Role.STUDY_DIRECTOR, region=region, area=other_area, username="studierektor-annan"
        ),
        regional_director=factories.user_with_role(
            Role.REGIONAL_STUDY_DIRECTOR, region=region, username="regional-t"
        ),
        course_admin=factories.user_with_role(Role.COURSE_ADMIN, region=region),
        b_regional_director=factories.user_with_role(
            Role.REGIONAL_STUDY_DIRECTOR, region=other_region
        ),
    )


def api(user, method: str, path: str, body=None):
    token = issue_api_token(actor=None, user=user)
    client = Client()
    send = getattr(client, method.lower())
    headers = {"Authorization": f"Bearer {token}"}
    if method == "GET":
        return send(f"/api/v1/{path}", headers=headers)
    return send(
        f"/api/v1/{path}",
        data=body if body is not None else "",
        content_type="application/json",
        headers=headers,
    )
