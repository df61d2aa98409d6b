"""SPEC 7: no page issues more SQL queries when the data grows. The completion pack (the page
and the API) lists the record's evidence; it answers in the same number of queries with 10
and with 1,000 ST-day certificates."""

from __future__ import annotations

import uuid

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

_st_days = grow_like(
    lambda w: w.a.st_day_certificate, vary={"verification_code": lambda n: uuid.uuid4().hex}
)

ROUTES = {
    "specialistansokan/st-lakare/<id>/": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/specialistansokan/st-lakare/{w.a.owner.pk}/",
        grow=_st_days,
        rows=count_of(r'<th scope="row">Läkemedel</th>'),
    ),
    "GET /trainees/{id}/completion-pack": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/completion-pack",
        grow=_st_days,
        rows=json_count("attachments", source="st_day"),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 certificates."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
