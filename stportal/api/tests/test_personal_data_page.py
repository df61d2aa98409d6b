"""GDPR (SPEC 7): the readable page of a person's export, beside the JSON API: the person reads
everything held about them, staff of a trainee's region read the trainee's, in the reader's
language and in Swedish time; nobody else gets it, and every reading is in the audit trail."""

from __future__ import annotations

from django.test import Client
from django.utils import translation

from stportal.api.tests.test_personal_data_export import registered_and_cancelled_late
from stportal.core.audit import AuditEvent


def page(user, path):
    client = Client()
    client.force_login(user)
    return client.get(path)


def test_a_trainee_reads_their_registrations_and_fees_in_swedish(
    api, make_week, course_admin, trainee, frozen_time
):
    registered_and_cancelled_late(api, make_week, course_admin, trainee, frozen_time)
    response = page(trainee.user, "/konto/mina-personuppgifter/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Det här har ST-portalen sparat om dig" in text
    # Parts and fields by their names, values by their readable labels.
    assert "Utbildningskostnader (1)" in text and "debiterad" in text
    assert "Anmälningar (1)" in text
    assert trainee.personal_id in text
    assert trainee.user.username in text
    # The JSON beside it, and no secrets.
    assert 'href="/api/v1/me/export"' in text
    assert "pbkdf2" not in text and "argon2" not in text
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert AuditEvent.objects.filter(action="personal_data.exported", actor=trainee.user).exists()


def test_times_are_shown_in_swedish_time(api, make_week, course_admin, trainee, frozen_time):
    registered_and_cancelled_late(api, make_week, course_admin, trainee, frozen_time)
    text = page(trainee.user, "/konto/mina-personuppgifter/").content.decode()
    # Cancelled 2027-03-12 09:00 Swedish time (08:00 UTC): the page shows the Swedish hour.
    assert "2027-03-12 09:00" in text
    assert "2027-03-12T08:00" not in text


def test_the_page_follows_the_readers_language(trainee):
    client = Client()
    client.force_login(trainee.user)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        text = client.get("/konto/mina-personuppgifter/", HTTP_ACCEPT_LANGUAGE="en").content
    assert b"What ST-portalen holds about you" in text
    assert b"Personal identity number" in text


def test_staff_of_the_region_read_a_trainees_data_and_it_is_audited(course_admin, trainee):
    response = page(course_admin, f"/konto/st-lakare/{trainee.pk}/personuppgifter/")
    assert response.status_code == 200
    assert trainee.user.display_name in response.content.decode()
    assert f'href="/api/v1/trainees/{trainee.pk}/export"' in response.content.decode()
    event = AuditEvent.objects.get(action="personal_data.exported", actor=course_admin)
    assert event.after["user_id"] == trainee.user_id


def test_nobody_else_reads_a_trainees_data(trainee, other_trainee, supervisor, outsider_admin):
    for outsider in (other_trainee.user, supervisor, outsider_admin):
        response = page(outsider, f"/konto/st-lakare/{trainee.pk}/personuppgifter/")
        assert response.status_code == 404
    assert page(trainee.user, "/konto/st-lakare/999999/personuppgifter/").status_code == 404
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()


def test_the_record_links_staff_to_the_trainees_data(course_admin, trainee, supervisor):
    link = f"/konto/st-lakare/{trainee.pk}/personuppgifter/"
    assert link in page(course_admin, f"/st/{trainee.pk}/").content.decode()
    supervised = page(supervisor, f"/st/{trainee.pk}/")
    assert link not in supervised.content.decode()


def test_every_page_links_to_the_persons_own_data(trainee):
    text = page(trainee.user, "/").content.decode()
    assert 'href="/konto/mina-personuppgifter/"' in text
