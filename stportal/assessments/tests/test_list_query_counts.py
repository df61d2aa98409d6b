"""SPEC 7: no page issues more SQL queries when the data grows. The assessment lists (the trainee's
own, the supervisor's assessed trainees, a trainee's assessments, the API's list) answer in the
same number of queries with 10 and with 1,000 assessments."""

from __future__ import annotations

import uuid

import pytest

from stportal.assessments.models import Assessment
from stportal.core.tests.list_queries import (
    ADMIN_ROW,
    Route,
    admin_page_rows,
    check_route,
    count_of,
    distinct_of,
    grow_like,
    json_count,
    world_fixture,
)

world = world_fixture()


def _digest(n: int) -> str:
    return uuid.uuid4().hex * 2


_own = grow_like(lambda w: w.a.assessment, vary={"token_digest": _digest})
_spread = grow_like(lambda w: w.a.assessment, vary={"token_digest": _digest}, spread=True)

ROUTES = {
    "bedomningar/ (trainee)": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/bedomningar/",
        grow=_own,
        rows=distinct_of(r"/bedomningar/(\d+)/\""),
    ),
    "bedomningar/handledda/": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/bedomningar/handledda/",
        grow=_spread,
        rows=distinct_of(r"/bedomningar/st-lakare/(\d+)/\""),
    ),
    "bedomningar/st-lakare/<id>/": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/bedomningar/st-lakare/{w.a.owner.pk}/",
        grow=_own,
        rows=distinct_of(r"/bedomningar/(\d+)/\""),
    ),
    "GET /trainees/{id}/assessments": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/assessments",
        grow=_own,
        rows=json_count("assessments", assessor_name="Bertil Bedömare"),
    ),
    "admin/assessments/assessment/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/assessments/assessment/",
        grow=_spread,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(Assessment, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
