"""GDPR erasure by anonymisation after retention (SPEC 7; docs/privacy.md "Retention and
erasure"). After a person past retention is anonymised, no personal identity number or name of
theirs remains anywhere in the database (every table, every column, stored PDFs inflated) or
in the media folder; the fee ledger's totals and the course statistics are unchanged."""

from __future__ import annotations

import json

import pytest

from stportal.accounts import services
from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.tests import erasure_world as world
from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.certificates.models import Certificate
from stportal.core import personal_data
from stportal.core.errors import ServiceError
from stportal.core.models import AuditEvent
from stportal.funding.models import FundingApplication
from stportal.notifications.models import OutboxMessage


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
