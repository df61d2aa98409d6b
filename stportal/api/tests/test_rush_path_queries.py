"""SPEC 7: the writes of the registration rush cost a fixed, small number of SQL statements,
the same for the first registration of a week as for the fortieth.

Each request goes through the whole stack with a personal API token. The counts include the
test's own transaction, which shows the request's transaction as a SAVEPOINT and a RELEASE.

Each person has used their token a moment before (its last use is written at most once a
minute, one statement more now and then).

A registration before allocation (C8), 16 statements:
- the caller: the token (1);
- the week and whether the caller may see it (3), the trainee (1);
- the transaction (2): the week read again under a shared lock (1), its courses (1), an
  earlier registration of the trainee for the week (1), the registration (1), its lines in
  one statement (1), their audit events in one statement (1), the e-mail (1);
- the answer: where its pending lines would land if allocation ran now (2); the registration
  and its lines are the ones just written, not read again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services
from stportal.registrations.models import LineStatus, RegistrationLine
from stportal.testing import factories

REGISTER = 16
LATE_REGISTER = 21  # two courses: the seats and the waiting list read per course
CANCEL = 38  # two courses freed: each promotes the first in line and tells them
ACCEPT_OFFER = 24


def at(*args):
    return dt.datetime(*args, tzinfo=STOCKHOLM)


def counted(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured), response


@pytest.fixture
def week(make_week, course_admin, frozen_time):
    """A published week of two courses with one seat each, open for registration."""
    week = course_services.publish_course_week(
        actor=course_admin, week=make_week(courses=2, capacity=1)
    )
    frozen_time.move_to(at(2026, 9, 10, 9))
    return week


def trainees(count):
    return [factories.TraineeFactory(home_unit=factories.HomeUnitFactory()) for _ in range(count)]


def register(api, week, trainee):
    api.get("me", trainee.user)  # warm: the token's last use and the process's first reads
    return counted(lambda: api.post(f"course-weeks/{week.pk}/registrations", trainee.user, json={}))


def test_a_registration_costs_the_same_few_statements_however_full_the_week(api, week):
    """C5–C7: the first and the fortieth registration of a week cost the same 16
    statements."""
    people = trainees(40)
    costs = []
    for person in people:
        queries, response = register(api, week, person)
        assert response.status_code == 201, response.content
        costs.append(queries)
    assert costs[0] == costs[-1] == REGISTER
    # The answer built from what was written reads exactly as the registration read back.
    answer = response.json()
    assert api.get(f"registrations/{answer['id']}", people[-1].user).json() == answer
    assert RegistrationLine.objects.filter(status=LineStatus.PENDING).count() == 80


def test_the_writes_of_the_rush_cost_a_fixed_number_of_statements(
    api, week, course_admin, frozen_time
):
    """C10, C11, C14: a late registration placed at once, a cancellation that frees two
    seats and offers them on, and the acceptance of an offer, each in a fixed number of
    statements."""
    first, second, third, late = trainees(4)
    for person in (first, second, third):
        queries, response = register(api, week, person)
        assert (response.status_code, queries) == (201, REGISTER)
    frozen_time.move_to(at(2026, 10, 20, 9))
    api.post(f"course-weeks/{week.pk}/allocation", course_admin, json={"dry_run": False})

    queries, response = register(api, week, late)
    assert response.status_code == 201
    assert {line["status"] for line in response.json()["lines"]} == {"waitlisted"}
    assert queries == LATE_REGISTER

    frozen_time.move_to(at(2027, 3, 12, 9))
    seated = RegistrationLine.objects.filter(status=LineStatus.CONFIRMED).first().registration
    holder = seated.trainee
    api.get("me", holder.user)
    queries, response = counted(
        lambda: api.post(f"registrations/{seated.pk}/cancel", holder.user, json={})
    )
    assert response.status_code == 200
    assert {line["status"] for line in response.json()["lines"]} == {"cancelled"}
    assert queries == CANCEL

    offered = RegistrationLine.objects.filter(status=LineStatus.OFFERED).first()
    taker = offered.registration.trainee
    api.get("me", taker.user)
    queries, response = counted(
        lambda: api.post(
            f"registrations/{offered.registration_id}/accept-offer",
            taker.user,
            json={"course_id": offered.course_id},
        )
    )
    assert response.status_code == 200
    assert queries == ACCEPT_OFFER
    offered.refresh_from_db()
    assert offered.status == LineStatus.CONFIRMED
