"""GDPR erasure by anonymisation after retention (SPEC 7; docs/privacy.md "Retention and
erasure"). After a person past retention is anonymised, no personal identity number or name of
theirs remains anywhere in the database (every table, every column, stored PDFs inflated) or
in the media folder; the fee ledger's totals and the course statistics are unchanged."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from stportal.accounts import services
from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.tests import erasure_world as world
from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.certificates.models import Certificate
from stportal.core import personal_data
from stportal.core.dates import STOCKHOLM
from stportal.core.errors import ServiceError
from stportal.core.models import AuditEvent
from stportal.funding.models import FundingApplication
from stportal.notifications.models import OutboxMessage, OutboxStatus


@pytest.fixture
def built(
    leka, etik, ledarskap, course_admin, course_leader, regional_study_director, home_unit, seat
):
    return world.build(
        leka=leka,
        etik=etik,
        ledarskap=ledarskap,
        course_admin=course_admin,
        course_leader=course_leader,
        certifier=regional_study_director,
        home_unit=home_unit,
        seat=seat,
    )


@pytest.mark.django_db(transaction=False)
def test_after_erasure_nothing_in_the_whole_database_names_the_person_and_the_ledger_is_intact(
    built,
):
    trainee = built.trainee
    # Negative control: the search finds her before erasure, in the places this test is about.
    before = world.search_database(world.NEEDLES)
    found_tables = {table for table, _column, _needle in before}
    for table in (
        "accounts_traineeprofile",
        "accounts_historicaltraineeprofile",
        "accounts_user",
        "certificates_certificate",
        "registrations_registration",
        "notifications_outboxmessage",
        "core_auditevent",
        "funding_fundingapplication",
        "statements_supervisorstatement",
    ):
        assert table in found_tables, f"the search must see {table} before erasure"
    assert ("accounts_historicaltraineeprofile", "personal_id", world.OLD_PERSONAL_ID) in before
    ledger = world.fee_ledger()
    assert ledger["total"] == 6000, "two late cancellations, 3000 each"
    counts = world.statistics()
    other_before = world.search_database(["Göran", "Ärlig"])

    report = services.anonymise_person(actor=None, user_id=trainee.user_id, today=world.LONG_AFTER)

    assert report.total > 0
    assert world.search_database(world.NEEDLES) == []
    assert world.search_media(world.NEEDLES) == []
    assert world.fee_ledger() == ledger
    assert world.statistics() == counts
    # The other participant is untouched.
    assert world.search_database(["Göran", "Ärlig"]) == other_before
    user = User.objects.get(pk=trainee.user_id)
    assert (user.username, user.is_active, user.has_usable_password()) == (
        f"anonym-{user.pk}",
        False,
        False,
    )
    assert TraineeProfile.objects.get(pk=trainee.pk).personal_id == ""
    # The certificate stays: number, course and dates, the holder anonymised.
    certificate = Certificate.objects.get(line__registration__trainee=trainee)
    assert certificate.content["anonymised"] is True
    assert certificate.content["subject"].startswith("Etik")
    assert FundingApplication.objects.get(trainee=trainee).certificate_pdf is None
    assert not OutboxMessage.objects.filter(recipient=user).exclude(to_email="").exists()
    event = AuditEvent.objects.get(action="person.anonymised")
    assert event.after["user_id"] == user.pk and event.actor is None


def test_the_export_of_an_anonymised_person_still_works_and_holds_nothing_personal(built):
    trainee = built.trainee
    services.anonymise_person(actor=None, user_id=trainee.user_id, today=world.LONG_AFTER)
    text = json.dumps(personal_data.export(trainee.user_id, trainee.pk), ensure_ascii=False)
    assert '"registrations"' in text
    for needle in world.NEEDLES:
        assert needle.lower() not in text.lower()


def test_a_person_within_retention_is_refused_and_nothing_changes(built):
    trainee = built.trainee
    before = world.search_database(world.NEEDLES)
    within = trainee.planned_completion.replace(year=trainee.planned_completion.year + 5)
    with pytest.raises(ServiceError) as refused:
        services.anonymise_person(actor=None, user_id=trainee.user_id, today=within)
    assert refused.value.code == "not_past_retention"
    assert world.search_database(world.NEEDLES) == before
    assert not AuditEvent.objects.filter(action="person.anonymised").exists()


def test_an_active_account_is_never_anonymised_however_old(built):
    trainee = built.trainee
    User.objects.filter(pk=trainee.user_id).update(is_active=True)
    with pytest.raises(ServiceError):
        services.anonymise_person(actor=None, user_id=trainee.user_id, today=world.LONG_AFTER)
    assert User.objects.get(pk=trainee.user_id).first_name == world.FIRST_NAME


def test_the_command_lists_without_changing_and_anonymises_with_apply(built):
    trainee = built.trainee
    before = world.search_database(world.NEEDLES)
    listed = io.StringIO()
    call_command("erase_personal_data", today=world.LONG_AFTER.isoformat(), stdout=listed)
    output = listed.getvalue()
    assert "people past retention: 1" in output
    assert f"user {trainee.user_id} " in output
    assert world.FIRST_NAME not in output and world.PERSONAL_ID not in output
    assert "dry run: nothing changed" in output
    assert world.search_database(world.NEEDLES) == before

    applied = io.StringIO()
    call_command(
        "erase_personal_data", "--apply", today=world.LONG_AFTER.isoformat(), stdout=applied
    )
    assert "people anonymised: 1" in applied.getvalue()
    assert world.search_database(world.NEEDLES) == []
    # Nobody is left past retention: a second run does nothing.
    again = io.StringIO()
    call_command("erase_personal_data", today=world.LONG_AFTER.isoformat(), stdout=again)
    assert "people past retention: 0" in again.getvalue()


def test_the_command_clears_old_sent_e_mail_for_everyone_but_not_what_waits_to_be_sent(built):
    other_user = built.other.user
    messages = list(OutboxMessage.objects.filter(recipient=other_user).order_by("pk"))
    assert len(messages) >= 2
    waiting, *sent = messages
    OutboxMessage.objects.filter(pk__in=[m.pk for m in sent]).update(status=OutboxStatus.SENT)
    OutboxMessage.objects.filter(pk=waiting.pk).update(status=OutboxStatus.QUEUED)
    listed = io.StringIO()
    call_command("erase_personal_data", today=world.LONG_AFTER.isoformat(), stdout=listed)
    assert OutboxMessage.objects.filter(pk=sent[0].pk).exclude(body="").exists()
    call_command(
        "erase_personal_data",
        "--apply",
        today=world.LONG_AFTER.isoformat(),
        stdout=io.StringIO(),
    )
    cleared = OutboxMessage.objects.filter(pk__in=[m.pk for m in sent])
    assert cleared.count() == len(sent), "the messages stay, countable"
    assert set(cleared.values_list("to_email", "subject", "body")) == {("", "", "")}
    still = OutboxMessage.objects.get(pk=waiting.pk)
    assert still.status == OutboxStatus.QUEUED and still.body == waiting.body != ""


def test_the_admin_action_anonymises_those_past_retention_and_refuses_the_others(
    built, client, course_admin
):
    trainee, other = built.trainee, built.other
    with time_machine.travel(dt.datetime(2045, 1, 1, 12, tzinfo=STOCKHOLM), tick=False):
        client.force_login(course_admin)
        response = client.post(
            "/admin/accounts/user/",
            {
                "action": "anonymise_people",
                "_selected_action": [trainee.user_id, other.user_id],
            },
            follow=True,
        )
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any("1" in text and "anonym" in text.lower() for text in shown), shown
    assert any(text.startswith("Göran Ärlig: ") for text in shown), shown
    assert User.objects.get(pk=trainee.user_id).username == f"anonym-{trainee.user_id}"
    assert User.objects.get(pk=other.user_id).first_name == "Göran"
    event = AuditEvent.objects.get(action="person.anonymised")
    assert event.actor == course_admin


def test_the_certificate_still_verifies_and_says_the_holder_is_anonymised(built, client):
    trainee = built.trainee
    certificate = Certificate.objects.get(line__registration__trainee=trainee)
    services.anonymise_person(actor=None, user_id=trainee.user_id, today=world.LONG_AFTER)
    page = client.get(reverse("certificates:verify", args=[certificate.verification_code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "anonymiserad" in text and "Etik" in text
    assert world.LAST_NAME not in text
