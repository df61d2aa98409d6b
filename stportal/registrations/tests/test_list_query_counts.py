"""SPEC 7: no page issues more SQL queries when the data grows. The course programme's lists
(the catalogue, the staff's weeks and a week's registrations, participants, waiting list and
lodging, the fees, the outbox, the unit manager's page, "my registrations", and the API's
weeks, registrations and fees) answer in the same number of queries with 10 and with 1,000
rows."""

from __future__ import annotations

import re

import pytest

from stportal.accounts.models import HomeUnit
from stportal.core.tests.list_queries import (
    ADMIN_ROW,
    Route,
    admin_page_rows,
    check_route,
    copies,
    count_of,
    distinct_of,
    json_count,
    world_fixture,
)
from stportal.courses.models import CourseWeek
from stportal.notifications.models import OutboxMessage
from stportal.registrations import staff_selectors
from stportal.registrations.models import Fee, Registration, RegistrationLine
from stportal.registrations.tests.list_rows import (
    copy_registrations,
    copy_weeks,
    grow_week_registrations,
)

world = world_fixture()


def _number(pattern: str):
    compiled = re.compile(pattern)

    def rows(text: str) -> int:
        found = compiled.search(text)
        return int(found.group(1)) if found else -1

    return rows


def _weeks(world, size: int) -> None:
    """Open weeks like the world's, until the region holds `size` of them besides its
    three others."""
    held = CourseWeek.objects.filter(
        series__region=world.a.region, title__startswith="Kopia"
    ).count()
    copy_weeks(world.a.open_week, size - held)


def _my_weeks(world, size: int) -> None:
    """Weeks like the open one, the owner registered in each (its lines, like the open
    registration's)."""
    mine = Registration.objects.filter(
        trainee=world.a.owner, course_week__title__startswith="Kopia"
    ).count()
    weeks = copy_weeks(world.a.open_week, size - mine)
    copy_registrations(world.a.open_registration, len(weeks), week_ids=[w.pk for w in weeks])


def _my_confirmed(world, size: int) -> None:
    """Weeks like the open one, the owner seated in each of its courses."""
    mine = Registration.objects.filter(
        trainee=world.a.owner, course_week__title__startswith="Kopia"
    ).count()
    weeks = copy_weeks(world.a.open_week, size - mine)
    copy_registrations(
        world.a.open_registration,
        len(weeks),
        week_ids=[w.pk for w in weeks],
        line_vary={"status": "confirmed"},
    )


def _outbox(world, size: int) -> None:
    """Exactly `size` messages to the region's people (copies of one, or the first `size`
    of the world's)."""
    scoped = staff_selectors.outbox_for_staff(world.a.course_admin)
    held = scoped.count()
    if held > size:
        OutboxMessage.objects.filter(
            pk__in=list(scoped.order_by("pk").values_list("pk", flat=True)[size:])
        ).delete()
        return
    start = OutboxMessage.objects.count()
    copies(
        scoped.order_by("pk").first(),
        size - held,
        vary={"dedupe_key": lambda n: f"kopia-{start + n}"},
    )


def _outbox_rows(text: str) -> int:
    """The total in the caption, when the table shows that many rows up to a page (50)."""
    total = int(re.search(r"(\d+) e-brev, misslyckade först", text).group(1))
    shown = len(re.findall(r'<td class="num">\d+</td>', text))
    return total if shown == min(total, 50) else -1


def _lodging(world, size: int) -> None:
    """The week's registrations, all wanting lodging, from units away from the host site."""
    HomeUnit.objects.filter(region=world.a.region).update(away_from_host_site=True)
    Registration.objects.filter(course_week=world.a.open_week).update(needs_lodging=True)
    _open(world, size)


def _fees(world, size: int) -> None:
    """No-show fees like the owner's in the finished week, until the region has `size`."""
    held = Fee.objects.filter(registration__course_week__series__region=world.a.region).count()
    copy_registrations(world.a.done_registration, size - held)


def _unit(world, size: int) -> None:
    """Registrations from the owner's unit (the finished week's, like the owner's)."""
    held = Registration.objects.filter(home_unit=world.a.home_unit).count()
    copy_registrations(world.a.done_registration, size - held)


