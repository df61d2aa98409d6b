"""Trainees (Appendix A): staff create and list them; a trainee's record is read by staff of
its region, the trainee, their supervisor and study director (SPEC 2). Personal identity
numbers are validated and always masked in answers (Appendix B, SPEC 7)."""

from __future__ import annotations

import pytest

from stportal.accounts.models import Role, TraineeProfile
from stportal.api.tests.conftest import queries_of
from stportal.testing import factories


@pytest.fixture
def new_trainee(home_unit):
    return {
        "first_name": "Åsa",
        "last_name": "Öberg",
        "email": "asa.oberg@example.org",
        "personal_id": "811218-9876",
        "specialty": "Allmänmedicin",
        "curriculum_version": "2015",
        "planned_completion": "2028-06-30",
        "home_unit_id": home_unit.pk,
        "employment_percent": 80,
        "st_start": "2023-09-01",
    }


def test_course_admin_creates_a_trainee_and_sees_the_personal_id_masked(
    api, course_admin, new_trainee, home_unit
):
    response = api.post("trainees", course_admin, json=new_trainee)
    assert response.status_code == 201, response.content
    body = response.json()
    profile = TraineeProfile.objects.get(pk=body["id"])
    assert profile.personal_id == "198112189876"  # stored in full, 12 digits (Appendix B)
    assert body["personal_id"] == "19811218-****"  # shown masked (SPEC 7)
    assert "9876" not in response.content.decode()
    assert body["specialty"] == "allmanmedicin" and body["curriculum_version"] == "2015"
    assert body["home_unit_id"] == home_unit.pk and body["employment_percent"] == 80
    assert body["name"] == "Åsa Öberg"


def test_specialty_may_be_given_by_code(api, regional_study_director, new_trainee):
    response = api.post(
        "trainees", regional_study_director, json={**new_trainee, "specialty": "allmanmedicin"}
    )
    assert response.status_code == 201


def test_invalid_personal_id_answers_422_naming_the_field(api, course_admin, new_trainee):
    """Appendix A: an invalid personal identity number answers 422 with fields.personal_id."""
    response = api.post(
        "trainees", course_admin, json={**new_trainee, "personal_id": "811218-9875"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert list(body["fields"]) == ["personal_id"]
    assert not TraineeProfile.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("specialty", "Astrologi"),
        ("curriculum_version", "2019"),
        ("home_unit_id", 999_999),
        ("email", "not-an-address"),
        ("planned_completion", "someday"),
        ("employment_percent", 0),
    ],
)
def test_bad_values_answer_422_naming_the_field(api, course_admin, new_trainee, field, value):
    response = api.post("trainees", course_admin, json={**new_trainee, field: value})
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_unknown_references_are_reported_together(api, course_admin, new_trainee):
    response = api.post(
        "trainees",
        course_admin,
        json={**new_trainee, "specialty": "Astrologi", "home_unit_id": 999_999},
    )
    assert set(response.json()["fields"]) == {"specialty", "home_unit_id"}


def test_home_unit_of_another_region_is_unknown(api, outsider_admin, new_trainee):
    """Another region's admin cannot place a trainee in our unit, nor learn that it exists."""
    response = api.post("trainees", outsider_admin, json=new_trainee)
    assert response.status_code == 422
    assert "home_unit_id" in response.json()["fields"]


def test_trainee_may_not_create_or_list_trainees(api, trainee, new_trainee):
    assert api.post("trainees", trainee.user, json=new_trainee).status_code == 403
    assert api.get("trainees", trainee.user).status_code == 403


def test_no_or_bad_token_answers_401(api, new_trainee):
    assert api.post("trainees", json=new_trainee).status_code == 401
    assert api.get("trainees", token="stp_bad").status_code == 401


def test_list_shows_the_region_s_trainees_masked(
    api, course_admin, outsider_admin, trainee, other_trainee
):
    body = api.get("trainees", course_admin).json()
    assert {t["id"] for t in body} == {trainee.pk, other_trainee.pk}
    assert all(t["personal_id"].endswith("-****") for t in body)
    assert api.get("trainees", outsider_admin).json() == []


def test_list_filters_by_home_unit(api, course_admin, trainee, region):
    elsewhere = factories.TraineeFactory(home_unit=factories.HomeUnitFactory(region=region))
    body = api.get("trainees", course_admin, home_unit_id=elsewhere.home_unit_id).json()
    assert [t["id"] for t in body] == [elsewhere.pk]


def test_list_uses_a_constant_number_of_queries(api, course_admin, home_unit):
    """SPEC 7: API lists answer in a constant number of queries."""
    factories.TraineeFactory.create_batch(2, home_unit=home_unit)
    api.get("trainees", course_admin)
    few = queries_of(lambda: api.get("trainees", course_admin))
    factories.TraineeFactory.create_batch(6, home_unit=home_unit)
    many = queries_of(lambda: api.get("trainees", course_admin))
    assert few == many


@pytest.mark.parametrize("reader", ["course_admin", "regional_study_director", "self"])
def test_trainee_record_is_read_by_staff_and_the_trainee(api, trainee, reader, request):
    user = trainee.user if reader == "self" else request.getfixturevalue(reader)
    response = api.get(f"trainees/{trainee.pk}", user)
    assert response.status_code == 200
    assert response.json()["personal_id"] == trainee.masked_personal_id


def test_supervisor_and_study_director_read_their_trainee(api, trainee, supervisor, study_director):
    """SPEC 2: a supervisor sees own trainees; a study director those of their area."""
    trainee.supervisor = supervisor
    trainee.save(update_fields=["supervisor"])
    assert api.get(f"trainees/{trainee.pk}", supervisor).status_code == 200
    assert api.get(f"trainees/{trainee.pk}", study_director).status_code == 200


def test_others_get_404_for_a_trainee_record(
    api, trainee, other_trainee, outsider_admin, supervisor, unit_manager, region
):
    """SPEC 2: whether a person is a trainee here is private: 404, never data."""
    elsewhere_director = factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=factories.AreaFactory(region=region)
    )
    for user in (other_trainee.user, outsider_admin, supervisor, unit_manager, elsewhere_director):
        response = api.get(f"trainees/{trainee.pk}", user)
        assert response.status_code == 404, user.username
        assert response.json()["code"] == "not_found"


def test_unknown_trainee_answers_404_and_no_token_401(api, course_admin, trainee):
    assert api.get("trainees/999999", course_admin).status_code == 404
    assert api.get(f"trainees/{trainee.pk}").status_code == 401
