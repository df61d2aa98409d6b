"""SPEC 7 (reliability) and security review finding 8: the API fuzzed from its own OpenAPI
schema. Every operation is called with data generated from the schema (valid data, and data
the schema forbids), as a course administrator and as a trainee; no answer may be a 5xx, and
every answer must match what the schema declares (status code, content type, body).

Bounded in time and reproducible: a fixed number of examples per operation, derandomised
(the same cases on every run), no deadline (a request may take a while on a loaded CI box).
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stportal.accounts.models import Role
from stportal.accounts.tokens import issue_api_token
from stportal.courses import services as course_services
from stportal.curricula.models import Goal
from stportal.registrations import services as registration_services
from stportal.testing import factories

EXAMPLES_PER_OPERATION = 12

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(
    modes=["positive", "negative"],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    database="none",
)

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def open_connection():
    """Requests go through the real WSGI handler, which closes the database connection when a
    request ends; the test's transaction must survive it (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def programme(db, open_connection):
    """Two regions' worth of objects the generated requests can reach: a region with a series,
    staff, a trainee, a published week with courses and a registration, and another region."""
    region = factories.RegionFactory()
    factories.RegionFactory(name="Region Annanstans", code="annanstans")
    series = factories.CourseSeriesFactory(region=region)
    admin = factories.user_with_role(Role.COURSE_ADMIN, region=region, username="fuzz-admin")
    unit = factories.HomeUnitFactory(region=region)
    trainee = factories.TraineeFactory(home_unit=unit, user__username="fuzz-trainee")
    today = dt.date.today()
    start = today + dt.timedelta(days=120 - today.weekday())
    week = course_services.create_course_week(
        actor=admin,
        series=series,
        title="LEKA A",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        place="Umeå",
        capacity=20,
        invitation_date=today - dt.timedelta(days=10),
        registration_deadline=today + dt.timedelta(days=30),
        late_cancellation_fee=3000,
    )
    for number in range(2):
        course_services.add_course(
            actor=admin,
            week=week,
            title=f"Delkurs {number + 1}",
            days=[start + dt.timedelta(days=number)],
            goals=Goal.objects.filter(version__code="2015", code="a1"),
        )
    course_services.publish_course_week(actor=admin, week=week)
    registration_services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, dietary_needs="=1+1"
    )
    return {
        "admin": _bearer(admin),
        "trainee": _bearer(trainee.user),
    }


def _bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(actor=None, user=user)}"}


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_course_admin_answers_no_5xx_and_matches_its_schema(case, programme):
    """Security review finding 8: no 500 for anything a staff client can send."""
    case.call_and_validate(headers=programme["admin"], checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_trainee_answers_no_5xx_and_matches_its_schema(case, programme):
    """Security review finding 8: no 500 for anything a trainee can send."""
    case.call_and_validate(headers=programme["trainee"], checks=CHECKS)
