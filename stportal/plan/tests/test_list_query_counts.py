"""SPEC 7: no page issues more SQL queries when the data grows. The education plan's lists (the
overview of trainees, a trainee's plan and timeline, the API's plan items and timeline) answer
in the same number of queries with 10 and with 1,000 plan items."""

from __future__ import annotations

import pytest

from stportal.core.tests.list_queries import (
    Route,
    check_route,
    count_of,
    distinct_of,
    grow_like,
    json_count,
    world_fixture,
)

world = world_fixture()


_own = grow_like(lambda w: w.a.plan_meeting, many=["goals"])
_placements = grow_like(lambda w: w.a.plan_item, many=["goals"])
_spread = grow_like(lambda w: w.a.plan_meeting, many=["goals"], spread=True)

ROUTES = {
    "utbildningsplan/ (supervisor)": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/utbildningsplan/",
        grow=_spread,
        rows=distinct_of(r"/utbildningsplan/st-lakare/(\d+)/\""),
    ),
    "utbildningsplan/ (study director)": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/utbildningsplan/",
        grow=_spread,
        rows=distinct_of(r"/utbildningsplan/st-lakare/(\d+)/\""),
    ),
    "utbildningsplan/st-lakare/<id>/": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/utbildningsplan/st-lakare/{w.a.owner.pk}/",
        grow=_own,
        rows=count_of('plan-item__title">Uppföljning av målen<'),
    ),
    "utbildningsplan/st-lakare/<id>/tidslinje/": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/utbildningsplan/st-lakare/{w.a.owner.pk}/tidslinje/",
        grow=_placements,
        rows=count_of('<th scope="row">Allmänmedicin, Vårdcentralen</th>'),
    ),
    "GET /trainees/{id}/plan-items": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/plan-items",
        grow=_own,
        rows=json_count(kind="supervision"),
    ),
    "GET /trainees/{id}/timeline": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/timeline",
        grow=_placements,
        rows=json_count("periods", source="plan"),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
