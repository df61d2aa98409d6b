"""The study-time API (SPEC 5 P6, Appendix A "Trainee record"):
`GET /api/v1/trainees/{id}/study-time?from=&to=` gives `{entitled_hours, used_hours, weeks:
[{week, entitled_hours, reason_if_zero}]}`; the trainee logs, reads and removes entries;
supervisor and study director read; others are refused; absurd input answers 422."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from stportal.accounts.tokens import issue_api_token
from stportal.studytime.models import StudyActivity, StudyTimeEntry
from stportal.studytime.tests.conftest import NOW, SECONDMENT_TITLE


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def call(user, method: str, path: str, body=None, query=None):
    headers = {"Authorization": f"Bearer {issue_api_token(actor=None, user=user)}"} if user else {}
    client = Client()
    if method == "GET":
        return client.get("/api/v1" + path, data=query, headers=headers)
    return client.generic(
        method,
        "/api/v1" + path,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers,
    )


def reading() -> int:
    return StudyActivity.objects.get(code="reading").pk


def test_the_quarter_through_the_api_at_75_percent_p6(seated_sara, supervisor, study_director):
    """Issue 11, must show 2, through the API: 3 hours in ordinary weeks, zero with the reason
    in the course week and the four secondment weeks."""
    path = f"/trainees/{seated_sara.pk}/study-time"
    for reader in (seated_sara.user, supervisor, study_director):
        response = call(reader, "GET", path, query={"from": "2027-01-01", "to": "2027-03-31"})
        assert response.status_code == 200, response.content
    data = response.json()
    assert data["entitled_hours"] == 27
    assert data["used_hours"] == 0
    weeks = {w["week"]: w for w in data["weeks"]}
    assert len(weeks) == 14
    assert weeks["2027-03-22"]["entitled_hours"] == 0
    assert weeks["2027-03-22"]["reason_if_zero"] == "Kursvecka: LEKA A 2027"
    for monday in ("2027-02-01", "2027-02-08", "2027-02-15", "2027-02-22"):
        assert weeks[monday]["entitled_hours"] == 0
        assert weeks[monday]["reason_if_zero"] == f"Sidotjänstgöring: {SECONDMENT_TITLE}"
    ordinary = [w for w in data["weeks"] if w["reason_if_zero"] is None]
    assert len(ordinary) == 9 and {w["entitled_hours"] for w in ordinary} == {3}


def test_the_trainee_logs_reads_and_removes_entries_p6(seated_sara, supervisor):
    path = f"/trainees/{seated_sara.pk}/study-time"
    body = {"day": "2027-01-13", "hours": 2.5, "activity_id": reading(), "note": "KOL"}
    created = call(seated_sara.user, "POST", path, body)
    assert created.status_code == 201, created.content
    entry = created.json()
    assert (entry["week"], entry["hours"], entry["activity"]) == (
        "2027-01-11",
        2.5,
        "Fördjupning och läsning",
    )
    assert entry["warning"] is None
    again = call(seated_sara.user, "POST", path, {**body, "hours": 1})
    assert again.status_code == 201
    assert "mer än de 3 tim" in again.json()["warning"]
    summary = call(supervisor, "GET", path, query={"from": "2027-01-01", "to": "2027-03-31"})
    week = next(w for w in summary.json()["weeks"] if w["week"] == "2027-01-11")
    assert (week["used_hours"], week["over"]) == (3.5, True)
    assert summary.json()["used_hours"] == 3.5
    listed = call(supervisor, "GET", f"{path}/entries", query={"from": "2027-01-01"})
    assert [e["id"] for e in listed.json()] == [entry["id"], again.json()["id"]]
    one = call(supervisor, "GET", f"/study-time/{entry['id']}")
    assert one.status_code == 200 and one.json()["note"] == "KOL"
    assert call(supervisor, "DELETE", f"/study-time/{entry['id']}").status_code == 403
    assert call(seated_sara.user, "DELETE", f"/study-time/{entry['id']}").status_code == 204
    assert call(seated_sara.user, "GET", f"/study-time/{entry['id']}").status_code == 404
    assert StudyTimeEntry.objects.count() == 1


def test_refusals_through_the_api_p6(
    sara, supervisor, other_supervisor, study_director, other_study_director, other_trainee
):
    path = f"/trainees/{sara.pk}/study-time"
    body = {"day": "2027-04-01", "hours": 1, "activity_id": reading()}
    assert call(None, "GET", path).status_code == 401
    assert call(None, "POST", path, body).status_code == 401
    for outsider in (other_supervisor, other_study_director, other_trainee.user):
        assert call(outsider, "GET", path).status_code == 404
        assert call(outsider, "POST", path, body).status_code == 404
    assert call(supervisor, "POST", path, body).status_code == 403
    assert call(study_director, "POST", path, body).status_code == 403
    assert call(supervisor, "GET", path).status_code == 200
    assert not StudyTimeEntry.objects.exists()
    entry = call(sara.user, "POST", path, body).json()
    assert call(other_trainee.user, "GET", f"/study-time/{entry['id']}").status_code == 404
    assert call(other_trainee.user, "DELETE", f"/study-time/{entry['id']}").status_code == 404


def test_the_default_range_is_the_current_quarter_p6(sara):
    data = call(sara.user, "GET", f"/trainees/{sara.pk}/study-time").json()
    # 12 April 2027: the second quarter, from Monday 29 March to Sunday 4 July.
    assert (data["start"], data["end"]) == ("2027-03-29", "2027-07-04")
    assert data["weeks"][0]["week"] == "2027-03-29"
    assert data["full_week_hours"] == 3


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2027-04-01", "to": "2027-03-01"},
        {"from": "2000-01-01", "to": "2011-01-01"},
        {"from": "1999-12-31"},
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"from": "not a date"},
        {"to": "2027-13-01"},
    ],
)
def test_bad_ranges_answer_422_p6(sara, query):
    response = call(sara.user, "GET", f"/trainees/{sara.pk}/study-time", query=query)
    assert response.status_code == 422, (query, response.content)
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    "changes",
    [
        {"hours": 0},
        {"hours": -2},
        {"hours": 24},
        {"hours": 1e300},
        {"hours": 1.1},
        {"hours": "lots"},
        {"day": "2027-04-13"},
        {"day": "0001-01-01"},
        {"activity_id": 2**40},
        {"activity_id": 0},
        {"note": "a\x00b"},
        {"note": "x" * 10_000},
    ],
)
def test_absurd_entries_answer_422_never_500_p6(sara, changes):
    body = {"day": "2027-04-01", "hours": 1, "activity_id": reading(), **changes}
    response = call(sara.user, "POST", f"/trainees/{sara.pk}/study-time", body)
    assert response.status_code == 422, (changes, response.content)
    assert response.json()["code"] == "validation_error"
    assert not StudyTimeEntry.objects.exists()


def test_unknown_ids_answer_404_p6(sara):
    assert call(sara.user, "GET", f"/trainees/{2**62}/study-time").status_code == 404
    assert call(sara.user, "GET", f"/study-time/{2**62}").status_code == 404
    assert call(sara.user, "DELETE", f"/study-time/{2**62}").status_code == 404


def test_the_activities_are_listed_p6(sara):
    data = call(sara.user, "GET", "/study-activities").json()
    assert [a["code"] for a in data] == [
        "planning",
        "documentation",
        "reading",
        "study_visit",
        "sitting_in",
        "balint",
    ]


def test_the_answers_take_constant_queries_p6(sara):
    """The same number of queries for 3 entries and for 30, and for a quarter and ten years
    (one per period source, whatever sources the installed apps register)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stportal.studytime import services

    token = issue_api_token(actor=None, user=sara.user)
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/trainees/{sara.pk}/study-time"
    Client().get(f"{path}/entries", headers=headers)  # the first call caches what it may
    counts = []
    for rows, query in (
        (3, {"from": "2027-04-01"}),
        (27, {"from": "2017-01-01", "to": "2026-12-31"}),
    ):
        for i in range(rows):
            services.log_study_time(
                actor=sara.user,
                trainee=sara,
                day=dt.date(2027, 4, 1 + i % 10),
                hours="0.25",
                activity=StudyActivity.objects.get(code="reading"),
            )
        with CaptureQueriesContext(connection) as entries:
            listed = Client().get(f"{path}/entries", {"from": "2027-04-01"}, headers=headers)
        with CaptureQueriesContext(connection) as weeks:
            summary = Client().get(path, query, headers=headers)
        assert len(listed.json()) == StudyTimeEntry.objects.count()
        assert summary.status_code == 200
        counts.append((len(entries), len(weeks)))
    assert counts[0] == counts[1]
