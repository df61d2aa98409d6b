"""The API of secondments, the allowance and credited service (SPEC 5 P7–P9, Appendix A
"Trainee record"): `POST /api/v1/trainees/{id}/secondments` with the kind by code, the list
with the missing mandatory kinds, PATCH and DELETE; the allowance's GET and PUT; the credit
decisions; refusals; absurd values answer 422, never 500."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.test import Client

from stportal.accounts.tokens import issue_api_token
from stportal.secondments.models import Secondment, ServiceCredit
from stportal.secondments.tests.conftest import NOW


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


def test_the_trainee_plans_through_the_api_and_the_default_end_is_said_p7(sara):
    path = f"/trainees/{sara.pk}/secondments"
    response = call(
        sara.user,
        "POST",
        path,
        {"kind": "internal_medicine", "place": "Medicinkliniken", "start_date": "2027-06-07"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "internal_medicine"
    assert data["end_date"] == "2027-09-26" and data["end_from_default"] is True
    assert data["mandatory"] is True
    listed = call(sara.user, "GET", path).json()
    assert [s["id"] for s in listed["secondments"]] == [data["id"]]
    assert [k["code"] for k in listed["missing"]] == ["psychiatry"]
    assert listed["missing"][0]["default_weeks"] == 12


def test_patch_and_delete_a_secondment_p7(sara, supervisor):
    created = call(
        sara.user,
        "POST",
        f"/trainees/{sara.pk}/secondments",
        {
            "kind": "psychiatry",
            "place": "Psykiatrin",
            "start_date": "2027-10-04",
            "end_date": "2027-12-24",
            "mandatory": False,
        },
    ).json()
    assert created["mandatory"] is False and created["end_from_default"] is False
    path = f"/secondments/{created['id']}"
    changed = call(supervisor, "PATCH", path, {"place": "Psykiatriska kliniken, Östra"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["place"] == "Psykiatriska kliniken, Östra"
    assert changed.json()["end_date"] == "2027-12-24"
    defaulted = call(supervisor, "PATCH", path, {"end_date": None}).json()
    assert defaulted["end_date"] == "2027-12-26" and defaulted["end_from_default"] is True
    assert call(sara.user, "DELETE", path).status_code == 204
    assert not Secondment.objects.exists()
    assert call(sara.user, "GET", path).status_code == 404


def test_refusals_and_absurd_values_p7(sara, other_supervisor, other_trainee):
    path = f"/trainees/{sara.pk}/secondments"
    body = {"kind": "psychiatry", "place": "Psykiatrin", "start_date": "2027-10-04"}
    assert call(None, "POST", path, body).status_code == 401
    assert call(other_supervisor, "POST", path, body).status_code == 404
    assert call(other_trainee.user, "GET", path).status_code == 404
    unknown = call(sara.user, "POST", path, {**body, "kind": "astrologi"})
    assert unknown.status_code == 422 and "kind" in unknown.json()["fields"]
    for absurd in (
        {**body, "start_date": "0001-01-01"},
        {**body, "start_date": "9999-12-31"},
        {**body, "place": "x" * 5000},
        {**body, "place": "a\x00b"},
        {**body, "kind": None},
        {**body, "end_date": "2027-01-01"},
    ):
        assert call(sara.user, "POST", path, absurd).status_code == 422, absurd
    assert call(sara.user, "GET", "/trainees/99999999999/secondments").status_code == 404
    assert call(sara.user, "GET", f"/trainees/{2**63}/secondments").status_code in (404, 422)
    assert not Secondment.objects.exists()


def test_the_allowance_through_the_api_p8(sara, supervisor, study_director):
    path = f"/trainees/{sara.pk}/allowance"
    empty = call(sara.user, "GET", path).json()
    assert empty["recorded"] is False and empty["months_left"] == 60
    body = {"queue_position": 7, "months_paid": 48, "secondment_months_paid": 16}
    assert call(sara.user, "PUT", path, body).status_code == 403
    assert call(supervisor, "PUT", path, body).status_code == 403
    saved = call(study_director, "PUT", path, body)
    assert saved.status_code == 200, saved.content
    data = saved.json()
    assert data["queue_position"] == 7
    assert (data["months_left"], data["secondment_months_left"]) == (12, 2)
    assert data["months_needed"] == 36 and data["warning"] is True
    assert call(supervisor, "GET", path).json()["months_paid"] == 48
    for absurd in (
        {"months_paid": 61},
        {"months_paid": 10, "secondment_months_paid": 19},
        {"months_paid": 2, "secondment_months_paid": 3},
        {"months_paid": -1},
        {"months_paid": 10, "queue_position": 0},
        {"months_paid": 10, "queue_position": 2**70},
    ):
        assert call(study_director, "PUT", path, absurd).status_code == 422, absurd


def test_credits_through_the_api_p9(sara, supervisor, study_director):
    path = f"/trainees/{sara.pk}/service-credits"
    body = {
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "months": 6,
        "comment": "Vikariat på vårdcentral",
    }
    assert call(supervisor, "POST", path, body).status_code == 403
    created = call(study_director, "POST", path, body)
    assert created.status_code == 201, created.content
    listed = call(sara.user, "GET", path).json()
    assert listed["credited_months"] == 6
    assert listed["decisions"][0]["state"] == "in_force"
    withdraw = f"/service-credits/{created.json()['id']}/withdraw"
    assert call(sara.user, "POST", withdraw, {"reason": "Nej"}).status_code == 403
    done = call(study_director, "POST", withdraw, {"reason": "Fel period"})
    assert done.status_code == 200 and done.json()["state"] == "withdrawn"
    assert call(study_director, "POST", withdraw, {"reason": "Igen"}).status_code == 409
    assert call(sara.user, "GET", path).json()["credited_months"] == 0
    for absurd in (
        {**body, "months": 0},
        {**body, "months": 10**9},
        {**body, "period_end": "2023-01-01"},
    ):
        assert call(study_director, "POST", path, absurd).status_code == 422, absurd
    assert ServiceCredit.objects.count() == 1


def test_the_kinds_are_listed_p7(sara):
    kinds = call(sara.user, "GET", "/secondment-kinds").json()
    assert [(k["code"], k["default_weeks"]) for k in kinds] == [
        ("internal_medicine", 16),
        ("psychiatry", 12),
    ]
