"""SPEC 7: no page issues more SQL queries when the data grows. The annual report lists (the
supervisor's and the study director's overview, a trainee's reports, the API's list) answer in
the same number of queries with 10 and with 1,000 reports."""

from __future__ import annotations

import pytest

from stportal.annualreport.models import AnnualReport
from stportal.core.tests.list_queries import (
    ADMIN_ROW,
    Route,
    admin_page_rows,
    check_route,
    count_of,
    distinct_of,
    grow_like,
    world_fixture,
)

world = world_fixture()


def _year(n: int) -> int:
    return 2024 - n


_own = grow_like(lambda w: w.a.annual_report, children=["versions"], vary={"year": _year})
_spread = grow_like(lambda w: w.a.annual_report, children=["versions"], spread=True)

ROUTES = {
    "arsrapporter/ (supervisor)": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/arsrapporter/",
        grow=_spread,
        rows=distinct_of(r"/arsrapporter/(\d+)/\""),
        extra=1,
    ),
    "arsrapporter/ (study director)": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/arsrapporter/",
        grow=_spread,
        rows=distinct_of(r"/arsrapporter/(\d+)/\""),
    ),
    "arsrapporter/st-lakare/<id>/": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/arsrapporter/st-lakare/{w.a.owner.pk}/",
        grow=_own,
        rows=distinct_of(r"/arsrapporter/(\d+)/\""),
        extra=1,
    ),
    "GET /trainees/{id}/annual-reports": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/annual-reports",
        grow=_own,
        rows=count_of('"year"'),
        extra=1,
    ),
    "admin/annualreport/annualreport/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/annualreport/annualreport/",
        grow=_spread,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(AnnualReport, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
