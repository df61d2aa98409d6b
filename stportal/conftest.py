"""Shared personas for the test suite (STYLE: a course admin, a trainee, an outsider …)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from stportal.accounts.models import Role
from stportal.testing import factories

# The property tests check rules, not speed: on a loaded CI machine generating inputs may be
# slow and one example may take long, which says nothing about the rule (speed is measured by
# the benchmarks in bench/).
hypothesis_settings.register_profile(
    "stportal", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("stportal")


@pytest.fixture
def region(db):
    return factories.RegionFactory()


@pytest.fixture
def other_region(db):
    return factories.RegionFactory(name="Region Annanstans", code="annanstans")


@pytest.fixture
def series(region):
    return factories.CourseSeriesFactory(region=region)


@pytest.fixture
def course_admin(region):
    return factories.user_with_role(Role.COURSE_ADMIN, region=region, username="kursadmin-test")


@pytest.fixture
def regional_study_director(region):
    return factories.user_with_role(
        Role.REGIONAL_STUDY_DIRECTOR, region=region, username="studierektor-test"
    )


@pytest.fixture
def home_unit(region):
    return factories.HomeUnitFactory(region=region)


@pytest.fixture
def trainee(home_unit):
    return factories.TraineeFactory(home_unit=home_unit, user__username="stlakare-test")


@pytest.fixture
def outsider_admin(other_region):
    """A course admin of another region: must see nothing of ours."""
    return factories.user_with_role(
        Role.COURSE_ADMIN, region=other_region, username="kursadmin-annan"
    )


@pytest.fixture(autouse=True)
def long_lived_api_tokens(settings):
    """Tests travel through a whole course year; a token made at its start must outlive the
    trip. The expiry tests set the lifetime they test."""
    settings.API_TOKEN_DAYS = 3650
