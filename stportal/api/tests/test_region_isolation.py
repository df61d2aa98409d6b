"""Region isolation through the API and the staff pages: staff act only within their regions,
and an object out of reach answers exactly like an unknown one (SPEC 2, Appendix A; security
review findings 1 and 9). Two regions: A (ours) and B (the `outsider_admin`'s)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stportal.registrations.models import Fee, Registration
from stportal.registrations.tests import regions as two

UNKNOWN = 999_999


@pytest.fixture
def state(series, home_unit, course_admin, other_region, outsider_admin, frozen_time):
    built = two.build(
        series=series,
        home_unit=home_unit,
        course_admin=course_admin,
        other_region=other_region,
        outsider_admin=outsider_admin,
    )
    frozen_time.move_to(two.OFFER_OPEN)
    return built


def _register(api, user, week, trainee_id):
    return api.post(f"course-weeks/{week.pk}/registrations", user, json={"trainee_id": trainee_id})


def test_another_regions_admin_cannot_register_our_trainee(api, state, outsider_admin):
    """Security review finding 1: region B's admin registered region A's trainee for B's week
    (201 with the trainee's name and home unit), and a later no-show fee landed on A's home
    unit. Now 404 `not_found`, no name, and nothing is created that a fee could follow."""
    fees_before = list(Fee.objects.values_list("pk", "home_unit_id"))
    response = _register(api, outsider_admin, state.other_week, state.trainee.pk)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    text = response.content.decode()
    assert state.trainee.user.last_name not in text
    assert state.trainee.home_unit.name not in text
    assert not Registration.objects.filter(trainee=state.trainee).exists()
    assert not Registration.objects.filter(course_week=state.other_week).exists()
    assert list(Fee.objects.values_list("pk", "home_unit_id")) == fees_before


def test_a_foreign_trainee_id_answers_exactly_like_an_unknown_one(
    api, state, outsider_admin, trainee
):
    """Security review finding 9: an unknown trainee id answered 422 where a foreign one
    answered 403, so ids told who is a trainee. Both answer the same 404 now, for staff of
    another region and for a trainee naming someone else."""
    foreign = _register(api, outsider_admin, state.other_week, state.trainee.pk)
    unknown = _register(api, outsider_admin, state.other_week, UNKNOWN)
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    someone_else = _register(api, trainee.user, state.week, state.trainee.pk)
    nobody = _register(api, trainee.user, state.week, UNKNOWN)
    assert someone_else.status_code == nobody.status_code == 404
    assert someone_else.json() == nobody.json()
    assert not Registration.objects.filter(trainee__in=[trainee, state.trainee]).exists()


def test_staff_still_register_their_own_regions_trainees(api, state, outsider_admin):
    """C7: on behalf within one's own region works as before."""
    response = _register(api, outsider_admin, state.other_week, state.other_trainee.pk)
    assert response.status_code == 201, response.content
    assert Registration.objects.get(pk=response.json()["id"]).trainee == state.other_trainee


def _writes(state):
    reg, course = state.offered, state.course
    return {
        "cancel": ("POST", f"registrations/{reg.pk}/cancel", {"acceptable_reason": True}),
        "waive": ("POST", f"registrations/{state.cancelled.pk}/waive-fee", {"reason": "Sjuk"}),
        "accept-offer": ("POST", f"registrations/{reg.pk}/accept-offer", {"course_id": course.pk}),
        "decline-offer": (
            "POST",
            f"registrations/{reg.pk}/decline-offer",
            {"course_id": course.pk},
        ),
        "patch": ("PATCH", f"registrations/{reg.pk}", {"dietary_needs": "Ändrat"}),
        "capacity": ("PUT", f"courses/{course.pk}/capacity", {"capacity": 5}),
        "allocation": ("POST", f"course-weeks/{state.week.pk}/allocation", {"dry_run": False}),
    }


@pytest.mark.parametrize(
    "action",
    ["cancel", "waive", "accept-offer", "decline-offer", "patch", "capacity", "allocation"],
)
def test_another_regions_admin_gets_404_on_every_registration_write(
    api, state, outsider_admin, action
):
    """Security review finding 1 and SPEC 2: cancel, waive, answering an offer on someone's
    behalf, PATCH, capacity and allocation on another region's objects answer 404 and change
    nothing."""
    before = two.snapshot(state)
    method, path, body = _writes(state)[action]
    response = api.call(method, path, outsider_admin, json=body)
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert two.snapshot(state) == before


def test_staff_page_cannot_register_another_regions_trainee(client, state, outsider_admin):
    """Security review finding 1 on the staff pages: region A's trainee is no choice on region
    B's register-on-behalf form, and posting the id anyway registers nobody."""
    client.force_login(outsider_admin)
    url = reverse("staff:register_on_behalf", args=[state.other_week.pk])
    response = client.post(
        url, {"trainee": state.trainee.pk, "courses": [state.other_week.courses.get().pk]}
    )
    assert response.status_code == 200
    assert state.trainee.user.last_name not in response.content.decode()
    assert not Registration.objects.filter(trainee=state.trainee).exists()
    for name, pk in (("staff:cancel", state.offered.pk), ("staff:waive", state.cancelled.pk)):
        assert client.post(reverse(name, args=[pk]), {"reason": "x"}).status_code == 404
    capacity = reverse("staff:capacity", args=[state.course.pk])
    assert client.post(capacity, {"capacity": "5"}).status_code == 404
