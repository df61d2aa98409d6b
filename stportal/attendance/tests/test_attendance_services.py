"""Attendance, results, closing and reopening the register (C17, with C14 for no-shows),
through the services."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from stportal.accounts.models import Role
from stportal.attendance import services
from stportal.attendance.models import AttendanceRecord, CourseRegister, CourseResult
from stportal.attendance.tests.fixtures import (
    AFTER_COURSE,
    DURING_COURSE,
    ETIK_DAYS,
    LATER,
    at,
    attend,
    line,
)
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.notifications.models import OutboxMessage
from stportal.registrations import fees as fee_rules
from stportal.registrations import services as registration_services
from stportal.registrations.models import Fee, LineStatus
from stportal.testing import factories


@pytest.fixture
def three(make_participant, seat):
    """Anna, Bo and Cecilia seated in every course of the week."""
    people = [
        make_participant(user__first_name="Anna", user__last_name="Andersson"),
        make_participant(user__first_name="Bo", user__last_name="Berg"),
        make_participant(user__first_name="Cecilia", user__last_name="Carlsson"),
    ]
    return seat(*people)


@pytest.fixture
def unit_manager(region, home_unit):
    return factories.user_with_role(
        Role.UNIT_MANAGER, region=region, home_unit=home_unit, username="enhetschef-test"
    )


def status(registration, course):
    return line(registration, course).status


# --- who may record (SPEC 2, C17) ----------------------------------------------------------


def test_course_leader_records_attendance_per_day_with_a_note_c17(etik, course_leader, three):
    anna = three[0]
    saved = services.record_attendance(
        actor=course_leader,
        course=etik,
        records=[
            (anna.pk, ETIK_DAYS[0], True, ""),
            (anna.pk, ETIK_DAYS[1], False, "  Sjuk på förmiddagen. "),
        ],
        now=DURING_COURSE,
    )
    assert [(r.date, r.present, r.note) for r in saved] == [
        (ETIK_DAYS[0], True, ""),
        (ETIK_DAYS[1], False, "Sjuk på förmiddagen."),
    ]
    assert all(r.recorded_by == course_leader for r in saved)
    events = AuditEvent.objects.filter(action="attendance.recorded")
    assert events.count() == 2
    assert all(event.actor_id == course_leader.pk for event in events)


def test_recording_the_same_attendance_again_changes_nothing(etik, course_leader, three):
    anna = three[0]
    attend(course_leader, etik, anna, "PPP")
    attend(course_leader, etik, anna, "PPP")
    assert AuditEvent.objects.filter(action="attendance.recorded").count() == 3
    attend(course_leader, etik, anna, "PAP")
    changed = AuditEvent.objects.filter(action="attendance.recorded").latest("id")
    assert changed.before == {"present": True, "note": ""}
    assert AttendanceRecord.objects.filter(line__registration=anna).count() == 3


def test_leader_of_another_course_may_not_record_c17(etik, other_leader, three):
    """SPEC 2: a course leader sees only own sub-courses."""
    with pytest.raises(PermissionDenied):
        attend(other_leader, etik, three[0], "PPP")


def test_trainee_may_not_record_attendance_c17(etik, three):
    trainee_user = three[0].trainee.user
    with pytest.raises(PermissionDenied):
        attend(trainee_user, etik, three[0], "PPP")


@pytest.mark.parametrize("who", ["course_admin", "regional_study_director"])
def test_staff_of_the_region_may_record_c17(request, etik, three, who):
    attend(request.getfixturevalue(who), etik, three[0], "PPP")
    assert AttendanceRecord.objects.filter(line__registration=three[0]).count() == 3


def test_staff_of_another_region_may_not_record(etik, three, outsider_admin):
    with pytest.raises(PermissionDenied):
        attend(outsider_admin, etik, three[0], "PPP")


def test_only_participants_and_only_course_days_that_have_come_c17(
    etik, course_leader, three, make_participant, leka
):
    """Only confirmed (or resulted) participants; only the course's days; none still ahead."""
    outsider = make_participant()
    waiting = registration_services.register_for_course_week(
        actor=outsider.user, week=leka, trainee=outsider, now=at(2026, 11, 1)
    )  # late and after allocation: seated at once, so cancel to make it a non-participant
    registration_services.cancel_registration_lines(
        actor=outsider.user, registration=waiting, now=at(2026, 11, 2)
    )
    with pytest.raises(ValidationFailed) as caught:
        services.record_attendance(
            actor=course_leader,
            course=etik,
            records=[
                (waiting.pk, ETIK_DAYS[0], True, ""),
                (three[0].pk, dt.date(2027, 3, 25), True, ""),
                (three[1].pk, ETIK_DAYS[2], True, ""),
            ],
            now=DURING_COURSE,
        )
    fields = caught.value.fields
    assert set(fields) == {"registration_id", "date"}
    assert "2027-03-25" in fields["date"][0]
    assert "2027-03-24" in fields["date"][1]  # still ahead on 23 March
    assert not AttendanceRecord.objects.exists()


