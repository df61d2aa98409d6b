"""The mail worker (C22): actions queue their e-mail in bulk and return; `stportal send-mail`
drains the outbox in small batches, each claimed with a fresh lease, one connection per batch,
retrying with backoff; two workers at once send each message exactly once (PostgreSQL); an
allocation run queues one message per person and sends nothing itself."""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stportal.accounts.models import Role, RoleAssignment
from stportal.courses import services as course_services
from stportal.notifications import sending, services
from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.notifications.tests.test_outbox import (
    AFTER_DEADLINE,
    T0,
    at,
    make_trainee,
    make_week,
    register,
)
from stportal.registrations import services as registration_services
from stportal.testing import factories

CONTEXT = {
    "week_title": "LEKA B 2026",
    "start_date": dt.date(2026, 11, 16),
    "end_date": dt.date(2026, 11, 20),
    "place": "Umeå",
    "registration_deadline": dt.date(2026, 5, 15),
    "course_titles": ["Palliativ vård"],
    "late": False,
}


@pytest.fixture
def worker_mode(settings):
    """Production: no e-mail is sent after an action's commit; the worker sends it."""
    settings.STPORTAL_SEND_MAIL_INLINE = False


def queue(count: int, *, prefix: str = "st") -> list[OutboxMessage]:
    return services.queue_emails(
        services.Email(
            kind="registration_received", to_email=f"{prefix}{n}@example.org", context=CONTEXT
        )
        for n in range(count)
    )


def outbox_inserts(queries: CaptureQueriesContext) -> int:
    table = OutboxMessage._meta.db_table
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("INSERT") and table in q["sql"]
    )


# --- Queued with the action, sent by the worker ----------------------------------------------


def test_an_action_queues_its_e_mail_and_returns_the_worker_sends_it(
    worker_mode, series, course_admin, home_unit, mailoutbox, django_capture_on_commit_callbacks
):
    """C22: registering queues the e-mail in its transaction and sends nothing, not even
    after commit; `stportal send-mail --once` sends it."""
    week = make_week(series, course_admin)
    anna = make_trainee(home_unit, "anna")
    with django_capture_on_commit_callbacks(execute=True):
        register(anna, week)
    message = OutboxMessage.objects.get(recipient=anna.user)
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 0)
    assert mailoutbox == []

    out = StringIO()
    call_command("send_mail", "--once", stdout=out)

    assert "e-mails sent: 1" in out.getvalue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 1
    assert [m.to for m in mailoutbox] == [[anna.user.email]]
    out = StringIO()
    call_command("send_mail", "--once", stdout=out)
    assert "e-mails sent: 0" in out.getvalue()
    assert len(mailoutbox) == 1


def test_many_messages_are_queued_with_one_insert(db, worker_mode):
    with CaptureQueriesContext(connection) as queries:
        queued = queue(30)
    assert len(queued) == 30 and all(m.pk for m in queued)
    assert outbox_inserts(queries) == 1
    assert OutboxMessage.objects.filter(status=OutboxStatus.QUEUED).count() == 30


def test_a_taken_dedupe_key_is_left_out_of_a_bulk_queue(db, worker_mode):
    first = services.queue_emails(
        [
            services.Email(
                kind="registration_received",
                to_email="a@example.org",
                context=CONTEXT,
                dedupe_key="k1",
            )
        ]
    )
    again = services.queue_emails(
        services.Email(
            kind="registration_received",
            to_email=f"{n}@example.org",
            context=CONTEXT,
            dedupe_key=key,
        )
        for n, key in enumerate(["k1", "k2", "k2", "k3"])
    )
    assert len(first) == 1
    assert sorted(m.dedupe_key for m in again) == ["k2", "k3"]
    assert OutboxMessage.objects.count() == 3


