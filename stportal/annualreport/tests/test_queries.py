"""The annual report lists answer in a constant number of queries whatever the number of
reports (SPEC 7): the page of the study director and supervisor, a trainee's list, the API's
list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stportal.annualreport.tests.conftest import api, browser, submitted


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = call()
    assert answer.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_lists_answer_in_a_constant_number_of_queries_p13(people):
    submitted(people, year=2020)
    owner = people.owner
    pages = {
        "director": lambda: browser(people.area_director).get(reverse("annualreport:index")),
        "supervisor": lambda: browser(people.supervisor).get(reverse("annualreport:index")),
        "trainee": lambda: browser(owner.user).get(
            reverse("annualreport:trainee", args=[owner.pk])
        ),
        "api": lambda: api(people.supervisor, "GET", f"trainees/{owner.pk}/annual-reports"),
    }
    one = {name: _count(call) for name, call in pages.items()}
    for year in range(2021, 2026):
        submitted(people, year=year)
    many = {name: _count(call) for name, call in pages.items()}
    assert many == one