# --- results (C17) ------------------------------------------------------------------------


def test_full_attendance_passes_without_a_reason_c17(etik, course_leader, three):
    attend(course_leader, etik, three[0], "PPP")
    services.record_results(
        actor=course_leader, course=etik, results=[(three[0].pk, "passed", "")], now=AFTER_COURSE
    )
    assert status(three[0], etik) == LineStatus.PASSED
    result = CourseResult.objects.get(line__registration=three[0])
    assert (result.result, result.automatic, result.recorded_by) == (
        "passed",
        False,
        course_leader,
    )
    assert AuditEvent.objects.filter(action="line.result_recorded").count() == 1


def test_passing_with_less_than_full_attendance_needs_a_written_reason_c17(
    etik, course_leader, three
):
    attend(course_leader, etik, three[0], "PAP")
    with pytest.raises(ValidationFailed) as caught:
        services.record_results(
            actor=course_leader,
            course=etik,
            results=[(three[0].pk, "passed", "  ")],
            now=AFTER_COURSE,
        )
    assert list(caught.value.fields) == ["reason"]
    assert "Anna Andersson" in caught.value.fields["reason"][0]
    assert status(three[0], etik) == LineStatus.CONFIRMED

    services.record_results(
        actor=course_leader,
        course=etik,
        results=[(three[0].pk, "passed", "Gjorde ersättningsuppgift för tisdagen.")],
        now=AFTER_COURSE,
    )
    assert status(three[0], etik) == LineStatus.PASSED
    assert line(three[0], etik).result_reason == "Gjorde ersättningsuppgift för tisdagen."


def test_incomplete_records_what_must_be_made_up_then_passes_after_closing_c17(
    etik, course_leader, three
):
    for registration in three:
        attend(course_leader, etik, registration, "PPP")
    attend(course_leader, etik, three[1], "PAA")
    with pytest.raises(ValidationFailed) as caught:
        services.record_results(
            actor=course_leader, course=etik, results=[(three[1].pk, "incomplete", "")]
        )
    assert "reason" in caught.value.fields
    services.record_results(
        actor=course_leader,
        course=etik,
        results=[(three[1].pk, "incomplete", "Seminarierna onsdag och tisdag.")],
        now=AFTER_COURSE,
    )
    assert status(three[1], etik) == LineStatus.INCOMPLETE
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    assert status(three[1], etik) == LineStatus.INCOMPLETE  # the result is kept at closing

    services.record_results(
        actor=course_leader, course=etik, results=[(three[1].pk, "passed", "")], now=LATER
    )
    assert status(three[1], etik) == LineStatus.PASSED
    result = CourseResult.objects.get(line__registration=three[1])
    assert result.makeup == "Seminarierna onsdag och tisdag."
    assert line(three[1], etik).result_reason == "Seminarierna onsdag och tisdag."


def test_a_result_may_be_corrected_while_the_register_is_open_c17(etik, course_leader, three):
    attend(course_leader, etik, three[0], "PPP")
    services.record_results(actor=course_leader, course=etik, results=[(three[0].pk, "passed", "")])
    services.record_results(
        actor=course_leader,
        course=etik,
        results=[(three[0].pk, "not_passed", "Lämnade inte in uppgiften.")],
    )
    assert status(three[0], etik) == LineStatus.NOT_PASSED
    events = AuditEvent.objects.filter(action="line.result_recorded").order_by("id")
    assert [(e.before["status"], e.after["status"]) for e in events] == [
        ("confirmed", "passed"),
        ("passed", "not_passed"),
    ]


