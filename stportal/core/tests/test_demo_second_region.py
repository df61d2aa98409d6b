"""The demo's second region (C23, seed 004): Västra Götalandsregionen with its five areas,
purchaser ids and invoicing identifiers, its own staff, and `stlakare2`, let into the first
region's LEKA week open for registration. The issue's "must show": `stlakare2` registers, is
seated after the first region's own on-time registrations, appears on the first region's report
of what the second region owes, and the first region's course admin sees the registration but
nothing else of `stlakare2`'s record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from stportal.accounts.models import Area, Role, RoleAssignment, TraineeProfile, User
from stportal.accounts.tokens import issue_api_token
from stportal.core.dates import end_of_day
from stportal.courses.models import CourseWeek
from stportal.demo.data import load_demo
from stportal.demo.second_region import AREAS2, GLN, GUEST_NIGHTLY_RATE, GUEST_SEAT_PRICE
from stportal.funding.models import AreaFundingSettings
from stportal.registrations import services
from stportal.registrations.models import LineStatus, RegistrationLine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def api(user, method, path, **kwargs):
    client = Client()
    headers = {"Authorization": f"Bearer {issue_api_token(actor=None, user=user)}"}
    send = getattr(client, method)
    if method == "post":
        return send(
            f"/api/v1/{path}",
            data=kwargs.get("json", {}),
            content_type="application/json",
            headers=headers,
        )
    return send(f"/api/v1/{path}", data=kwargs.get("query"), headers=headers)


def test_the_second_region_is_built_from_seed_004():
    load_demo()
    areas = {a.name: a for a in Area.objects.filter(region__code="vgr")}
    assert {name: areas[name].purchaser_id for name, _ in AREAS2} == dict(AREAS2)
    assert all("Fe 007" in area.invoice_address for area in areas.values())
    assert set(
        AreaFundingSettings.objects.filter(area__region__code="vgr").values_list("gln", flat=True)
    ) == {GLN}
    assert RoleAssignment.objects.filter(
        user__username="kursadmin2", role=Role.COURSE_ADMIN, region__code="vgr"
    ).exists()
    stlakare2 = TraineeProfile.objects.get(user__username="stlakare2")
    assert stlakare2.home_unit.region.code == "vgr"
    week = CourseWeek.objects.get(open_to_regions__code="vgr")
    assert week.series.region.code == "vasterbotten"
    assert (week.guest_seat_price, week.guest_lodging_nightly_rate) == (
        GUEST_SEAT_PRICE,
        GUEST_NIGHTLY_RATE,
    )
    assert not load_demo().changed, "loading again changes nothing"


def test_stlakare2_registers_is_seated_after_the_hosts_and_is_invoiced_to_her_region():
    load_demo()
    guest = TraineeProfile.objects.select_related("user").get(user__username="stlakare2")
    kursadmin = User.objects.get(username="kursadmin")
    week = CourseWeek.objects.get(open_to_regions__code="vgr")

    # She finds the week and registers like anyone, with lodging.
    listed = [w["id"] for w in api(guest.user, "get", "course-weeks").json()]
    assert listed == [week.pk]
    made = api(
        guest.user, "post", f"course-weeks/{week.pk}/registrations", json={"needs_lodging": True}
    )
    assert made.status_code == 201, made.content
    registration_id = made.json()["id"]

    # Allocation after the deadline: the host region's own on-time lines first.
    after_deadline = end_of_day(week.registration_deadline) + dt.timedelta(hours=1)
    services.run_allocation(actor=kursadmin, week=week, dry_run=False, now=after_deadline)
    guest_lines = list(RegistrationLine.objects.filter(registration_id=registration_id))
    assert guest_lines
    assert {line.reason_code for line in guest_lines} <= {"guest_seat", "guest_wait"}
    for line in guest_lines:
        if line.status == LineStatus.CONFIRMED:
            hosts_waiting = RegistrationLine.objects.filter(
                course_id=line.course_id,
                status=LineStatus.WAITLISTED,
                late=False,
                registration__home_unit__region=week.series.region,
            )
            assert not hosts_waiting.exists()

    # The first region's report of what the second owes lists her registration.
    rows = api(kursadmin, "get", "region-invoices").json()
    (row,) = [r for r in rows if r["registration_id"] == registration_id]
    seats = sum(1 for line in guest_lines if line.status == LineStatus.CONFIRMED)
    assert row["region"] == "Västra Götalandsregionen"
    assert row["trainee_name"] == guest.user.display_name
    assert row["seats"] == seats and row["seat_price"] == GUEST_SEAT_PRICE
    assert row["amount"] == seats * GUEST_SEAT_PRICE + row["nights"] * GUEST_NIGHTLY_RATE
    assert row["nights"] >= 1 if seats else row["nights"] == 0

    # The host's course admin sees the registration, and nothing else of her record.
    assert api(kursadmin, "get", f"registrations/{registration_id}").status_code == 200
    assert api(kursadmin, "get", f"trainees/{guest.pk}").status_code == 404
    assert api(kursadmin, "get", f"trainees/{guest.pk}/export").status_code == 404
    client = Client()
    client.force_login(kursadmin)
    assert client.get(f"/st/{guest.pk}/").status_code == 404
    assert client.get(f"/konto/st-lakare/{guest.pk}/personuppgifter/").status_code == 404
    # Her own region's staff see nothing of the host's weeks in their report.
    kursadmin2 = User.objects.get(username="kursadmin2")
    assert api(kursadmin2, "get", "region-invoices").json() == []
