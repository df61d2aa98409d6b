"""Reminders (C22) and the `send-reminders` command: due reminders are queued once however
often the command runs, only to trainees with confirmed seats, in constant queries."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stportal import cli
from stportal.notifications import reminders
from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.notifications.tests.test_outbox import (
    AFTER_DEADLINE,
    INSIDE_CANCEL_PERIOD,
    at,
    make_trainee,
    make_week,
    register,
)
from stportal.registrations import services as registration_services
from stportal.registrations.models import LineStatus

# The week: cancellation deadline 2027-03-08 (its instant: 2027-03-09 00:00 Stockholm),
# first day 2027-03-22.
THREE_DAYS_BEFORE_CANCEL_DEADLINE = at(2027, 3, 6, 0, 0)
TWO_DAYS_BEFORE_CANCEL_DEADLINE = at(2027, 3, 7, 8)
WEEK_BEFORE_START = at(2027, 3, 15, 0, 0)
THREE_DAYS_BEFORE_START = at(2027, 3, 19, 8)


@pytest.fixture
def allocated_week(series, course_admin, home_unit):
    """Two courses; Anna and Bo have seats in both; Cia waits for the one-seat course."""
    week = make_week(series, course_admin)
    from stportal.courses import services as course_services

    course_services.add_course(
        actor=course_admin,
        week=week,
        title="Ledarskap",
        days=[dt.date(2027, 3, 24)],
        capacity=2,
    )
    for name, day in (("anna", 10), ("bo", 11), ("cia", 12)):
        register(make_trainee(home_unit, name), week, now=at(2026, 9, day))
    registration_services.run_allocation(
        actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
    )
    return week


def reminders_of(kind):
    return list(OutboxMessage.objects.filter(kind=kind).select_related("recipient"))


def test_cancellation_deadline_reminder_is_queued_once_however_often_it_runs(allocated_week):
    """C22: reminders run twice queue once (dedupe key per registration and deadline)."""
    first = reminders.queue_reminders(now=TWO_DAYS_BEFORE_CANCEL_DEADLINE)
    second = reminders.queue_reminders(now=TWO_DAYS_BEFORE_CANCEL_DEADLINE + dt.timedelta(hours=1))

    assert (first.cancellation_deadline, first.week_before) == (3, 0)
    assert second.total == 0
    sent_to = sorted(m.recipient.username for m in reminders_of("reminder_cancellation_deadline"))
    assert sent_to == ["anna", "bo", "cia"]


def test_the_reminder_lists_only_confirmed_courses_and_the_deadline(allocated_week):
    reminders.queue_reminders(now=TWO_DAYS_BEFORE_CANCEL_DEADLINE)
    (cia,) = [
        m for m in reminders_of("reminder_cancellation_deadline") if m.recipient.username == "cia"
    ]
    assert cia.subject == ("Påminnelse: kostnadsfri avbokning till och med 8 mars – LEKA A 2027")
    assert "- Etik, mångfald & jämlikhet" in cia.body
    assert "Ledarskap" not in cia.body.split("Kursvecka:")[0]  # waiting, not confirmed
    assert "avboka senast den 8 mars 2027" in cia.body


def test_a_trainee_only_on_the_waiting_list_gets_no_reminder(series, course_admin, home_unit):
    week = make_week(series, course_admin, course_capacity=1)
    register(make_trainee(home_unit, "seated"), week, now=at(2026, 9, 10))
    register(make_trainee(home_unit, "waiting"), week, now=at(2026, 9, 11))
    registration_services.run_allocation(
        actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
    )
    reminders.queue_reminders(now=TWO_DAYS_BEFORE_CANCEL_DEADLINE)
    assert [m.recipient.username for m in reminders_of("reminder_cancellation_deadline")] == [
        "seated"
    ]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (THREE_DAYS_BEFORE_CANCEL_DEADLINE - dt.timedelta(minutes=1), 0),
        (THREE_DAYS_BEFORE_CANCEL_DEADLINE, 3),
        (at(2027, 3, 8, 23, 59), 3),
        (at(2027, 3, 9, 0, 0), 0),  # the deadline instant has passed
    ],
)
def test_the_cancellation_reminder_window_is_the_3_days_before_the_deadline_instant(
    allocated_week, now, expected
):
    assert reminders.queue_reminders(now=now).cancellation_deadline == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (WEEK_BEFORE_START - dt.timedelta(minutes=1), 0),
        (WEEK_BEFORE_START, 3),
        (at(2027, 3, 21, 23, 59), 3),
        (at(2027, 3, 22, 0, 0), 0),  # the week has started
    ],
)
def test_the_week_before_reminder_window_is_the_7_days_before_the_first_day(
    allocated_week, now, expected
):
    assert reminders.queue_reminders(now=now).week_before == expected


def test_the_week_before_reminder_lists_the_courses_with_their_days(allocated_week):
    reminders.queue_reminders(now=THREE_DAYS_BEFORE_START)
    reminders.queue_reminders(now=THREE_DAYS_BEFORE_START + dt.timedelta(days=1))
    messages = reminders_of("reminder_week_before")
    assert len(messages) == 3
    (anna,) = [m for m in messages if m.recipient.username == "anna"]
    assert anna.subject == "Välkommen till LEKA A 2027, som börjar den 22 mars"
    assert "- Etik, mångfald & jämlikhet (måndag 22 mars, tisdag 23 mars)" in anna.body
    assert "- Ledarskap (onsdag 24 mars)" in anna.body
    assert "Lunch ingår inte." in anna.body
    assert "Eftersom sista avbokningsdag har passerat" in anna.body


def test_a_cancelled_week_gets_no_reminders(allocated_week, course_admin):
    from stportal.courses import services as course_services

    course_services.cancel_course_week(actor=course_admin, week=allocated_week, now=at(2027, 3, 1))
    assert reminders.queue_reminders(now=THREE_DAYS_BEFORE_START).total == 0


def test_reminders_read_in_constant_queries_whatever_the_number_of_registrations(
    series, course_admin, home_unit
):
    """No N+1: the SELECTs do not grow with the number of registrations."""
    week = make_week(series, course_admin)
    selects = []
    for batch in (2, 6):
        for n in range(batch):
            register(make_trainee(home_unit, f"b{batch}-{n}"), week, now=at(2026, 9, 10))
        registration_services.run_allocation(
            actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
        )
        OutboxMessage.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            queued = reminders.queue_reminders(now=THREE_DAYS_BEFORE_START)
        assert queued.week_before == (2 if batch == 2 else 8)
        selects.append(
            sum(1 for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT"))
        )
    assert selects[0] == selects[1]


# --- The command ---------------------------------------------------------------------------


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_queues_and_sends_reminders_once(allocated_week, mailoutbox):
    # The e-mails of registration and allocation were queued earlier; the command sends them.
    OutboxMessage.objects.all().delete()

    first = run_command("--now", "2027-03-07T08:00")
    second = run_command("--now", "2027-03-07T09:00+01:00")

    assert "reminders queued: 3" in first
    assert "e-mails sent: 3" in first
    assert "reminders queued: 0" in second
    assert "e-mails sent: 0" in second
    assert len(mailoutbox) == 3
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_the_command_expires_lapsed_offers_and_tells_the_trainee(
    series, course_admin, home_unit, mailoutbox
):
    """C11: the timer job expires offers 48 hours after they were made."""
    week = make_week(series, course_admin, course_capacity=1)
    first = make_trainee(home_unit, "forst")
    second = make_trainee(home_unit, "andra")
    registration = register(first, week, now=at(2026, 9, 10))
    register(second, week, now=at(2026, 9, 11))
    registration_services.run_allocation(
        actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
    )
    registration_services.cancel_registration_lines(
        actor=first.user, registration=registration, now=INSIDE_CANCEL_PERIOD
    )

    output = run_command("--now", "2027-03-12T12:01")

    assert "lapsed offers expired: 1" in output
    line = second.registrations.get().lines.get()
    assert line.status == LineStatus.CANCELLED
    assert OutboxMessage.objects.get(kind="offer_lapsed").status == OutboxStatus.SENT
    assert any(m.subject.startswith("Erbjudandet gäller inte längre") for m in mailoutbox)


def test_the_command_refuses_a_bad_now():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--now"):
        run_command("--now", "next tuesday")


def test_the_console_script_takes_the_dashed_name(db, capsys):
    cli.main(["stportal", "send-reminders", "--now", "2027-03-07T08:00"])
    assert "reminders queued: 0" in capsys.readouterr().out
