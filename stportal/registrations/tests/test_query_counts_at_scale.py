"""SPEC 7: no page issues more SQL queries when the data grows. The catalogue, the course
admin's week page and "my registrations" answer in the same number of queries with 10 and
with 300 registrations in a week, and "my registrations" with the trainee's own
registrations in 3 and in 12 weeks.

State is built through the services on the fixed timeline of the registration tests, with
every kind of line a page has to show: seated and waiting after the allocation (C9), an offer
of a freed seat (C11), a cancellation with its fee (C14) and late registrations (C10). Each
page is loaded once before it is measured, so that both sizes start from the same caches.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stportal.registrations import services
from stportal.registrations.models import Fee, LineStatus, RegistrationLine
from stportal.registrations.tests.conftest import AFTER_DEADLINE, INSIDE_CANCEL_PERIOD, OPEN

pytestmark = pytest.mark.django_db

SEATS_IN_FIRST_COURSE = 5
MEASURED_AT = INSIDE_CANCEL_PERIOD + dt.timedelta(hours=2)


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """The clock is frozen in 2027 for the measurements; a log-in must last."""
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


def queries_for(client, user, path: str) -> tuple[int, str]:
    """The number of queries one GET of `path` runs, as `user`, after a warming GET; and
    the page's text."""
    client.force_login(user)
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content.decode()[:1000]
    return len(captured), " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def register(week, trainees, *, now):
    for trainee in trainees:
        services.register_for_course_week(
            actor=trainee.user,
            week=week,
            trainee=trainee,
            needs_lodging=True,
            dietary_needs="Vegetarisk",
            now=now,
        )


def cancel_first_seated(course, *, now):
    """A seated trainee without a fee yet gives up `course` inside the cancellation period:
    one fee, and the seat is offered to the first in line (C11, C14)."""
    line = (
        RegistrationLine.objects.filter(
            course=course, status=LineStatus.CONFIRMED, registration__fee__isnull=True
        )
        .select_related("registration__trainee__user")
        .order_by("pk")
        .first()
    )
    registration = line.registration
    services.cancel_registration_lines(
        actor=registration.trainee.user,
        registration=registration,
        course_ids=[course.pk],
        reason="Jourschemat ändrades.",
        now=now,
    )


def test_catalogue_week_page_and_my_registrations_with_10_and_300_registrations(
    client, make_week, make_trainee, course_admin
):
    """SPEC 7: the same query count with 10 and with 300 registrations in the week."""
    week = make_week(course_capacities=(SEATS_IN_FIRST_COURSE, None))
    first_course = week.courses.order_by("position", "pk").first()
    completions = itertools.cycle(dt.date(2027, 6, 1) + dt.timedelta(days=n) for n in range(900))
    people = [make_trainee(planned_completion=next(completions)) for _ in range(10)]
    register(week, people, now=OPEN)
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    cancel_first_seated(first_course, now=INSIDE_CANCEL_PERIOD)
    # The trainee whose pages are measured waits for the first course.
    viewer = (
        RegistrationLine.objects.filter(course=first_course, status=LineStatus.WAITLISTED)
        .order_by("queue_order")
        .last()
        .registration.trainee.user
    )
    pages = {
        "catalogue": reverse("courses:catalogue"),
        "my registrations": reverse("registrations:mine"),
        "week page": reverse("staff:week", args=[week.pk]),
    }

    def measure() -> tuple[dict[str, int], dict[str, str]]:
        counts, texts = {}, {}
        with time_machine.travel(MEASURED_AT, tick=False):
            for name, path in pages.items():
                user = course_admin if name == "week page" else viewer
                counts[name], texts[name] = queries_for(client, user, path)
        return counts, texts

    few, texts = measure()
    assert "Anmälda personer 10" in texts["week page"]
    assert "Reservlista, plats" in texts["my registrations"]

    # 290 more: late registrations, seated at once or waiting (C10), and one more fee.
    late = [make_trainee(planned_completion=next(completions)) for _ in range(290)]
    register(week, late, now=INSIDE_CANCEL_PERIOD)
    cancel_first_seated(week.courses.order_by("position", "pk").last(), now=MEASURED_AT)
    assert week.registrations.count() == 300
    assert (
        RegistrationLine.objects.filter(course__week=week, status=LineStatus.WAITLISTED).count()
        > 250
    )
    assert (
        RegistrationLine.objects.filter(course__week=week, status=LineStatus.OFFERED).count() == 2
    )
    assert Fee.objects.filter(registration__course_week=week).count() == 2

    many, texts = measure()
    assert "Anmälda personer 300" in texts["week page"]
    assert "på reservlistan" in texts["catalogue"]
    assert "Reservlista, plats" in texts["my registrations"]
    assert many == few


def test_my_registrations_with_own_registrations_in_3_and_in_12_weeks(
    client, make_week, make_trainee, course_admin
):
    """SPEC 7: "my registrations" costs the same with 3 and with 12 weeks of the trainee's
    own, each with a seat, a waiting-list place (its position is computed), and in turn an
    offer or a cancelled seat with its fee."""
    me = make_trainee(planned_completion=dt.date(2029, 1, 1))
    mine = reverse("registrations:mine")

    def add_weeks(count: int, start: int) -> None:
        for index in range(start, start + count):
            week = make_week(course_capacities=(1, None))
            first, second = week.courses.order_by("position", "pk")
            ahead = make_trainee(planned_completion=dt.date(2027, 5, 1))
            register(week, [ahead, me], now=OPEN)
            services.run_allocation(
                actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
            )
            if index % 2:
                cancel_first_seated(first, now=INSIDE_CANCEL_PERIOD)  # an offer to me
            else:
                own = week.registrations.get(trainee=me)
                services.cancel_registration_lines(
                    actor=me.user,
                    registration=own,
                    course_ids=[second.pk],
                    reason="Föräldraledig.",
                    now=INSIDE_CANCEL_PERIOD,
                )

    add_weeks(3, start=0)
    with time_machine.travel(MEASURED_AT, tick=False):
        few, _text = queries_for(client, me.user, mine)
    add_weeks(9, start=3)
    assert me.registrations.count() == 12
    with time_machine.travel(MEASURED_AT, tick=False):
        many, text = queries_for(client, me.user, mine)
    assert text.count("Du erbjuds en plats") == 6
    assert text.count("Reservlista, plats 1") == 6
    assert text.count("Utbildningskostnad: 3 000 kr") == 6
    assert many == few
