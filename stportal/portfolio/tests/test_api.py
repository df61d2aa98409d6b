"""The record's API (SPEC 5 P1, Appendix A "Trainee record"): a trainee's coverage in the
contract's shape, and the table of one's trainees; 404 for a trainee outside reach."""

from __future__ import annotations

import pytest
from django.test import Client

from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import AFTER_COURSE, attend
from stportal.testing import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_coverage_has_the_contracts_shape_p1(closed, etik, supervisor):
    asa = closed[0].trainee
    answer = _client(supervisor).get(f"/api/v1/trainees/{asa.pk}/coverage")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["curriculum_version"] == "2015"
    a2 = next(goal for goal in body["goals"] if goal["code"] == "a2")
    assert a2["title"] == "Etik, mångfald och jämlikhet"
    assert a2["covered"] is True
    assert a2["covered_by"] == [
        {
            "kind": "course",
            "id": etik.pk,
            "title": "Etik, mångfald och jämlikhet (LEKA A 2027)",
            "on": "2027-03-24",
        }
    ]
    assert len(body["mandatory_subjects"]) == 12
    subject = next(s for s in body["mandatory_subjects"] if s["name"] == "Läkemedel")
    assert subject["covered"] is False and subject["covered_by"] == []
    assert subject["goals"] == ["b3"]
    assert "Läkemedel" in body["remaining"]["mandatory_subjects"]
    assert "a2" not in body["remaining"]["goals"]


def test_trainee_reads_own_coverage_p1(closed):
    asa = closed[0].trainee
    assert _client(asa.user).get(f"/api/v1/trainees/{asa.pk}/coverage").status_code == 200


def test_coverage_outside_reach_answers_404_p1(closed, other_supervisor, outsider_admin):
    asa, goran, bo = (registration.trainee for registration in closed)
    for reader, trainee in (
        (other_supervisor, asa),  # another supervisor's trainee
        (outsider_admin, asa),  # staff of another region
        (asa.user, goran),  # another trainee
    ):
        answer = _client(reader).get(f"/api/v1/trainees/{trainee.pk}/coverage")
        assert answer.status_code == 404, (reader, trainee)
        assert answer.json()["code"] == "not_found"
    assert _client(asa.user).get("/api/v1/trainees/99999999999/coverage").status_code == 404
    assert Client().get(f"/api/v1/trainees/{asa.pk}/coverage").status_code == 401


def test_coverage_table_lists_ones_trainees_sorted_and_filtered_p1(closed, study_director):
    asa, goran, bo = (registration.trainee for registration in closed)
    client = _client(study_director)
    rows = client.get("/api/v1/coverage", {"sort": "subjects", "descending": "true"}).json()
    assert [row["trainee_id"] for row in rows] == [bo.pk, asa.pk, goran.pk]
    assert rows[0]["remaining_mandatory_subjects"] == 12
    assert rows[1]["missing_subjects"][0] == "Allmänmedicinskt arbetssätt"
    lacking = client.get("/api/v1/coverage", {"missing_subject": "Etik, mångfald och jämlikhet"})
    assert [row["trainee_id"] for row in lacking.json()] == [bo.pk]
    assert client.get("/api/v1/coverage", {"sort": "nonsense"}).status_code == 422


def test_coverage_table_is_empty_for_others_p1(closed, other_supervisor, course_admin):
    bo = closed[2].trainee
    assert [r["trainee_id"] for r in _client(other_supervisor).get("/api/v1/coverage").json()] == [
        bo.pk
    ]
    assert _client(course_admin).get("/api/v1/coverage").json() == []


@pytest.mark.parametrize("count", [3, 30])
def test_coverage_table_costs_a_constant_number_of_queries_p1(
    count, make_participant, seat, etik, course_leader, supervisor, django_assert_max_num_queries
):
    trainees = [make_participant("2015", supervisor=supervisor) for _ in range(count)]
    for registration in seat(*trainees):
        attend(course_leader, etik, registration, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    client = _client(supervisor)
    # A fixed few per coverage source, the education plan's included.
    with django_assert_max_num_queries(17):
        rows = client.get("/api/v1/coverage").json()
    assert len(rows) == count
    assert all(row["remaining_mandatory_subjects"] == 10 for row in rows)


def test_trainee_of_another_region_is_not_in_reach_p1(closed, other_region, supervisor):
    elsewhere = factories.TraineeFactory(home_unit=factories.HomeUnitFactory(region=other_region))
    answer = _client(supervisor).get(f"/api/v1/trainees/{elsewhere.pk}/coverage")
    assert answer.status_code == 404
