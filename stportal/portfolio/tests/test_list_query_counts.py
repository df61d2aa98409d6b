"""SPEC 7: no page issues more SQL queries when the data grows. The record's lists (the
supervisor's and study director's trainees with their coverage, a trainee's coverage of the
goals by what they did, and the API's coverage table and a trainee's coverage) answer in the
same number of queries with 10 and with 1,000 rows."""

from __future__ import annotations

import json

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

# Trainees of the supervisor, each with a done placement covering a goal.
_trainees = grow_like(lambda w: w.a.plan_item, many=["goals"], spread=True)
# The owner's done placements covering the goal.
_placements = grow_like(lambda w: w.a.plan_item, many=["goals"])


def _covering(text: str) -> int:
    """The placements covering the goal a1 in a trainee's coverage."""
    goal = next(g for g in json.loads(text)["goals"] if g["code"] == "a1")
    return sum(1 for source in goal["covered_by"] if source["title"].startswith("Allmänmedicin"))


ROUTES = {
    "st/ (supervisor)": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/st/",
        grow=_trainees,
        rows=distinct_of(r'href="/st/(\d+)/"'),
    ),
    "st/ (study director)": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/st/",
        grow=_trainees,
        rows=distinct_of(r'href="/st/(\d+)/"'),
    ),
    "st/<id>/tackning/": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/st/{w.a.owner.pk}/tackning/",
        grow=_placements,
        rows=count_of(r"Allmänmedicin, <span class=\"nowrap\">2026-12-31</span>"),
    ),
    "GET /coverage": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/api/v1/coverage",
        grow=_trainees,
        rows=json_count(),
    ),
    "GET /trainees/{id}/coverage": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/coverage",
        grow=_placements,
        rows=_covering,
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
