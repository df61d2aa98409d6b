"""Lodging (C20, issue 9, rule fix 7): staff adjust a participant's nights, the nightly rate is
the course week's setting, and the lodging list shows the cost per home unit."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from stportal.api.tests.conftest import Api
from stportal.core.errors import NotFound, PermissionDenied, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.registrations import services
from stportal.registrations.lodging_services import set_lodging_nights
from stportal.registrations.staff_selectors import lodging_for_week
from stportal.registrations.tests.conftest import AFTER_DEADLINE, OPEN
from stportal.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Tests travel in time; a log-in must outlive the trip."""
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


SUNDAY, MONDAY, TUESDAY = dt.date(2027, 3, 21), dt.date(2027, 3, 22), dt.date(2027, 3, 23)


def register(trainee, week, **kwargs):
    return services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=OPEN, needs_lodging=True, **kwargs
    )


@pytest.fixture
def lycksele(region):
    return factories.HomeUnitFactory(
        region=region, name="Lycksele lasarett", away_from_host_site=True
    )


@pytest.fixture
def storuman(region):
    return factories.HomeUnitFactory(
        region=region, name="Hälsocentralen Storuman", away_from_host_site=True
    )


def person(unit, username, first, last):
    trainee = factories.TraineeFactory(home_unit=unit, user__username=username)
    trainee.user.first_name, trainee.user.last_name = first, last
    trainee.user.save()
    return trainee


@pytest.fixture
def guests(week, lycksele, storuman):
    """Bo (Lycksele) on both courses, Monday and Tuesday; Ada (Lycksele) on Tuesday's course;
    Cia (Storuman) on both."""
    _first, second = week.courses.order_by("position")
    bo = register(person(lycksele, "bo", "Bo", "Borta"), week)
    ada = register(person(lycksele, "ada", "Ada", "Andra"), week, course_ids=[second.pk])
    cia = register(person(storuman, "cia", "Cia", "Citron"), week)
    return {"bo": bo, "ada": ada, "cia": cia}


def row_of(week, registration):
    summary = lodging_for_week(week).summary
    return next(row for row in summary.guests if row.guest.key == registration.pk)


def test_staff_let_a_participant_arrive_the_evening_before_and_leave_early(
    client, week, guests, course_admin
):
    """Issue 9 (C20): Ada, on Tuesday's course only, arrives Sunday evening (two nights);
    Bo leaves after Monday's course (Monday night dropped). The list and its cost follow, and
    the change is audited."""
    client.force_login(course_admin)
    ada, bo = guests["ada"], guests["bo"]
    assert row_of(week, ada).nights == (MONDAY,)
    url = reverse("staff:lodging_nights", args=[week.pk, ada.pk])
    with time_machine.travel(OPEN, tick=False):
        form = client.get(url)
        response = client.post(url, {"nights": [SUNDAY.isoformat(), MONDAY.isoformat()]})
        client.post(
            reverse("staff:lodging_nights", args=[week.pk, bo.pk]),
            {"nights": [SUNDAY.isoformat()]},
        )
    assert form.status_code == 200 and "söndag 21 mars" in form.content.decode()
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.lodging_extra_nights == [SUNDAY.isoformat()] and ada.lodging_skipped_nights == []
    assert row_of(week, ada).nights == (SUNDAY, MONDAY)
    assert row_of(week, ada).cost == 2 * week.lodging_nightly_rate
    assert row_of(week, bo).nights == (SUNDAY,)
    event = AuditEvent.objects.get(action="registration.lodging_nights_set", object_id=ada.pk)
    assert event.actor == course_admin
    assert event.after == {
        "lodging_extra_nights": ["2027-03-21"],
        "lodging_skipped_nights": [],
    }
    with time_machine.travel(OPEN, tick=False):
        page = client.get(reverse("staff:lodging", args=[week.pk])).content.decode()
    assert "Nätterna är ändrade av kursadministrationen." in page


def test_a_course_given_up_later_still_drops_its_own_night(week, guests, course_admin):
    """The adjustment is kept as a difference from the default: Bo arrives Saturday evening
    too; when he later gives up Tuesday's course, Monday night goes with it."""
    bo = guests["bo"]
    saturday = SUNDAY - dt.timedelta(days=1)
    with pytest.raises(ValidationFailed):  # two evenings before is outside the week
        set_lodging_nights(actor=course_admin, registration=bo, nights=[saturday, SUNDAY])
    set_lodging_nights(actor=course_admin, registration=bo, nights=[SUNDAY, MONDAY, TUESDAY])
    assert row_of(week, bo).nights == (SUNDAY, MONDAY, TUESDAY)  # stays after Tuesday too
    _first, second = week.courses.order_by("position")
    services.cancel_registration_lines(
        actor=bo.trainee.user, registration=bo, course_ids=[second.pk], reason="Krock", now=OPEN
    )
    assert row_of(week, bo).nights == (SUNDAY, TUESDAY)
    set_lodging_nights(actor=course_admin, registration=bo, nights=None)
    assert row_of(week, bo).nights == (SUNDAY,)  # back to the default