def test_unknown_result_and_non_participants_answer_422(etik, course_leader, three):
    with pytest.raises(ValidationFailed) as caught:
        services.record_results(
            actor=course_leader,
            course=etik,
            results=[(three[0].pk, "excellent", ""), (999_999, "passed", "")],
        )
    assert set(caught.value.fields) == {"result", "registration_id"}


# --- closing (C17, C14) ---------------------------------------------------------------------


def test_closing_with_missing_records_is_refused_listing_them_c17(etik, course_leader, three):
    anna, bo, cecilia = three
    attend(course_leader, etik, anna, "PPP")
    attend(course_leader, etik, bo, "PA")  # Wednesday missing
    attend(course_leader, etik, cecilia, "PAP")  # a partial attender without a result
    with pytest.raises(ServiceError) as caught:
        services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    error = caught.value
    assert (error.code, error.status) == ("register_incomplete", 409)
    assert error.extra["missing"] == [
        {
            "registration_id": bo.pk,
            "name": "Bo Berg",
            "dates": ["2027-03-24"],
            "needs_result": False,
        },
        {
            "registration_id": cecilia.pk,
            "name": "Cecilia Carlsson",
            "dates": [],
            "needs_result": True,
        },
    ]
    assert not CourseRegister.objects.get(course=etik).is_closed
    assert status(anna, etik) == LineStatus.CONFIRMED  # nothing changed


def test_closing_passes_full_attenders_and_charges_a_no_show_once_c17_c14(
    etik, course_leader, three, unit_manager, home_unit
):
    anna, bo, cecilia = three
    attend(course_leader, etik, anna, "PPP")
    attend(course_leader, etik, bo, "AAA")
    attend(course_leader, etik, cecilia, "APP")
    services.record_results(
        actor=course_leader, course=etik, results=[(cecilia.pk, "not_passed", "")]
    )
    result = services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)

    assert status(anna, etik) == LineStatus.PASSED
    assert status(bo, etik) == LineStatus.NO_SHOW
    assert status(cecilia, etik) == LineStatus.NOT_PASSED
    assert CourseResult.objects.get(line__registration=anna).automatic
    fee = Fee.objects.get()
    assert (fee.registration_id, fee.cause, fee.status, fee.amount, fee.home_unit) == (
        bo.pk,
        "no_show",
        "charged",
        3000,
        home_unit,
    )
    assert line(bo, etik).fee == fee
    assert result.fees_charged == [fee]
    register = CourseRegister.objects.get(course=etik)
    assert register.closed_by == course_leader and register.closed_at == AFTER_COURSE
    assert AuditEvent.objects.filter(action="course_register.closed").count() == 1
    assert AuditEvent.objects.filter(action="fee.charged", object_id=str(fee.pk)).exists()
    # C16: the home unit's manager is told.
    assert OutboxMessage.objects.filter(kind="fee_charged_manager", recipient=unit_manager).count()


@pytest.mark.parametrize(
    ("result", "reason"),
    [
        ("passed", "Godkänd efter samtal."),
        ("incomplete", "Hela kursen."),
        ("not_passed", ""),
    ],
)
def test_absent_every_day_is_a_no_show_with_the_fee_whatever_the_leader_recorded_c17(
    etik, course_leader, three, home_unit, result, reason
):
    """C17, issue 9 (the no-show loophole): Bo was absent on every course day; the leader
    recorded a result for him before closing. Closing still makes him a no-show and charges
    the C14 fee to his home unit; the recorded result is set aside, audited with why."""
    anna, bo, _cecilia = three
    attend(course_leader, etik, anna, "PPP")
    attend(course_leader, etik, bo, "AAA")
    attend(course_leader, etik, three[2], "PPP")
    services.record_results(
        actor=course_leader, course=etik, results=[(bo.pk, result, reason)], now=AFTER_COURSE
    )
    assert status(bo, etik) == result

    closing = services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)

    assert status(bo, etik) == LineStatus.NO_SHOW
    assert status(anna, etik) == LineStatus.PASSED
    assert [line.registration_id for line in closing.no_shows] == [bo.pk]
    course_result = CourseResult.objects.get(line__registration=bo, line__course=etik)
    assert (course_result.result, course_result.automatic) == ("no_show", True)
    fee = Fee.objects.get(registration=bo)
    assert (fee.cause, fee.status, fee.amount, fee.home_unit) == (
        "no_show",
        "charged",
        3000,
        home_unit,
    )
    assert line(bo, etik).fee == fee
    event = AuditEvent.objects.get(action="line.no_show_at_closing")
    assert event.before == {"status": result} and event.after["status"] == "no_show"
    assert event.reason == services.OVERRULED_REASON


