"""Guests from other regions in the real allocation run and in the projection (C23): a line
whose registration's home unit lies in another region than the week's is seated after every
on-time line of the host region, whatever its priority.

Opening a week to other regions is not built yet, so the guest's registration is made as a
host trainee's and its home unit then moved to the other region, as admission will leave it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.registrations import services
from stportal.registrations.models import LineStatus, Registration, RegistrationLine
from stportal.registrations.projection import project_pending
from stportal.registrations.tests.conftest import AFTER_DEADLINE, OPEN
from stportal.testing import factories

pytestmark = pytest.mark.django_db


def register(trainee, week, course):
    return services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=OPEN, course_ids=[course.pk]
    )


@pytest.fixture
def one_seat_week(make_week):
    return make_week(course_capacities=(1,))


@pytest.fixture
def host_and_guest(one_seat_week, make_trainee, other_region):
    course = one_seat_week.courses.get()
    host = make_trainee(planned_completion=dt.date(2033, 1, 1))
    guest = make_trainee(planned_completion=dt.date(2027, 4, 30))
    host_registration = register(host, one_seat_week, course)
    guest_registration = register(guest, one_seat_week, course)
    Registration.objects.filter(pk=guest_registration.pk).update(
        home_unit=factories.HomeUnitFactory(region=other_region)
    )
    return course, host_registration, guest_registration


def test_a_host_trainee_with_years_left_is_seated_before_a_guest_ending_soon(
    one_seat_week, course_admin, host_and_guest
):
    course, host_registration, guest_registration = host_and_guest
    services.run_allocation(
        actor=course_admin, week=one_seat_week, dry_run=False, now=AFTER_DEADLINE
    )
    host_line = RegistrationLine.objects.get(registration=host_registration)
    guest_line = RegistrationLine.objects.get(registration=guest_registration)
    assert (host_line.status, host_line.reason_code) == (LineStatus.CONFIRMED, "within_capacity")
    assert (guest_line.status, guest_line.reason_code) == (LineStatus.WAITLISTED, "guest_wait")
    assert "annan region" in guest_line.reason


def test_the_projection_puts_the_guest_where_the_run_will(one_seat_week, host_and_guest):
    course, host_registration, guest_registration = host_and_guest
    registrations = Registration.objects.filter(
        pk__in=[host_registration.pk, guest_registration.pk]
    ).prefetch_related("lines")
    projected = project_pending(registrations)
    guest_line = RegistrationLine.objects.get(registration=guest_registration)
    host_line = RegistrationLine.objects.get(registration=host_registration)
    assert projected[host_line.pk].status == "confirmed"
    assert (projected[guest_line.pk].status, projected[guest_line.pk].reason_code) == (
        "waitlisted",
        "guest_wait",
    )
