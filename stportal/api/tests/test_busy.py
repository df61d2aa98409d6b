"""SPEC 7, Appendix A: a write that waited too long for a lock answers 503 `busy` with
Retry-After, never a 500, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import InterfaceError, OperationalError

from stportal.api.routers import registrations as router
from stportal.core.dates import STOCKHOLM
from stportal.core.errors import Busy
from stportal.registrations.models import Registration

BUSY_SV = "Många gör samma sak just nu. Inget har sparats: försök igen om en stund."


@pytest.fixture
def open_week(published_week, frozen_time):
    frozen_time.move_to(dt.datetime(2026, 9, 10, 9, tzinfo=STOCKHOLM))
    return published_week


def refuse(exc):
    def service(**kwargs):
        raise exc

    return service


@pytest.mark.parametrize(
    "raised",
    [Busy(), OperationalError("database is locked")],
    ids=["week lock timed out", "any lock timed out"],
)
def test_a_registration_that_waited_too_long_answers_503_busy(
    api, monkeypatch, open_week, trainee, raised
):
    monkeypatch.setattr(router.services, "register_for_course_week", refuse(raised))
    response = api.post(f"course-weeks/{open_week.pk}/registrations", trainee.user, json={})
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json()["code"] == "busy"
    assert response.json()["message"] == BUSY_SV
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "raised",
    [
        OperationalError("terminating connection due to administrator command"),
        InterfaceError("connection already closed"),
    ],
    ids=["connection cut off", "connection gone"],
)
def test_a_database_out_of_reach_answers_503_unavailable_not_500(
    api, monkeypatch, open_week, trainee, raised
):
    """SPEC 7 (reliability): a restarted database is a clear "try again", not an error."""
    monkeypatch.setattr(router.services, "register_for_course_week", refuse(raised))
    response = api.post(f"course-weeks/{open_week.pk}/registrations", trainee.user, json={})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable"
    assert response.json()["message"] == (
        "Tjänsten når inte sin databas just nu. Försök igen om en stund."
    )
