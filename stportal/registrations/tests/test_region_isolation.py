"""Staff act only within their regions, and the services refuse on their own, whatever page,
API call or admin action calls them (SPEC 2; security review findings 1 and 9)."""

from __future__ import annotations

import pytest

from stportal.core.errors import NotFound
from stportal.registrations import permissions, services
from stportal.registrations.models import Fee, Registration
from stportal.registrations.tests import regions as two


@pytest.fixture
def state(series, home_unit, course_admin, other_region, outsider_admin):
    return two.build(
        series=series,
        home_unit=home_unit,
        course_admin=course_admin,
        other_region=other_region,
        outsider_admin=outsider_admin,
    )


def test_another_regions_admin_cannot_register_our_trainee_for_their_week(state, outsider_admin):
    """Security review finding 1: region B's admin registered region A's trainee for B's week
    and a later no-show fee landed on A's home unit. The service refuses on its own, as for an
    unknown trainee, and nothing is created, so no fee can ever reach A's home unit."""
    fees_before = list(Fee.objects.values_list("pk", "home_unit_id"))
    with pytest.raises(NotFound):
        services.register_for_course_week(
            actor=outsider_admin, week=state.other_week, trainee=state.trainee, now=two.OPEN
        )
    assert not Registration.objects.filter(trainee=state.trainee).exists()
    assert not Registration.objects.filter(course_week=state.other_week).exists()
    assert list(Fee.objects.values_list("pk", "home_unit_id")) == fees_before


def test_another_regions_admin_cannot_register_anyone_for_our_week(state, outsider_admin):
    """Security review finding 1: staff act only on weeks of their own regions, also for a
    trainee of their own region."""
    for trainee in (state.trainee, state.other_trainee):
        with pytest.raises(NotFound):
            services.register_for_course_week(
                actor=outsider_admin, week=state.week, trainee=trainee, now=two.OPEN
            )
    assert (
        not Registration.objects.filter(course_week=state.week)
        .exclude(pk__in=[state.cancelled.pk, state.offered.pk])
        .exists()
    )


def test_staff_of_both_regions_may_register_across_them(
    state, course_admin, other_region, outsider_admin
):
    """SPEC 2: roles are held within a region; staff of both regions may register a trainee
    of one for a week of the other."""
    from stportal.accounts.models import Role, RoleAssignment, User

    RoleAssignment.objects.create(
        user=outsider_admin, role=Role.COURSE_ADMIN, region=state.week.series.region
    )
    outsider_admin = User.objects.get(pk=outsider_admin.pk)
    registration = services.register_for_course_week(
        actor=outsider_admin, week=state.other_week, trainee=state.trainee, now=two.OPEN
    )
    assert registration.home_unit == state.trainee.home_unit


@pytest.mark.parametrize(
    "action",
    ["change", "cancel", "waive", "accept_offer", "decline_offer", "capacity", "allocation"],
)
def test_every_staff_write_refuses_another_regions_admin(state, outsider_admin, action):
    """Security review finding 1: change, cancel, waive, answering an offer on someone's
    behalf, capacity and allocation on another region's objects answer 404 from the service
    itself, and change nothing."""
    before = two.snapshot(state)
    calls = {
        "change": lambda: services.change_registration(
            actor=outsider_admin,
            registration=state.offered,
            dietary_needs="Ändrat",
            now=two.OFFER_OPEN,
        ),
        "cancel": lambda: services.cancel_registration_lines(
            actor=outsider_admin,
            registration=state.offered,
            acceptable_reason=True,
            reason="x",
            now=two.OFFER_OPEN,
        ),
        "waive": lambda: services.record_acceptable_reason(
            actor=outsider_admin, registration=state.cancelled, reason="Sjuk", now=two.OFFER_OPEN
        ),
        "accept_offer": lambda: services.accept_offer(
            actor=outsider_admin,
            registration=state.offered,
            course_id=state.course.pk,
            now=two.OFFER_OPEN,
        ),
        "decline_offer": lambda: services.decline_offer(
            actor=outsider_admin,
            registration=state.offered,
            course_id=state.course.pk,
            now=two.OFFER_OPEN,
        ),
        "capacity": lambda: services.change_course_capacity(
            actor=outsider_admin, course=state.course, capacity=5, now=two.OFFER_OPEN
        ),
        "allocation": lambda: services.run_allocation(
            actor=outsider_admin, week=state.week, dry_run=False, now=two.OFFER_OPEN
        ),
    }
    with pytest.raises(NotFound):
        calls[action]()
    assert two.snapshot(state) == before


def test_the_permission_home_answers_for_both_regions(state, course_admin, outsider_admin):
    """SPEC 2: one place decides; staff of region A reach A's objects, B's admin none."""
    assert permissions.may_act_for_trainee(course_admin, state.trainee, state.week)
    assert not permissions.may_act_for_trainee(course_admin, state.other_trainee, state.week)
    assert not permissions.may_act_for_trainee(outsider_admin, state.trainee, state.other_week)
    assert permissions.may_act_for_trainee(outsider_admin, state.other_trainee, state.other_week)
    assert permissions.may_manage_registration(course_admin, state.cancelled)
    assert not permissions.may_read_registration(outsider_admin, state.cancelled)