_open = grow_week_registrations(lambda w: w.a.open_registration, needs_lodging=lambda n: True)
_done = grow_week_registrations(lambda w: w.a.done_registration)
_waiting = grow_week_registrations(
    lambda w: w.a.offer_registration, line_vary={"status": "waitlisted"}
)

ROUTES = {
    "kurser/ (catalogue)": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/kurser/",
        grow=_weeks,
        rows=distinct_of(r'href="/kurser/(\d+)/"'),
        extra=2,  # the world's open and allocated weeks
    ),
    "kursadmin/ (weeks)": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/kursadmin/",
        grow=_weeks,
        rows=count_of(r'href="/kursadmin/veckor/\d+/">Kopia \d{5}<'),
    ),
    "kursadmin/veckor/<id>/ (open week)": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: f"/kursadmin/veckor/{w.a.open_week.pk}/",
        grow=_open,
        rows=_number(r"Anmälda personer\D*(\d+)"),
    ),
    "kursadmin/veckor/<id>/anmalningar/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: f"/kursadmin/veckor/{w.a.open_week.pk}/anmalningar/",
        grow=_open,
        rows=distinct_of(r'href="/kursadmin/anmalningar/(\d+)/"'),
    ),
    "kursadmin/veckor/<id>/deltagare/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: f"/kursadmin/veckor/{w.a.done_week.pk}/deltagare/",
        grow=_done,
        rows=distinct_of(r'href="/kursadmin/anmalningar/(\d+)/"'),
    ),
    "kursadmin/veckor/<id>/reservlista/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: f"/kursadmin/veckor/{w.a.alloc_week.pk}/reservlista/",
        grow=_waiting,
        rows=distinct_of(r'href="/kursadmin/anmalningar/(\d+)/"'),
        extra=-2,  # the world's two registrations in the week wait for nothing
    ),
    "kursadmin/veckor/<id>/logi/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: f"/kursadmin/veckor/{w.a.open_week.pk}/logi/",
        grow=_lodging,
        rows=distinct_of(r'/logi/(\d+)/"'),
    ),
    "kursadmin/avgifter/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/kursadmin/avgifter/",
        grow=_fees,
        rows=distinct_of(r'href="/kursadmin/anmalningar/(\d+)/"'),
    ),
    "kursadmin/utskick/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/kursadmin/utskick/",
        grow=_outbox,
        rows=_outbox_rows,
    ),
    "kursadmin/enhet/": Route(
        user=lambda w: w.a.unit_manager,
        path=lambda w: "/kursadmin/enhet/",
        grow=_unit,
        rows=count_of('<th scope="row">'),
    ),
    "mina-anmalningar/": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/mina-anmalningar/",
        grow=_my_weeks,
        rows=count_of(r'<h2 id="registration-\d+"><a href="/anmalningar/\d+/">Kopia \d{5}<'),
    ),
    "mina-anmalningar/kalender.ics": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/mina-anmalningar/kalender.ics",
        grow=_my_confirmed,
        rows=distinct_of(r"CATEGORIES:(Kopia \d{5})"),
    ),
    "GET /course-weeks": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/api/v1/course-weeks",
        grow=_weeks,
        rows=count_of(r'"Kopia \d{5}"'),
    ),
    "GET /me/registrations": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/api/v1/me/registrations",
        grow=_my_weeks,
        rows=json_count(),
        extra=3,  # the owner's registrations in the world's weeks
    ),
    "GET /fees": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/api/v1/fees?from=2020-01-01&to=2030-12-31",
        grow=_fees,
        rows=json_count(),
    ),
    "admin/registrations/registration/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/registrations/registration/",
        grow=_open,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(Registration, lambda w: w.a.course_admin),
    ),
    "admin/registrations/registrationline/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/registrations/registrationline/",
        grow=_open,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(RegistrationLine, lambda w: w.a.course_admin),
    ),
    "admin/registrations/fee/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/registrations/fee/",
        grow=_fees,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(Fee, lambda w: w.a.course_admin),
    ),
    "admin/courses/courseweek/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/courses/courseweek/",
        grow=_weeks,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(CourseWeek, lambda w: w.a.course_admin),
    ),
    "admin/notifications/outboxmessage/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/notifications/outboxmessage/",
        grow=_outbox,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(OutboxMessage, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 rows."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
