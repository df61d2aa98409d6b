"""The logged-in certificate pages (C18, C18a, C19, SPEC 2, SPEC 7): the certifier issues every
certificate of a course in one action, staff mark the print batch printed and signed, revoke
and reissue with reasons, the trainee downloads a copy marked as a copy (and nobody else's),
the upload page refuses a PDF without the form's fields, and every page is Swedish first."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import AFTER_COURSE, LATER, attend
from stportal.attendance.tests.test_pages import untranslated
from stportal.certificates import services
from stportal.certificates.models import Certificate, CertificateBatch, CertificateForm
from stportal.certificates.pdf import COPY_MARK
from stportal.certificates.tests.test_certificate_services import blank_pdf, form_bytes


@pytest.fixture(autouse=True)
def later():
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def closed(etik, course_leader, make_participant, seat):
    """Etik closed: Anna (2015) and Bo (2021) passed with full attendance."""
    people = seat(
        make_participant(user__first_name="Anna", user__last_name="Andersson"),
        make_participant("2021", user__first_name="Bo", user__last_name="Berg"),
    )
    for registration in people:
        attend(course_leader, etik, registration, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    return people


@pytest.fixture
def issued(etik, closed, regional_study_director) -> list[Certificate]:
    return services.issue_certificates(actor=regional_study_director, course=etik)


def as_user(client, user):
    client.force_login(user)
    return client


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def pdf_text(content: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", raw)


# --- issuing (C18, C19) --------------------------------------------------------------------------


def test_the_certifier_issues_every_certificate_in_one_action_c19(
    client, etik, closed, regional_study_director
):
    as_user(client, regional_study_director)
    page = client.get(reverse("certificates:course", args=[etik.pk]))
    assert page.status_code == 200
    body = text_of(page)
    assert "2 godkända deltagare har inget kursintyg än." in body
    assert "Utfärda intyg för alla godkända" in body
    # The course waits on the certificates page, linking to it.
    listing = client.get(reverse("certificates:batches"))
    assert reverse("certificates:course", args=[etik.pk]) in listing.content.decode()

    response = client.post(reverse("certificates:issue", args=[etik.pk]))
    assert response.status_code == 302
    batch = CertificateBatch.objects.get()
    assert response["Location"] == reverse("certificates:batch", args=[batch.pk])
    assert {c.line.registration_id for c in batch.certificates.all()} == {r.pk for r in closed}
    body = text_of(client.get(response["Location"]))
    assert "2 kursintyg är utfärdade för Etik, mångfald och jämlikhet i en utskriftsomgång." in body
    assert "Anna Andersson" in body and "Bo Berg" in body
    assert "Utfärdat" in body

    again = client.post(reverse("certificates:issue", args=[etik.pk]), follow=True)
    assert "Alla godkända deltagare har redan kursintyg: inget nytt utfärdades." in text_of(again)
    assert CertificateBatch.objects.count() == 1


def test_issuing_waits_for_a_closed_register(client, ledarskap, regional_study_director):
    as_user(client, regional_study_director)
    body = text_of(client.get(reverse("certificates:course", args=[ledarskap.pk])))
    assert "Närvarolistan är inte stängd än." in body
    assert "Utfärda intyg för alla godkända" not in body
    response = client.post(reverse("certificates:issue", args=[ledarskap.pk]), follow=True)
    assert "Kursintyg utfärdas när delkursens närvaroregister har stängts." in text_of(response)
    assert not Certificate.objects.exists()


def test_only_the_certifier_issues_c18(
    client, etik, closed, course_admin, course_leader, other_leader, outsider_admin
):
    """The course admin sees the states but does not issue (403); a leader who does not
    certify, and the trainee, get 403; another region's staff 404."""
    as_user(client, course_admin)
    page = client.get(reverse("certificates:course", args=[etik.pk]))
    assert page.status_code == 200
    assert "Den övergripande studierektorn intygar" in text_of(page)
    assert client.post(reverse("certificates:issue", args=[etik.pk])).status_code == 403
    for user in (course_leader, other_leader, closed[0].trainee.user):
        as_user(client, user)
        assert client.get(reverse("certificates:course", args=[etik.pk])).status_code == 403
        assert client.post(reverse("certificates:issue", args=[etik.pk])).status_code == 403
    as_user(client, outsider_admin)
    assert client.get(reverse("certificates:course", args=[etik.pk])).status_code == 404
    assert not Certificate.objects.exists()


# --- the print batch (C19) -----------------------------------------------------------------------


