"""SPEC 7: no page issues more SQL queries when the data grows. The questions and answers
(the page everyone reads, the staff's list, the API's list) answer in the same number of
queries with 10 and with 1,000 questions."""

from __future__ import annotations

import pytest

from stportal.core.tests.list_queries import (
    Route,
    check_route,
    count_of,
    grow_like,
    json_count,
    world_fixture,
)

world = world_fixture()

_questions = grow_like(lambda w: w.a.question)

ROUTES = {
    "fragor/": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/fragor/",
        grow=_questions,
        rows=count_of("Var hittar jag kursutbudet"),
    ),
    "fragor/hantera/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/fragor/hantera/",
        grow=_questions,
        rows=count_of('<th scope="row">Var hittar jag kursutbudet'),
    ),
    "GET /faq": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/api/v1/faq",
        grow=_questions,
        rows=json_count(),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 questions."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
