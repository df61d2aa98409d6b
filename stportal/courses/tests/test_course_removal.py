"""Removing a course from its week (issue 9, rule fix 2; C4, C11, C14, C22)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.attendance.tests.fixtures import AFTER_DEADLINE, OPEN, at, line
from stportal.core.errors import NotFound, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses import services
from stportal.notifications.models import OutboxMessage
from stportal.registrations import services as registration_services
from stportal.registrations.models import Fee, LineStatus

INSIDE_CANCEL_PERIOD = at(2027, 3, 10)


@pytest.fixture
def three(leka, etik, course_admin, make_participant):
    """Three on time for the whole week; Etik has two seats, so the third waits for it."""
    registration_services.change_course_capacity(
        actor=course_admin, course=etik, capacity=2, now=OPEN
    )
    registrations = [
        registration_services.register_for_course_week(
            actor=trainee.user, week=leka, trainee=trainee, now=OPEN
        )
        for trainee in (make_participant(), make_participant(), make_participant())
    ]
    registration_services.run_allocation(
        actor=course_admin, week=leka, dry_run=False, now=AFTER_DEADLINE
    )
    OutboxMessage.objects.all().delete()
    return registrations


def test_removing_a_course_cancels_its_lines_free_and_tells_the_participants_c4(
    etik, ledarskap, three, course_admin
):
    """C4, C14: inside the cancellation period, the organiser removes Etik: every line on it
    is cancelled by the organiser with no fee, nobody waiting is offered a seat that no longer
    exists, the other course is untouched, and each participant is told by e-mail."""
    services.remove_course(
        actor=course_admin, course=etik, reason="Kursledaren är sjuk", now=INSIDE_CANCEL_PERIOD
    )
    etik.refresh_from_db()
    assert etik.removed_at == INSIDE_CANCEL_PERIOD
    assert {line(r, etik).status for r in three} == {LineStatus.CANCELLED}
    assert all("Kursledaren är sjuk" in line(r, etik).cancel_reason for r in three)
    assert {line(r, ledarskap).status for r in three} == {LineStatus.CONFIRMED}
    assert not Fee.objects.exists()
    assert not OutboxMessage.objects.filter(kind__in=["offer_made", "seat_confirmed"]).exists()
    told = OutboxMessage.objects.filter(kind="course_removed")
    assert sorted(told.values_list("to_email", flat=True)) == sorted(
        r.trainee.user.email for r in three
    )
    assert all("Kursledaren är sjuk" in m.body and "Ledarskap" in m.body for m in told)
    assert all(m.subject.startswith("Delkurs borttagen: Etik") for m in told)
    assert all("debiteras ingen utbildningskostnad" in m.body for m in told)
    event = AuditEvent.objects.get(action="course.removed", object_id=str(etik.pk))
    assert event.actor == course_admin and event.reason == "Kursledaren är sjuk"


def test_a_removed_course_takes_no_registrations_c4(
    leka, etik, ledarskap, course_admin, make_participant
):
    """C4: `_choose_courses` offers only courses still in the week."""
    services.remove_course(actor=course_admin, course=etik, reason="Inställd", now=OPEN)
    trainee = make_participant()
    with pytest.raises(ValidationFailed) as caught:
        registration_services.register_for_course_week(
            actor=trainee.user, week=leka, trainee=trainee, course_ids=[etik.pk], now=OPEN
        )
    assert "course_ids" in caught.value.fields
    whole_week = registration_services.register_for_course_week(
        actor=trainee.user, week=leka, trainee=trainee, now=OPEN
    )
    assert [ln.course_id for ln in whole_week.lines.all()] == [ledarskap.pk]


def test_the_last_course_of_a_published_week_is_not_removed_but_the_week_cancelled(
    leka, etik, ledarskap, course_admin
):
    services.remove_course(actor=course_admin, course=ledarskap, reason="Inställd", now=OPEN)
    with pytest.raises(ServiceError) as caught:
        services.remove_course(actor=course_admin, course=etik, reason="Inställd", now=OPEN)
    assert caught.value.code == "last_course"


def test_removing_needs_a_reason_and_staff_of_the_region(
    etik, course_admin, course_leader, outsider_admin
):
    with pytest.raises(ValidationFailed):
        services.remove_course(actor=course_admin, course=etik, reason="  ", now=OPEN)
    with pytest.raises(ServiceError) as caught:
        services.remove_course(actor=course_leader, course=etik, reason="Nej", now=OPEN)
    assert caught.value.status == 403
    with pytest.raises(NotFound):
        services.remove_course(actor=outsider_admin, course=etik, reason="Nej", now=OPEN)
    etik.refresh_from_db()
    assert etik.removed_at is None


def test_a_course_of_a_week_that_has_started_is_not_removed(etik, course_admin):
    with pytest.raises(ServiceError) as caught:
        services.remove_course(
            actor=course_admin, course=etik, reason="För sent", now=at(2027, 3, 22, 9)
        )
    assert caught.value.code == "locked"


# --- the staff page -----------------------------------------------------------------------


def test_staff_remove_a_course_on_the_web_with_a_reason_and_nobody_pays_c4(
    client, etik, three, course_admin
):
    """C4 on the staff pages: a confirmation page naming how many are affected, a reason
    required, then the removal; every line on the course is cancelled, with no fee."""
    url = reverse("course_staff:remove", args=[etik.pk])
    with time_machine.travel(INSIDE_CANCEL_PERIOD, tick=False):
        client.force_login(course_admin)
        page = client.get(url)
        assert page.status_code == 200
        assert "3" in page.content.decode()
        refused = client.post(url, {"reason": ""})
        assert refused.status_code == 200 and refused.context["form"].errors
        done = client.post(url, {"reason": "Kursledaren är sjuk"})
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("staff:week", args=[etik.week_id]))
    etik.refresh_from_db()
    assert etik.removed_at is not None
    assert not Fee.objects.exists()
    assert {line(r, etik).status for r in three} == {LineStatus.CANCELLED}
