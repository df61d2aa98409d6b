"""Registration endpoints: roles and objects (SPEC 2), error codes (Appendix A)."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.core.dates import STOCKHOLM
from stportal.registrations.models import Registration
from stportal.testing import factories


def at(*args):
    return dt.datetime(*args, tzinfo=STOCKHOLM)


@pytest.fixture
def open_week(published_week, frozen_time):
    frozen_time.move_to(at(2026, 9, 10, 9))
    return published_week


def test_trainee_registers_for_self_and_gets_201(api, open_week, trainee):
    """C5: whole week when no courses are named; the answer carries the lines."""
    response = api.post(f"course-weeks/{open_week.pk}/registrations", trainee.user, json={})
    assert response.status_code == 201
    body = response.json()
    assert body["trainee_id"] == trainee.pk
    assert body["late"] is False
    assert [ln["status"] for ln in body["lines"]] == ["pending", "pending"]
    assert all(ln["fee"] is None and ln["waitlist_position"] is None for ln in body["lines"])


def test_registering_twice_answers_409_with_the_existing_id(api, open_week, trainee):
    """C6: `registration_exists` with `existing_registration_id`."""
    first = api.post(f"course-weeks/{open_week.pk}/registrations", trainee.user, json={}).json()
    again = api.post(f"course-weeks/{open_week.pk}/registrations", trainee.user, json={})
    assert again.status_code == 409
    assert again.json()["code"] == "registration_exists"
    assert again.json()["existing_registration_id"] == first["id"]


def test_before_the_invitation_answers_registration_not_open(api, published_week, trainee):
    """C7."""
    response = api.post(f"course-weeks/{published_week.pk}/registrations", trainee.user, json={})
    assert response.status_code == 409
    assert response.json()["code"] == "registration_not_open"
    assert "2026-09-01" in response.json()["message"]


def test_a_trainee_cannot_register_someone_else(api, open_week, trainee, other_trainee):
    """Security review finding 9: another trainee's id answers like an unknown one."""
    response = api.post(
        f"course-weeks/{open_week.pk}/registrations",
        trainee.user,
        json={"trainee_id": other_trainee.pk},
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Registration.objects.exists()


def test_staff_register_on_behalf(api, open_week, course_admin, trainee):
    """C7: a course admin registers on behalf of a trainee (the seed's e-mail after the
    deadline)."""
    response = api.post(
        f"course-weeks/{open_week.pk}/registrations",
        course_admin,
        json={"trainee_id": trainee.pk, "course_ids": [open_week.courses.first().pk]},
    )
    assert response.status_code == 201
    assert len(response.json()["lines"]) == 1


def test_outsiders_cannot_read_a_registration(
    api, open_week, trainee, other_trainee, outsider_admin
):
    """SPEC 2: another trainee and another region's admin get 404."""
    registration = api.post(
        f"course-weeks/{open_week.pk}/registrations", trainee.user, json={}
    ).json()
    for outsider in (other_trainee.user, outsider_admin):
        assert api.get(f"registrations/{registration['id']}", outsider).status_code == 404


def test_unit_manager_reads_but_cannot_cancel(api, open_week, trainee, unit_manager):
    registration = api.post(
        f"course-weeks/{open_week.pk}/registrations", trainee.user, json={}
    ).json()
    assert api.get(f"registrations/{registration['id']}", unit_manager).status_code == 200
    response = api.post(f"registrations/{registration['id']}/cancel", unit_manager, json={})
    assert response.status_code == 403


def test_my_registrations_lists_only_mine(api, open_week, trainee, other_trainee):
    api.post(f"course-weeks/{open_week.pk}/registrations", trainee.user, json={})
    api.post(f"course-weeks/{open_week.pk}/registrations", other_trainee.user, json={})
    mine = api.get("me/registrations", trainee.user).json()
    assert [r["trainee_id"] for r in mine] == [trainee.pk]


def test_patch_changes_courses_before_the_deadline(api, open_week, trainee):
    """C6: changing courses is an edit of the registration, free before the deadline."""
    first, second = open_week.courses.order_by("position")
    registration = api.post(
        f"course-weeks/{open_week.pk}/registrations", trainee.user, json={"course_ids": [first.pk]}
    ).json()
    changed = api.patch(
        f"registrations/{registration['id']}",
        trainee.user,
        json={"course_ids": [second.pk], "dietary_needs": "Glutenfri"},
    ).json()
    active = [ln["course_id"] for ln in changed["lines"] if ln["status"] != "cancelled"]
    assert active == [second.pk]
    assert changed["dietary_needs"] == "Glutenfri"


def test_allocation_before_the_deadline_answers_deadline_not_passed(api, open_week, course_admin):
    response = api.post(f"course-weeks/{open_week.pk}/allocation", course_admin, json={})
    assert response.status_code == 409
    assert response.json()["code"] == "deadline_not_passed"


def test_trainee_cannot_allocate_or_read_fees_of_others(api, open_week, trainee):
    assert (
        api.post(f"course-weeks/{open_week.pk}/allocation", trainee.user, json={}).status_code
        == 403
    )
    assert api.get("fees", trainee.user).json() == []


def test_capacity_below_seats_taken_is_refused(api, open_week, course_admin, frozen_time):
    """C12."""
    trainees = [factories.TraineeFactory(home_unit=factories.HomeUnitFactory()) for _ in range(3)]
    for t in trainees:
        api.post(f"course-weeks/{open_week.pk}/registrations", t.user, json={})
    frozen_time.move_to(at(2026, 10, 20, 9))
    api.post(f"course-weeks/{open_week.pk}/allocation", course_admin, json={"dry_run": False})
    course = open_week.courses.first()
    response = api.call("PUT", f"courses/{course.pk}/capacity", course_admin, json={"capacity": 2})
    assert response.status_code == 409
    assert response.json()["code"] == "capacity_below_taken"
    ok = api.call("PUT", f"courses/{course.pk}/capacity", course_admin, json={"capacity": 3})
    assert ok.status_code == 200
    assert ok.json()["capacity"] == 3


def test_offer_accept_and_lapsed_offer_answers_offer_lapsed(
    api, make_week, course_admin, frozen_time
):
    """C11 through the API: accept-offer confirms; after 48 hours it answers offer_lapsed."""
    from stportal.courses import services as course_services

    week = course_services.publish_course_week(
        actor=course_admin, week=make_week(courses=1, capacity=1)
    )
    frozen_time.move_to(at(2026, 9, 10, 9))
    people = [factories.TraineeFactory(home_unit=factories.HomeUnitFactory()) for _ in range(3)]
    regs = [
        api.post(f"course-weeks/{week.pk}/registrations", p.user, json={}).json()["id"]
        for p in people
    ]
    frozen_time.move_to(at(2026, 10, 20, 9))
    api.post(f"course-weeks/{week.pk}/allocation", course_admin, json={"dry_run": False})
    holder = next(
        (p, r)
        for p, r in zip(people, regs, strict=True)
        if api.get(f"registrations/{r}", p.user).json()["lines"][0]["status"] == "confirmed"
    )
    waiting = [(p, r) for p, r in zip(people, regs, strict=True) if r != holder[1]]
    waiting.sort(
        key=lambda pr: api.get(f"registrations/{pr[1]}", pr[0].user).json()["lines"][0][
            "waitlist_position"
        ]
    )
    frozen_time.move_to(at(2027, 3, 12, 9))
    api.post(f"registrations/{holder[1]}/cancel", holder[0].user, json={})
    course_id = week.courses.first().pk
    frozen_time.move_to(at(2027, 3, 14, 10))
    lapsed = api.post(
        f"registrations/{waiting[0][1]}/accept-offer",
        waiting[0][0].user,
        json={"course_id": course_id},
    )
    assert lapsed.status_code == 409
    assert lapsed.json()["code"] == "offer_lapsed"
    # The seat passed on: the next one accepts within their 48 hours.
    accepted = api.post(
        f"registrations/{waiting[1][1]}/accept-offer",
        waiting[1][0].user,
        json={"course_id": course_id},
    )
    assert accepted.status_code == 200
    assert accepted.json()["lines"][0]["status"] == "confirmed"


def test_a_lapsed_offer_reads_as_lapsed_and_reading_writes_nothing(
    api, make_week, course_admin, frozen_time
):
    """Issue 9 (C11): GET shows an offer whose time is up as lapsed at once, while the line
    stays as stored until a service or the expiry command writes the lapse."""
    from stportal.core.models import AuditEvent
    from stportal.courses import services as course_services
    from stportal.registrations.models import LineStatus, RegistrationLine

    week = course_services.publish_course_week(
        actor=course_admin, week=make_week(courses=1, capacity=1)
    )
    frozen_time.move_to(at(2026, 9, 10, 9))
    people = [factories.TraineeFactory(home_unit=factories.HomeUnitFactory()) for _ in range(2)]
    regs = [
        api.post(f"course-weeks/{week.pk}/registrations", p.user, json={}).json()["id"]
        for p in people
    ]
    frozen_time.move_to(at(2026, 10, 20, 9))
    api.post(f"course-weeks/{week.pk}/allocation", course_admin, json={"dry_run": False})
    seated = RegistrationLine.objects.get(status=LineStatus.CONFIRMED).registration_id
    (holder, held), (waiter, waiting) = sorted(
        zip(people, regs, strict=True), key=lambda pr: pr[1] != seated
    )
    frozen_time.move_to(at(2027, 3, 12, 9))
    api.post(f"registrations/{held}/cancel", holder.user, json={})
    offered = api.get(f"registrations/{waiting}", waiter.user).json()["lines"][0]
    assert offered["status"] == "offered"
    events = AuditEvent.objects.count()
    frozen_time.move_to(at(2027, 3, 14, 10))
    line = api.get(f"registrations/{waiting}", waiter.user).json()["lines"][0]
    assert (line["status"], line["reason_code"]) == ("cancelled", "offer_lapsed")
    stored = RegistrationLine.objects.get(registration_id=waiting)
    assert stored.status == LineStatus.OFFERED
    assert AuditEvent.objects.count() == events
