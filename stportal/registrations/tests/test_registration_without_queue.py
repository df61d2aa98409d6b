"""C13 without a queue: registrations before allocation pass side by side; only writes that
place seats take the week's exclusive lock, which waits a bounded time.

Real concurrent clients on PostgreSQL (one connection per thread). Each race has a negative
control: the same race with the protection switched off shows what the protection prevents,
so these tests can fail.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from stportal.core.errors import Busy
from stportal.courses.models import Course, CourseWeek
from stportal.registrations import services
from stportal.registrations.lines import SEAT_TAKING
from stportal.registrations.models import LineStatus, Registration, RegistrationLine
from stportal.registrations.services import locking, registering
from stportal.registrations.tests.conftest import AFTER_DEADLINE, OPEN, at
from stportal.registrations.tests.test_concurrency import patient

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 3


@pytest.fixture(autouse=True)
def requires_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent clients need PostgreSQL (DATABASE_URL); SQLite serialises")


@pytest.fixture(autouse=True)
def curricula_seed(requires_postgres):
    """A transactional test flushes the tables afterwards, seed data included: reload it."""
    from stportal.curricula.seed import load_seed

    load_seed()


def in_thread(fn):
    """Run `fn` on its own connection; returns the future."""

    def run():
        try:
            return fn()
        finally:
            connections.close_all()

    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(run)
    pool.shutdown(wait=False)
    return future


def register(trainee, week, now=OPEN):
    return services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=now
    )


def holding_the_first_registration(monkeypatch):
    """The first registration to reach its e-mail stops there, its transaction open, until
    released; returns (reached, release)."""
    reached, release = threading.Event(), threading.Event()
    real = registering.notify.notify_registration_received

    def held(registration, lines=None):
        if not reached.is_set():
            reached.set()
            release.wait(timeout=30)
        return real(registration, lines=lines)

    monkeypatch.setattr(registering.notify, "notify_registration_received", held)
    return reached, release


def test_registrations_before_allocation_do_not_wait_for_each_other(
    monkeypatch, week, make_trainee
):
    """Before allocation no seat is at stake (C8): while one registration's transaction is
    still open, another trainee's registration for the same week goes through."""
    first, second = make_trainee(), make_trainee()
    reached, release = holding_the_first_registration(monkeypatch)
    held = in_thread(lambda: register(first, week).pk)
    assert reached.wait(timeout=10)

    other = in_thread(lambda: register(second, week).pk)
    try:
        done_while_held = other.result(timeout=HOLD_SECONDS)
    finally:
        release.set()
    assert held.result(timeout=10)
    assert Registration.objects.filter(pk=done_while_held, trainee=second).exists()
    assert RegistrationLine.objects.filter(status=LineStatus.PENDING).count() == 4


def test_negative_control_an_exclusive_week_lock_makes_registrations_queue(
    monkeypatch, week, make_trainee
):
    """The control of the test above: with the exclusive week lock taken for every
    registration (as before), the second registration waits for the first."""
    monkeypatch.setattr(registering, "share_week", lambda w: locking.lock_week(w.pk))
    first, second = make_trainee(), make_trainee()
    reached, release = holding_the_first_registration(monkeypatch)
    held = in_thread(lambda: register(first, week).pk)
    assert reached.wait(timeout=10)

    other = in_thread(lambda: register(second, week).pk)
    try:
        with pytest.raises(TimeoutError):
            other.result(timeout=HOLD_SECONDS)
    finally:
        release.set()
    assert held.result(timeout=10)
    assert other.result(timeout=10)


