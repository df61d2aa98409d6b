"""The e-mail outbox (C22): queued in the action's transaction, retried with backoff, never
sent twice, never breaking the action; every message in the recipient's language, Swedish by
default; the home unit's manager is told of seats and fees (C16).

The test suite sends e-mail right after each action's commit (`STPORTAL_SEND_MAIL_INLINE`, as
the demo does); the mail worker of production is tested in `test_worker.py`."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stportal.accounts.models import Role
from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services
from stportal.notifications import services
from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.registrations import services as registration_services
from stportal.registrations.models import FeeStatus, LineStatus, Registration
from stportal.testing import factories

FAILING = "stportal.notifications.tests.test_outbox.FailingBackend"
UNREACHABLE = "stportal.notifications.tests.test_outbox.UnreachableBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(554, b"mail server said no")


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot be reached at all."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


# --- A LEKA A week on a fixed timeline (Europe/Stockholm) ----------------------------------


def at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


OPEN = at(2026, 9, 15)  # invitation 2026-09-01, registration deadline 2026-10-15
AFTER_DEADLINE = at(2026, 10, 20)
INSIDE_CANCEL_PERIOD = at(2027, 3, 10)  # cancellation deadline 2027-03-08
T0 = at(2026, 9, 15, 9)


def make_week(series, admin, *, course_capacity=None, fee=3000, place="Umeå"):
    week = course_services.create_course_week(
        actor=admin,
        series=series,
        title="LEKA A 2027",
        start_date=dt.date(2027, 3, 22),
        end_date=dt.date(2027, 3, 26),
        place=place,
        capacity=60,
        invitation_date=dt.date(2026, 9, 1),
        registration_deadline=dt.date(2026, 10, 15),
        late_cancellation_fee=fee,
    )
    course_services.add_course(
        actor=admin,
        week=week,
        title="Etik, mångfald & jämlikhet",
        days=[dt.date(2027, 3, 22), dt.date(2027, 3, 23)],
        capacity=course_capacity,
    )
    return course_services.publish_course_week(actor=admin, week=week, now=OPEN)


def make_trainee(home_unit, username, *, language="sv", first_name="Anna", last_name="Berg"):
    return factories.TraineeFactory(
        home_unit=home_unit,
        user__username=username,
        user__language=language,
        user__first_name=first_name,
        user__last_name=last_name,
    )


def register(trainee, week, *, now=OPEN) -> Registration:
    return registration_services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=now
    )


def queue_test_message(user, **kwargs) -> OutboxMessage:
    """A registration-received e-mail built from a plain context (no registration needed)."""
    context = {
        "week_title": "LEKA B 2026",
        "start_date": dt.date(2026, 11, 16),
        "end_date": dt.date(2026, 11, 20),
        "place": "Umeå",
        "registration_deadline": dt.date(2026, 5, 15),
        "course_titles": ["Palliativ vård"],
        "late": False,
    }
    message = services.queue_email(
        kind="registration_received", to_user=user, context=context, **kwargs
    )
    assert message is not None
    return message


def messages_to(user, kind=None):
    found = OutboxMessage.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


@pytest.fixture
def week(series, course_admin):
    return make_week(series, course_admin)


@pytest.fixture
def anna(home_unit):
    return make_trainee(home_unit, "anna")


# --- After commit, or not at all -----------------------------------------------------------


def test_mail_is_queued_in_the_transaction_and_sent_only_after_commit(
    week, anna, mailoutbox, django_capture_on_commit_callbacks
):
    """C22: registering queues the e-mail with the registration; it leaves after commit."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(anna, week)
        message = OutboxMessage.objects.get(recipient=anna.user, kind="registration_received")
        assert message.status == OutboxStatus.QUEUED
        assert mailoutbox == []
    assert callbacks, "a send is registered for after commit"
    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [anna.user.email]
    assert mailoutbox[0].subject == "Anmälan mottagen: LEKA A 2027"


