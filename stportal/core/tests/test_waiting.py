"""What waits for a person, on the start page (issue 10): each role sees what it should act on,
with a count and a link; another region's staff see none of it; a person with nothing to do
is told so."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from stportal.accounts.completion_services import propose_planned_completion_change
from stportal.core.tests.matrix_world import NOW, build_world
from stportal.core.waiting import Waiting, waiting_for


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        yield build_world()


def start_page(user) -> str:
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def labels(user) -> dict[str, Waiting]:
    with time_machine.travel(NOW, tick=False):
        return {item.url: item for item in waiting_for(user)}


def test_a_trainee_holding_an_offer_is_asked_to_answer_it_c11(world):
    """C11: the owner holds an offer of the seat given up an hour ago."""
    page = start_page(world.a.owner.user)
    assert "1 erbjudande om plats att svara på" in page
    assert f'href="{reverse("registrations:mine")}"' in page
    assert labels(world.a.owner.user)[reverse("registrations:mine")].count == 1


def test_a_study_director_is_asked_to_decide_a_proposed_completion_date_c5a(world):
    with time_machine.travel(NOW, tick=False):
        propose_planned_completion_change(
            actor=world.a.owner.user,
            trainee=world.a.owner,
            planned_completion=dt.date(2029, 1, 31),
            reason="Föräldraledighet.",
        )
    page = start_page(world.a.study_director)
    assert "1 föreslaget planerat slutdatum att besluta om" in page
    # Region B's study director and staff have nothing to decide for region A.
    for outsider in (world.b.study_director, world.b.course_admin):
        assert reverse("accounts:completion_proposals") not in labels(outsider)


def test_the_certifier_is_asked_to_print_and_sign_issued_certificates_c19(world):
    waiting = labels(world.a.regional_study_director)[reverse("certificates:batches")]
    assert waiting.count >= 1
    assert f"{waiting.count} kursintyg att skriva ut och signera" in start_page(
        world.a.regional_study_director
    )
    # Region B's certifier counts only region B's certificates.
    other = labels(world.b.regional_study_director).get(reverse("certificates:batches"))
    assert other is not None and other.count == waiting.count  # the same world, built twice


def test_a_person_with_nothing_to_do_is_told_so(world):
    page = start_page(world.a.other_unit_manager)
    assert "Just nu väntar inget på dig." in page


def test_the_list_is_most_pressing_first_and_leaves_out_noughts(world):
    items = labels(world.a.owner.user).values()
    assert all(item.count > 0 for item in items)
    ordered = sorted(items, key=lambda item: (item.order, item.label))
    assert list(items) == ordered
