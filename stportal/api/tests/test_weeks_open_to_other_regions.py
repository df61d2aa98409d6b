"""A course week opened to other regions (C23, Appendix A): staff of the host region open it
to every other region or to a list, with a price per seat and per lodging night for guests;
trainees of an admitted region find it and register like anyone, and are seated after the host
region's own on-time registrations; everyone else still gets 404, the services included."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.core.audit import AuditEvent
from stportal.core.dates import STOCKHOLM
from stportal.core.errors import NotFound
from stportal.courses import services as course_services
from stportal.registrations import services as registration_services
from stportal.registrations.models import LineStatus, RegistrationLine
from stportal.testing import factories


@pytest.fixture
def guest(other_region):
    return factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(region=other_region), user__username="stlakare2"
    )


@pytest.fixture
def third_region_trainee():
    region = factories.RegionFactory(name="Region Tredje", code="tredje")
    return factories.TraineeFactory(home_unit=factories.HomeUnitFactory(region=region))


def opened(api, week, course_admin, open_to):
    response = api.patch(
        f"course-weeks/{week.pk}",
        course_admin,
        json={"open_to_regions": open_to, "guest_seat_price": 4500},
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_staff_open_a_week_to_a_listed_region_and_its_trainees_find_it(
    api, published_week, course_admin, other_region, guest, third_region_trainee
):
    detail = opened(api, published_week, course_admin, [other_region.pk])
    assert detail["open_to_regions"] == [other_region.pk]
    assert detail["guest_seat_price"] == 4500
    listed = [w["id"] for w in api.get("course-weeks", guest.user).json()]
    assert listed == [published_week.pk]
    assert api.get(f"course-weeks/{published_week.pk}", guest.user).status_code == 200
    # A region not on the list sees nothing of it.
    assert api.get("course-weeks", third_region_trainee.user).json() == []
    assert (
        api.get(f"course-weeks/{published_week.pk}", third_region_trainee.user).status_code == 404
    )
    event = AuditEvent.objects.filter(action="course_week.changed").latest("pk")
    assert (event.before["open_to_regions"], event.after["open_to_regions"]) == (
        [],
        [other_region.pk],
    )


def test_a_week_open_to_all_is_found_by_every_other_region(
    api, published_week, course_admin, guest, third_region_trainee
):
    assert opened(api, published_week, course_admin, "all")["open_to_regions"] == "all"
    for trainee in (guest, third_region_trainee):
        assert [w["id"] for w in api.get("course-weeks", trainee.user).json()] == [
            published_week.pk
        ]


def test_a_draft_stays_hidden_from_guests(api, make_week, course_admin, guest):
    draft = make_week(courses=1, open_to_regions="all")
    assert api.get("course-weeks", guest.user).json() == []
    assert api.get(f"course-weeks/{draft.pk}", guest.user).status_code == 404


def test_a_guest_registers_and_waits_behind_the_hosts_own(
    api, published_week, course_admin, other_region, guest, trainee, frozen_time
):
    course_services.update_course_week(
        actor=course_admin,
        week=published_week,
        changes={"open_to_regions": [other_region.pk], "capacity": 1},
    )
    frozen_time.move_to(dt.datetime(2026, 9, 10, 9, tzinfo=STOCKHOLM))
    made = api.post(f"course-weeks/{published_week.pk}/registrations", guest.user, json={})
    assert made.status_code == 201, made.content
    host = api.post(f"course-weeks/{published_week.pk}/registrations", trainee.user, json={})
    assert host.status_code == 201
    frozen_time.move_to(dt.datetime(2026, 10, 20, 9, tzinfo=STOCKHOLM))
    allocated = api.post(
        f"course-weeks/{published_week.pk}/allocation", course_admin, json={"dry_run": False}
    )
    assert allocated.status_code == 200
    guest_lines = RegistrationLine.objects.filter(registration_id=made.json()["id"])
    assert {(ln.status, ln.reason_code) for ln in guest_lines} == {
        (LineStatus.WAITLISTED, "guest_wait")
    }
    host_lines = RegistrationLine.objects.filter(registration_id=host.json()["id"])
    assert {ln.status for ln in host_lines} == {LineStatus.CONFIRMED}


def test_a_trainee_of_a_region_not_admitted_is_refused_by_the_service_itself(
    published_week, third_region_trainee
):
    with pytest.raises(NotFound):
        registration_services.register_for_course_week(
            actor=third_region_trainee.user, week=published_week, trainee=third_region_trainee
        )


@pytest.mark.parametrize(
    "open_to, problem",
    [
        ("some", "open_to_regions"),
        ([999_999], "open_to_regions"),
        ("host", "open_to_regions"),
    ],
)
def test_opening_to_an_unknown_region_or_the_host_itself_is_refused(
    api, published_week, course_admin, region, open_to, problem
):
    value = [region.pk] if open_to == "host" else open_to
    response = api.patch(
        f"course-weeks/{published_week.pk}", course_admin, json={"open_to_regions": value}
    )
    assert response.status_code == 422
    assert problem in response.content.decode()
    assert not published_week.open_to_regions.exists()


def test_staff_of_an_admitted_region_do_not_manage_the_week(
    api, published_week, course_admin, other_region, outsider_admin
):
    opened(api, published_week, course_admin, [other_region.pk])
    response = api.patch(
        f"course-weeks/{published_week.pk}", outsider_admin, json={"guest_seat_price": 1}
    )
    assert response.status_code == 404