def test_messages_that_differ_only_in_the_name_are_rendered_once(
    db, worker_mode, home_unit, monkeypatch
):
    users = [
        make_trainee(home_unit, f"st{n}", first_name=f"Namn{n}", last_name="Ek").user
        for n in range(3)
    ]
    english = make_trainee(home_unit, "en", language="en", first_name="John").user
    calls = []
    real = services.render_email

    def counting(**kwargs):
        calls.append(kwargs["language"])
        return real(**kwargs)

    monkeypatch.setattr(services, "render_email", counting)
    queued = services.queue_emails(
        services.Email(kind="registration_received", to_user=user, context=CONTEXT)
        for user in [*users, english]
    )

    assert sorted(calls) == ["en", "sv"]
    assert [m.body.splitlines()[0] for m in queued] == [
        "Hej Namn0 Ek!",
        "Hej Namn1 Ek!",
        "Hej Namn2 Ek!",
        "Dear John Berg,",
    ]
    assert all("\x00" not in m.body + m.subject for m in queued)


# --- The allocation run -----------------------------------------------------------------------


@pytest.fixture
def two_course_week(series, course_admin):
    week = make_week(series, course_admin)
    course_services.add_course(
        actor=course_admin,
        week=week,
        title="Ledarskap",
        days=[dt.date(2027, 3, 25)],
        capacity=1,
    )
    return week


def test_the_allocation_run_queues_one_message_per_person_and_sends_none(
    worker_mode,
    two_course_week,
    course_admin,
    region,
    home_unit,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """C9, C16, C22: each trainee gets one message for the week (a seat in one course and a
    waiting-list place in the other together); the unit manager, who manages two units, one
    digest naming both; all in one INSERT; nothing is sent by the run, even after commit."""
    week = two_course_week
    second_unit = factories.HomeUnitFactory(region=region, name="Vårdcentralen Ersboda")
    manager = factories.user_with_role(
        Role.UNIT_MANAGER, region=region, home_unit=home_unit, username="chef"
    )
    RoleAssignment.objects.create(
        user=manager, role=Role.UNIT_MANAGER, region=region, home_unit=second_unit
    )
    anna = make_trainee(home_unit, "anna")
    bo = make_trainee(second_unit, "bo", first_name="Bo", last_name="Ek")
    register(anna, week, now=at(2026, 9, 10))
    register(bo, week, now=at(2026, 9, 11))
    OutboxMessage.objects.all().delete()

    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        registration_services.run_allocation(
            actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
        )

    assert mailoutbox == []
    assert outbox_inserts(queries) == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.QUEUED}
    kinds = sorted(OutboxMessage.objects.values_list("kind", "recipient__username"))
    assert kinds == [
        ("allocation_digest_manager", "chef"),
        ("allocation_result", "anna"),
        ("allocation_result", "bo"),
    ]
    lines = {line.course.title: line.status for line in bo.registrations.get().lines.all()}
    assert lines == {"Etik, mångfald & jämlikhet": "confirmed", "Ledarskap": "waitlisted"}
    to_bo = OutboxMessage.objects.get(recipient=bo.user)
    assert "Du har fått en bekräftad plats på:\n- Etik, mångfald & jämlikhet" in to_bo.body
    assert "- Ledarskap (nummer 1 på reservlistan)" in to_bo.body
    digest = OutboxMessage.objects.get(kind="allocation_digest_manager")
    assert f"{home_unit.name}, Vårdcentralen Ersboda" in digest.subject
    assert (
        "- Anna Berg: Etik, mångfald & jämlikhet (måndag 22 mars, tisdag 23 mars); Ledarskap"
        in (digest.body)
    )
    assert "- Bo Ek: Etik, mångfald & jämlikhet (måndag 22 mars, tisdag 23 mars)\n" in digest.body

    assert services.send_due().sent == 3
    assert sorted(tuple(m.to) for m in mailoutbox) == sorted(
        [(anna.user.email,), (bo.user.email,), (manager.email,)]
    )


def test_an_allocation_with_nothing_placed_queues_nothing(
    worker_mode, two_course_week, course_admin
):
    registration_services.run_allocation(
        actor=course_admin, week=two_course_week, dry_run=False, now=AFTER_DEADLINE
    )
    assert not OutboxMessage.objects.exists()


