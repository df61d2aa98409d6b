"""Course leader endpoints (Appendix A): participants, attendance, results, close, reopen, with
each role (SPEC 2) and a constant number of queries on the participants list (SPEC 7)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stportal.accounts.models import User
from stportal.accounts.tokens import issue_api_token
from stportal.attendance.tests.fixtures import AFTER_COURSE, ETIK_DAYS
from stportal.registrations import services as registration_services
from stportal.registrations.models import Fee


class Api:
    def __init__(self, client) -> None:
        self.client = client
        self.tokens: dict[int, str] = {}

    def _headers(self, user: User | None) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in self.tokens:
            self.tokens[user.pk] = issue_api_token(actor=None, user=user)
        return {"Authorization": f"Bearer {self.tokens[user.pk]}"}

    def get(self, path: str, user: User | None = None):
        return self.client.get(f"/api/v1/{path}", headers=self._headers(user))

    def send(self, method: str, path: str, user: User | None = None, json: Any = None):
        return getattr(self.client, method)(
            f"/api/v1/{path}",
            data="" if json is None else json,
            content_type="application/json",
            headers=self._headers(user),
        )


@pytest.fixture(autouse=True)
def after_the_course():
    with time_machine.travel(AFTER_COURSE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@pytest.fixture
def two(make_participant, seat):
    return seat(
        make_participant(user__first_name="Anna", user__last_name="Andersson"),
        make_participant(user__first_name="Bo", user__last_name="Berg"),
    )


def records(registration, pattern):
    return [
        {"registration_id": registration.pk, "date": day.isoformat(), "present": mark == "P"}
        for day, mark in zip(ETIK_DAYS, pattern, strict=True)
    ]


def test_participants_list_for_the_leader_and_staff(
    api, etik, two, course_leader, course_admin, regional_study_director
):
    """Appendix A: registration_id, trainee_id, name, status, attendance by date, result."""
    api.send(
        "put", f"courses/{etik.pk}/attendance", course_leader, {"records": records(two[0], "PAP")}
    )
    for user in (course_leader, course_admin, regional_study_director):
        response = api.get(f"courses/{etik.pk}/participants", user)
        assert response.status_code == 200, response.content
        body = response.json()
        assert [p["name"] for p in body] == ["Anna Andersson", "Bo Berg"]
        anna = body[0]
        assert anna["registration_id"] == two[0].pk
        assert anna["trainee_id"] == two[0].trainee_id
        assert anna["status"] == "confirmed"
        assert anna["result"] is None
        assert anna["attendance"] == {
            "2027-03-22": "present",
            "2027-03-23": "absent",
            "2027-03-24": "present",
        }
        assert body[1]["attendance"] == {}
        assert "personal_id" not in anna


def test_participants_outsiders_get_403_or_404(
    api, etik, two, other_leader, trainee, outsider_admin
):
    """SPEC 2: a leader of another course and a trainee 403; another region's staff 404."""
    assert api.get(f"courses/{etik.pk}/participants", other_leader).status_code == 403
    assert api.get(f"courses/{etik.pk}/participants", trainee.user).status_code == 403
    assert api.get(f"courses/{etik.pk}/participants", two[0].trainee.user).status_code == 403
    assert api.get(f"courses/{etik.pk}/participants", outsider_admin).status_code == 404
    assert api.get(f"courses/{etik.pk}/participants").status_code == 401
    assert api.get("courses/999999/participants", other_leader).status_code == 404


def test_participants_list_runs_a_constant_number_of_queries(
    api, etik, course_leader, course_admin, make_participant, seat
):
    """SPEC 7: the same number of queries for 2 and for 8 participants."""
    first = seat(make_participant(), make_participant())
    for registration in first:
        api.send(
            "put",
            f"courses/{etik.pk}/attendance",
            course_leader,
            {"records": records(registration, "PPP")},
        )

    def count() -> int:
        api.get(f"courses/{etik.pk}/participants", course_leader)  # warm the token cache
        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"courses/{etik.pk}/participants", course_leader).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for trainee in [make_participant() for _ in range(6)]:
        # Recorded after the fact by the course administration (C7): seated at once.
        registration = registration_services.register_for_course_week(
            actor=course_admin, week=etik.week, trainee=trainee
        )
        api.send(
            "put",
            f"courses/{etik.pk}/attendance",
            course_leader,
            {"records": records(registration, "PAP")},
        )
    assert len(api.get(f"courses/{etik.pk}/participants", course_leader).json()) == 8
    assert count() == few


