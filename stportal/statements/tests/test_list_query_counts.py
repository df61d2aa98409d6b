"""SPEC 7: no page issues more SQL queries when the data grows. The statement lists (the
supervisor's statements, the study director's statements to review, a trainee's statements
in the API) answer in the same number of queries with 10 and with 1,000 statements."""

from __future__ import annotations

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
from stportal.statements.models import SupervisorStatement

world = world_fixture()

_ready = grow_like(lambda w: w.a.statement, children=["versions"])
_ready_spread = grow_like(lambda w: w.a.statement, children=["versions"], spread=True)

ROUTES = {
    "handledarutlatanden/ (supervisor)": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/handledarutlatanden/",
        grow=_ready_spread,
        rows=distinct_of(r'href="/handledarutlatanden/(\d+)/"'),
        extra=1,  # the supervisor's draft
    ),
    "handledarutlatanden/ (trainee)": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/handledarutlatanden/",
        grow=_ready,
        rows=distinct_of(r'href="/handledarutlatanden/(\d+)/"'),
    ),
    "handledarutlatanden/granska/": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/handledarutlatanden/granska/",
        grow=_ready_spread,
        rows=distinct_of(r'href="/handledarutlatanden/(\d+)/"'),
    ),
    "GET /trainees/{id}/supervisor-statements": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/supervisor-statements",
        grow=_ready,
        rows=count_of('"status": ?"ready_for_review"'),
    ),
    "admin/statements/supervisorstatement/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/statements/supervisorstatement/",
        grow=_ready_spread,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(SupervisorStatement, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_statement_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 statements."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