def test_the_allocation_e_mail_is_english_for_a_trainee_who_chose_english(
    worker_mode, two_course_week, course_admin, home_unit
):
    john = make_trainee(home_unit, "john", language="en", first_name="John", last_name="Smith")
    register(john, two_course_week)
    registration_services.run_allocation(
        actor=course_admin, week=two_course_week, dry_run=False, now=AFTER_DEADLINE
    )
    message = OutboxMessage.objects.get(kind="allocation_result")
    assert message.subject == "Seats allocated: LEKA A 2027"
    assert "You have been given a confirmed seat in:\n- Etik" in message.body
    assert "- Ledarskap (Thursday 25 March)" in message.body
    assert "You can cancel free of charge until and including 8 March 2027." in message.body


# --- Batches, leases, retries -----------------------------------------------------------------


class Clock:
    """A clock that moves on by `step` each time it is read."""

    def __init__(self, start: dt.datetime, step: dt.timedelta):
        self.current = start - step
        self.step = step

    def __call__(self) -> dt.datetime:
        self.current += self.step
        return self.current


class LeaseRecorder(locmem.EmailBackend):
    """Records, for each message sent, the lease its row holds and the worker's time."""

    clock: Clock | None = None
    seen: list[tuple[str, dt.datetime, dt.datetime]] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            row = OutboxMessage.objects.get(to_email=message.to[0])
            type(self).seen.append((message.to[0], row.next_attempt_at, self.clock.current))
        return super().send_messages(email_messages)


def test_each_batch_is_claimed_with_a_fresh_lease(db, worker_mode, settings, mailoutbox):
    """Issue 12: one time no longer serves a whole run; every batch takes its lease when it
    is claimed, and every message is sent within its batch's lease."""
    settings.EMAIL_BACKEND = "stportal.notifications.tests.test_worker.LeaseRecorder"
    LeaseRecorder.seen = []
    LeaseRecorder.clock = clock = Clock(T0, dt.timedelta(minutes=1))
    queue(5)

    report = services.send_due(batch_size=2, clock=clock)

    assert report.sent == 5 and len(mailoutbox) == 5
    leases = [lease for _to, lease, _at in LeaseRecorder.seen]
    assert len(set(leases)) == 3, "three batches (2, 2, 1), three leases"
    assert leases == sorted(leases)
    for _to, lease, sent_at in LeaseRecorder.seen:
        assert lease - services.CLAIM_LEASE < sent_at < lease - services.LEASE_MARGIN


def test_a_slow_batch_leaves_the_rest_before_its_lease_ends_and_each_is_sent_once(
    db, worker_mode, settings, mailoutbox
):
    """A worker whose batch takes too long gives the unsent rest back instead of sending it
    after its lease, when another worker may have claimed it."""
    settings.EMAIL_BACKEND = "stportal.notifications.tests.test_worker.LeaseRecorder"
    LeaseRecorder.seen = []
    LeaseRecorder.clock = clock = Clock(T0, dt.timedelta(minutes=4))
    queue(4)

    report = services.send_due(batch_size=4, clock=clock)

    assert report.sent == 4
    assert sorted(m.to[0] for m in mailoutbox) == [f"st{n}@example.org" for n in range(4)]
    leases = {lease for _to, lease, _at in LeaseRecorder.seen}
    assert len(leases) > 1, "the first batch could not be sent within one lease"
    for _to, lease, sent_at in LeaseRecorder.seen:
        assert sent_at < lease - services.LEASE_MARGIN
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_a_stopping_worker_gives_back_what_it_has_not_sent(db, worker_mode, mailoutbox):
    """SIGTERM: the worker finishes the message it is sending; the rest of its batch is due
    again at once for the next worker, its attempt not counted."""
    queue(3)

    report = services.send_due(should_stop=lambda: len(mailoutbox) >= 1)

    assert report.sent == 1 and len(mailoutbox) == 1
    rest = OutboxMessage.objects.exclude(status=OutboxStatus.SENT)
    assert sorted(rest.values_list("status", "attempts")) == [("queued", 0), ("queued", 0)]
    assert services.send_due().sent == 2