def test_a_no_show_adds_no_fee_to_a_registration_that_has_one_c14(
    leka, etik, ledarskap, course_leader, three
):
    """C14: one fee per registration; a late cancellation already charged it."""
    bo = three[1]
    registration_services.cancel_registration_lines(
        actor=bo.trainee.user,
        registration=bo,
        course_ids=[ledarskap.pk],
        reason="Jour",
        now=at(2027, 3, 10),
    )
    assert Fee.objects.get(registration=bo).cause == "late_cancellation"
    for registration in three:
        attend(course_leader, etik, registration, "PPP" if registration != bo else "AAA")
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    assert status(bo, etik) == LineStatus.NO_SHOW
    assert Fee.objects.filter(registration=bo).count() == 1
    assert Fee.objects.get(registration=bo).cause == "late_cancellation"


def test_no_shows_in_two_courses_of_one_registration_cost_one_fee_c14(
    etik, ledarskap, course_leader, other_leader, three
):
    bo = three[1]
    for registration in three:
        attend(course_leader, etik, registration, "AAA" if registration == bo else "PPP")
        attend(other_leader, ledarskap, registration, "A" if registration == bo else "P")
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    services.close_register(actor=other_leader, course=ledarskap, now=AFTER_COURSE)
    assert status(bo, ledarskap) == LineStatus.NO_SHOW
    assert Fee.objects.filter(registration=bo).count() == 1


def test_a_closed_register_is_locked_c17(etik, course_leader, three):
    for registration in three:
        attend(course_leader, etik, registration, "PPP")
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    for call in (
        lambda: attend(course_leader, etik, three[0], "AAA", now=LATER),
        lambda: services.record_results(
            actor=course_leader, course=etik, results=[(three[0].pk, "not_passed", "")]
        ),
        lambda: services.close_register(actor=course_leader, course=etik, now=LATER),
    ):
        with pytest.raises(ServiceError) as caught:
            call()
        assert (caught.value.code, caught.value.status) == ("locked", 409)


# --- reopening (C17) ------------------------------------------------------------------------


def test_only_staff_reopen_with_a_reason_audited_c17(etik, course_leader, course_admin, three):
    for registration in three:
        attend(course_leader, etik, registration, "PPP")
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    with pytest.raises(PermissionDenied):
        services.reopen_register(actor=course_leader, course=etik, reason="Fel", now=LATER)
    with pytest.raises(ValidationFailed):
        services.reopen_register(actor=course_admin, course=etik, reason=" ", now=LATER)

    register = services.reopen_register(
        actor=course_admin, course=etik, reason="Anna var inte där på onsdagen.", now=LATER
    )
    assert not register.is_closed
    assert (register.reopened_by, register.reopen_reason) == (
        course_admin,
        "Anna var inte där på onsdagen.",
    )
    event = AuditEvent.objects.get(action="course_register.reopened")
    assert event.actor_id == course_admin.pk
    assert event.reason == "Anna var inte där på onsdagen."
    assert event.before["closed_at"] is not None and event.after["closed_at"] is None
    # The results closing decided go back to confirmed, each audited.
    assert {status(r, etik) for r in three} == {LineStatus.CONFIRMED}
    assert AuditEvent.objects.filter(action="line.reopened").count() == 3
    with pytest.raises(ServiceError) as caught:
        services.reopen_register(actor=course_admin, course=etik, reason="Igen", now=LATER)
    assert caught.value.code == "not_closed"