def test_the_batch_is_marked_printed_then_signed_c19(client, issued, regional_study_director):
    batch = issued[0].batch
    as_user(client, regional_study_director)
    url = reverse("certificates:batch_state", args=[batch.pk])
    page = client.get(reverse("certificates:batch", args=[batch.pk]))
    assert "Markera hela omgången" in text_of(page)
    response = client.post(url, {"state": "printed", "date": "2027-04-12"})
    assert response.status_code == 302
    body = text_of(client.get(response["Location"]))
    assert "2 intyg i omgången är markerade som utskrivna den 12 april 2027." in body
    response = client.post(url, {"state": "signed", "date": "2027-04-12"}, follow=True)
    assert "2 intyg i omgången är markerade som signerade den 12 april 2027." in text_of(response)
    states = set(Certificate.objects.values_list("state", "signed_on"))
    assert {state for state, _on in states} == {"signed"}
    assert {on.isoformat() for _state, on in states} == {"2027-04-12"}


def test_a_date_ahead_is_refused_by_the_date_field_c19(client, issued, course_admin):
    batch = issued[0].batch
    as_user(client, course_admin)
    response = client.post(
        reverse("certificates:batch_state", args=[batch.pk]),
        {"state": "printed", "date": "2027-05-01"},
    )
    assert response.status_code == 200
    assert "Datum: Datumet har inte kommit än." in text_of(response)
    assert 'href="#id_date"' in response.content.decode()
    assert set(Certificate.objects.values_list("state", flat=True)) == {"issued"}


