"""C22, SPEC 7 (reliability): a mail worker killed in the middle of a batch (SIGKILL: no
chance to give its batch back) loses nothing and sends nothing twice. What it sent is marked
sent, message by message; the rest of its batch waits out the claim's lease and is then sent
by the next worker. A real `stportal send-mail` process against a real SMTP server (aiosmtpd)
on the loopback, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from stportal.notifications import services
from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.notifications.sending import CLAIM_LEASE
from stportal.notifications.tests.test_mail_server_down import free_port
from stportal.notifications.tests.test_worker import queue

MESSAGES = 30
SENT_BEFORE_THE_KILL = 5

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class SlowInbox:
    """Accepts the first messages; then holds the next one until the worker is dead, and
    refuses it (it was never accepted, so it must be sent again)."""

    def __init__(self, accept_before_holding: int | None) -> None:
        self.accepted: Counter[str] = Counter()
        self.accept_before_holding = accept_before_holding
        self.holding = threading.Event()
        self.worker_dead = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.accept_before_holding is not None and (
            sum(self.accepted.values()) >= self.accept_before_holding
        ):
            self.holding.set()
            while not self.worker_dead.is_set():  # the server's own thread: wait without asyncio
                self.worker_dead.wait(0.05)
            return "451 Try again later"
        for recipient in envelope.rcpt_tos:
            self.accepted[recipient] += 1
        return "250 Message accepted"


def worker_environment(port: int) -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db.get('HOST') or '127.0.0.1'}"
        f":{db.get('PORT') or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "10",
        "STPORTAL_SEND_MAIL_INLINE": "false",
    }


@pytest.fixture(autouse=True)
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("a worker process beside the test needs PostgreSQL (DATABASE_URL)")


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(settings):
    settings.STPORTAL_SEND_MAIL_INLINE = False  # production: the worker sends
    queue(MESSAGES)
    port = free_port()
    inbox = SlowInbox(accept_before_holding=SENT_BEFORE_THE_KILL)
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    worker = subprocess.Popen(
        [sys.executable, "-m", "stportal.cli", "send-mail", "--batch", "20"],
        env=worker_environment(port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert inbox.holding.wait(timeout=120), worker.stderr.read().decode()[-2000:]
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        inbox.worker_dead.set()
        server.stop()

    sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT)
    assert sent.count() == SENT_BEFORE_THE_KILL == sum(inbox.accepted.values())
    claimed = OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, attempts=1)
    assert claimed.count() == 20 - SENT_BEFORE_THE_KILL  # the dead worker's batch, leased

    inbox.accept_before_holding = None
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        now = timezone.now()
        early = services.send_due(now=now)  # the batch is still leased: only the rest goes
        after_lease = services.send_due(now=now + CLAIM_LEASE + dt.timedelta(minutes=1))
    finally:
        server.stop()

    assert early.sent == MESSAGES - 20
    assert after_lease.sent == 20 - SENT_BEFORE_THE_KILL
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert sorted(inbox.accepted) == sorted(f"st{n}@example.org" for n in range(MESSAGES))
    assert set(inbox.accepted.values()) == {1}
