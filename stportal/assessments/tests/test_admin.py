"""The region's expectation of assessments a year (SPEC 5 P12): its staff set it in the back
office, with its history; staff of another region cannot; the assessments are read-only."""

from __future__ import annotations

import datetime as dt

from stportal.assessments import selectors
from stportal.assessments.models import RegionExpectation
from stportal.testing import factories


def test_staff_set_the_region_expectation_in_the_back_office_p12(
    client, region, other_region, course_admin, sara
):
    client.force_login(course_admin)
    response = client.post(
        "/admin/assessments/regionexpectation/add/", {"region": region.pk, "per_year": 6}
    )
    assert response.status_code == 302, response.content[:500]
    expectation = RegionExpectation.objects.get()
    assert expectation.per_year == 6
    assert expectation.history.count() == 1
    assert selectors.progress_of(sara, dt.date(2027, 12, 31)).expected == 6
    refused = client.post(
        "/admin/assessments/regionexpectation/add/", {"region": other_region.pk, "per_year": 1}
    )
    assert refused.status_code == 200  # the form refuses a region outside the editor's
    assert RegionExpectation.objects.count() == 1
    too_many = client.post(
        f"/admin/assessments/regionexpectation/{expectation.pk}/change/",
        {"region": region.pk, "per_year": 1000},
    )
    assert too_many.status_code == 200
    assert RegionExpectation.objects.get().per_year == 6


def test_assessments_are_read_only_in_the_back_office_p12(client, course_admin, sara):
    from stportal.assessments.tests.conftest import start

    assessment = start(sara)
    client.force_login(course_admin)
    page = client.get(f"/admin/assessments/assessment/{assessment.pk}/change/")
    assert page.status_code == 200
    assert "token_digest" not in page.content.decode()
    assert client.get("/admin/assessments/assessment/add/").status_code == 403
    other = factories.user_with_role(
        "course_admin", region=factories.RegionFactory(name="Region Borta", code="borta")
    )
    client.force_login(other)
    assert client.get(f"/admin/assessments/assessment/{assessment.pk}/change/").status_code in (
        302,
        404,
    )
