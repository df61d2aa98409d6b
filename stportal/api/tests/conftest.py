"""Helpers for the API tests: tokens, JSON calls, and the people of SPEC 2 beyond the shared
personas (stportal/conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stportal.accounts.models import Role, TraineeProfile, User
from stportal.accounts.tokens import issue_api_token
from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services
from stportal.courses.models import Course, CourseWeek
from stportal.curricula.models import Goal
from stportal.testing import factories

# The API tests run on a fixed day: the week below is open for planning and not yet published.
NOW = dt.datetime(2026, 8, 3, 10, 0, tzinfo=STOCKHOLM)

WEEK_FIELDS: dict[str, Any] = {
    "series": "LEKA A",
    "title": "LEKA A 2027",
    "start_date": "2027-03-22",
    "end_date": "2027-03-26",
    "place": "Umeå",
    "capacity": 60,
    "invitation_date": "2026-09-01",
    "registration_deadline": "2026-10-15",
    "late_cancellation_fee": 3000,
}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class Api:
    """Calls the API through the whole Django stack, with a personal token per person."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._tokens: dict[int, str] = {}

    def token(self, user: User) -> str:
        if user.pk not in self._tokens:
            self._tokens[user.pk] = issue_api_token(actor=None, user=user)
        return self._tokens[user.pk]

    def call(
        self,
        method: str,
        path: str,
        user: User | None = None,
        *,
        json: Any = None,
        token: str | None = None,
        **query: Any,
    ):
        headers = {}
        if user is not None:
            token = self.token(user)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("/") else f"/api/v1/{path}"
        send = getattr(self.client, method.lower())
        if method.upper() == "GET":
            return send(url, data=query or None, headers=headers)
        # No JSON given: an empty body, as `curl -X POST` sends.
        data = "" if json is None else json
        return send(url, data=data, content_type="application/json", headers=headers)

    def get(self, path: str, user: User | None = None, **kwargs: Any):
        return self.call("GET", path, user, **kwargs)

    def post(self, path: str, user: User | None = None, **kwargs: Any):
        return self.call("POST", path, user, **kwargs)

    def patch(self, path: str, user: User | None = None, **kwargs: Any):
        return self.call("PATCH", path, user, **kwargs)


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


@pytest.fixture
def supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-test")


@pytest.fixture
def study_director(region, home_unit):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=home_unit.area, username="studierektor-lokal"
    )


@pytest.fixture
def unit_manager(region, home_unit):
    return factories.user_with_role(
        Role.UNIT_MANAGER, region=region, home_unit=home_unit, username="enhetschef-test"
    )


@pytest.fixture
def other_trainee(home_unit) -> TraineeProfile:
    return factories.TraineeFactory(home_unit=home_unit, user__username="stlakare-annan")


@pytest.fixture
def make_week(series, course_admin) -> Callable[..., CourseWeek]:
    """A draft week built through the service, with `courses` courses."""

    def make(courses: int = 1, **overrides: Any) -> CourseWeek:
        values = {
            key: (dt.date.fromisoformat(value) if key.endswith(("_date", "deadline")) else value)
            for key, value in WEEK_FIELDS.items()
            if key != "series"
        }
        values.update(overrides)
        week = course_services.create_course_week(actor=course_admin, series=series, **values)
        for number in range(courses):
            course_services.add_course(
                actor=course_admin,
                week=week,
                title=f"Delkurs {number + 1}",
                days=[week.start_date],
                goals=Goal.objects.filter(version__code="2015", code="a1"),
            )
        return week

    return make


@pytest.fixture
def published_week(make_week, course_admin) -> CourseWeek:
    return course_services.publish_course_week(actor=course_admin, week=make_week(courses=2))


def queries_of(call: Callable[[], Any]) -> int:
    """How many SQL queries `call` runs."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def first_course(week: CourseWeek) -> Course:
    return week.courses.order_by("position").first()
