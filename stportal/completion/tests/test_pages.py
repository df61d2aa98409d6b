"""The completion pack's pages (SPEC 5 P14): "Ansökan om specialistbevis" lists the
attachments with their Bilaga nr and what is missing, and downloads them; the trainee uploads a
summary certificate there; the supervisor and the study director read it; staff upload
Socialstyrelsen's application form; the record's overview links the page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from stportal.completion.models import ApplicationForm, SummaryCertificate
from stportal.completion.tests.conftest import application, issue_st_day, small_pdf

pytestmark = pytest.mark.django_db


def test_p14_the_trainee_reads_the_pack_with_bilaga_nr_and_what_is_missing(
    client, sara, supervisor
):
    issue_st_day(supervisor, sara)
    client.force_login(sara.user)
    page = client.get(f"/specialistansokan/st-lakare/{sara.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="attachment-2"' in html and "Läkemedel" in html
    assert 'id="no-application-form"' in html
    assert "BVC, barnmedicin" in html  # a mandatory subject no certificate covers
    assert f"/specialistansokan/st-lakare/{sara.pk}/ansokan.pdf" in html
    assert 'enctype="multipart/form-data"' in html


def test_p14_the_trainee_uploads_the_signed_summary_certificate(client, sara):
    client.force_login(sara.user)
    url = f"/specialistansokan/st-lakare/{sara.pk}/intyg/"
    refused = client.post(url, {"kind": "specialist_competence", "action": "upload"})
    assert refused.status_code == 422
    response = client.post(
        url,
        {
            "kind": "specialist_competence",
            "action": "upload",
            "file": SimpleUploadedFile("intyg.pdf", small_pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    assert SummaryCertificate.objects.get(trainee=sara).present
    bad = client.post(
        url,
        {
            "kind": "specialist_competence",
            "action": "upload",
            "file": SimpleUploadedFile("intyg.pdf", b"no pdf", "application/pdf"),
        },
    )
    assert bad.status_code == 422


def test_p14_supervisor_and_study_director_read_but_do_not_upload(
    client, sara, supervisor, study_director
):
    for user in (supervisor, study_director):
        client.force_login(user)
        page = client.get(f"/specialistansokan/st-lakare/{sara.pk}/")
        assert page.status_code == 200
        assert 'enctype="multipart/form-data"' not in page.content.decode()
        refused = client.post(
            f"/specialistansokan/st-lakare/{sara.pk}/intyg/",
            {"kind": "specialist_competence", "action": "to_come"},
        )
        assert refused.status_code == 403


def test_p14_staff_upload_the_application_form_and_the_pack_pdf_carries_it(
    client, sara, supervisor, course_admin
):
    client.force_login(course_admin)
    assert client.get("/specialistansokan/blanketter/").status_code == 200
    response = client.post(
        "/specialistansokan/blanketter/",
        {"file": SimpleUploadedFile("ansokan.pdf", application("2015"), "application/pdf")},
    )
    assert response.status_code == 302
    assert ApplicationForm.objects.get().version == "2015"
    issue_st_day(supervisor, sara)
    client.force_login(sara.user)
    pdf = client.get(f"/specialistansokan/st-lakare/{sara.pk}/ansokan.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    assert not reader.get_fields()
    first_pages = " ".join(page.extract_text() for page in reader.pages[:3])
    assert "Berglund-Öhman" in first_pages and "198503152384"[:8] in first_pages
    listing = client.get(f"/specialistansokan/st-lakare/{sara.pk}/bilagor.pdf")
    assert listing.status_code == 200 and listing.content.startswith(b"%PDF-")


def test_p14_the_record_overview_links_the_pack(client, sara):
    client.force_login(sara.user)
    from stportal.portfolio.selectors import record_parts

    urls = [link.url for link in record_parts(sara.user, sara)]
    assert f"/specialistansokan/st-lakare/{sara.pk}/" in urls


def test_p14_the_page_answers_in_a_constant_number_of_queries(client, sara, supervisor):
    client.force_login(sara.user)
    url = f"/specialistansokan/st-lakare/{sara.pk}/"
    issue_st_day(supervisor, sara, "Läkemedel")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    issue_st_day(supervisor, sara, "BVC, barnmedicin")
    issue_st_day(supervisor, sara, "Etik, mångfald och jämlikhet")
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three.captured_queries) == len(one.captured_queries)