def test_nothing_is_queued_or_sent_when_the_action_rolls_back(
    anna, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_test_message(anna.user)
            raise RuntimeError("the action failed after queueing its e-mail")
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert mailoutbox == []


def test_a_failing_mail_server_marks_the_message_failed_and_the_action_still_commits(
    week, anna, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """C22: e-mail never breaks the action; the failure is recorded for staff."""
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(anna, week)

    assert Registration.objects.filter(pk=registration.pk).exists()
    message = OutboxMessage.objects.get(recipient=anna.user, kind="registration_received")
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "mail server said no" in message.last_error
    assert message.next_attempt_at is not None
    delay = message.next_attempt_at - timezone.now()
    assert dt.timedelta(minutes=4) < delay <= dt.timedelta(minutes=5)
    assert mailoutbox == []


def test_a_user_without_an_e_mail_address_gets_nothing_and_the_action_goes_on(home_unit):
    trainee = make_trainee(home_unit, "utan-adress")
    trainee.user.email = ""
    trainee.user.save(update_fields=["email"])
    queued = services.queue_email(kind="registration_received", to_user=trainee.user, context={})
    assert queued is None
    assert OutboxMessage.objects.count() == 0


# --- Retries -------------------------------------------------------------------------------


def test_failed_sends_are_retried_after_5_15_45_minutes_capped_at_6_hours_then_given_up(
    anna, settings
):
    """C22: failed sends are retried with backoff; after 8 attempts they stay failed."""
    settings.EMAIL_BACKEND = FAILING
    message = queue_test_message(anna.user)
    now = T0
    delays = []
    for attempt in range(1, 9):
        if attempt > 1:
            early = services.send_due(now=now - dt.timedelta(seconds=1))
            assert early.attempted == 0, "not retried before its time"
        report = services.send_due(now=now)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.status == OutboxStatus.FAILED
        if attempt < 8:
            assert report.failed == 1
            delays.append(message.next_attempt_at - now)
            now = message.next_attempt_at
        else:
            assert report.gave_up == 1
            assert message.next_attempt_at is None

    minutes = [int(delay.total_seconds() // 60) for delay in delays]
    assert minutes == [5, 15, 45, 135, 360, 360, 360]
    # Given up: no more attempts, however long we wait, but still visible as failed.
    assert services.send_due(now=now + dt.timedelta(days=30)).attempted == 0
    assert OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count() == 1


def test_a_failed_message_is_sent_on_its_retry_and_the_error_is_cleared(anna, settings, mailoutbox):
    settings.EMAIL_BACKEND = FAILING
    message = queue_test_message(anna.user)
    services.send_due(now=T0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert services.send_due(now=T0 + dt.timedelta(minutes=4)).attempted == 0
    report = services.send_due(now=T0 + dt.timedelta(minutes=5))

    message.refresh_from_db()
    assert report.sent == 1
    assert message.status == OutboxStatus.SENT
    assert message.last_error == ""
    assert message.attempts == 2
    assert len(mailoutbox) == 1


def test_an_unreachable_server_is_tried_once_per_run(home_unit, settings):
    """A server that is down fails the first message; the rest wait, untouched."""
    settings.EMAIL_BACKEND = UNREACHABLE
    users = [make_trainee(home_unit, f"st{n}").user for n in range(3)]
    for user in users:
        queue_test_message(user)

    report = services.send_due(now=T0)

    assert (report.failed, report.sent) == (1, 0)
    statuses = sorted(OutboxMessage.objects.values_list("status", "attempts"))
    assert statuses == [("failed", 1), ("queued", 0), ("queued", 0)]


def test_a_refused_message_does_not_stop_the_others(home_unit, settings):
    settings.EMAIL_BACKEND = FAILING
    for n in range(3):
        queue_test_message(make_trainee(home_unit, f"st{n}").user)
    assert services.send_due(now=T0).failed == 3


# --- Never twice ---------------------------------------------------------------------------


def test_two_send_due_runs_send_each_message_once(anna, mailoutbox):
    queue_test_message(anna.user)
    first = services.send_due(now=T0)
    second = services.send_due(now=T0 + dt.timedelta(minutes=1))
    assert (first.sent, second.sent) == (1, 0)
    assert len(mailoutbox) == 1


class SecondSenderDuringSend(locmem.EmailBackend):
    """While the first sender talks to the mail server, a second sender drains the outbox."""

    second_report = None

    def send_messages(self, email_messages):
        type(self).second_report = services.send_due(now=T0 + dt.timedelta(minutes=1))
        return super().send_messages(email_messages)


def test_a_second_sender_leaves_a_message_the_first_is_sending(anna, settings, mailoutbox):
    """The claim's lease: a message being sent is not due for anyone else."""
    queue_test_message(anna.user)
    settings.EMAIL_BACKEND = "stportal.notifications.tests.test_outbox.SecondSenderDuringSend"

    first = services.send_due(now=T0)

    assert first.sent == 1
    assert SecondSenderDuringSend.second_report.attempted == 0
    assert len(mailoutbox) == 1
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def test_the_after_commit_send_and_the_command_do_not_both_send(
    anna, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_test_message(anna.user)
    services.send_due(now=timezone.now())  # the timer got there first
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_a_message_claimed_by_a_sender_that_died_is_retried_after_the_lease(anna, mailoutbox):
    message = queue_test_message(anna.user)
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=1, next_attempt_at=T0 + services.CLAIM_LEASE
    )
    assert services.send_due(now=T0 + dt.timedelta(minutes=1)).attempted == 0
    assert services.send_due(now=T0 + services.CLAIM_LEASE).sent == 1
    assert len(mailoutbox) == 1


def test_a_taken_dedupe_key_queues_nothing(anna):
    first = queue_test_message(anna.user, dedupe_key="reminder:1")
    again = services.queue_email(
        kind="registration_received",
        to_user=anna.user,
        context={"course_titles": []},
        dedupe_key="reminder:1",
    )
    assert first is not None
    assert again is None
    assert OutboxMessage.objects.count() == 1


# --- Language ------------------------------------------------------------------------------


def test_e_mail_is_swedish_by_default(week, anna):
    """C22: every e-mail is in the recipient's language, Swedish by default."""
    register(anna, week)
    message = OutboxMessage.objects.get(recipient=anna.user, kind="registration_received")
    assert message.language == "sv"
    assert message.subject == "Anmälan mottagen: LEKA A 2027"
    assert message.body.startswith("Hej Anna Berg!")
    assert "Vi har tagit emot din anmälan till LEKA A 2027." in message.body
    assert "- Etik, mångfald & jämlikhet" in message.body  # plain text: nothing escaped
    assert "Datum: 22–26 mars 2027" in message.body
    assert "Plats: Umeå" in message.body
    assert "sista anmälningsdag, den 15 oktober 2026" in message.body
    assert "http://127.0.0.1:8000" in message.body
    assert "Med vänliga hälsningar" in message.body


def test_e_mail_is_english_for_a_user_who_chose_english(week, home_unit, settings):
    settings.SITE_URL = "https://st.example.se/"
    john = make_trainee(home_unit, "john", language="en", first_name="John", last_name="Smith")
    register(john, week)
    message = OutboxMessage.objects.get(recipient=john.user, kind="registration_received")
    assert message.language == "en"
    assert message.subject == "Registration received: LEKA A 2027"
    assert message.body.startswith("Dear John Smith,")
    assert "We have received your registration for LEKA A 2027." in message.body
    assert "Dates: 22–26 March 2027" in message.body
    assert "registration deadline, 15 October 2026" in message.body
    assert "https://st.example.se." in message.body
    assert "Kind regards," in message.body
    assert "anmälan" not in message.body


def test_an_explicit_language_wins_over_the_users(anna):
    message = queue_test_message(anna.user, language="en")
    assert message.language == "en"
    assert message.subject == "Registration received: LEKA B 2026"


# --- The events of C22 through the registration services -----------------------------------


@pytest.fixture
def manager(region, home_unit):
    return factories.user_with_role(
        Role.UNIT_MANAGER, region=region, home_unit=home_unit, username="enhetschef-test"
    )


def test_allocation_tells_the_trainee_once_and_the_home_units_manager_in_one_digest(
    series, course_admin, manager, home_unit, region
):
    """C16, C22: one e-mail per person for a week's allocation: the trainee's two seats in one
    message, the manager one digest of the unit's seats; another unit's manager nothing."""
    week = make_week(series, course_admin)
    course_services.add_course(
        actor=course_admin, week=week, title="Ledarskap", days=[dt.date(2027, 3, 25)]
    )
    other_unit = factories.HomeUnitFactory(region=region)
    factories.user_with_role(
        Role.UNIT_MANAGER, region=region, home_unit=other_unit, username="annan-chef"
    )
    anna = make_trainee(home_unit, "anna")
    bo = make_trainee(home_unit, "bo", first_name="Bo", last_name="Ek")
    register(anna, week)
    register(bo, week)
    registration_services.run_allocation(
        actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
    )

    (to_trainee,) = OutboxMessage.objects.filter(recipient=anna.user).exclude(
        kind="registration_received"
    )
    assert to_trainee.kind == "allocation_result"
    assert to_trainee.subject == "Platserna är fördelade: LEKA A 2027"
    assert "Du har fått en bekräftad plats på:" in to_trainee.body
    assert "- Etik, mångfald & jämlikhet (måndag 22 mars, tisdag 23 mars)" in to_trainee.body
    assert "- Ledarskap (torsdag 25 mars)" in to_trainee.body
    assert "avboka kostnadsfritt till och med den 8 mars 2027" in to_trainee.body
    assert "utbildningskostnad på 3\xa0000 kronor" in to_trainee.body
    assert "reservlista" not in to_trainee.body.split("Kursvecka")[0]

    (digest,) = OutboxMessage.objects.filter(kind="allocation_digest_manager")
    assert digest.recipient == manager
    assert digest.subject == f"Bekräftade platser för {home_unit.name}: LEKA A 2027"
    assert f"vars basenhet är {home_unit.name}" in digest.body
    assert "- Anna Berg: Etik, mångfald & jämlikhet (måndag 22 mars, tisdag 23 mars); " in (
        digest.body
    )
    assert "- Bo Ek: Etik" in digest.body
    assert "debiteras basenheten en utbildningskostnad" in digest.body
    # Nothing per line any more.
    assert not OutboxMessage.objects.filter(kind__in=["seat_confirmed", "waitlisted"]).exists()
    assert OutboxMessage.objects.exclude(kind="registration_received").count() == 3


def test_a_late_registration_placed_at_once_is_one_message_and_one_digest(
    series, course_admin, manager, home_unit
):
    """C10, C16, C22: a registration after allocation is seated or waits at once; the trainee
    gets one message saying where each of its lines landed (not a receipt and then one per
    line), and the unit's manager one digest of the confirmed seat."""
    week = make_week(series, course_admin, course_capacity=1)
    course_services.add_course(
        actor=course_admin, week=week, title="Ledarskap", days=[dt.date(2027, 3, 25)]
    )
    first = make_trainee(home_unit, "forst", first_name="Bo", last_name="Ek")
    register(first, week)
    etik = week.courses.get(title__startswith="Etik")
    registration_services.run_allocation(
        actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
    )
    anna = make_trainee(home_unit, "anna")
    OutboxMessage.objects.all().delete()

    registration = register(anna, week, now=AFTER_DEADLINE + dt.timedelta(days=1))

    statuses = dict(registration.lines.values_list("course_id", "status"))
    assert statuses[etik.pk] == LineStatus.WAITLISTED
    assert sorted(statuses.values()) == [LineStatus.CONFIRMED, LineStatus.WAITLISTED]
    (to_anna,) = messages_to(anna.user)
    assert to_anna.kind == "allocation_result"
    assert "Du har fått en bekräftad plats på:" in to_anna.body
    assert "- Ledarskap (torsdag 25 mars)" in to_anna.body
    assert "- Etik, mångfald & jämlikhet (nummer 1 på reservlistan)" in to_anna.body
    (digest,) = messages_to(manager)
    assert digest.kind == "allocation_digest_manager"
    assert "- Anna Berg: Ledarskap" in digest.body
    assert OutboxMessage.objects.count() == 2


def test_late_cancellation_tells_the_trainee_the_fee_and_the_manager_that_it_is_charged(
    week, anna, manager, course_admin, home_unit
):
    """C14, C16: cancellation confirmed with the fee; the manager is told of the fee."""
    registration = register(anna, week)
    registration_services.run_allocation(
        actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
    )
    result = registration_services.cancel_registration_lines(
        actor=anna.user, registration=registration, reason="Sjuk", now=INSIDE_CANCEL_PERIOD
    )
    assert result.fee is not None and result.fee.status == FeeStatus.CHARGED

    (cancelled,) = messages_to(anna.user, "cancellation_confirmed")
    assert "har avbokats" in cancelled.body
    assert "utbildningskostnad på 3\xa0000 kronor" in cancelled.body
    assert home_unit.name in cancelled.body

    (fee_mail,) = messages_to(manager, "fee_charged_manager")
    assert fee_mail.subject == "Utbildningskostnad debiteras: Anna Berg, LEKA A 2027"
    assert f"debiteras basenheten {home_unit.name}" in fee_mail.body
    assert f"Kostnadsställe: {home_unit.cost_centre}" in fee_mail.body
    assert "avbokade en bekräftad plats efter sista avbokningsdag" in fee_mail.body


def test_cancelling_before_the_deadline_says_no_fee(week, anna, manager, course_admin):
    registration = register(anna, week)
    registration_services.run_allocation(
        actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
    )
    registration_services.cancel_registration_lines(
        actor=anna.user, registration=registration, now=at(2027, 2, 1)
    )
    (cancelled,) = messages_to(anna.user, "cancellation_confirmed")
    assert "Ingen avgift tas ut för den här avbokningen." in cancelled.body
    assert messages_to(manager, "fee_charged_manager") == []


def test_waiting_list_and_offer_with_its_deadline_in_stockholm_time(
    series, course_admin, home_unit
):
    """C9, C11: the waiting-list position; the offer's deadline shown in Stockholm time."""
    week = make_week(series, course_admin, course_capacity=1)
    first = make_trainee(home_unit, "forst", first_name="Eva", last_name="Ek")
    second = make_trainee(home_unit, "andra", language="en", first_name="Sam", last_name="Lee")
    registration = register(first, week, now=at(2026, 9, 10))
    register(second, week, now=at(2026, 9, 11))
    registration_services.run_allocation(
        actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE
    )
    (waiting,) = messages_to(second.user, "allocation_result")
    assert "- Etik, mångfald & jämlikhet (number 1 on the waiting list)" in waiting.body
    assert "confirmed seat" not in waiting.body

    # 10 March 12:00 in Stockholm (CET); the offer lapses 48 hours later.
    registration_services.cancel_registration_lines(
        actor=first.user, registration=registration, now=INSIDE_CANCEL_PERIOD
    )
    line = second.registrations.get().lines.get()
    assert line.status == LineStatus.OFFERED
    (offer,) = messages_to(second.user, "offer_made")
    expires = line.offer_expires_at.astimezone(STOCKHOLM)
    assert expires.hour == 12
    assert "no later than 12 March 2027 at 12:00 (Swedish time)" in offer.body
    assert offer.subject.endswith("reply by 12 March")


def test_a_lapsed_offer_is_told_once(series, course_admin, home_unit):
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
    later = INSIDE_CANCEL_PERIOD + dt.timedelta(hours=49)
    registration_services.expire_lapsed_offers(now=later)
    registration_services.expire_lapsed_offers(now=later)
    (lapsed,) = messages_to(second.user, "offer_lapsed")
    assert "besvarades inte i tid" in lapsed.body


def test_week_cancelled_by_the_organiser_tells_everyone_registered_without_fee(
    week, anna, home_unit, course_admin
):
    """C4: the organiser's cancellation is told to everyone registered and charges nothing."""
    john = make_trainee(home_unit, "john", language="en", first_name="John", last_name="Smith")
    register(anna, week)
    register(john, week)
    course_services.cancel_course_week(
        actor=course_admin, week=week, reason="För få anmälda", now=at(2026, 10, 1)
    )
    (sv,) = messages_to(anna.user, "week_cancelled")
    (en,) = messages_to(john.user, "week_cancelled")
    assert sv.subject == "Inställd: LEKA A 2027"
    assert "Skäl: För få anmälda" in sv.body
    assert "- Etik, mångfald & jämlikhet" in sv.body
    assert "Din basenhet debiteras ingen utbildningskostnad." in sv.body
    assert "No fee is charged to your home unit." in en.body
    assert messages_to(anna.user, "cancellation_confirmed") == []


def test_week_changed_tells_each_registered_person_in_their_language(week, anna, home_unit):
    from django.utils.translation import gettext_lazy

    john = make_trainee(home_unit, "john", language="en", first_name="John", last_name="Smith")
    register(anna, week)
    register(john, week)
    # A msgid of this app's catalogue stands for the caller's own lazy description.
    services.notify_week_changed(
        week, week.registrations.all(), gettext_lazy("Lunch is not included.")
    )
    (sv,) = messages_to(anna.user, "week_changed")
    (en,) = messages_to(john.user, "week_changed")
    assert "Det här har ändrats:\nLunch ingår inte." in sv.body
    assert "What has changed:\nLunch is not included." in en.body


def test_a_week_change_with_many_registrations_reads_them_in_constant_queries(
    week, home_unit, django_assert_max_num_queries
):
    for n in range(6):
        register(make_trainee(home_unit, f"st{n}"), week)
    registrations = list(week.registrations.all())
    # 2 reads, then one savepoint, one INSERT for every message, and the release.
    with django_assert_max_num_queries(5):
        services.notify_week_changed(week, registrations, "Ny plats")
    assert OutboxMessage.objects.filter(kind="week_changed").count() == 6


# --- The back office -----------------------------------------------------------------------


def test_staff_see_failed_e_mails_and_can_have_them_sent_again(
    client, course_admin, anna, settings, mailoutbox
):
    settings.EMAIL_BACKEND = FAILING
    message = queue_test_message(anna.user)
    services.send_due(now=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(course_admin)
    url = reverse("admin:notifications_outboxmessage_changelist")

    page = client.get(url, {"status__exact": "failed"})
    assert page.status_code == 200
    assert anna.user.email in page.content.decode()
    detail = client.get(reverse("admin:notifications_outboxmessage_change", args=[message.pk]))
    assert detail.status_code == 200
    assert "mail server said no" in detail.content.decode()

    answer = client.post(
        url, {"action": "try_again", "_selected_action": [message.pk]}, follow=True
    )
    assert answer.status_code == 200
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mailoutbox) == 1


def test_staff_of_another_region_do_not_see_our_e_mails(client, outsider_admin, anna):
    message = queue_test_message(anna.user)
    client.force_login(outsider_admin)
    page = client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert page.status_code == 200
    assert anna.user.email not in page.content.decode()
    detail = client.get(
        reverse("admin:notifications_outboxmessage_change", args=[message.pk]), follow=True
    )
    assert anna.user.email not in detail.content.decode()


def test_the_outbox_is_read_only_in_the_back_office(client, course_admin, anna):
    message = queue_test_message(anna.user)
    client.force_login(course_admin)
    assert client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    change_url = reverse("admin:notifications_outboxmessage_change", args=[message.pk])
    assert client.post(change_url, {"subject": "x"}).status_code == 403
