"""Fixtures of the certificate tests: the finished course week of the attendance tests, and
its Etik register closed with two passed participants and one incomplete."""

import pytest

from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.attendance.tests.fixtures import AFTER_COURSE, attend


@pytest.fixture
def people(make_participant, seat):
    """A 2015 and a 2021 trainee in allmänmedicin, and a third who misses a day."""
    asa = make_participant(
        "2015",
        user__first_name="Åsa Märta",
        user__last_name="Öberg-Ekström",
        personal_id="198503152384",
    )
    goran = make_participant(
        "2021", user__first_name="Göran", user__last_name="Ärlig", personal_id="199204101233"
    )
    bo = make_participant("2015", user__first_name="Bo", user__last_name="Berg")
    return seat(asa, goran, bo)


@pytest.fixture
def closed(etik, course_leader, people):
    """Etik closed: Åsa and Göran passed with full attendance, Bo incomplete."""
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
