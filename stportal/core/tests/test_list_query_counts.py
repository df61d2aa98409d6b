"""SPEC 7: no page issues more SQL queries when the data grows. The back office's lists of
people and history (the audit log, the users, the trainees, the home units) answer in the
same number of queries with 10 and with 1,000 more rows, showing a full first page."""

from __future__ import annotations

import pytest

from stportal.accounts.models import HomeUnit, TraineeProfile, User
from stportal.core.models import AuditEvent
from stportal.core.tests.list_queries import (
    ADMIN_ROW,
    Route,
    admin_page_rows,
    check_route,
    copies,
    count_of,
    more_trainees,
    world_fixture,
)

world = world_fixture()


def _admin(world):
    return world.a.course_admin


def _events(world, size: int) -> None:
    """Events like the last one about the owner's open registration."""
    template = AuditEvent.objects.filter(
        object_type="registrations.registration",
        object_id=str(world.a.open_registration.pk),
    ).latest("pk")
    copies(template, size)


def _trainees(world, size: int) -> None:
    more_trainees(world.a.owner, size)


def _units(world, size: int) -> None:
    start = HomeUnit.objects.count()
    copies(world.a.home_unit, size, vary={"name": lambda n: f"Kopia {start + n:05d}"})


ROUTES = {
    "admin/core/auditevent/ (the audit log)": Route(
        user=_admin,
        path=lambda w: "/admin/core/auditevent/",
        grow=_events,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(AuditEvent, _admin),
    ),
    "admin/accounts/user/": Route(
        user=_admin,
        path=lambda w: "/admin/accounts/user/",
        grow=_trainees,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(User, _admin),
    ),
    "admin/accounts/traineeprofile/": Route(
        user=_admin,
        path=lambda w: "/admin/accounts/traineeprofile/",
        grow=_trainees,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(TraineeProfile, _admin),
    ),
    "admin/accounts/homeunit/": Route(
        user=_admin,
        path=lambda w: "/admin/accounts/homeunit/",
        grow=_units,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(HomeUnit, _admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 more rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
