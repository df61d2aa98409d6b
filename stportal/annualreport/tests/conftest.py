"""The people around a trainee's annual reports (SPEC 5 P13): the trainee and their
supervisor, the study director of their area and the region's, and outsiders of every kind."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from stportal.accounts.models import Role
from stportal.accounts.tokens import issue_api_token
from stportal.annualreport import services
from stportal.testing import factories

YEAR = 2026
REFLECTION = "Jag har blivit tryggare i akuta bedömningar.\nMål nästa år: forskningsarbetet."
ASSESSMENT = "Sara har utvecklats väl och arbetar självständigt på vårdcentralen."


def _named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def people(region, other_region):
    area = factories.AreaFactory(region=region)
    other_area = factories.AreaFactory(region=region)
    unit = factories.HomeUnitFactory(region=region, area=area)
    supervisor = factories.UserFactory(
        username="handledare-t", first_name="Hanna", last_name="Handledare"
    )
    other_supervisor = factories.UserFactory(username="handledare-annan")
    owner = factories.TraineeFactory(
        home_unit=unit,
        supervisor=supervisor,
        user__username="stlakare-t",
        user__first_name="Sara",
        user__last_name="Berglund",
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
        area_director=_named(
            factories.user_with_role(
                Role.STUDY_DIRECTOR, region=region, area=area, username="studierektor-t"
            ),
            "Stina",
            "Studierektor",
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


def draft(people, year=YEAR):
    return services.create_report(actor=people.owner.user, trainee=people.owner, year=year)


def completed(people, year=YEAR):
    """A draft with both parts written."""
    report = draft(people, year)
    report = services.write_part(actor=people.owner.user, report=report, text=REFLECTION)
    return services.write_part(actor=people.supervisor, report=report, text=ASSESSMENT)


def submitted(people, year=YEAR):
    return services.submit_report(actor=people.supervisor, report=completed(people, year))


def api(user, method: str, path: str, body=None):
    client = Client()
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {issue_api_token(actor=None, user=user)}"
    send = getattr(client, method.lower())
    if method == "GET":
        return send(f"/api/v1/{path}", headers=headers)
    return send(
        f"/api/v1/{path}",
        data=body if body is not None else "",
        content_type="application/json",
        headers=headers,
    )


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
