"""C13 with real concurrent clients: separate database connections racing in threads.

On PostgreSQL the services take row locks on the week and its courses in a fixed order; on
SQLite write transactions start IMMEDIATE. Either way: never more seats taken than capacity,
never two registrations for one trainee and week, nothing lost.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from stportal.core.errors import ServiceError
from stportal.registrations import services
from stportal.registrations.lines import SEAT_TAKING
from stportal.registrations.models import LineStatus, Registration, RegistrationLine
from stportal.registrations.tests.conftest import AFTER_DEADLINE, OPEN, at

CLIENTS = 60

pytestmark = pytest.mark.django_db(transaction=True)


def patient():
    """Sixty clients on sixty connections all wait for one lock at once here (a server has a
    few workers, so a few at a time): this connection waits as long as it takes, so the
    tests measure who gets the seats, not the lock timeout."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '60s'")


def _race(fn, items, workers):
    barrier = threading.Barrier(workers)

    def run(item):
        try:
            patient()
            barrier.wait(timeout=30)
            return ("ok", fn(item))
        except ServiceError as exc:
            return (exc.code, None)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))


@pytest.fixture(autouse=True)
def requires_postgres():
    """Skip before touching the database: on SQLite writers queue on one lock."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent clients need PostgreSQL (DATABASE_URL); SQLite serialises")


@pytest.fixture(autouse=True)
def curricula_seed(requires_postgres):
    """A transactional test flushes the tables afterwards, seed data included: reload it."""
    from stportal.curricula.seed import load_seed

    load_seed()


def test_many_clients_racing_for_the_last_seats_never_overbook(
    requires_postgres, make_week, make_trainee, course_admin
):
    """C13: 60 concurrent late registrations for the last 5 seats: exactly 5 seated, the rest
    waiting, none lost."""
    week = make_week(capacity=10, course_capacities=(None,))
    for _ in range(5):
        services.register_for_course_week(
            actor=course_admin, week=week, trainee=make_trainee(), now=OPEN
        )
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    trainees = [make_trainee() for _ in range(CLIENTS)]
    course = week.courses.get()

    def register(trainee):
        return services.register_for_course_week(
            actor=trainee.user, week=week, trainee=trainee, now=at(2026, 11, 1)
        ).pk

    outcomes = _race(register, trainees, CLIENTS)

    assert [code for code, _ in outcomes] == ["ok"] * CLIENTS
    taken = RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count()
    assert taken == 10
    waiting = RegistrationLine.objects.filter(course=course, status=LineStatus.WAITLISTED)
    assert waiting.count() == CLIENTS - 5
    # Waiting-list positions are a clean 1..N sequence: no two lines share a place.
    orders = list(waiting.values_list("queue_order", flat=True))
    assert len(set(orders)) == len(orders)
    assert Registration.objects.filter(course_week=week).count() == CLIENTS + 5


def test_many_clients_registering_the_same_trainee_make_one_registration(
    requires_postgres, week, make_trainee
):
    """C6, C13: duplicate registrations racing: exactly one made, the others 409."""
    trainee = make_trainee()

    def register(_):
        return services.register_for_course_week(
            actor=trainee.user, week=week, trainee=trainee, now=OPEN
        ).pk

    outcomes = _race(register, range(CLIENTS), CLIENTS)

    codes = sorted(code for code, _ in outcomes)
    assert codes.count("ok") == 1
    assert codes.count("registration_exists") == CLIENTS - 1
    assert Registration.objects.filter(trainee=trainee).count() == 1
    assert RegistrationLine.objects.filter(registration__trainee=trainee).count() == 2


def test_cancellations_and_promotions_racing_keep_the_seat_count(
    requires_postgres, make_week, make_trainee, course_admin
):
    """C11, C13: seated trainees cancelling at once while others wait: every freed seat is
    taken by exactly one waiting line, never more than capacity."""
    week = make_week(capacity=20, course_capacities=(None,))
    registrations = [
        services.register_for_course_week(
            actor=course_admin,
            week=week,
            trainee=make_trainee(dt.date(2027, 1, 1) + dt.timedelta(days=i)),
            now=OPEN,
        )
        for i in range(50)
    ]
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    seated = registrations[:20]
    course = week.courses.get()

    def cancel(registration):
        return services.cancel_registration_lines(
            actor=registration.trainee.user, registration=registration, now=at(2027, 1, 10)
        ).registration.pk

    outcomes = _race(cancel, seated, len(seated))

    assert [code for code, _ in outcomes] == ["ok"] * len(seated)
    assert RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count() == 20
    assert (
        RegistrationLine.objects.filter(course=course, status=LineStatus.WAITLISTED).count() == 10
    )
    assert RegistrationLine.objects.filter(course=course, status=LineStatus.CANCELLED).count() == 20