def test_a_step_out_of_order_is_told_on_the_page_c19(client, issued, course_admin):
    batch = issued[0].batch
    as_user(client, course_admin)
    response = client.post(
        reverse("certificates:batch_state", args=[batch.pk]),
        {"state": "signed", "date": "2027-04-12"},
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Något behöver rättas" in body
    assert "Inget intyg i utskriftsomgången kan gå till den statusen nu." in body
    assert set(Certificate.objects.values_list("state", flat=True)) == {"issued"}


def test_the_batch_downloads_as_one_pdf_of_originals(client, issued, course_admin):
    as_user(client, course_admin)
    response = client.get(reverse("certificates:batch_pdf", args=[issued[0].batch_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    text = pdf_text(response.content)
    assert "Andersson" in text and "Berg" in text
    assert COPY_MARK not in text


def test_without_an_uploaded_form_the_batch_page_says_the_rendition_is_not_official_c18a(
    client, issued, course_admin
):
    as_user(client, course_admin)
    body = text_of(client.get(reverse("certificates:batch", args=[issued[0].batch_id])))
    assert "Ingen officiell blankett är uppladdad för: SOSFS 2015:8, bilaga 5" in body
    assert "HSLF-FS 2021:8, bilaga 10" in body
    assert "Den är inte Socialstyrelsens officiella blankett." in body


# --- one certificate: state, reissue, revoke (C19) ---------------------------------------------


def test_a_single_certificate_moves_on_and_is_revoked_with_a_reason_c19(
    client, issued, course_admin
):
    certificate = issued[0]
    as_user(client, course_admin)
    page = client.get(reverse("certificates:certificate", args=[certificate.pk]))
    assert page.status_code == 200
    assert certificate.verification_code in text_of(page)
    response = client.post(
        reverse("certificates:certificate_state", args=[certificate.pk]),
        {"state-state": "printed", "state-date": "2027-04-12"},
        follow=True,
    )
    assert "är markerat som utskrivet den 12 april 2027." in text_of(response)

    url = reverse("certificates:revoke", args=[certificate.pk])
    refused = client.post(url, {"revoke-reason": ""})
    assert refused.status_code == 200
    assert "Skriv varför intyget återkallas." in text_of(refused)
    assert 'href="#id_revoke-reason"' in refused.content.decode()
    response = client.post(url, {"revoke-reason": "Utfärdat av misstag."}, follow=True)
    assert "är återkallat. Sidan för kontroll av intyg visar nu det." in text_of(response)
    certificate.refresh_from_db()
    assert certificate.state == "revoked"
    verify = client.get(reverse("certificates:verify", args=[certificate.verification_code]))
    assert "Återkallat" in text_of(verify)


def test_a_lost_original_is_reissued_with_a_reason_c19(client, issued, course_admin):
    lost = issued[0]
    as_user(client, course_admin)
    url = reverse("certificates:reissue", args=[lost.pk])
    refused = client.post(url, {"reissue-reason": ""})
    assert "Skriv varför ett nytt original behövs." in text_of(refused)
    response = client.post(url, {"reissue-reason": "Försvann med posten."})
    assert response.status_code == 302
    new = Certificate.objects.get(reissue_of=lost)
    assert response["Location"] == reverse("certificates:certificate", args=[new.pk])
    body = text_of(client.get(response["Location"]))
    assert "Ett nytt original är utfärdat för" in body
    assert "Försvann med posten." in body
    assert new.verification_code != lost.verification_code


# --- the trainee's copies (C19) ------------------------------------------------------------------


def test_the_trainee_downloads_a_copy_marked_as_a_copy_c19(client, issued, closed):
    anna = closed[0].trainee.user
    mine = next(c for c in issued if c.line.registration_id == closed[0].pk)
    as_user(client, anna)
    page = client.get(reverse("certificates:mine"))
    assert page.status_code == 200
    body = text_of(page)
    assert "Etik, mångfald och jämlikhet" in body
    assert "Utfärdat" in body
    assert "Ladda ned kopia" in body
    assert "22 mars 2027 – 24 mars 2027" in body
    copy_url = reverse("certificates:copy_pdf", args=[mine.pk])
    assert copy_url in page.content.decode()
    response = client.get(copy_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert COPY_MARK in text
    assert "Andersson" in text


def test_a_trainee_gets_404_for_another_trainees_copy_c19(client, issued, closed, trainee):
    annas = next(c for c in issued if c.line.registration_id == closed[0].pk)
    for someone in (closed[1].trainee.user, trainee.user):
        as_user(client, someone)
        assert client.get(reverse("certificates:copy_pdf", args=[annas.pk])).status_code == 404
        mine = client.get(reverse("certificates:mine")).content.decode()
        assert reverse("certificates:copy_pdf", args=[annas.pk]) not in mine
        if someone.get_full_name() != "Anna Andersson":  # a made-up name may be the same
            assert "Anna Andersson" not in mine
    # The trainee reads their own certificate but may not move it: staff pages answer 403.
    as_user(client, closed[0].trainee.user)
    assert client.get(reverse("certificates:certificate", args=[annas.pk])).status_code == 403
    assert client.get(reverse("certificates:batch", args=[annas.batch_id])).status_code == 404
    assert client.get(reverse("certificates:batches")).status_code == 403


def test_the_pages_run_a_constant_number_of_queries_spec7(
    client, etik, course_leader, regional_study_director, make_participant, seat
):
    """SPEC 7: the batch page and the trainee's list, for 2 and for 6 certificates."""
    people = seat(*[make_participant() for _ in range(6)])
    for registration in people:
        attend(course_leader, etik, registration, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    certificates = services.issue_certificates(actor=regional_study_director, course=etik)
    batch_url = reverse("certificates:batch", args=[certificates[0].batch_id])

    def count(user, url) -> int:
        as_user(client, user)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    six = count(regional_study_director, batch_url)
    for certificate in certificates[2:]:
        services.revoke_certificate(actor=None, certificate=certificate, reason="Prov")
    assert count(regional_study_director, batch_url) == six
    trainee_user = people[0].trainee.user
    assert count(trainee_user, reverse("certificates:mine")) == count(
        trainee_user, reverse("certificates:mine")
    )


# --- Socialstyrelsen's forms (C18a) --------------------------------------------------------------


def test_the_upload_page_refuses_a_pdf_without_the_forms_fields_c18a(client, course_admin):
    as_user(client, course_admin)
    url = reverse("certificates:forms")
    page = client.get(url)
    assert page.status_code == 200
    body = text_of(page)
    assert "Ingen blankett uppladdad." in body
    assert "inte Socialstyrelsens officiella blankett" in body
    upload = SimpleUploadedFile("inte-blankett.pdf", blank_pdf(), content_type="application/pdf")
    response = client.post(url, {"version": "2015", "file": upload})
    assert response.status_code == 200
    body = text_of(response)
    assert "Något behöver rättas" in body
    assert "Blanketten saknar fält som intyget fyller i:" in body
    assert "Fält som blanketten saknar:" in body
    assert "Personnummer" in body
    html = response.content.decode()
    assert 'href="#id_file"' in html
    assert 'id="id_file_error"' in html
    assert not CertificateForm.objects.exists()


def test_the_upload_page_keeps_the_real_form_and_says_when_c18a(client, course_admin):
    data = form_bytes("2015")
    as_user(client, course_admin)
    url = reverse("certificates:forms")
    upload = SimpleUploadedFile("sosfs-2015.pdf", data, content_type="application/pdf")
    response = client.post(url, {"version": "", "file": upload}, follow=True)
    body = text_of(response)
    assert "Blanketten för SOSFS 2015:8, bilaga 5 är uppladdad." in body
    assert "sosfs-2015.pdf" in body
    assert "12 april 2027" in body
    assert CertificateForm.objects.get().version == "2015"
    again = SimpleUploadedFile("sosfs-2015.pdf", data, content_type="application/pdf")
    response = client.post(url, {"file": again}, follow=True)
    assert "Det här är redan den gällande blanketten" in text_of(response)


def test_only_staff_reach_the_upload_page(client, course_leader, trainee):
    for user in (course_leader, trainee.user):
        as_user(client, user)
        assert client.get(reverse("certificates:forms")).status_code == 403


# --- Swedish first -------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def test_every_message_of_the_certificate_pages_has_a_swedish_translation():
    """STYLE rule 10: Swedish first."""
    templates = sorted((ROOT / "certificates" / "templates" / "certificates").glob("*.html"))
    assert untranslated([ROOT / "certificates" / "pages.py"], templates) == []
