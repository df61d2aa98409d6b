"""Moving a week moves its courses (issue 9, rule fix 1; C2, C4, C11, C20, C22).

Built through the services on the timeline of the attendance fixtures: LEKA A 2027, 22–26
March 2027, "Etik" Monday to Wednesday, "Ledarskap" on the Thursday.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.attendance.tests.fixtures import AFTER_DEADLINE, OPEN, at, attend, line
from stportal.certificates import services as certificate_services
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses import services
from stportal.courses.models import CourseDay
from stportal.curricula.models import CurriculumVersion
from stportal.notifications.models import OutboxMessage
from stportal.registrations import services as registration_services
from stportal.registrations.models import LineStatus
from stportal.registrations.staff_selectors import lodging_for_week
from stportal.testing import factories

MOVED_START, MOVED_END = dt.date(2027, 3, 29), dt.date(2027, 4, 2)
# The day before the old start: an offer made now lapsed at the old course start.
EVE = at(2027, 3, 21, 10)
MOVING = at(2027, 3, 21, 11)
AFTER_MOVED_COURSE = at(2027, 4, 5, 9)


def days_of(course):
    return list(CourseDay.objects.filter(course=course).values_list("date", flat=True))


@pytest.fixture
def registered(leka, etik, course_admin, make_participant, region):
    """Three on time for the whole week, Etik with two seats: the third waits. The first
    comes from a unit away from the host site and needs lodging."""
    away = factories.HomeUnitFactory(region=region, away_from_host_site=True)
    registration_services.change_course_capacity(
        actor=course_admin, course=etik, capacity=2, now=OPEN
    )
    asa = factories.TraineeFactory(
        home_unit=away,
        curriculum_version=CurriculumVersion.objects.get(code="2015"),
        planned_completion=dt.date(2027, 6, 1),
        user__username="asa-bortifran",
    )
    bo = make_participant(planned_completion=dt.date(2027, 9, 1))
    cilla = make_participant(planned_completion=dt.date(2028, 9, 1))
    registrations = [
        registration_services.register_for_course_week(
            actor=trainee.user, week=leka, trainee=trainee, needs_lodging=lodging, now=OPEN
        )
        for trainee, lodging in ((asa, True), (bo, False), (cilla, False))
    ]
    registration_services.run_allocation(
        actor=course_admin, week=leka, dry_run=False, now=AFTER_DEADLINE
    )
    return registrations


def test_moving_a_published_week_with_registrations_by_one_week_moves_everything_issue_9(
    leka, etik, ledarskap, registered, course_admin, regional_study_director, course_leader
):
    """Issue 9 must-show 1 (C4, C11, C20, C18, C22): LEKA A moves one week later. Its course
    days, the lodging nights, the lapse of an open offer and the certificate period follow,
    and everyone registered is told."""
    asa, bo, cilla = registered
    assert line(cilla, etik).status == LineStatus.WAITLISTED
    # The evening before the week, Bo gives up his seat: Cilla is offered it, and the offer
    # lapses when the course starts, the next morning.
    registration_services.cancel_registration_lines(
        actor=bo.trainee.user, registration=bo, course_ids=[etik.pk], now=EVE
    )
    offer = line(cilla, etik)
    assert offer.status == LineStatus.OFFERED
    assert offer.offer_expires_at == at(2027, 3, 22, 0)
    OutboxMessage.objects.all().delete()

    services.update_course_week(
        actor=course_admin,
        week=leka,
        changes={"start_date": MOVED_START, "end_date": MOVED_END},
        now=MOVING,
    )

    # The course days moved by seven days.
    assert days_of(etik) == [dt.date(2027, 3, 29), dt.date(2027, 3, 30), dt.date(2027, 3, 31)]
    assert days_of(ledarskap) == [dt.date(2027, 4, 1)]
    # The offer now lapses 48 hours after it was made, before the new start.
    offer.refresh_from_db()
    assert offer.status == LineStatus.OFFERED
    assert offer.offer_expires_at == EVE + dt.timedelta(hours=48)
    # Lodging: the nights before Åsa's new course days.
    lodging = lodging_for_week(leka)
    (guest,) = lodging.summary.guests
    assert guest.nights == (
        dt.date(2027, 3, 28),
        dt.date(2027, 3, 29),
        dt.date(2027, 3, 30),
        dt.date(2027, 3, 31),
    )
    # Everyone registered is told, once each.
    told = OutboxMessage.objects.filter(kind="week_changed")
    assert sorted(told.values_list("to_email", flat=True)) == sorted(
        r.trainee.user.email for r in registered
    )
    assert all("29" in message.body for message in told)
    event = AuditEvent.objects.filter(action="course_week.changed").latest("pk")
    assert event.after["course_days"][str(etik.pk)] == ["2027-03-29", "2027-03-30", "2027-03-31"]
    assert event.before["course_days"][str(etik.pk)] == ["2027-03-22", "2027-03-23", "2027-03-24"]

    # The week runs on its new days; the certificate gives the new period.
    registration_services.accept_offer(
        actor=cilla.trainee.user, registration=cilla, course_id=etik.pk, now=at(2027, 3, 22, 8)
    )
    with time_machine.travel(AFTER_MOVED_COURSE, tick=False):
        for registration in (asa, cilla):
            attend(course_leader, etik, registration, "PPP", now=AFTER_MOVED_COURSE)
        attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_MOVED_COURSE)
        certificates = certificate_services.issue_certificates(
            actor=regional_study_director, course=etik, now=AFTER_MOVED_COURSE
        )
    assert {(c.content["period_start"], c.content["period_end"]) for c in certificates} == {
        ("2027-03-29", "2027-03-31")
    }


def test_a_move_that_would_leave_course_days_outside_the_week_is_refused_naming_them_c4(
    leka, etik, ledarskap, course_admin
):
    """Appendix A: shortening the week keeps the days; a day it leaves outside answers 422
    naming the day, and nothing changes."""
    with pytest.raises(ValidationFailed) as caught:
        services.update_course_week(
            actor=course_admin,
            week=leka,
            changes={"start_date": dt.date(2027, 3, 23)},
            now=OPEN,
        )
    (problem,) = caught.value.fields["days"]
    assert "2027-03-22" in problem and etik.title in problem
    leka.refresh_from_db()
    assert leka.start_date == dt.date(2027, 3, 22)
    assert days_of(etik)[0] == dt.date(2027, 3, 22)


def test_lengthening_a_week_keeps_its_course_days_c4(leka, etik, course_admin):
    """Only a move of both ends by the same number of days moves the days."""
    services.update_course_week(
        actor=course_admin, week=leka, changes={"start_date": dt.date(2027, 3, 21)}, now=OPEN
    )
    assert days_of(etik) == [dt.date(2027, 3, 22), dt.date(2027, 3, 23), dt.date(2027, 3, 24)]


def test_a_week_that_has_started_keeps_its_dates_c4(leka, course_admin):
    with pytest.raises(ServiceError) as caught:
        services.update_course_week(
            actor=course_admin,
            week=leka,
            changes={"start_date": MOVED_START, "end_date": MOVED_END},
            now=at(2027, 3, 23, 9),
        )
    assert caught.value.code == "locked"


def test_moving_a_draft_week_tells_nobody_and_moves_its_days(series, course_admin):
    """C4: a draft is visible to staff only; its courses still follow it."""
    week = services.create_course_week(
        actor=course_admin,
        series=series,
        title="LEKA B 2027",
        start_date=dt.date(2027, 11, 22),
        end_date=dt.date(2027, 11, 26),
        place="Umeå",
        capacity=60,
        invitation_date=dt.date(2027, 4, 1),
        registration_deadline=dt.date(2027, 5, 15),
        late_cancellation_fee=3000,
    )
    course = services.add_course(
        actor=course_admin, week=week, title="Palliativ vård", days=[dt.date(2027, 11, 26)]
    )
    services.update_course_week(
        actor=course_admin,
        week=week,
        changes={"start_date": dt.date(2027, 11, 15), "end_date": dt.date(2027, 11, 19)},
        now=OPEN,
    )
    assert days_of(course) == [dt.date(2027, 11, 19)]
    assert not OutboxMessage.objects.filter(kind="week_changed").exists()
