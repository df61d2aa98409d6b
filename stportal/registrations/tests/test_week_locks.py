"""The week's locks (C13): taken only inside a transaction, and a registration never acts on
a stale copy of the week. Runs on every database."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.core.locks import LockOutsideTransaction
from stportal.courses.models import CourseWeek
from stportal.registrations import services
from stportal.registrations.models import LineStatus
from stportal.registrations.services import locking
from stportal.registrations.tests.conftest import AFTER_DEADLINE, OPEN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def curricula_seed():
    """A transactional test flushes the tables afterwards, seed data included: reload it."""
    from stportal.curricula.seed import load_seed

    load_seed()


def test_the_week_locks_refuse_to_run_outside_a_transaction(week):
    """A row lock in autocommit would be released at once and protect nothing: refused, on
    SQLite too (where Django itself does not check)."""
    with pytest.raises(LockOutsideTransaction):
        locking.lock_week(week.pk)
    with pytest.raises(LockOutsideTransaction):
        locking.share_week(week)


def test_a_registration_with_a_copy_of_the_week_read_before_allocation_is_placed(
    week, make_trainee, course_admin
):
    """C10: the week is read again under its lock, so a registration made after the run from
    a copy of the week read before it is placed at once, not left pending."""
    stale = CourseWeek.objects.get(pk=week.pk)
    services.register_for_course_week(
        actor=course_admin, week=week, trainee=make_trainee(), now=OPEN
    )
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    trainee = make_trainee()
    made = services.register_for_course_week(
        actor=trainee.user,
        week=stale,
        trainee=trainee,
        now=AFTER_DEADLINE + dt.timedelta(hours=1),
    )
    assert set(made.lines.values_list("status", flat=True)) == {LineStatus.CONFIRMED}
