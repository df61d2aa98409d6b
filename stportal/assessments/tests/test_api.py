"""The competence assessment API (SPEC 5 P12, Appendix A "Trainee record"):
`POST /api/v1/assessments` for the trainee themself, `GET /api/v1/trainees/{id}/assessments`,
one assessment, withdrawing and sending again; another trainee's ids answer 404; absurd values
422, never 500."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.test import Client

from stportal.accounts.tokens import issue_api_token
from stportal.assessments import services
from stportal.assessments.models import Assessment
from stportal.assessments.tests.conftest import ASSESSOR_EMAIL, NOW, judgement, start
from stportal.notifications.models import OutboxMessage


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
        "kind": "mini_cex",
        "assessor_name": "Bertil Bedömare",
        "assessor_email": ASSESSOR_EMAIL,
        "goals": ["a1", "b1"],
    }
    values.update(changes)
    return values


def test_the_trainee_starts_one_for_themself_p12(sara):
    response = call(sara.user, "POST", "/assessments", body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "requested"
    assert data["trainee_id"] == sara.pk
    assert data["goals"] == ["a1", "b1"]
    assert data["link_expired"] is False
    assert "token" not in json.dumps(data)
    assert OutboxMessage.objects.filter(kind="assessment_requested").count() == 1
    listed = call(sara.user, "GET", f"/trainees/{sara.pk}/assessments").json()
    assert [row["id"] for row in listed["assessments"]] == [data["id"]]
    assert (listed["completed_this_year"], listed["expected_per_year"]) == (0, 4)
    with_id = call(sara.user, "POST", "/assessments", body(trainee_id=sara.pk, kind="dops"))
    assert with_id.status_code == 201


def test_completed_assessments_are_read_with_their_goals_p12(
    sara, supervisor, study_director, other_study_director, other_trainee
):
    assessment = start(sara)
    services.complete_assessment_by_link(token=assessment.fresh_token, **judgement())
    for reader in (sara.user, supervisor, study_director):
        response = call(reader, "GET", f"/assessments/{assessment.pk}")
        assert response.status_code == 200
        data = response.json()
        assert data["status"] == "completed"
        assert data["goals"] == ["a1", "b1"]
        assert data["independence"] == "supervision_on_request"
    for outsider in (other_study_director, other_trainee.user):
        assert call(outsider, "GET", f"/assessments/{assessment.pk}").status_code == 404
        assert call(outsider, "GET", f"/trainees/{sara.pk}/assessments").status_code == 404
    listed = call(supervisor, "GET", f"/trainees/{sara.pk}/assessments").json()
    assert listed["completed_this_year"] == 1


def test_refusals_p12(sara, supervisor, other_trainee, other_study_director):
    assert call(None, "POST", "/assessments", body()).status_code == 401
    assert call(supervisor, "POST", "/assessments", body(trainee_id=sara.pk)).status_code == 403
    assert call(supervisor, "POST", "/assessments", body()).status_code == 404  # no record
    assert (
        call(other_trainee.user, "POST", "/assessments", body(trainee_id=sara.pk)).status_code
        == 404
    )
    assert (
        call(other_study_director, "POST", "/assessments", body(trainee_id=sara.pk)).status_code
        == 404
    )
    assessment = start(sara)
    for path in (f"/assessments/{assessment.pk}/withdraw", f"/assessments/{assessment.pk}/resend"):
        assert call(other_trainee.user, "POST", path).status_code == 404
        assert call(supervisor, "POST", path).status_code == 403
    assert Assessment.objects.count() == 1


def test_withdraw_and_resend_through_the_api_p12(sara):
    assessment = start(sara)
    resent = call(sara.user, "POST", f"/assessments/{assessment.pk}/resend")
    assert resent.status_code == 200
    assert OutboxMessage.objects.filter(kind="assessment_requested").count() == 2
    withdrawn = call(sara.user, "POST", f"/assessments/{assessment.pk}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    again = call(sara.user, "POST", f"/assessments/{assessment.pk}/withdraw")
    assert again.status_code == 409 and again.json()["code"] == "not_pending"


def test_absurd_values_answer_422_never_500_p12(sara):
    for changes in (
        {"kind": "osce"},
        {"goals": []},
        {"goals": ["STa1"]},
        {"goals": ["a1"] * 31},
        {"goals": ["x" * 500]},
        {"assessor_email": "inte en adress"},
        {"assessor_email": "a@b." + "c" * 400},
        {"assessor_name": "x" * 10_000},
        {"assessor_name": "a\x00b"},
        {"context": "x" * 100_000},
        {"trainee_id": 0},
        {"trainee_id": 2**70},
        {"trainee_id": "elva"},
    ):
        response = call(sara.user, "POST", "/assessments", body(**changes))
        assert response.status_code == 422, (changes, response.content)
        assert response.json()["code"] == "validation_error"
    assert call(sara.user, "POST", "/assessments", body(trainee_id=2**62)).status_code == 404
    assert call(sara.user, "GET", f"/assessments/{2**62}").status_code == 404
    assert call(sara.user, "GET", f"/trainees/{2**62}/assessments").status_code == 404
    assert not Assessment.objects.exists()