def test_a_full_batch_at_the_smtp_timeout_fits_in_its_lease():
    """The sizes are chosen so: 20 messages × 20 s each ends long before the lease."""
    worst = services.BATCH_SIZE * dt.timedelta(seconds=services.DEFAULT_SEND_TIMEOUT_SECONDS)
    assert worst + services.LEASE_MARGIN < services.CLAIM_LEASE


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(554, b"mail server said no")


def test_the_worker_retries_a_failed_message_with_backoff(db, worker_mode, settings, mailoutbox):
    """C22: a failure is recorded and retried 5, then 15 minutes later, from the time it
    failed; not before."""
    settings.EMAIL_BACKEND = "stportal.notifications.tests.test_worker.FailingBackend"
    (message,) = queue(1)
    clock = Clock(T0, dt.timedelta(seconds=10))

    assert services.send_due(clock=clock).failed == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED and message.attempts == 1
    # Five minutes from the failure, read after the claim.
    failed_at = message.next_attempt_at - dt.timedelta(minutes=5)
    assert T0 < failed_at < clock.current
    assert services.send_due(now=failed_at + dt.timedelta(minutes=4)).attempted == 0

    retry_at = message.next_attempt_at
    assert services.send_due(clock=Clock(retry_at, dt.timedelta(0))).failed == 1
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == retry_at + dt.timedelta(minutes=15)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_due(now=retry_at + dt.timedelta(minutes=15)).sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")
    assert len(mailoutbox) == 1


class CountingConnection(locmem.EmailBackend):
    opened = 0

    def open(self):
        type(self).opened += 1
        return super().open()


def test_one_connection_per_batch(db, worker_mode, settings, mailoutbox):
    settings.EMAIL_BACKEND = "stportal.notifications.tests.test_worker.CountingConnection"
    CountingConnection.opened = 0
    queue(7)
    assert services.send_due(batch_size=3).sent == 7
    assert CountingConnection.opened == 3


def test_staff_try_again_queues_the_message_for_the_worker(
    db, worker_mode, client, course_admin, home_unit, settings, mailoutbox
):
    """Issue 12: "try again" in the back office queues; the worker sends."""
    anna = make_trainee(home_unit, "anna")
    settings.EMAIL_BACKEND = "stportal.notifications.tests.test_worker.FailingBackend"
    message = services.queue_email(kind="registration_received", to_user=anna.user, context=CONTEXT)
    services.send_due()
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(course_admin)

    answer = client.post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "try_again", "_selected_action": [message.pk]},
        follow=True,
    )

    assert "1 e-postmeddelande ligger i kö igen" in answer.content.decode()
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED
    assert mailoutbox == []
    assert services.send_due().sent == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and len(mailoutbox) == 1


def test_the_staff_outbox_page_try_again_queues_too(
    db, worker_mode, client, course_admin, home_unit, settings, mailoutbox
):
    anna = make_trainee(home_unit, "anna")
    settings.EMAIL_BACKEND = "stportal.notifications.tests.test_worker.FailingBackend"
    message = services.queue_email(kind="registration_received", to_user=anna.user, context=CONTEXT)
    services.send_due()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(course_admin)

    answer = client.post(reverse("staff:outbox_retry"), {"message": [message.pk]}, follow=True)

    assert "1 e-postmeddelande ligger i kö igen och skickas inom kort." in (answer.content.decode())
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED and mailoutbox == []


