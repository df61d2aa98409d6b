"""Fixtures of the secondment, allowance and credit tests: a trainee in allmänmedicin 2015
with their supervisor, a study director of the trainee's area and one of another area, and a
course admin of the region."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.accounts.models import Role
from stportal.core.dates import STOCKHOLM
from stportal.secondments.seed import load_seed
from stportal.testing import factories

NOW = dt.datetime(2027, 4, 12, 10, 0, tzinfo=STOCKHOLM)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def seeded(db):
    """The seed's kinds (a flushed test database may have lost the data migration's rows)."""
    load_seed()


@pytest.fixture
def area(region):
    return factories.AreaFactory(region=region, name="Område Norr")


@pytest.fixture
def other_area(region):
    return factories.AreaFactory(region=region, name="Område Söder")


@pytest.fixture
def unit(region, area):
    return factories.HomeUnitFactory(region=region, area=area, name="Hälsocentralen Ålidhem")


@pytest.fixture
def supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-test")


@pytest.fixture
def other_supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-annan")


@pytest.fixture
def study_director(region, area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=area, username="studierektor-norr"
    )


@pytest.fixture
def other_study_director(region, other_area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=other_area, username="studierektor-soder"
    )


@pytest.fixture
def course_admin(region):
    return factories.user_with_role(Role.COURSE_ADMIN, region=region, username="kursadmin-test")


@pytest.fixture
def sara(unit, supervisor):
    return factories.TraineeFactory(
        home_unit=unit,
        supervisor=supervisor,
        planned_completion=dt.date(2030, 4, 11),
        user__username="sara-test",
        user__first_name="Sara",
        user__last_name="Berglund",
        personal_id="198503152384",
    )


@pytest.fixture
def other_trainee(unit):
    return factories.TraineeFactory(home_unit=unit, user__username="annan-st")