def test_only_staff_of_the_weeks_region_adjust_nights(week, guests, outsider_admin):
    """SPEC 2: the trainee may not set own nights (403); staff of another region get 404."""
    ada = guests["ada"]
    with pytest.raises(NotFound):
        set_lodging_nights(actor=outsider_admin, registration=ada, nights=[SUNDAY])
    with pytest.raises(PermissionDenied):
        set_lodging_nights(actor=ada.trainee.user, registration=ada, nights=[SUNDAY])
    ada.refresh_from_db()
    assert ada.lodging_extra_nights == []


def test_the_nightly_rate_is_the_weeks_setting(client, series, course_admin, settings, guests):
    """Issue 9 (C20): a new week takes the installation's rate; staff change it per week
    through API PATCH, and the lodging list costs the nights at that rate."""
    week = guests["bo"].course_week
    assert week.lodging_nightly_rate == 1200  # STPORTAL_LODGING_NIGHTLY_RATE's default
    api = Api(client)
    with time_machine.travel(OPEN, tick=False):
        answer = api.patch(
            f"course-weeks/{week.pk}", course_admin, json={"lodging_nightly_rate": 950}
        )
        refused = api.patch(
            f"course-weeks/{week.pk}", course_admin, json={"lodging_nightly_rate": -1}
        )
    assert answer.status_code == 200, answer.content
    assert answer.json()["lodging_nightly_rate"] == 950
    assert refused.status_code == 422
    week.refresh_from_db()
    assert week.lodging_nightly_rate == 950
    assert row_of(week, guests["bo"]).cost == 2 * 950
    assert lodging_for_week(week).summary.nightly_rate == 950
    settings.LODGING_NIGHTLY_RATE_SEK = 1400
    with time_machine.travel(OPEN, tick=False):
        created = api.post(
            "course-weeks",
            course_admin,
            json={
                "series": series.name,
                "title": "LEKA B 2027",
                "start_date": "2027-11-22",
                "end_date": "2027-11-26",
                "invitation_date": "2027-04-01",
                "registration_deadline": "2027-05-15",
                "late_cancellation_fee": 3000,
            },
        )
    assert created.status_code == 201, created.content
    assert created.json()["lodging_nightly_rate"] == 1400


def test_the_admin_week_form_offers_the_nightly_rate(client, week, course_admin):
    client.force_login(course_admin)
    with time_machine.travel(OPEN, tick=False):
        html = client.get(reverse("admin:courses_courseweek_change", args=[week.pk])).content
    assert b'name="lodging_nightly_rate"' in html


def test_the_lodging_list_shows_the_cost_per_home_unit_on_the_page_and_in_its_files(
    client, week, guests, course_admin
):
    """Issue 9 (C20): Lycksele pays for Bo's two nights and Ada's one, Storuman for Cia's
    two, at 1 200 kr; on the page, in CSV and in Excel."""
    client.force_login(course_admin)
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    url = reverse("staff:lodging", args=[week.pk])
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        page = client.get(url).content.decode()
        csv_text = client.get(url + "?format=csv").content.decode()
        book = openpyxl.load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    text = " ".join(page.replace("\xa0", " ").split())
    assert "Kostnad per basenhet" in text
    assert 'Lycksele lasarett</th><td class="num">2</td><td class="num">3</td>' in text
    assert "3 600 kr" in text and "2 400 kr" in text and "6 000 kr" in text
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    units = {row[1]: row for row in rows if row[0] == "Summa för basenheten"}
    assert units["Lycksele lasarett"][4:6] == ["3", "3600"]
    assert units["Hälsocentralen Storuman"][4:6] == ["2", "2400"]
    assert next(row for row in rows if row[0] == "Summa")[4:6] == ["5", "6000"]
    sheet = [list(r) for r in book.active.iter_rows(values_only=True)]
    lycksele = next(r for r in sheet if r[0] == "Summa för basenheten" and "Lycksele" in r[1])
    assert lycksele[4:6] == [3, 3600]
