"""Home units (Appendix A staff endpoints): course admin or regional study director of the
region; a trainee gets 403; another region's staff never see ours (SPEC 2)."""

from __future__ import annotations

import pytest

from stportal.accounts.models import HomeUnit, Role, RoleAssignment
from stportal.api.tests.conftest import queries_of
from stportal.core.models import AuditEvent
from stportal.testing import factories

UNIT = {
    "name": "Hälsocentral Ersboda",
    "cost_centre": "KS4711",
    "away_from_host_site": True,
    "invoice_address": "",
}


def test_course_admin_creates_a_home_unit_in_their_region(api, course_admin, region):
    area = factories.AreaFactory(region=region)
    response = api.post("home-units", course_admin, json={**UNIT, "area": area.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    unit = HomeUnit.objects.get(pk=body["id"])
    assert unit.region == region and unit.area == area and unit.away_from_host_site
    assert body["cost_centre"] == "KS4711" and body["area"] == area.pk
    assert body["region_id"] == region.pk
    assert AuditEvent.objects.filter(action="home_unit.created", actor=course_admin).exists()


def test_regional_study_director_may_create_home_units(api, regional_study_director):
    response = api.post("home-units", regional_study_director, json=UNIT)
    assert response.status_code == 201


def test_trainee_is_refused_with_403(api, trainee):
    assert api.post("home-units", trainee.user, json=UNIT).status_code == 403
    assert api.get("home-units", trainee.user).status_code == 403


@pytest.mark.parametrize("role", [Role.STUDY_DIRECTOR, Role.UNIT_MANAGER, Role.SUPERVISOR])
def test_other_roles_are_refused_with_403(api, region, role):
    user = factories.user_with_role(role, region=region)
    assert api.post("home-units", user, json=UNIT).status_code == 403


def test_no_or_bad_token_answers_401(api, db):
    assert api.post("home-units", json=UNIT).status_code == 401
    assert api.get("home-units", token="stp_bad").status_code == 401


def test_list_shows_only_the_callers_regions(api, course_admin, outsider_admin, home_unit):
    """Another region's admin does not see our units (SPEC 2)."""
    ours = api.get("home-units", course_admin).json()
    assert [u["id"] for u in ours] == [home_unit.pk]
    assert api.get("home-units", outsider_admin).json() == []


def test_area_of_another_region_is_unknown(api, course_admin, other_region):
    foreign = factories.AreaFactory(region=other_region)
    response = api.post("home-units", course_admin, json={**UNIT, "area": foreign.pk})
    assert response.status_code == 422
    assert "area" in response.json()["fields"]


def test_duplicate_name_in_the_region_names_the_field(api, course_admin):
    api.post("home-units", course_admin, json=UNIT)
    response = api.post("home-units", course_admin, json=UNIT)
    assert response.status_code == 422
    assert "name" in response.json()["fields"]


def test_staff_of_several_regions_must_say_which(api, course_admin, region, other_region):
    RoleAssignment.objects.create(user=course_admin, role=Role.COURSE_ADMIN, region=other_region)
    missing = api.post("home-units", course_admin, json=UNIT)
    assert missing.status_code == 422
    assert "region" in missing.json()["fields"]
    by_code = api.post("home-units", course_admin, json={**UNIT, "region": other_region.code})
    assert by_code.status_code == 201 and by_code.json()["region_id"] == other_region.pk
    by_id = api.post("home-units", course_admin, json={**UNIT, "region": region.pk})
    assert by_id.status_code == 201 and by_id.json()["region_id"] == region.pk


def test_a_region_the_caller_is_not_staff_in_is_unknown(api, course_admin, other_region):
    response = api.post("home-units", course_admin, json={**UNIT, "region": other_region.code})
    assert response.status_code == 422
    assert "region" in response.json()["fields"]


def test_list_uses_a_constant_number_of_queries(api, course_admin, region):
    """SPEC 7: API lists answer in a constant number of queries."""
    factories.HomeUnitFactory.create_batch(2, region=region)
    api.get("home-units", course_admin)  # the token's first use is recorded once
    few = queries_of(lambda: api.get("home-units", course_admin))
    factories.HomeUnitFactory.create_batch(6, region=region)
    many = queries_of(lambda: api.get("home-units", course_admin))
    assert len(api.get("home-units", course_admin).json()) == 8
    assert few == many
