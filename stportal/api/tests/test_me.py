"""`GET /api/v1/me` (Appendix A): who am I, with the role words of SPEC 2."""

from __future__ import annotations

import pytest

from stportal.accounts.models import Role
from stportal.testing import factories


def test_me_without_credentials_answers_401(api, db):
    assert api.get("me").status_code == 401


def test_me_for_a_course_admin(api, course_admin):
    body = api.get("me", course_admin).json()
    assert body == {
        "user_id": course_admin.pk,
        "username": "kursadmin-test",
        "name": course_admin.display_name,
        "roles": ["course_admin"],
        "trainee_id": None,
    }


def test_me_for_a_trainee_names_the_trainee_record(api, trainee):
    body = api.get("me", trainee.user).json()
    assert body["roles"] == ["trainee"]
    assert body["trainee_id"] == trainee.pk


@pytest.mark.parametrize(
    "role",
    [
        Role.REGIONAL_STUDY_DIRECTOR,
        Role.STUDY_DIRECTOR,
        Role.SUPERVISOR,
        Role.COURSE_LEADER,
        Role.UNIT_MANAGER,
    ],
)
def test_me_gives_each_role_word(api, region, role):
    """Appendix A: role words trainee, supervisor, study_director, regional_study_director,
    course_leader, course_admin, unit_manager."""
    user = factories.user_with_role(role, region=region)
    body = api.get("me", user).json()
    assert body["roles"] == [str(role)]
    assert body["trainee_id"] is None


def test_me_lists_every_role_a_person_holds(api, region, trainee):
    """SPEC 2: a person may hold several roles; a supervisor is also one by having trainees."""
    person = factories.user_with_role(Role.COURSE_ADMIN, region=region)
    trainee.supervisor = person
    trainee.save(update_fields=["supervisor"])
    assert api.get("me", person).json()["roles"] == ["course_admin", "supervisor"]
