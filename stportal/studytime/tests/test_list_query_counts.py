"""SPEC 7: no page issues more SQL queries when the data grows. The study-time lists (the overview,
a trainee's log, the API's entries and summary) answer in the same number of queries with 10 and
with 1,000 entries."""

from __future__ import annotations

import json

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
from stportal.studytime.models import StudyActivity, StudyTimeEntry

world = world_fixture()


_own = grow_like(lambda w: w.a.study_time_entry)
_spread = grow_like(lambda w: w.a.study_time_entry, spread=True)


def _activities(world, size: int) -> None:
    """Active kinds of study activity (reference data) until there are `size`."""
    held = StudyActivity.objects.filter(active=True).count()
    copies(
        StudyActivity.objects.filter(active=True).first(),
        size - held,
        vary={"code": lambda n: f"kopia-{held + n}"},
    )


ROUTES = {
    "GET /study-activities": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/api/v1/study-activities",
        grow=_activities,
        rows=json_count(),
    ),
    "studietid/ (supervisor)": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: "/studietid/",
        grow=_spread,
        rows=distinct_of(r"/studietid/st-lakare/(\d+)/\""),
    ),
    "studietid/ (study director)": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/studietid/",
        grow=_spread,
        rows=distinct_of(r"/studietid/st-lakare/(\d+)/\""),
    ),
    "studietid/st-lakare/<id>/": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: f"/studietid/st-lakare/{w.a.owner.pk}/",
        grow=_own,
        rows=count_of("Läste riktlinjer."),
    ),
    "GET /trainees/{id}/study-time/entries": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/study-time/entries",
        grow=_own,
        rows=json_count(note="Läste riktlinjer."),
    ),
    "GET /trainees/{id}/study-time": Route(
        user=lambda w: w.a.supervisor,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/study-time",
        grow=_own,
        # The hours logged (an hour an entry) in the summary of the weeks.
        rows=lambda text: int(json.loads(text)["used_hours"]),
    ),
    "admin/studytime/studytimeentry/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/studytime/studytimeentry/",
        grow=_spread,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(StudyTimeEntry, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
