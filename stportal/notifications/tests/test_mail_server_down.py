"""C22, SPEC 7 (reliability): with the mail server down every action still succeeds and its
e-mail waits in the outbox; once the server is back the outbox drains, each message exactly
once. Against a real SMTP server on the loopback (aiosmtpd), not Django's in-memory box."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from stportal.notifications import services
from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.notifications.tests.test_outbox import (
    AFTER_DEADLINE,
    INSIDE_CANCEL_PERIOD,
    make_trainee,
    make_week,
    register,
)
from stportal.registrations import services as registration_services
from stportal.registrations.models import LineStatus

pytestmark = pytest.mark.django_db


class Inbox:
    """What the mail server received: (recipients, subject) per message."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(parsed["Subject"])))
        self.received.append((list(envelope.rcpt_tos), subject))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_port(settings):
    """The product sends through SMTP to a port where nothing answers yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return port


def test_with_the_mail_server_down_every_action_succeeds_and_the_mail_leaves_later(
    mail_server_port, series, course_admin, home_unit, django_capture_on_commit_callbacks
):
    week = make_week(series, course_admin)
    anna = make_trainee(home_unit, "anna")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(anna, week)
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.run_allocation(
            actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
        )
    with django_capture_on_commit_callbacks(execute=True):
        result = registration_services.cancel_registration_lines(
            actor=anna.user, registration=registration, reason="Sjuk", now=INSIDE_CANCEL_PERIOD
        )

    # Every action did what it does, mail server or not.
    assert set(registration.lines.values_list("status", flat=True)) == {LineStatus.CANCELLED}
    assert result.fee is not None
    waiting = list(OutboxMessage.objects.order_by("pk"))
    assert len(waiting) >= 3
    assert not any(m.status == OutboxStatus.SENT for m in waiting)
    assert any("ConnectionRefusedError" in m.last_error for m in waiting)

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=mail_server_port)
    server.start()
    try:
        later = timezone.now() + dt.timedelta(hours=2)  # past every message's retry time
        drained = services.send_due(now=later)
        again = services.send_due(now=later + dt.timedelta(hours=2))
    finally:
        server.stop()

    assert drained.sent == len(waiting) and again.attempted == 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert sorted(inbox.received) == sorted(([m.to_email], m.subject) for m in waiting)
