"""SPEC 7: no page issues more SQL queries when the data grows. The catalogue of external
courses (the page and the API) and the API's providers answer in the same number of queries
with 10 and with 1,000 rows."""

from __future__ import annotations

import pytest

from stportal.catalogue.models import ExternalCourse
from stportal.core.tests.list_queries import (
    ADMIN_ROW,
    Route,
    admin_page_rows,
    check_route,
    count_of,
    grow_like,
    json_count,
    world_fixture,
)

world = world_fixture()

_courses = grow_like(lambda w: w.a.external_course, many=["goals"])
_providers = grow_like(lambda w: w.a.provider, vary={"name": lambda n: f"Kursgivare {n:05d}"})

ROUTES = {
    "kurskatalog/": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/kurskatalog/",
        grow=_courses,
        rows=count_of(r'<h3 id="entry-external-\d+">'),
    ),
    "GET /catalogue": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/api/v1/catalogue",
        grow=_courses,
        rows=json_count(kind="external", title="Extern kurs i farmakoterapi Alfa"),
    ),
    "GET /providers": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/api/v1/providers",
        grow=_providers,
        rows=json_count(),
    ),
    "admin/catalogue/externalcourse/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/catalogue/externalcourse/",
        grow=_courses,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(ExternalCourse, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
