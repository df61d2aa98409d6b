"""Issue 9, what people see: a finished week shows its results on the staff overview, and a
fee is named by its cause (no-show or late cancellation) wherever fees are shown (C14, C16,
C17, C19)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from stportal.accounts.models import Role
from stportal.attendance import services
from stportal.attendance.tests.fixtures import AFTER_COURSE, LATER, attend
from stportal.registrations.models import Fee
from stportal.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Tests travel in time; a log-in must outlive the trip."""
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


def text_of(response) -> str:
    assert response.status_code == 200, response.content.decode()[:1000]
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


@pytest.fixture
def closed_week(leka, etik, ledarskap, seat, make_participant, course_leader, other_leader):
    """Two participants: one attends everything, one never comes (a no-show, charged)."""
    present, absent = make_participant(), make_participant()
    present.user.last_name, absent.user.last_name = "Närvarande", "Borta"
    present.user.save()
    absent.user.save()
    came, stayed_away = seat(present, absent)
    for course, leader in ((etik, course_leader), (ledarskap, other_leader)):
        attend(leader, course, came, "P" * course.days.count())
        attend(leader, course, stayed_away, "A" * course.days.count())
        services.close_register(actor=leader, course=course, now=AFTER_COURSE)
    return leka, came, stayed_away


def test_finished_week_shows_results_instead_of_seats_taken(client, closed_week, course_admin):
    """Issue 9: a finished week on the staff overview shows passed, not passed, no-show and
    certificates issued per course, not "0 of 60 seats taken"."""
    week, _came, _stayed_away = closed_week
    client.force_login(course_admin)
    with time_machine.travel(LATER, tick=False):
        text = text_of(client.get(reverse("staff:weeks")))
    section = text[text.index(week.title) :]
    assert "Godkända Ej godkända Uteblev Ska kompletteras Utan resultat Utfärdade intyg" in section
    assert "Etik, mångfald och jämlikhet 1 0 1 0 0 0" in section
    assert "Ledarskap och medarbetarskap 1 0 1 0 0 0" in section
    assert "0 av 60" not in section


def test_a_no_show_fee_is_named_by_its_cause_everywhere(client, closed_week, course_admin, region):
    """Issue 9, C14, C17: the fee's cause (the fee row's `cause`) names it on the trainee's
    page, the unit manager's page and the fee report."""
    _week, _came, stayed_away = closed_week
    fee = Fee.objects.get(registration=stayed_away)
    assert (fee.cause, fee.status) == ("no_show", "charged")
    manager = factories.user_with_role(
        Role.UNIT_MANAGER, region=region, home_unit=stayed_away.home_unit, username="chefen"
    )
    with time_machine.travel(LATER, tick=False):
        client.force_login(stayed_away.trainee.user)
        own = text_of(client.get(reverse("registrations:detail", args=[stayed_away.pk])))
        client.force_login(manager)
        unit = text_of(client.get(reverse("staff:unit")))
        client.force_login(course_admin)
        report = text_of(client.get(reverse("staff:fees")))
    assert "En utbildningskostnad på 3 000 kr för uteblivande utan avbokning debiteras" in own
    assert "för sen avbokning" not in own and "Utbildningskostnad på 3 000 kr för sen" not in own
    assert "Uteblivande, Debiterad" in unit or "Uteblivande, debiterad" in unit
    assert "Uteblivande" in report and "Sen avbokning" not in report