def test_put_attendance_answers_the_participants_and_names_bad_input(
    api, etik, two, course_leader, other_leader
):
    response = api.send(
        "put", f"courses/{etik.pk}/attendance", course_leader, {"records": records(two[0], "PPP")}
    )
    assert response.status_code == 200
    assert response.json()[0]["attendance"]["2027-03-24"] == "present"
    bad = api.send(
        "put",
        f"courses/{etik.pk}/attendance",
        course_leader,
        {"records": [{"registration_id": two[0].pk, "date": "2027-03-26", "present": True}]},
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation_error" and "date" in bad.json()["fields"]
    missing = api.send("put", f"courses/{etik.pk}/attendance", course_leader, {"records": [{}]})
    assert missing.status_code == 422
    other = api.send(
        "put", f"courses/{etik.pk}/attendance", other_leader, {"records": records(two[0], "PPP")}
    )
    assert other.status_code == 403


def test_results_need_a_reason_without_full_attendance_and_accept_passed_bool(
    api, etik, two, course_leader
):
    """C17; Appendix A: `passed: true|false` is accepted too."""
    anna, bo = two
    api.send(
        "put", f"courses/{etik.pk}/attendance", course_leader, {"records": records(anna, "PAP")}
    )
    api.send("put", f"courses/{etik.pk}/attendance", course_leader, {"records": records(bo, "PPP")})
    refused = api.send(
        "post",
        f"courses/{etik.pk}/results",
        course_leader,
        {"results": [{"registration_id": anna.pk, "result": "passed"}]},
    )
    assert refused.status_code == 422
    assert list(refused.json()["fields"]) == ["reason"]
    done = api.send(
        "post",
        f"courses/{etik.pk}/results",
        course_leader,
        {
            "results": [
                {"registration_id": anna.pk, "passed": True, "reason": "Ersättningsuppgift"},
                {"registration_id": bo.pk, "passed": False},
            ]
        },
    )
    assert done.status_code == 200, done.content
    by_id = {p["registration_id"]: p for p in done.json()}
    assert (by_id[anna.pk]["result"], by_id[anna.pk]["result_reason"]) == (
        "passed",
        "Ersättningsuppgift",
    )
    assert by_id[bo.pk]["result"] == "not_passed"
    neither = api.send(
        "post",
        f"courses/{etik.pk}/results",
        course_leader,
        {"results": [{"registration_id": anna.pk}]},
    )
    assert neither.status_code == 422 and "results" in neither.json()["fields"]


def test_close_answers_409_with_what_is_missing_then_closes(api, etik, two, course_leader):
    anna, bo = two
    api.send(
        "put", f"courses/{etik.pk}/attendance", course_leader, {"records": records(anna, "PPP")}
    )
    refused = api.send("post", f"courses/{etik.pk}/close", course_leader)
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "register_incomplete"
    assert body["missing"] == [
        {
            "registration_id": bo.pk,
            "name": "Bo Berg",
            "dates": ["2027-03-22", "2027-03-23", "2027-03-24"],
            "needs_result": False,
        }
    ]
    api.send("put", f"courses/{etik.pk}/attendance", course_leader, {"records": records(bo, "AAA")})
    closed = api.send("post", f"courses/{etik.pk}/close", course_leader)
    assert closed.status_code == 200, closed.content
    register = closed.json()
    assert register["closed"] is True and register["missing"] == []
    assert {p["status"] for p in register["participants"]} == {"passed", "no_show"}
    assert Fee.objects.get(registration=bo).cause == "no_show"
    locked = api.send(
        "put", f"courses/{etik.pk}/attendance", course_leader, {"records": records(bo, "PPP")}
    )
    assert (locked.status_code, locked.json()["code"]) == (409, "locked")


def test_reopen_is_for_staff(api, etik, two, course_leader, course_admin, outsider_admin, trainee):
    for registration in two:
        api.send(
            "put",
            f"courses/{etik.pk}/attendance",
            course_leader,
            {"records": records(registration, "PPP")},
        )
    api.send("post", f"courses/{etik.pk}/close", course_leader)
    payload = {"reason": "Fel i närvarolistan."}
    assert api.send("post", f"courses/{etik.pk}/reopen", course_leader, payload).status_code == 403
    assert api.send("post", f"courses/{etik.pk}/reopen", trainee.user, payload).status_code == 403
    assert api.send("post", f"courses/{etik.pk}/reopen", outsider_admin, payload).status_code == 404
    response = api.send("post", f"courses/{etik.pk}/reopen", course_admin, payload)
    assert response.status_code == 200
    assert response.json()["closed"] is False
    assert response.json()["reopen_reason"] == "Fel i närvarolistan."
    assert {p["status"] for p in response.json()["participants"]} == {"confirmed"}


def test_register_shows_what_closing_still_needs(api, etik, two, course_leader):
    response = api.get(f"courses/{etik.pk}/register", course_leader)
    assert response.status_code == 200
    body = response.json()
    assert body["days"] == ["2027-03-22", "2027-03-23", "2027-03-24"]
    assert body["closed"] is False
    assert len(body["missing"]) == 2
