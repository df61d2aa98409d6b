"""A LEKA A week on a fixed timeline; rule tests pass `now` explicitly (deadlines are instants).

Timeline (Europe/Stockholm): invitation 2026-09-01, registration deadline 2026-10-15,
cancellation deadline 2027-03-08, course days 2027-03-22 – 2027-03-26.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services
from stportal.curricula.models import Goal
from stportal.testing import factories


def at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


BEFORE_INVITATION = at(2026, 8, 20)
OPEN = at(2026, 9, 15)
AFTER_DEADLINE = at(2026, 10, 20)
BEFORE_CANCEL_DEADLINE = at(2027, 2, 1)
INSIDE_CANCEL_PERIOD = at(2027, 3, 10)
COURSE_STARTED = at(2027, 3, 22, 9)


@pytest.fixture
def make_week(series, course_admin):
    def make(*, capacity=60, course_capacities=(None, None), fee=3000):
        week = course_services.create_course_week(
            actor=course_admin,
            series=series,
            title="LEKA A 2027",
            start_date=dt.date(2027, 3, 22),
            end_date=dt.date(2027, 3, 26),
            place="Umeå",
            capacity=capacity,
            invitation_date=dt.date(2026, 9, 1),
            registration_deadline=dt.date(2026, 10, 15),
            late_cancellation_fee=fee,
        )
        titles = ["Etik, mångfald och jämlikhet", "Ledarskap och pedagogik"]
        for index, own in enumerate(course_capacities):
            course_services.add_course(
                actor=course_admin,
                week=week,
                title=titles[index % 2] + ("" if index < 2 else f" {index}"),
                days=[dt.date(2027, 3, 22 + index)],
                capacity=own,
                goals=Goal.objects.filter(code__in=["a2", "STa4"]),
            )
        return course_services.publish_course_week(actor=course_admin, week=week, now=OPEN)

    return make


@pytest.fixture
def week(make_week):
    return make_week()


@pytest.fixture
def make_trainee(home_unit):
    counter = iter(range(1, 10_000))

    def make(planned_completion=dt.date(2029, 1, 1), **kwargs):
        n = next(counter)
        return factories.TraineeFactory(
            home_unit=home_unit,
            planned_completion=planned_completion,
            user__username=f"st{n}",
            **kwargs,
        )

    return make