def test_fees_follow_the_corrected_record_after_reopening_c17(
    etik, course_leader, course_admin, three
):
    """A no-show fee whose line is no longer a no-show is waived with a reason, never
    deleted; a new no-show is charged."""
    anna, bo, cecilia = three
    attend(course_leader, etik, anna, "PPP")
    attend(course_leader, etik, bo, "AAA")
    attend(course_leader, etik, cecilia, "PPP")
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    fee = Fee.objects.get(registration=bo)

    services.reopen_register(
        actor=course_admin,
        course=etik,
        reason="Bo och Cecilia förväxlades i närvarolistan.",
        now=LATER,
    )
    attend(course_leader, etik, bo, "PPP", now=LATER)
    attend(course_leader, etik, cecilia, "AAA", now=LATER)
    result = services.close_register(actor=course_leader, course=etik, now=LATER)

    assert status(bo, etik) == LineStatus.PASSED
    assert status(cecilia, etik) == LineStatus.NO_SHOW
    fee.refresh_from_db()
    assert (fee.status, fee.waived_by_correction) == ("waived", True)
    assert fee.reason == fee_rules.CORRECTION_WAIVER_TEXT
    new_fee = Fee.objects.get(registration=cecilia)
    assert (new_fee.status, new_fee.cause) == ("charged", "no_show")
    assert result.fees_waived == [fee] and result.fees_charged == [new_fee]
    assert AuditEvent.objects.filter(action="fee.waived", object_id=str(fee.pk)).exists()

    # Corrected back again: the waived no-show fee is charged again, still one row.
    services.reopen_register(
        actor=course_admin, course=etik, reason="Nej, Bo var borta.", now=LATER
    )
    attend(course_leader, etik, bo, "AAA", now=LATER)
    services.close_register(actor=course_leader, course=etik, now=LATER)
    fee.refresh_from_db()
    assert (fee.status, fee.waived_by_correction) == ("charged", False)
    assert Fee.objects.filter(registration=bo).count() == 1


def test_a_fee_waived_by_staff_stays_waived_whatever_its_reason_says(
    etik, course_leader, course_admin, three
):
    """Issue 9: whether a correction waived a fee is a state of the fee, not its text. A fee
    staff waived for an acceptable reason (C14) is not charged again when the register is
    closed again, even if the reason they wrote reads like a correction's waiver."""
    bo = three[1]
    for registration in three:
        attend(course_leader, etik, registration, "AAA" if registration == bo else "PPP")
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    services.reopen_register(actor=course_admin, course=etik, reason="Kontroll", now=LATER)
    fee = registration_services.record_acceptable_reason(
        actor=course_admin, registration=bo, reason=fee_rules.CORRECTION_WAIVER_TEXT, now=LATER
    )
    result = services.close_register(actor=course_leader, course=etik, now=LATER)

    fee.refresh_from_db()
    assert (fee.status, fee.waived_by_correction, fee.decided_by) == (
        "waived",
        False,
        course_admin,
    )
    assert result.fees_charged == [] and result.fees_waived == []
    # Only the first closing charged it.
    assert AuditEvent.objects.filter(action="fee.charged", object_id=str(fee.pk)).count() == 1


def test_existing_correction_waivers_get_the_flag_from_their_old_text(etik, course_leader, three):
    """Issue 9: the migration that adds `waived_by_correction` sets it on the no-show fees a
    correction waived before the flag existed (then told only by their reason text)."""
    from django.apps import apps

    migration = importlib.import_module(
        "stportal.registrations.migrations.0005_fee_waived_by_correction"
    )
    anna, bo, cecilia = three
    attend(course_leader, etik, anna, "AAA")
    attend(course_leader, etik, bo, "AAA")
    attend(course_leader, etik, cecilia, "PPP")
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    Fee.objects.filter(registration=bo).update(
        status="waived", reason=migration.OLD_CORRECTION_WAIVER
    )
    Fee.objects.filter(registration=anna).update(status="waived", reason="Sjuk")

    migration.flag_correction_waivers(apps, None)

    assert Fee.objects.get(registration=bo).waived_by_correction
    assert not Fee.objects.get(registration=anna).waived_by_correction


def test_closing_another_course_during_a_reopening_keeps_the_fee(
    etik, ledarskap, course_leader, other_leader, course_admin, three
):
    """The no-show fee follows the line it was charged for, not a neighbouring register."""
    bo = three[1]
    for registration in three:
        attend(course_leader, etik, registration, "AAA" if registration == bo else "PPP")
        attend(other_leader, ledarskap, registration, "P")
    services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    services.reopen_register(actor=course_admin, course=etik, reason="Kontroll", now=LATER)
    services.close_register(actor=other_leader, course=ledarskap, now=LATER)
    assert Fee.objects.get(registration=bo).status == "charged"


def test_a_course_without_days_cannot_be_closed(etik, course_leader, three):
    etik.days.all().delete()
    with pytest.raises(ServiceError) as caught:
        services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    assert caught.value.code == "no_course_days"
