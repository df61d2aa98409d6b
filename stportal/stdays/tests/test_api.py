"""The ST-day certificate API (SPEC 5 P4, Appendix A "Trainee record"): the supervisor issues
through `POST /api/v1/trainees/{id}/st-day-certificates`; others are refused; whoever may read
the record lists them; the PDF; revoking; the public check of a code."""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from django.test import Client
from pypdf import PdfReader

from stportal.accounts.tokens import issue_api_token
from stportal.certificates.pdf import COPY_MARK
from stportal.stdays.models import StDayCertificate
from stportal.stdays.tests.conftest import NOW, issue, subject


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def call(user, method: str, path: str, body=None):
    headers = {"Authorization": f"Bearer {issue_api_token(actor=None, user=user)}"} if user else {}
    client = Client()
    if method == "GET":
        return client.get("/api/v1" + path, headers=headers)
    return client.generic(
        method,
        "/api/v1" + path,
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


def body(**changes):
    values = {
        "subject_id": subject("Allmänmedicinskt arbetssätt").pk,
        "title": "ST-dag: allmänmedicinskt arbetssätt",
        "first_day": "2027-04-07",
        "place": "Folkets hus, Umeå",
        "description": "Konsultationsteknik.",
        "goal_codes": ["c1"],
        "examined_on": "2027-04-09",
        "examination": "Videoinspelad konsultation.",
    }
    values.update(changes)
    return values


def test_the_supervisor_issues_through_the_api_p4(sara, supervisor):
    response = call(supervisor, "POST", f"/trainees/{sara.pk}/st-day-certificates", body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "issued"
    assert data["trainee_id"] == sara.pk
    assert data["goal_codes"] == ["c1"]
    assert data["subject_name"] == "Allmänmedicinskt arbetssätt"
    assert data["pdf_url"] == f"/api/v1/st-day-certificates/{data['id']}.pdf"
    listed = call(sara.user, "GET", f"/trainees/{sara.pk}/st-day-certificates").json()
    assert [row["id"] for row in listed] == [data["id"]]


def test_refusals_through_the_api_p4(
    sara, supervisor, other_supervisor, study_director, other_study_director
):
    path = f"/trainees/{sara.pk}/st-day-certificates"
    assert call(None, "POST", path, body()).status_code == 401
    assert call(other_supervisor, "POST", path, body()).status_code == 404
    assert call(sara.user, "POST", path, body()).status_code == 403
    assert call(study_director, "POST", path, body()).status_code == 403
    assert call(other_study_director, "POST", path, body()).status_code == 404
    assert call(other_study_director, "GET", path).status_code == 404
    assert call(study_director, "GET", path).status_code == 200
    assert not StDayCertificate.objects.exists()


def test_bad_input_answers_422_never_500_p4(sara, supervisor):
    path = f"/trainees/{sara.pk}/st-day-certificates"
    for changes in (
        {"subject_id": 2**40},
        {"subject_id": subject("Läkemedel", "2015").pk, "goal_codes": ["a1"]},
        {"first_day": "2027-05-01"},
        {"examination": "a\x00b"},
        {"title": "x" * 10_000},
        {"goal_codes": ["c"] * 31},
    ):
        response = call(supervisor, "POST", path, body(**changes))
        assert response.status_code == 422, (changes, response.content)
        assert response.json()["code"] == "validation_error"
    assert (
        call(supervisor, "POST", f"/trainees/{2**62}/st-day-certificates", body()).status_code
        == 404
    )


def test_the_pdf_through_the_api_is_a_copy_for_the_trainee_p4(sara, supervisor, course_admin):
    certificate = issue(supervisor, sara)
    path = f"/st-day-certificates/{certificate.pk}.pdf"

    def text(user) -> str:
        response = call(user, "GET", path)
        assert response["Content-Type"] == "application/pdf"
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)

    assert COPY_MARK in text(sara.user)
    assert COPY_MARK not in text(supervisor)
    assert COPY_MARK not in text(course_admin)


def test_revoking_through_the_api_p4(sara, supervisor, other_supervisor):
    certificate = issue(supervisor, sara)
    path = f"/st-day-certificates/{certificate.pk}/revoke"
    assert call(other_supervisor, "POST", path, {"reason": "x"}).status_code == 404
    assert call(sara.user, "POST", path, {"reason": "x"}).status_code == 403
    response = call(supervisor, "POST", path, {"reason": "Fel ämne."})
    assert response.status_code == 200
    assert response.json()["state"] == "revoked"
    again = call(supervisor, "POST", path, {"reason": "Igen."})
    assert (again.status_code, again.json()["code"]) == (409, "already_revoked")


def test_the_public_verification_answers_for_st_day_codes_p4(sara, supervisor):
    certificate = issue(supervisor, sara)
    response = Client().get(f"/api/v1/certificates/verify/{certificate.verification_code}")
    assert response.status_code == 200
    data = response.json()
    assert data["valid"] is True
    assert data["course_title"] == certificate.title
    assert data["trainee_name"] == certificate.trainee_name


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_answers_in_constant_queries_p4(
    sara, supervisor, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        issue(supervisor, sara)
    token = issue_api_token(actor=None, user=supervisor)
    client = Client()
    with django_assert_max_num_queries(12):
        response = client.get(
            f"/api/v1/trainees/{sara.pk}/st-day-certificates",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert len(response.json()) == rows
