"""Fixtures of the study-time tests (SPEC 5 P6): a trainee at 75 % in allmänmedicin 2015 with a
confirmed seat in a real course week (LEKA A 2027, 22-26 March 2027, built through the
services by the attendance fixtures) and a four-week secondment from a period source of the
tests' own; the trainee's supervisor and study director, another supervisor and another
area's study director."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.accounts.models import Role
from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.core import periods
from stportal.core.dates import STOCKHOLM
from stportal.core.periods import SECONDMENT, Period
from stportal.testing import factories

# The first quarter of 2027: 14 weeks from Monday 28 December 2026 to Sunday 4 April 2027.
Q1_START, Q1_END = dt.date(2027, 1, 1), dt.date(2027, 3, 31)
COURSE_MONDAY = dt.date(2027, 3, 22)
SECONDMENT_START, SECONDMENT_END = dt.date(2027, 2, 1), dt.date(2027, 2, 26)
SECONDMENT_TITLE = "Psykiatri, Umeå"
NOW = dt.datetime(2027, 4, 12, 10, 0, tzinfo=STOCKHOLM)


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
def sara(unit, supervisor):
    return factories.TraineeFactory(
        home_unit=unit,
        supervisor=supervisor,
        employment_percent=75,
        user__username="sara-test",
        user__first_name="Sara",
        user__last_name="Berglund",
    )


@pytest.fixture
def other_trainee(unit):
    return factories.TraineeFactory(home_unit=unit, user__username="annan-test")


@pytest.fixture
def secondments(monkeypatch):
    """A period source of the tests' own for secondments (the secondments app registers the
    real one): trainee id -> periods."""
    found: dict[int, list[Period]] = {}
    monkeypatch.setitem(periods._SOURCES, "test_secondments", lambda tid: found.get(tid, []))
    return found


@pytest.fixture
def seated_sara(sara, seat, secondments):
    """Sara with a confirmed seat in LEKA A 2027 and four weeks of secondment in February."""
    seat(sara)
    secondments[sara.pk] = [
        Period(
            kind=SECONDMENT,
            start=SECONDMENT_START,
            end=SECONDMENT_END,
            title=SECONDMENT_TITLE,
            source="test",
            source_id=1,
        )
    ]
    return sara
