"""The education plan API (SPEC 5 P11, Appendix A "Trainee record"): the trainee keeps the
plan through `/api/v1/trainees/{id}/plan-items` and `/api/v1/plan-items/{id}`; the supervisor
records a meeting; goals outside the trainee's version answer 422; nobody else sees it (404);
absurd values never answer 500; the timeline as JSON."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stportal.accounts.tokens import issue_api_token
from stportal.plan.models import PlanItem
from stportal.plan.tests.conftest import NOW, add, make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def call(user, method: str, path: str, body=None, raw: bytes | None = None):
    headers = {"Authorization": f"Bearer {issue_api_token(actor=None, user=user)}"} if user else {}
    client = Client()
    if method == "GET":
        return client.get("/api/v1" + path, headers=headers)
    if raw is not None:
        return client.generic(
            method, "/api/v1" + path, data=raw, content_type="application/pdf", headers=headers
        )
    return client.generic(
        method,
        "/api/v1" + path,
        data=json.dumps(body or {}),
        content_type="application/json",
        headers=headers,
    )


PLACEMENT = {
    "kind": "placement",
    "title": "Allmänmedicin",
    "place": "Hälsocentralen Ålidhem",
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
    "status": "done",
    "extent_percent": 80,
    "goals": ["a1", "b1"],
}


def test_the_trainee_keeps_the_plan_through_the_api_p11(sara):
    created = call(sara.user, "POST", f"/trainees/{sara.pk}/plan-items", PLACEMENT)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["kind"] == "placement" and data["kind_label"] == "Klinisk tjänstgöring"
    assert [g["code"] for g in data["goals"]] == ["a1", "b1"]
    assert data["extent_percent"] == 80 and data["has_certificate"] is False
    item = f"/plan-items/{data['id']}"
    changed = call(sara.user, "PATCH", item, {"status": "planned", "goals": ["a2"]})
    assert changed.status_code == 200, changed.content
    assert changed.json()["status"] == "planned"
    assert [g["code"] for g in changed.json()["goals"]] == ["a2"]
    assert changed.json()["title"] == "Allmänmedicin"
    attached = call(sara.user, "POST", item + "/certificate", raw=make_pdf())
    assert attached.status_code == 200, attached.content
    assert attached.json()["certificate_url"] == f"/api/v1{item}/certificate.pdf"
    pdf = call(sara.user, "GET", item + "/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert call(sara.user, "DELETE", item + "/certificate").json()["has_certificate"] is False
    listed = call(sara.user, "GET", f"/trainees/{sara.pk}/plan-items").json()
    assert [row["id"] for row in listed] == [data["id"]]
    assert call(sara.user, "DELETE", item).status_code == 204
    assert not PlanItem.objects.exists()


def test_goals_outside_the_curriculum_version_answer_422_p11(sara):
    response = call(
        sara.user, "POST", f"/trainees/{sara.pk}/plan-items", {**PLACEMENT, "goals": ["STa3"]}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert "goal_codes" in response.json()["fields"]


def test_the_supervisor_records_a_meeting_and_reads_but_nothing_more_p11(
    sara, supervisor, study_director
):
    path = f"/trainees/{sara.pk}/plan-items"
    assert call(supervisor, "POST", path, PLACEMENT).status_code == 403
    meeting = call(
        supervisor,
        "POST",
        path,
        {"kind": "supervision", "title": "Halvårssamtal", "start_date": "2027-04-01"},
    )
    assert meeting.status_code == 201, meeting.content
    assert meeting.json()["start_date"] == meeting.json()["end_date"] == "2027-04-01"
    assert call(study_director, "GET", path).status_code == 200
    mine = add(sara.user, sara)
    assert call(supervisor, "PATCH", f"/plan-items/{mine.pk}", {"title": "x"}).status_code == 403
    assert call(supervisor, "DELETE", f"/plan-items/{mine.pk}").status_code == 403


def test_nobody_else_sees_the_plan_p11(
    sara, other_trainee, other_supervisor, other_study_director, course_admin, outsider_admin
):
    item = add(sara.user, sara)
    for outsider in (
        other_trainee.user,
        other_supervisor,
        other_study_director,
        course_admin,
        outsider_admin,
    ):
        for method, path in (
            ("GET", f"/trainees/{sara.pk}/plan-items"),
            ("GET", f"/trainees/{sara.pk}/timeline"),
            ("GET", f"/plan-items/{item.pk}"),
            ("PATCH", f"/plan-items/{item.pk}"),
            ("DELETE", f"/plan-items/{item.pk}"),
            ("GET", f"/plan-items/{item.pk}/certificate.pdf"),
        ):
            assert call(outsider, method, path, {"title": "x"}).status_code == 404, (
                outsider,
                method,
                path,
            )
    assert call(None, "GET", f"/trainees/{sara.pk}/plan-items").status_code == 401
    assert call(sara.user, "GET", "/plan-items/999999999").status_code == 404
    assert PlanItem.objects.get().title == "Allmänmedicin"


@pytest.mark.parametrize(
    "changes",
    [
        {"start_date": "0001-01-01"},
        {"end_date": "9999-12-31"},
        {"extent_percent": 10**30},
        {"extent_percent": -1},
        {"kind": "dance"},
        {"title": "x" * 10_000},
        {"title": "nul\x00"},
        {"goals": ["a1"] * 500},
        {"goals": ["x" * 500]},
        {"status": None},
        {"start_date": "2026-13-45"},
    ],
)
def test_absurd_values_answer_422_never_500_p11(sara, changes):
    created = call(sara.user, "POST", f"/trainees/{sara.pk}/plan-items", {**PLACEMENT, **changes})
    assert created.status_code == 422, (changes, created.status_code, created.content[:200])
    item = add(sara.user, sara)
    patched = call(sara.user, "PATCH", f"/plan-items/{item.pk}", changes)
    assert patched.status_code == 422, (changes, patched.status_code, patched.content[:200])


def test_a_certificate_that_is_not_a_pdf_answers_422_p11(sara):
    item = add(sara.user, sara)
    response = call(sara.user, "POST", f"/plan-items/{item.pk}/certificate", raw=b"hello")
    assert response.status_code == 422
    assert "file" in response.json()["fields"]
    assert call(sara.user, "GET", f"/plan-items/{item.pk}/certificate.pdf").status_code == 404


def test_the_timeline_lists_every_period_as_json_p11(sara, supervisor):
    add(sara.user, sara, goal_codes=["a1"])
    add(sara.user, sara, kind="leave", title="Föräldraledighet", end_date=NOW.date())
    add(supervisor, sara, kind="supervision", title="Samtal")
    data = call(supervisor, "GET", f"/trainees/{sara.pk}/timeline").json()
    assert data["st_start"] == "2024-09-01" and data["planned_completion"] == "2029-08-31"
    assert [p["kind"] for p in data["periods"] if p["source"] == "plan"] == ["placement", "leave"]
    assert data["periods"][0]["kind_label"] == "Klinisk tjänstgöring"


def test_the_list_answers_in_a_constant_number_of_queries_p11(sara):
    path = f"/trainees/{sara.pk}/plan-items"
    add(sara.user, sara, goal_codes=["a1"])
    call(sara.user, "GET", path)
    with CaptureQueriesContext(connection) as few:
        assert call(sara.user, "GET", path).status_code == 200
    for number in range(10):
        add(sara.user, sara, title=f"Placering {number}", goal_codes=["a1", "b1"])
    with CaptureQueriesContext(connection) as many:
        assert len(call(sara.user, "GET", path).json()) == 11
    assert len(many) == len(few)


def test_the_coverage_api_names_the_plan_items_that_cover_a_goal_p1_p11(sara):
    item = add(sara.user, sara, goal_codes=["a3"])
    data = call(sara.user, "GET", f"/trainees/{sara.pk}/coverage").json()
    goal = next(row for row in data["goals"] if row["code"] == "a3")
    assert goal["covered"] is True
    assert {"kind": "placement", "id": item.pk, "title": "Allmänmedicin"}.items() <= goal[
        "covered_by"
    ][0].items()