def test_the_worker_refuses_a_batch_larger_than_the_lease_allows(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--batch"):
        call_command("send_mail", "--once", "--batch", str(services.BATCH_SIZE + 1))


# --- Two workers at once (PostgreSQL) ---------------------------------------------------------


SENT_BY: dict[str, list[str]] = {}
SENT_LOCK = threading.Lock()
SECOND_HAS_SENT = threading.Event()
FIRST_HAS_CLAIMED = threading.Event()


class SharedRecorder(BaseEmailBackend):
    """One mail server for both workers: records who sent what. The first worker, once it
    has claimed its batch, holds its first message until the second worker has sent one, and
    the second sends only after the first has claimed: both are surely draining at once."""

    def send_messages(self, email_messages):
        worker = threading.current_thread().name
        if worker.endswith("_0"):
            FIRST_HAS_CLAIMED.set()
            SECOND_HAS_SENT.wait(timeout=30)
        else:
            FIRST_HAS_CLAIMED.wait(timeout=30)
        with SENT_LOCK:
            for message in email_messages:
                SENT_BY.setdefault(message.to[0], []).append(worker)
        if not worker.endswith("_0"):
            SECOND_HAS_SENT.set()
        return len(email_messages)


def _two_workers(drain) -> list[object]:
    barrier = threading.Barrier(2)

    def run(_n):
        try:
            barrier.wait(timeout=30)
            return drain()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="worker") as pool:
        return list(pool.map(run, range(2)))


@pytest.fixture
def two_workers(settings, worker_mode):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent workers need PostgreSQL (DATABASE_URL); SQLite serialises")
    settings.EMAIL_BACKEND = "stportal.notifications.tests.test_worker.SharedRecorder"
    SENT_BY.clear()
    SECOND_HAS_SENT.clear()
    FIRST_HAS_CLAIMED.clear()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_at_once_send_each_message_exactly_once(two_workers):
    """Issue 12, must show 2: two mail workers, each with its own database connection, drain
    the same outbox at the same time; every queued message is sent exactly once."""
    queue(60)

    reports = _two_workers(lambda: services.send_due(batch_size=5))

    assert sorted(SENT_BY) == sorted(f"st{n}@example.org" for n in range(60))
    assert {to: len(by) for to, by in SENT_BY.items() if len(by) != 1} == {}
    workers = {by[0] for by in SENT_BY.values()}
    assert len(workers) == 2, "both workers sent messages"
    assert sum(report.sent for report in reports) == 60
    rows = OutboxMessage.objects.values_list("status", "attempts")
    assert set(rows) == {(OutboxStatus.SENT, 1)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_claim_two_workers_send_the_same_messages_twice(two_workers, monkeypatch):
    """Negative control: workers that read what is due without claiming it (no row lock, no
    lease) send duplicates in the same race, so the test above can fail."""

    def read_without_claiming(*, now, limit=services.BATCH_SIZE, ids=None):
        due = OutboxMessage.objects.filter(sending.due(now)).order_by("created_at", "id")
        return list(due[:limit])

    monkeypatch.setattr(sending, "claim_batch", read_without_claiming)
    queue(10)

    _two_workers(lambda: services.send_due(batch_size=5, limit=10))

    assert any(len(by) > 1 for by in SENT_BY.values())


def test_the_demo_sends_inline_and_production_does_not(monkeypatch):
    """No worker runs beside `stportal demo`: it switches inline sending on for itself; the
    setting is off unless the environment says otherwise."""
    import django.core.management

    from stportal import cli, env

    monkeypatch.delenv("STPORTAL_SEND_MAIL_INLINE", raising=False)
    assert env.env_bool("STPORTAL_SEND_MAIL_INLINE", False) is False
    monkeypatch.setenv("DATABASE_URL", "postgres://nowhere/none")  # no demo.env written
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    seen = {}
    monkeypatch.setattr(
        django.core.management,
        "execute_from_command_line",
        lambda argv: seen.update(inline=os.environ.get("STPORTAL_SEND_MAIL_INLINE")),
    )

    cli.main(["stportal", "send-mail", "--once"])
    assert seen == {"inline": None}
    cli.main(["stportal", "demo", "--no-serve"])
    assert seen == {"inline": "true"}
