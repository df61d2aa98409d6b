"""The ST-day certificate pages (SPEC 5 P4): the supervisor records an examined ST-day and
downloads the original; the trainee sees the certificate and downloads a copy; lists answer
in a constant number of queries."""

from __future__ import annotations

import io

import pytest
import time_machine
from pypdf import PdfReader

from stportal.certificates.pdf import COPY_MARK
from stportal.stdays.models import StDayCertificate
from stportal.stdays.tests.conftest import NOW, issue, subject
from stportal.testing import factories


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_supervisor_records_an_examined_st_day_on_the_page_p4(client, sara, supervisor):
    client.force_login(supervisor)
    index = client.get("/st-dagar/")
    assert index.status_code == 200
    assert sara.user.display_name in index.content.decode()
    url = f"/st-dagar/st-lakare/{sara.pk}/ny/"
    form = client.get(url)
    assert "BVC, barnmedicin" in form.content.decode()
    response = client.post(
        url,
        {
            "subject": subject("BVC, barnmedicin").pk,
            "title": "BVC-dag: barnets utveckling",
            "first_day": "2027-04-07",
            "place": "Folkets hus, Umeå",
            "goal_codes": "c7, c8",
            "examined_on": "2027-04-09",
            "examination": "Fallseminarium.",
        },
        follow=True,
    )
    assert response.status_code == 200
    certificate = StDayCertificate.objects.get()
    assert certificate.goal_codes == ["c7", "c8"]
    page = response.content.decode()
    assert "BVC-dag: barnets utveckling" in page
    assert f"/st-dagar/intyg/{certificate.pk}.pdf" in page
    pdf = client.get(f"/st-dagar/intyg/{certificate.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert COPY_MARK not in text_of(pdf.content)


def test_a_refused_form_keeps_the_input_p4(client, sara, supervisor):
    client.force_login(supervisor)
    response = client.post(
        f"/st-dagar/st-lakare/{sara.pk}/ny/",
        {
            "subject": subject("Läkemedel").pk,
            "title": "Min rubrik",
            "first_day": "2027-05-01",
            "examined_on": "2027-05-01",
            "examination": "Fallseminarium.",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Min rubrik" in page and "Fallseminarium." in page
    assert not StDayCertificate.objects.exists()


def test_the_trainee_sees_the_certificate_and_downloads_a_copy_p4(client, sara, supervisor):
    certificate = issue(supervisor, sara)
    client.force_login(sara.user)
    page = client.get("/st-dagar/").content.decode()
    assert certificate.title in page
    assert "aterkalla" not in page
    pdf = client.get(f"/st-dagar/intyg/{certificate.pk}.pdf")
    assert COPY_MARK in text_of(pdf.content)
    assert client.get(f"/st-dagar/st-lakare/{sara.pk}/ny/").status_code == 403


def test_another_supervisor_is_answered_not_found_on_the_pages_p4(
    client, sara, supervisor, other_supervisor
):
    certificate = issue(supervisor, sara)
    client.force_login(other_supervisor)
    assert client.get(f"/st-dagar/st-lakare/{sara.pk}/ny/").status_code == 404
    assert client.get(f"/st-dagar/intyg/{certificate.pk}.pdf").status_code == 404
    assert certificate.title not in client.get("/st-dagar/").content.decode()


def test_the_supervisor_revokes_on_the_page_p4(client, sara, supervisor):
    certificate = issue(supervisor, sara)
    client.force_login(supervisor)
    url = f"/st-dagar/intyg/{certificate.pk}/aterkalla/"
    assert client.post(url, {"reason": ""}).status_code == 422
    response = client.post(url, {"reason": "Fel ämne."}, follow=True)
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.is_revoked


def test_the_public_check_of_a_code_p4(client, sara, supervisor):
    certificate = issue(supervisor, sara)
    response = client.get(f"/st-dagar/verifiera/{certificate.verification_code}/")
    assert response.status_code == 200
    assert sara.user.last_name in response.content.decode()
    assert client.get("/st-dagar/verifiera/0000-0000-0000-0000/").status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_the_supervisors_page_answers_in_constant_queries_p4(
    client, unit, supervisor, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        profile = factories.TraineeFactory(home_unit=unit, supervisor=supervisor)
        issue(supervisor, profile)
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get("/st-dagar/")
    assert response.content.decode().count("/aterkalla/") == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_trainees_page_answers_in_constant_queries_p4(
    client, sara, supervisor, study_director, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        issue(supervisor, sara)
    client.force_login(study_director)
    with django_assert_max_num_queries(14):
        response = client.get(f"/st-dagar/st-lakare/{sara.pk}/")
    assert response.content.decode().count(".pdf") == rows
    assert "/aterkalla/" not in response.content.decode()


def test_staff_see_the_certificates_in_the_back_office_p4(client, sara, supervisor, course_admin):
    certificate = issue(supervisor, sara)
    client.force_login(course_admin)
    response = client.get("/admin/stdays/stdaycertificate/")
    assert response.status_code == 200
    assert certificate.title in response.content.decode()
    assert sara.personal_id not in response.content.decode()
