"""SPEC 7: no page issues more SQL queries when the data grows. The people lists (the
staff's trainees, page by page; the proposals of planned completion dates to decide; a
person's API tokens; and the API's trainees, home units, course series and proposals) answer
in the same number of queries with 10 and with 1,000 rows."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from stportal.accounts.completion_services import propose_planned_completion_change
from stportal.accounts.models import ApiToken, HomeUnit, PlannedCompletionChange, TraineeProfile
from stportal.accounts.tokens import issue_api_token
from stportal.core.tests.list_queries import (
    Route,
    check_route,
    copies,
    distinct_of,
    json_count,
    more_trainees,
    world_fixture,
)
from stportal.courses.models import CourseSeries

world = world_fixture()


def _trainees(world, size: int) -> None:
    """Trainees of the owner's unit until the region has `size`."""
    held = TraineeProfile.objects.filter(home_unit__region=world.a.region).count()
    more_trainees(world.a.owner, size - held)


def _proposals(world, size: int) -> None:
    """A waiting proposal of the owner's, and one of each of other trainees of the unit."""
    proposals = PlannedCompletionChange.objects.filter(trainee__home_unit__region=world.a.region)
    if not proposals.exists():
        propose_planned_completion_change(
            actor=world.a.owner.user,
            trainee=world.a.owner,
            planned_completion=dt.date(2029, 1, 31),
            reason="Föräldraledighet.",
        )
    missing = size - proposals.count()
    trainees = more_trainees(world.a.owner, missing)
    copies(proposals.first(), missing, vary={"trainee_id": lambda n: trainees[n].pk})


def _own_proposals(world, size: int) -> None:
    """The owner's decided proposals (one may wait at a time)."""
    proposals = PlannedCompletionChange.objects.filter(trainee=world.a.owner)
    if not proposals.exists():
        propose_planned_completion_change(
            actor=world.a.owner.user,
            trainee=world.a.owner,
            planned_completion=dt.date(2029, 1, 31),
            reason="Föräldraledighet.",
        )
    copies(proposals.first(), size - proposals.count(), vary={"status": lambda n: "rejected"})


def _tokens(world, size: int) -> None:
    user = world.a.owner.user
    if not ApiToken.objects.filter(user=user).exists():
        issue_api_token(actor=None, user=user)
    held = ApiToken.objects.filter(user=user)
    start = ApiToken.objects.count()
    copies(
        held.first(),
        size - held.count(),
        vary={"digest": lambda n: hashlib.sha256(f"kopia-{start + n}".encode()).hexdigest()},
    )


def _units(world, size: int) -> None:
    held = HomeUnit.objects.filter(region=world.a.region).count()
    start = HomeUnit.objects.count()
    copies(world.a.home_unit, size - held, vary={"name": lambda n: f"Kopia {start + n:05d}"})


def _series(world, size: int) -> None:
    template = CourseSeries.objects.filter(region=world.a.region).first()
    held = CourseSeries.objects.filter(region=world.a.region).count()
    start = CourseSeries.objects.count()
    copies(template, size - held, vary={"name": lambda n: f"Kopia {start + n:05d}"})


ROUTES = {
    "konto/st-lakare/ (first page)": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/konto/st-lakare/",
        grow=_trainees,
        rows=distinct_of(r'href="/konto/st-lakare/(\d+)/"'),
        page=50,
    ),
    "konto/st-lakare/ (a later page)": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/konto/st-lakare/?sida=2",
        grow=_trainees,
        rows=distinct_of(r'href="/konto/st-lakare/(\d+)/"'),
        page=50,
    ),
    "konto/planerat-slutdatum/": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/konto/planerat-slutdatum/",
        grow=_proposals,
        rows=distinct_of(r"/konto/planerat-slutdatum/(\d+)/beslut/"),
    ),
    "konto/api-nycklar/": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/konto/api-nycklar/",
        grow=_tokens,
        rows=distinct_of(r"/konto/api-nycklar/(\d+)/aterkalla/"),
    ),
    "GET /trainees": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/api/v1/trainees",
        grow=_trainees,
        rows=json_count(),
    ),
    "GET /home-units": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/api/v1/home-units",
        grow=_units,
        rows=json_count(),
    ),
    "GET /course-series": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/api/v1/course-series",
        grow=_series,
        rows=json_count(),
    ),
    "GET /planned-completion-changes": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/api/v1/planned-completion-changes",
        grow=_proposals,
        rows=json_count(),
    ),
    "GET /trainees/{id}/planned-completion-changes": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: f"/api/v1/trainees/{w.a.owner.pk}/planned-completion-changes",
        grow=_own_proposals,
        rows=json_count(),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
