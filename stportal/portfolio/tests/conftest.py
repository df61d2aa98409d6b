"""Fixtures of the record tests: the finished course week of the attendance tests, built
through the services, with its Etik register closed (two passed, one incomplete)."""

import pytest

from stportal.accounts.models import Role
from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.attendance.tests.fixtures import AFTER_COURSE, attend
from stportal.testing import factories


@pytest.fixture
def supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-test")


@pytest.fixture
def other_supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-annan")


@pytest.fixture
def study_director(home_unit):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=home_unit.region, area=home_unit.area, username="sr-test"
    )


@pytest.fixture
def people(make_participant, seat, supervisor, other_supervisor):
    """A 2015 and a 2021 trainee in allmänmedicin supervised by `supervisor`, and a third who
    misses days, supervised by `other_supervisor`."""
    asa = make_participant(
        "2015", user__first_name="Åsa", user__last_name="Öberg", supervisor=supervisor
    )
    goran = make_participant(
        "2021", user__first_name="Göran", user__last_name="Ärlig", supervisor=supervisor
    )
    bo = make_participant(
        "2015", user__first_name="Bo", user__last_name="Berg", supervisor=other_supervisor
    )
    return seat(asa, goran, bo)


@pytest.fixture
def closed(etik, course_leader, people):
    """Etik closed: Åsa and Göran passed, Bo incomplete."""
    asa, goran, bo = people
    attend(course_leader, etik, asa, "PPP")
    attend(course_leader, etik, goran, "PPP")
    attend(course_leader, etik, bo, "PAA")
    attendance_services.record_results(
        actor=course_leader,
        course=etik,
        results=[(bo.pk, "incomplete", "Seminarierna tisdag och onsdag.")],
        now=AFTER_COURSE,
    )
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    return people
