"""SPEC 7: no page issues more SQL queries when the data grows. The ST-day lists (the supervisor's
and the study director's overview, a trainee's certificates, the API's list) answer in the same
number of queries with 10 and with 1,000 ST-day certificates."""

from __future__ import annotations

import uuid

import pytest

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
from stportal.stdays.models import StDayCertificate

world = world_fixture()


def _code(n: int) -> str:
    return uuid.uuid4().hex


_own = grow_like(lambda w: w.a.st_day_certificate, vary={"verification_code": _code})
_spread = grow_like(
    lambda w: w.a.st_day_certificate, vary={"verification_code": _code}, spread=True
)

ROUTES = {
    "st-dagar/ (supervisor)": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/st-dagar/",
        grow=_spread,
        rows=distinct_of(r"/st-dagar/st-lakare/(\d+)/\""),
    ),
    "st-dagar/st-lakare/<id>/": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/st-dagar/st-lakare/{w.a.owner.pk}/",
        grow=_own,
        rows=distinct_of(r"/st-dagar/intyg/(\d+)\.pdf"),
    ),
    "GET /trainees/{id}/st-day-certificates": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/st-day-certificates",
        grow=_own,
        rows=count_of(r"\"verification_code\""),
    ),
    "admin/stdays/stdaycertificate/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/stdays/stdaycertificate/",
        grow=_spread,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(StDayCertificate, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
