"""SPEC 7: no page issues more SQL queries when the data grows. The course leader's lists
(their courses, a course's register, and the API's participants and register) answer in the
same number of queries with 10 and with 1,000 rows."""

from __future__ import annotations

import pytest

from stportal.core.tests.list_queries import (
    Route,
    check_route,
    count_of,
    distinct_of,
    json_count,
    world_fixture,
)
from stportal.courses.models import CourseWeek
from stportal.registrations.tests.list_rows import copy_weeks, grow_week_registrations

world = world_fixture()


def _weeks(world, size: int) -> None:
    """Finished weeks like the world's, the leader leading a course of each."""
    held = CourseWeek.objects.filter(title__startswith="Kopia").count()
    copy_weeks(world.a.done_week, size - held)


_participants = grow_week_registrations(lambda w: w.a.done_registration)

ROUTES = {
    "narvaro/": Route(
        user=lambda w: w.a.course_leader,
        path=lambda w: "/narvaro/",
        grow=_weeks,
        rows=distinct_of(r'href="/narvaro/kurser/(\d+)/"'),
        extra=4,  # the world's four weeks
    ),
    "narvaro/kurser/<id>/": Route(
        user=lambda w: w.a.course_leader,
        path=lambda w: f"/narvaro/kurser/{w.a.etik.pk}/",
        grow=_participants,
        rows=count_of(r'<th scope="row">[^<]+</th>'),
    ),
    "GET /courses/{id}/participants": Route(
        user=lambda w: w.a.course_leader,
        path=lambda w: f"/api/v1/courses/{w.a.etik.pk}/participants",
        grow=_participants,
        rows=json_count(),
    ),
    "GET /courses/{id}/register": Route(
        user=lambda w: w.a.course_leader,
        path=lambda w: f"/api/v1/courses/{w.a.etik.pk}/register",
        grow=_participants,
        rows=json_count("participants"),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
