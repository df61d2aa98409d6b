"""SPEC 7: no page issues more SQL queries when the data grows. The secondment lists (the overview,
a trainee's secondments and credits, the API's secondments, credits and kinds) answer in the
same number of queries with 10 and with 1,000 rows."""

from __future__ import annotations

import pytest

from stportal.core.tests.list_queries import (
    ADMIN_ROW,
    Route,
    admin_page_rows,
    check_route,
    copies,
    count_of,
    distinct_of,
    grow_like,
    json_count,
    world_fixture,
)
from stportal.secondments.models import Secondment, SecondmentKind

world = world_fixture()


_own = grow_like(lambda w: w.a.secondment)
_spread = grow_like(lambda w: w.a.secondment, spread=True)
_credits = grow_like(lambda w: w.a.service_credit)


def _kinds(world, size: int) -> None:
    """Kinds of secondment (reference data) until there are `size`."""
    held = SecondmentKind.objects.count()
    copies(
        SecondmentKind.objects.first(),
        size - held,
        vary={"code": lambda n: f"kopia-{held + n}", "name": lambda n: f"Kopia {held + n}"},
    )


ROUTES = {
    "GET /secondment-kinds": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/api/v1/secondment-kinds",
        grow=_kinds,
        rows=json_count(),
    ),
    "sidotjanstgoring/ (supervisor)": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/sidotjanstgoring/",
        grow=_spread,
        rows=distinct_of(r"/sidotjanstgoring/st-lakare/(\d+)/\""),
    ),
    "sidotjanstgoring/ (study director)": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/sidotjanstgoring/",
        grow=_spread,
        rows=distinct_of(r"/sidotjanstgoring/st-lakare/(\d+)/\""),
    ),
    "sidotjanstgoring/st-lakare/<id>/ (secondments)": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/sidotjanstgoring/st-lakare/{w.a.owner.pk}/",
        grow=_own,
        rows=distinct_of(r"/sidotjanstgoring/(\d+)/andra/"),
    ),
    "sidotjanstgoring/st-lakare/<id>/ (credits)": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: f"/sidotjanstgoring/st-lakare/{w.a.owner.pk}/",
        grow=_credits,
        rows=distinct_of(r"/sidotjanstgoring/tillgodoraknande/(\d+)/aterkalla/"),
    ),
    "GET /trainees/{id}/secondments": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/secondments",
        grow=_own,
        rows=count_of("Medicinkliniken"),
    ),
    "GET /trainees/{id}/service-credits": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/service-credits",
        grow=_credits,
        rows=count_of("Vikariat"),
    ),
    "admin/secondments/secondment/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/secondments/secondment/",
        grow=_spread,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(Secondment, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
