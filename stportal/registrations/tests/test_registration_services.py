"""The registration engine's rules as scenarios (C5–C16), through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses import services as course_services
from stportal.registrations import services
from stportal.registrations.models import Fee, LineStatus, Registration, RegistrationLine
from stportal.registrations.tests.conftest import (
    AFTER_DEADLINE,
    BEFORE_CANCEL_DEADLINE,
    BEFORE_INVITATION,
    COURSE_STARTED,
    INSIDE_CANCEL_PERIOD,
    OPEN,
    at,
)


def register(trainee, week, now=OPEN, actor=None, **kwargs):
    return services.register_for_course_week(
        actor=actor or trainee.user, week=week, trainee=trainee, now=now, **kwargs
    )


def statuses(registration):
    return {
        line.course.title: line.status
        for line in registration.lines.exclude(status=LineStatus.CANCELLED).select_related("course")
    }


def line_of(registration, course):
    return registration.lines.exclude(status=LineStatus.CANCELLED).get(course=course)


def allocate(week, actor, now=AFTER_DEADLINE, dry_run=False):
    return services.run_allocation(actor=actor, week=week, dry_run=dry_run, now=now)


# --- C5–C7: registering --------------------------------------------------------------------


def test_nobody_can_register_before_the_invitation_date(week, make_trainee):
    """C7: a clear message with the opening date."""
    with pytest.raises(ServiceError) as caught:
        register(make_trainee(), week, now=BEFORE_INVITATION)
    assert caught.value.code == "registration_not_open"
    assert caught.value.extra["opens_on"] == "2026-09-01"


def test_on_time_registration_for_the_whole_week_is_pending(week, make_trainee):
    """C5, C7: whole week by default; lines pending (anmäld) between invitation and deadline."""
    trainee = make_trainee()
    registration = register(trainee, week, needs_lodging=True, dietary_needs="Vegetarisk")
    lines = list(registration.lines.all())
    assert len(lines) == 2
    assert {ln.status for ln in lines} == {LineStatus.PENDING}
    assert not any(ln.late for ln in lines)
    assert registration.home_unit == trainee.home_unit  # snapshot: it pays any fee
    assert registration.curriculum_version.code == "2015"
    assert registration.dietary_needs == "Vegetarisk"


def test_partial_registration_records_the_earlier_courses_note(week, make_trainee):
    """C5: choosing some courses asks which earlier courses cover the rest."""
    first = week.courses.order_by("position").first()
    registration = register(
        make_trainee(),
        week,
        course_ids=[first.pk],
        earlier_courses_note="Ledarskap gick jag på LEKA A 2025.",
    )
    assert list(registration.lines.values_list("course_id", flat=True)) == [first.pk]
    assert registration.earlier_courses_note == "Ledarskap gick jag på LEKA A 2025."


def test_a_course_of_another_week_is_refused_naming_the_field(week, make_trainee):
    with pytest.raises(ValidationFailed) as caught:
        register(make_trainee(), week, course_ids=[999_999])
    assert "course_ids" in caught.value.fields


def test_registering_twice_answers_the_existing_registration(week, make_trainee):
    """C6: one registration per trainee and week; 409 with existing_registration_id."""
    trainee = make_trainee()
    first = register(trainee, week)
    with pytest.raises(ServiceError) as caught:
        register(trainee, week)
    assert caught.value.code == "registration_exists"
    assert caught.value.status == 409
    assert caught.value.extra["existing_registration_id"] == first.pk
    assert Registration.objects.filter(trainee=trainee).count() == 1


def test_a_fully_cancelled_registration_is_reopened_with_new_lines(week, make_trainee):
    """C6: new lines with their own registration time and lateness."""
    trainee = make_trainee()
    first = register(trainee, week)
    services.cancel_registration_lines(actor=trainee.user, registration=first, now=OPEN)
    again = register(trainee, week, now=AFTER_DEADLINE)
    assert again.pk == first.pk
    new_lines = again.lines.exclude(status=LineStatus.CANCELLED)
    assert new_lines.count() == 2
    assert all(ln.late and ln.requested_at == AFTER_DEADLINE for ln in new_lines)
    assert again.lines.filter(status=LineStatus.CANCELLED).count() == 2  # C15: kept


def test_late_registration_is_marked_late_and_stays_late(week, make_trainee, course_admin):
    """C7: lateness is decided when the line is made; moving the deadline keeps it."""
    on_time = register(make_trainee(), week, now=OPEN)
    late = register(make_trainee(), week, now=AFTER_DEADLINE)
    assert all(ln.late for ln in late.lines.all())
    course_services.update_course_week(
        actor=course_admin,
        week=week,
        changes={"registration_deadline": dt.date(2026, 12, 1)},
        now=AFTER_DEADLINE,
    )
    assert all(ln.late for ln in late.lines.all())
    assert not any(ln.late for ln in on_time.lines.all())


def test_trainee_cannot_register_once_the_week_started_but_staff_can(
    week, make_trainee, course_admin
):
    """C7: `course_started` for the trainee; staff enter records after the fact."""
    trainee = make_trainee()
    with pytest.raises(ServiceError) as caught:
        register(trainee, week, now=COURSE_STARTED)
    assert caught.value.code == "course_started"
    registration = register(trainee, week, now=COURSE_STARTED, actor=course_admin)
    assert registration.created_by == course_admin


def test_a_trainee_cannot_register_someone_else(week, make_trainee):
    """SPEC 2 and security review finding 9: another person's trainee record answers like an
    unknown one."""
    with pytest.raises(NotFound):
        services.register_for_course_week(
            actor=make_trainee().user, week=week, trainee=make_trainee(), now=OPEN
        )


# --- C8–C10: allocation ---------------------------------------------------------------------


def test_allocation_before_the_deadline_is_refused(week, course_admin):
    """C8: deadline_not_passed."""
    with pytest.raises(ServiceError) as caught:
        allocate(week, course_admin, now=OPEN)
    assert caught.value.code == "deadline_not_passed"


def test_everyone_is_seated_when_requests_do_not_exceed_seats(
    make_week, make_trainee, course_admin
):
    """C9, first sentence."""
    week = make_week(capacity=3)
    registrations = [register(make_trainee(), week) for _ in range(3)]
    allocate(week, course_admin)
    for registration in registrations:
        assert set(statuses(registration).values()) == {LineStatus.CONFIRMED}
        assert line_of(registration, week.courses.first()).reason_code == "within_capacity"


def test_shortest_remaining_time_gets_the_seats_and_the_rest_wait_in_order(
    make_week, make_trainee, course_admin
):
    """C9: shortest remaining time to planned completion first; the rest wait in that order,
    each line carrying its position and reason."""
    week = make_week(capacity=2)
    far = register(make_trainee(dt.date(2031, 1, 1)), week)
    near = register(make_trainee(dt.date(2027, 6, 1)), week)
    middle = register(make_trainee(dt.date(2028, 1, 1)), week)
    farthest = register(make_trainee(dt.date(2032, 1, 1)), week)
    result = allocate(week, course_admin)
    course = week.courses.order_by("id").first()
    course_result = next(c for c in result.courses if c.course_id == course.pk)
    assert course_result.confirmed == sorted([near.pk, middle.pk])
    assert course_result.waitlisted == [far.pk, farthest.pk]
    far_line = line_of(far, course)
    assert services.waitlist_position(far_line) == 1
    assert services.waitlist_position(line_of(farthest, course)) == 2
    assert far_line.reason_code == "priority_wait"
    assert far_line.reason.startswith("Reservlista: fler anmälningar än platser")


def test_ties_go_to_the_earlier_registration(make_week, make_trainee, course_admin):
    """C9: ties by earlier registration time."""
    week = make_week(capacity=1)
    same = dt.date(2028, 1, 1)
    later = register(make_trainee(same), week, now=at(2026, 9, 20))
    earlier = register(make_trainee(same), week, now=at(2026, 9, 10))
    allocate(week, course_admin)
    course = week.courses.first()
    assert line_of(earlier, course).status == LineStatus.CONFIRMED
    assert line_of(later, course).status == LineStatus.WAITLISTED


def test_late_lines_come_after_every_on_time_line(make_week, make_trainee, course_admin):
    """C10: a late line with the shortest remaining time still comes after on-time ones."""
    week = make_week(capacity=1)
    on_time = register(make_trainee(dt.date(2031, 1, 1)), week)
    late = register(make_trainee(dt.date(2027, 4, 1)), week, now=at(2026, 10, 16, 8))
    allocate(week, course_admin, now=at(2026, 10, 17))
    course = week.courses.first()
    assert line_of(on_time, course).status == LineStatus.CONFIRMED
    late_line = line_of(late, course)
    assert late_line.status == LineStatus.WAITLISTED
    assert late_line.reason_code == "late_wait"


def test_allocation_is_idempotent_and_the_preview_changes_nothing(
    make_week, make_trainee, course_admin
):
    """C8: preview first, then for real; running it twice changes nothing."""
    week = make_week(capacity=2)
    for year in (2030, 2028, 2029, 2027):
        register(make_trainee(dt.date(year, 1, 1)), week)
    preview = allocate(week, course_admin, dry_run=True)
    assert RegistrationLine.objects.filter(status=LineStatus.PENDING).count() == 8
    first = allocate(week, course_admin)
    assert [(c.confirmed, c.waitlisted) for c in preview.courses] == [
        (c.confirmed, c.waitlisted) for c in first.courses
    ]
    snapshot = list(RegistrationLine.objects.order_by("id").values_list("status", "queue_order"))
    events = AuditEvent.objects.count()
    second = allocate(week, course_admin, now=AFTER_DEADLINE + dt.timedelta(days=1))
    assert list(RegistrationLine.objects.order_by("id").values_list("status", "queue_order")) == (
        snapshot
    )
    assert [(c.confirmed, c.waitlisted) for c in second.courses] == [
        (c.confirmed, c.waitlisted) for c in first.courses
    ]
    assert all(not c.placed for c in second.courses)
    assert AuditEvent.objects.count() == events


def test_late_registration_after_allocation_is_seated_if_free_else_waits(
    make_week, make_trainee, course_admin
):
    """C10: after allocation a late line is seated at once if a seat is free and nobody waits,
    else joins the end of the waiting list."""
    week = make_week(capacity=2)
    register(make_trainee(), week)
    allocate(week, course_admin)
    seated = register(make_trainee(), week, now=at(2026, 11, 1))
    assert set(statuses(seated).values()) == {LineStatus.CONFIRMED}
    waiting = register(make_trainee(), week, now=at(2026, 11, 2))
    assert set(statuses(waiting).values()) == {LineStatus.WAITLISTED}
    assert services.waitlist_position(line_of(waiting, week.courses.first())) == 1


def test_only_staff_run_allocation(week, make_trainee):
    with pytest.raises(PermissionDenied):
        allocate(week, make_trainee().user)


# --- C11: promotion and offers --------------------------------------------------------------


@pytest.fixture
def full_week(make_week, make_trainee, course_admin):
    """One seat per course, one trainee seated, two waiting."""
    week = make_week(capacity=1)
    seated = register(make_trainee(dt.date(2027, 6, 1)), week)
    first_waiting = register(make_trainee(dt.date(2028, 6, 1)), week)
    second_waiting = register(make_trainee(dt.date(2029, 6, 1)), week)
    allocate(week, course_admin)
    return week, seated, first_waiting, second_waiting


def test_cancelling_before_the_deadline_is_free_and_confirms_the_next_at_once(full_week):
    """C11, C14: free before the cancellation deadline; promotion confirmed at once."""
    week, seated, first_waiting, _ = full_week
    result = services.cancel_registration_lines(
        actor=seated.trainee.user, registration=seated, reason="Krock", now=BEFORE_CANCEL_DEADLINE
    )
    assert set(result.fee_by_line.values()) == {None}
    assert not Fee.objects.exists()
    assert set(statuses(first_waiting).values()) == {LineStatus.CONFIRMED}
    cancelled = seated.lines.filter(status=LineStatus.CANCELLED)
    assert cancelled.count() == 2  # C15: kept, with who, when and why
    assert {(ln.cancelled_by_id, ln.cancel_reason) for ln in cancelled} == {
        (seated.trainee.user_id, "Krock")
    }


def test_cancelling_inside_the_period_charges_one_fee_and_offers_the_seat(full_week):
    """C14: one fee per registration, to its home unit; C11: the seat becomes an offer."""
    week, seated, first_waiting, _ = full_week
    course_a, course_b = week.courses.order_by("id")
    result = services.cancel_registration_lines(
        actor=seated.trainee.user,
        registration=seated,
        course_ids=[course_a.pk],
        reason="Sjuk",
        now=INSIDE_CANCEL_PERIOD,
    )
    fee = Fee.objects.get(registration=seated)
    assert (fee.amount, fee.status, fee.home_unit) == (3000, "charged", seated.home_unit)
    assert [d.status for d in result.fee_by_line.values()] == ["charged"]
    offer = line_of(first_waiting, course_a)
    assert offer.status == LineStatus.OFFERED
    assert offer.offer_expires_at == INSIDE_CANCEL_PERIOD + dt.timedelta(hours=48)
    # Cancelling the other course of the same registration later adds nothing.
    services.cancel_registration_lines(
        actor=seated.trainee.user,
        registration=seated,
        course_ids=[course_b.pk],
        now=INSIDE_CANCEL_PERIOD + dt.timedelta(hours=1),
    )
    assert Fee.objects.filter(registration=seated).count() == 1


def test_cancelling_several_courses_in_one_call_reports_the_same_single_fee(full_week):
    """C14: the same single fee on each confirmed line cancelled by the call."""
    week, seated, *_ = full_week
    result = services.cancel_registration_lines(
        actor=seated.trainee.user, registration=seated, now=INSIDE_CANCEL_PERIOD
    )
    decisions = list(result.fee_by_line.values())
    assert len(decisions) == 2
    assert all(d is not None and d.status == "charged" and d.amount == 3000 for d in decisions)
    assert Fee.objects.count() == 1


def test_an_acceptable_reason_waives_the_fee(full_week, course_admin):
    """C14: staff record an acceptable reason (illness); the fee stays as waived (C16)."""
    week, seated, *_ = full_week
    services.cancel_registration_lines(
        actor=seated.trainee.user, registration=seated, now=INSIDE_CANCEL_PERIOD
    )
    fee = services.record_acceptable_reason(
        actor=course_admin, registration=seated, reason="Sjukintyg inlämnat"
    )
    assert (fee.status, fee.reason, fee.decided_by) == (
        "waived",
        "Sjukintyg inlämnat",
        course_admin,
    )
    assert AuditEvent.objects.filter(action="fee.waived").exists()


def test_staff_cancelling_with_an_acceptable_reason_waives_at_once(full_week, course_admin):
    week, seated, *_ = full_week
    result = services.cancel_registration_lines(
        actor=course_admin,
        registration=seated,
        reason="Sjuk",
        acceptable_reason=True,
        now=INSIDE_CANCEL_PERIOD,
    )
    assert Fee.objects.get().status == "waived"
    assert {d.status for d in result.fee_by_line.values()} == {"waived"}


def test_a_trainee_cannot_record_an_acceptable_reason(full_week):
    week, seated, *_ = full_week
    with pytest.raises(PermissionDenied):
        services.cancel_registration_lines(
            actor=seated.trainee.user,
            registration=seated,
            acceptable_reason=True,
            now=INSIDE_CANCEL_PERIOD,
        )


def test_an_offer_lapses_after_48_hours_and_passes_on(full_week):
    """C11: lapses 48 hours after it was made, then goes to the next on the list."""
    week, seated, first_waiting, second_waiting = full_week
    course = week.courses.order_by("id").first()
    services.cancel_registration_lines(
        actor=seated.trainee.user,
        registration=seated,
        course_ids=[course.pk],
        now=INSIDE_CANCEL_PERIOD,
    )
    assert services.expire_lapsed_offers(now=INSIDE_CANCEL_PERIOD + dt.timedelta(hours=47)) == 0
    lapse_time = INSIDE_CANCEL_PERIOD + dt.timedelta(hours=48)
    assert services.expire_lapsed_offers(now=lapse_time) == 1
    lapsed = first_waiting.lines.get(course=course, status=LineStatus.CANCELLED)
    assert lapsed.reason_code == "offer_lapsed"
    next_offer = line_of(second_waiting, course)
    assert next_offer.status == LineStatus.OFFERED
    assert next_offer.offer_expires_at == lapse_time + dt.timedelta(hours=48)
    # Accepting the lapsed offer afterwards is refused with its code.
    with pytest.raises(ServiceError) as caught:
        services.accept_offer(
            actor=first_waiting.trainee.user,
            registration=first_waiting,
            course_id=course.pk,
            now=lapse_time,
        )
    assert caught.value.code in {"offer_lapsed", "invalid_transition"}


def test_an_offer_lapses_at_the_course_start_if_that_is_sooner(full_week):
    """C11: 48 hours or the course start, whichever is first."""
    week, seated, first_waiting, _ = full_week
    course = week.courses.order_by("id").first()  # first day 2027-03-22
    just_before = at(2027, 3, 21, 20)
    services.cancel_registration_lines(
        actor=seated.trainee.user, registration=seated, course_ids=[course.pk], now=just_before
    )
    assert line_of(first_waiting, course).offer_expires_at == at(2027, 3, 22, 0, 0)


def test_accepting_an_offer_confirms_and_gives_24_free_hours(full_week):
    """C11: a seat confirmed after the cancellation deadline may be cancelled free for 24 h."""
    week, seated, first_waiting, _ = full_week
    course = week.courses.order_by("id").first()
    services.cancel_registration_lines(
        actor=seated.trainee.user,
        registration=seated,
        course_ids=[course.pk],
        now=INSIDE_CANCEL_PERIOD,
    )
    accepted_at = INSIDE_CANCEL_PERIOD + dt.timedelta(hours=3)
    services.accept_offer(
        actor=first_waiting.trainee.user,
        registration=first_waiting,
        course_id=course.pk,
        now=accepted_at,
    )
    line = line_of(first_waiting, course)
    assert (line.status, line.confirmed_at) == (LineStatus.CONFIRMED, accepted_at)
    result = services.cancel_registration_lines(
        actor=first_waiting.trainee.user,
        registration=first_waiting,
        course_ids=[course.pk],
        now=accepted_at + dt.timedelta(hours=23),
    )
    assert list(result.fee_by_line.values()) == [None]
    assert not Fee.objects.filter(registration=first_waiting).exists()


def test_declining_an_offer_is_free_and_passes_the_seat_on(full_week):
    week, seated, first_waiting, second_waiting = full_week
    course = week.courses.order_by("id").first()
    services.cancel_registration_lines(
        actor=seated.trainee.user,
        registration=seated,
        course_ids=[course.pk],
        now=INSIDE_CANCEL_PERIOD,
    )
    services.decline_offer(
        actor=first_waiting.trainee.user,
        registration=first_waiting,
        course_id=course.pk,
        now=INSIDE_CANCEL_PERIOD + dt.timedelta(hours=1),
    )
    assert not Fee.objects.filter(registration=first_waiting).exists()
    assert line_of(second_waiting, course).status == LineStatus.OFFERED


def test_lines_still_waiting_at_the_start_become_not_seated(full_week):
    """C11: nobody is promoted once the course has started."""
    week, seated, first_waiting, second_waiting = full_week
    assert services.mark_not_seated_at_start(now=COURSE_STARTED) >= 2
    course = week.courses.order_by("id").first()
    assert first_waiting.lines.get(course=course).status == LineStatus.NOT_SEATED
    # Running it again changes nothing.
    assert services.mark_not_seated_at_start(now=COURSE_STARTED) == 0


def test_leaving_the_waiting_list_is_free(full_week):
    week, seated, first_waiting, _ = full_week
    result = services.cancel_registration_lines(
        actor=first_waiting.trainee.user, registration=first_waiting, now=INSIDE_CANCEL_PERIOD
    )
    assert set(result.fee_by_line.values()) == {None}
    assert not Fee.objects.exists()


# --- C12: capacity ---------------------------------------------------------------------------


def test_raising_capacity_moves_the_waiting_list_up(full_week, course_admin):
    week, seated, first_waiting, second_waiting = full_week
    course = week.courses.order_by("id").first()
    services.change_course_capacity(
        actor=course_admin, course=course, capacity=2, now=BEFORE_CANCEL_DEADLINE
    )
    assert line_of(first_waiting, course).status == LineStatus.CONFIRMED
    assert line_of(second_waiting, course).status == LineStatus.WAITLISTED


def test_lowering_capacity_below_the_seats_taken_is_refused(make_week, make_trainee, course_admin):
    week = make_week(capacity=5)
    for _ in range(3):
        register(make_trainee(), week)
    allocate(week, course_admin)
    course = week.courses.first()
    with pytest.raises(ServiceError) as caught:
        services.change_course_capacity(actor=course_admin, course=course, capacity=2)
    assert caught.value.code == "capacity_below_taken"
    services.change_course_capacity(actor=course_admin, course=course, capacity=3)
    course.refresh_from_db()
    assert course.capacity == 3


# --- C4/C14: organiser cancellation --------------------------------------------------------


def test_the_organiser_cancelling_the_week_charges_nothing(full_week, course_admin):
    week, seated, first_waiting, _ = full_week
    course_services.cancel_course_week(
        actor=course_admin, week=week, reason="För få lärare", now=INSIDE_CANCEL_PERIOD
    )
    assert not RegistrationLine.objects.exclude(status=LineStatus.CANCELLED).exists()
    assert not Fee.objects.exists()


def test_raising_the_week_capacity_moves_waiting_lists_up(full_week, course_admin):
    """C12 through the week: courses following its capacity promote their lists at once."""
    week, seated, first_waiting, _ = full_week
    course_services.update_course_week(
        actor=course_admin, week=week, changes={"capacity": 2}, now=BEFORE_CANCEL_DEADLINE
    )
    assert set(statuses(first_waiting).values()) == {LineStatus.CONFIRMED}


def test_moving_a_published_week_tells_everyone_registered(full_week, course_admin):
    """C4, C22: dates or place changed on a published week: everyone registered is told."""
    from stportal.notifications.models import OutboxMessage

    week, seated, *_ = full_week
    course_services.update_course_week(
        actor=course_admin, week=week, changes={"place": "Skellefteå"}, now=BEFORE_CANCEL_DEADLINE
    )
    assert OutboxMessage.objects.filter(kind="week_changed").count() == 3
