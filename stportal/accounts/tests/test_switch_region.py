"""A person holding staff roles in two regions switches between them (SPEC 2: roles are held
within a region): after choosing one, pages and the API with the session act in that region
only; choosing "all" gives both back; a region not theirs cannot be chosen; a personal API
token (no session) acts in all of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from stportal.accounts.models import Role
from stportal.accounts.services import grant_role
from stportal.accounts.tokens import issue_api_token
from stportal.courses import services as course_services
from stportal.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_region_admin(course_admin, other_region):
    grant_role(actor=None, user=course_admin, role=Role.COURSE_ADMIN, region=other_region)
    return course_admin


@pytest.fixture
def weeks(series, other_region, two_region_admin):
    other_series = factories.CourseSeriesFactory(region=other_region, name="LEKA B")

    def make(s, title):
        return course_services.create_course_week(
            actor=two_region_admin,
            series=s,
            title=title,
            start_date=dt.date(2027, 3, 22),
            end_date=dt.date(2027, 3, 26),
            place="",
            capacity=10,
            invitation_date=dt.date(2026, 9, 1),
            registration_deadline=dt.date(2026, 10, 15),
            late_cancellation_fee=0,
        )

    return make(series, "Vecka i region A"), make(other_series, "Vecka i region B")


def titles(client):
    return {w["title"] for w in client.get("/api/v1/course-weeks").json()}


def test_switching_narrows_pages_and_api_to_one_region_and_back(
    two_region_admin, weeks, region, other_region
):
    client = Client()
    client.force_login(two_region_admin)
    assert titles(client) == {"Vecka i region A", "Vecka i region B"}
    page = client.get("/").content.decode()
    assert 'name="region"' in page and other_region.name in page

    answer = client.post("/konto/region/", {"region": region.pk}, follow=True)
    assert f"Du arbetar nu i {region.name}" in answer.content.decode()
    assert titles(client) == {"Vecka i region A"}
    week_b = weeks[1]
    assert client.get(f"/api/v1/course-weeks/{week_b.pk}").status_code == 404

    client.post("/konto/region/", {"region": ""})
    assert titles(client) == {"Vecka i region A", "Vecka i region B"}


def test_a_region_not_ones_own_cannot_be_chosen(course_admin, other_region):
    client = Client()
    client.force_login(course_admin)
    assert client.post("/konto/region/", {"region": other_region.pk}).status_code == 404
    assert client.post("/konto/region/", {"region": "x" * 50}).status_code == 404


def test_a_personal_token_acts_in_every_region(two_region_admin, weeks, region):
    client = Client()
    client.force_login(two_region_admin)
    client.post("/konto/region/", {"region": region.pk})
    token = issue_api_token(actor=None, user=two_region_admin)
    found = (
        Client().get("/api/v1/course-weeks", headers={"Authorization": f"Bearer {token}"}).json()
    )
    assert {w["title"] for w in found} == {"Vecka i region A", "Vecka i region B"}


def test_staff_of_one_region_see_no_switch(course_admin):
    client = Client()
    client.force_login(course_admin)
    assert 'name="region"' not in client.get("/").content.decode()
