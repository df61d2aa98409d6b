"""SPEC 7: no page issues more SQL queries when the data grows. The funding lists (the
trainee's own applications, the study director's applications to decide, the spending per
area, and the API's lists) answer in the same number of queries with 10 and with 1,000
applications."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from stportal.core.tests.list_queries import (
    ADMIN_ROW,
    Route,
    admin_page_rows,
    check_route,
    copies,
    count_of,
    cycle,
    more_trainees,
    top_up,
    world_fixture,
)
from stportal.funding.models import FundingApplication

world = world_fixture()


def _own(world, size: int) -> None:
    """Copies of the owner's waiting application (with its costs)."""
    template = world.a.funding_application
    top_up(
        FundingApplication.objects.filter(course_title=template.course_title),
        template,
        size,
        children=["costs"],
    )


def _others(world, size: int) -> None:
    """Copies of the waiting application, each for another trainee of the owner's unit."""
    template = world.a.funding_application
    shown = FundingApplication.objects.filter(course_title=template.course_title)
    missing = size - shown.count()
    trainees = more_trainees(world.a.owner, missing)
    copies(
        template, missing, vary={"trainee_id": cycle(t.pk for t in trainees)}, children=["costs"]
    )


def _approved(world, size: int) -> None:
    """Approved applications of other trainees of the area (the spending)."""
    template = world.a.approved_application
    shown = FundingApplication.objects.filter(course_title=template.course_title)
    missing = size - shown.count()
    trainees = more_trainees(world.a.owner, missing)
    copies(
        template, missing, vary={"trainee_id": cycle(t.pk for t in trainees)}, children=["costs"]
    )


def _title(world) -> str:
    return world.a.funding_application.course_title


def _spent(text: str) -> int:
    """The applications of area A in the spending's JSON."""
    return sum(row["applications"] for row in json.loads(text) if row["area"].endswith("testland"))


def _spent_on_page(text: str) -> int:
    """The applications of area A in the spending page's table."""
    found = re.findall(r'<th scope="row">Område testland</th>\s*<td class="num">(\d+)</td>', text)
    return sum(int(number) for number in found)


ROUTES = {
    "st-medel/ (own)": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: reverse("funding:mine"),
        grow=_own,
        rows=count_of("Astma och KOL A"),
    ),
    "st-medel/beslut/": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: reverse("funding:to_decide"),
        grow=_others,
        rows=count_of("Astma och KOL A"),
    ),
    "GET /funding-applications (own)": Route(
        user=lambda w: w.a.owner.user,
        path=lambda w: "/api/v1/funding-applications",
        grow=_own,
        rows=count_of('"Astma och KOL A"'),
    ),
    "GET /funding-applications (director)": Route(
        user=lambda w: w.a.study_director,
        path=lambda w: "/api/v1/funding-applications?to_decide=true",
        grow=_others,
        rows=count_of('"Astma och KOL A"'),
    ),
    "st-medel/utgifter/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/st-medel/utgifter/",
        grow=_approved,
        rows=_spent_on_page,
    ),
    "GET /funding-spending": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/api/v1/funding-spending",
        grow=_approved,
        rows=_spent,
    ),
    "admin/funding/fundingapplication/": Route(
        user=lambda w: w.a.course_admin,
        path=lambda w: "/admin/funding/fundingapplication/",
        grow=_others,
        rows=count_of(ADMIN_ROW),
        expected=admin_page_rows(FundingApplication, lambda w: w.a.course_admin),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ROUTES))
def test_funding_lists_answer_in_constant_queries(world, name):
    """SPEC 7: the same number of queries with 10 and with 1,000 applications."""
    few, many = check_route(world, ROUTES[name])
    print(f"\n{name}: {few.queries} / {many.queries}")