def test_registrations_racing_the_allocation_run_are_all_placed(week, make_trainee, course_admin):
    """C10, C13: late registrations sent while the allocation runs: each one either is in the
    run (pending before it, placed by it) or comes after it and is placed at once; no line is
    left pending, and no course has more seats taken than its capacity."""
    capacity = 8
    for course in week.courses.all():
        course.own_capacity = capacity
        course.save(update_fields=["own_capacity"])
    for _ in range(12):
        register(make_trainee(), week)
    late_comers = [make_trainee() for _ in range(24)]
    barrier = threading.Barrier(len(late_comers) + 1)

    def allocate():
        patient()
        barrier.wait(timeout=30)
        return services.run_allocation(
            actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
        )

    def late(trainee):
        patient()
        barrier.wait(timeout=30)
        try:
            return register(trainee, week, now=at(2026, 10, 20, 13)).pk
        finally:
            connections.close_all()

    run = in_thread(allocate)
    with ThreadPoolExecutor(max_workers=len(late_comers)) as pool:
        made = list(pool.map(late, late_comers))
    run.result(timeout=60)

    assert len(set(made)) == len(late_comers)
    assert not RegistrationLine.objects.filter(status=LineStatus.PENDING).exists()
    for course in Course.objects.filter(week=week):
        lines = RegistrationLine.objects.filter(course=course)
        assert lines.count() == 12 + len(late_comers)
        assert lines.filter(status__in=SEAT_TAKING).count() == capacity
        waiting = lines.filter(status=LineStatus.WAITLISTED)
        assert waiting.count() == 12 + len(late_comers) - capacity
        orders = list(waiting.values_list("queue_order", flat=True))
        assert len(set(orders)) == len(orders)


def race_for_the_last_seat(monkeypatch, make_week, make_trainee, course_admin):
    """Two late registrations for one free seat, both stopped right after reading how many
    seats are taken until the other has read too (or a few seconds have passed)."""
    week = make_week(capacity=2, course_capacities=(None,))
    register(make_trainee(), week)
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    barrier = threading.Barrier(2)
    real = registering._seats_taken

    def counted_then_wait(course_id):
        taken = real(course_id)
        try:
            barrier.wait(timeout=HOLD_SECONDS)
        except threading.BrokenBarrierError:
            pass
        return taken

    monkeypatch.setattr(registering, "_seats_taken", counted_then_wait)
    trainees = [make_trainee(), make_trainee()]
    week = CourseWeek.objects.get(pk=week.pk)

    def late(trainee):
        try:
            patient()
            return register(trainee, week, now=at(2026, 11, 1)).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(late, trainees))
    course = week.courses.get()
    return RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count()


def test_two_clients_for_the_last_seat_seat_one(monkeypatch, make_week, make_trainee, course_admin):
    """C13: the week's exclusive lock makes the second wait until the first has taken the
    seat, so only one is seated."""
    assert race_for_the_last_seat(monkeypatch, make_week, make_trainee, course_admin) == 2


def test_negative_control_without_the_week_lock_the_last_seat_is_sold_twice(
    monkeypatch, make_week, make_trainee, course_admin
):
    """The control: with the lock switched off, both read one free seat and both are seated,
    three seats taken of two. The race above is real, and the lock is what wins it."""

    def no_lock(week_id):
        week = CourseWeek.objects.select_related("series").get(pk=week_id)
        courses = {c.pk: c for c in Course.objects.filter(week_id=week_id).order_by("id")}
        for course in courses.values():
            course.week = week
        return week, courses

    monkeypatch.setattr(registering, "lock_week", no_lock)
    assert race_for_the_last_seat(monkeypatch, make_week, make_trainee, course_admin) == 3


def test_a_lock_held_too_long_answers_busy_and_changes_nothing(
    make_week, make_trainee, course_admin
):
    """SPEC 7: a write that waits for the week's lock longer than the lock timeout gives up
    with "busy, try again" (503) instead of holding its worker; nothing is written."""
    week = make_week(capacity=5, course_capacities=(None,))
    register(make_trainee(), week)
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            locking.lock_week(week.pk)
            locked.set()
            release.wait(timeout=30)

    holder = in_thread(hold)
    assert locked.wait(timeout=10)
    trainee = make_trainee()

    def impatient():
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        return register(trainee, CourseWeek.objects.get(pk=week.pk), now=at(2026, 11, 1))

    try:
        with pytest.raises(Busy) as refused:
            in_thread(impatient).result(timeout=10)
    finally:
        release.set()
    holder.result(timeout=10)
    assert refused.value.status == 503
    assert refused.value.code == "busy"
    assert not Registration.objects.filter(trainee=trainee).exists()
