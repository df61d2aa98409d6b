"""Readiness for operations (SPEC 7): /readyz answers 200 with the outbox backlog while mail
leaves, and 503 once the oldest message due has waited too long."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.testing import factories

pytestmark = pytest.mark.django_db


def queued(minutes_ago: int) -> OutboxMessage:
    user = factories.UserFactory()
    message = OutboxMessage.objects.create(
        kind="registration_received",
        recipient=user,
        to_email=user.email,
        subject="Anmälan mottagen",
        body="Hej",
        status=OutboxStatus.QUEUED,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return message


def test_ready_with_the_backlog_said(client):
    queued(minutes_ago=5)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "outbox": {"waiting": 1, "oldest_waiting_minutes": 5},
    }


def test_not_ready_when_mail_has_stopped_leaving(client, settings):
    settings.OUTBOX_STALLED_MINUTES = 30
    queued(minutes_ago=45)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "outbox_stalled"
    assert response.json()["outbox"]["oldest_waiting_minutes"] == 45


def test_a_message_waiting_for_its_retry_is_not_a_backlog_yet(client):
    message = queued(minutes_ago=120)
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() + dt.timedelta(minutes=10)
    )
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["outbox"] == {"waiting": 0, "oldest_waiting_minutes": 0}
