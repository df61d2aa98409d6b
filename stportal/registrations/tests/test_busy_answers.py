"""SPEC 7: a write that waited too long for a lock answers "busy, try again", with nothing
changed and nothing the person typed lost (pages) or a 503 with Retry-After (API)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import OperationalError
from django.urls import reverse

from stportal.core.errors import Busy
from stportal.registrations import views
from stportal.registrations.models import Registration
from stportal.registrations.tests.conftest import OPEN

pytestmark = pytest.mark.django_db

BUSY_SV = "Många gör samma sak just nu. Inget har sparats: försök igen om en stund."


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def refuse(exc):
    def service(**kwargs):
        raise exc

    return service


def test_the_registration_page_says_busy_and_keeps_what_was_typed(
    client, monkeypatch, week, make_trainee
):
    """The form comes back with the busy message and the dietary needs as typed."""
    monkeypatch.setattr(views.services, "register_for_course_week", refuse(Busy()))
    trainee = make_trainee()
    ids = [str(c.pk) for c in week.courses.all()]
    with time_machine.travel(OPEN, tick=False):
        client.force_login(trainee.user)
        response = client.post(
            reverse("registrations:register", args=[week.pk]),
            {"courses": ids, "dietary_needs": "Glutenfri kost"},
        )
    assert response.status_code == 200
    assert BUSY_SV in words(response)
    assert 'value="Glutenfri kost"' in response.content.decode()
    assert not Registration.objects.filter(trainee=trainee).exists()


def test_a_lock_wait_that_ran_out_anywhere_on_a_page_answers_503_busy(
    client, monkeypatch, week, make_trainee
):
    """A lock timeout from a write outside the week's locks still reads as busy, not as the
    error page."""
    timeout = OperationalError("canceling statement due to lock timeout")
    timeout.__cause__ = type("LockNotAvailable", (Exception,), {"sqlstate": "55P03"})()
    monkeypatch.setattr(views.services, "register_for_course_week", refuse(timeout))
    trainee = make_trainee()
    with time_machine.travel(OPEN, tick=False):
        client.force_login(trainee.user)
        response = client.post(
            reverse("registrations:register", args=[week.pk]),
            {"courses": [str(c.pk) for c in week.courses.all()]},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert BUSY_SV in words(response)
