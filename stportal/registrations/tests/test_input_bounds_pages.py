"""Security review finding 8 on the web pages: a huge id in a URL answers 404, a NUL byte in
any query or form answers 400, free text is capped and dates bounded, never a 500. Run with
DATABASE_URL set for PostgreSQL, where a NUL or an out-of-range value used to reach the
database."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stportal.registrations.models import Registration
from stportal.registrations.tests.conftest import OPEN

pytestmark = pytest.mark.django_db

HUGE_IDS = ["99999999999999999999", str(2**63), "0"]


def routes(patterns=None, prefix=""):
    """Every URL pattern of the product as (route text, pattern)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def converters_in(route: str) -> set[str]:
    return set(re.findall(r"<(\w+):\w+>", route))


def web_routes_with_ids() -> list[str]:
    return sorted(
        route
        for route, _pattern in routes()
        if "id" in converters_in(route) and not route.startswith(("api/", "admin/"))
    )


@pytest.fixture(autouse=True)
def long_sessions(settings):
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


def test_every_id_in_a_url_goes_through_the_bounded_converter():
    """Security review finding 8: no URL of the pages or the API takes an unbounded `int`."""
    ours = [
        route
        for route, _pattern in routes()
        if not route.startswith("admin/") and converters_in(route)
    ]
    assert ours
    unbounded = [route for route in ours if "int" in converters_in(route)]
    assert unbounded == []
    assert len(web_routes_with_ids()) > 20


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_a_huge_id_in_any_web_url_answers_404(client, course_admin, trainee, huge):
    """Security review finding 8: `/kursadmin/veckor/99999999999999999999/` and every other
    page with an id answer 404 to staff and trainees, for GET and POST, never 500."""
    for user in (course_admin, trainee.user):
        client.force_login(user)
        for route in web_routes_with_ids():
            url = "/" + re.sub(r"<id:\w+>", huge, route).replace("<str:day>", "2027-03-22")
            for method in (client.get, client.post):
                assert method(url).status_code == 404, url


def test_a_nul_byte_in_a_search_answers_400(client, course_admin, week):
    """Security review finding 8: a NUL in a query string reached PostgreSQL (500)."""
    client.force_login(course_admin)
    url = reverse("staff:register_on_behalf", args=[week.pk])
    with time_machine.travel(OPEN, tick=False):
        assert client.get(url, {"q": "Anna\x00"}).status_code == 400
        # The search itself posts its term (no personal identity number in an address).
        assert client.post(url, {"q": "Anna\x00"}).status_code == 400
        assert client.post(url, {"q": "Anna"}).status_code == 200
        assert client.get(reverse("staff:fees"), {"date_from\x00": "x"}).status_code == 400


def test_a_nul_byte_in_a_form_answers_400_and_registers_nothing(client, week, trainee):
    """Security review finding 8: NUL bytes were accepted; a form carrying one is refused."""
    client.force_login(trainee.user)
    ids = [str(course.pk) for course in week.courses.all()]
    with time_machine.travel(OPEN, tick=False):
        response = client.post(
            reverse("registrations:register", args=[week.pk]),
            {"courses": ids, "dietary_needs": "Glutenfri\x00", "note": ""},
        )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_note_past_2000_characters_is_refused_on_the_page(client, week, trainee):
    """Security review finding 8: the web form holds the same cap as the API and the model."""
    client.force_login(trainee.user)
    ids = [str(course.pk) for course in week.courses.all()]
    url = reverse("registrations:register", args=[week.pk])
    with time_machine.travel(OPEN, tick=False):
        refused = client.post(url, {"courses": ids, "note": "n" * 2_001})
        assert refused.status_code == 200
        assert 'id="error-summary-title"' in refused.content.decode()
        assert not Registration.objects.exists()
        accepted = client.post(url, {"courses": ids, "note": "n" * 2_000})
    assert accepted.status_code == 302
    assert Registration.objects.get().note == "n" * 2_000


def test_a_fee_period_in_year_1_is_an_error_on_the_page(client, course_admin):
    """Security review finding 8: a date of year 1 is told as an error, on the field."""
    client.force_login(course_admin)
    with time_machine.travel(OPEN, tick=False):
        response = client.get(reverse("staff:fees"), {"date_from": "0001-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_date_from"' in html
    assert "Ange ett datum mellan 2000-01-01 och 2100-12-31." in html
