"""`GET /api/v1/course-series` (Appendix A): the series of the caller's region (C1)."""

from __future__ import annotations

from stportal.testing import factories


def test_staff_and_trainees_see_their_region_s_series(api, series, course_admin, trainee):
    for user in (course_admin, trainee.user):
        body = api.get("course-series", user).json()
        assert [(s["id"], s["name"]) for s in body] == [(series.pk, "LEKA A")]
        assert body[0]["default_iso_week"] == 12 and body[0]["region"] == "testland"


def test_other_region_s_series_are_not_listed(api, series, outsider_admin, other_region):
    theirs = factories.CourseSeriesFactory(region=other_region, name="LEKA B")
    assert [s["id"] for s in api.get("course-series", outsider_admin).json()] == [theirs.pk]


def test_listing_series_needs_a_token(api, series):
    assert api.get("course-series").status_code == 401
    assert api.get("course-series", token="stp_bad").status_code == 401
