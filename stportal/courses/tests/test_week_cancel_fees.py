"""A week the organiser cancels charges nobody (issue 9, rule fix 5; C4, C14, C16)."""

from __future__ import annotations

from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.attendance.tests.fixtures import at
from stportal.core.models import AuditEvent
from stportal.courses import services
from stportal.registrations import services as registration_services
from stportal.registrations.models import Fee, FeeStatus

INSIDE_CANCEL_PERIOD = at(2027, 3, 10)


def test_cancelling_a_week_waives_late_cancellation_fees_already_charged_c4_c14(
    leka, seat, make_participant, course_admin
):
    """C14: Bo cancelled late and his unit was charged; then the organiser cancels the week.
    The fee stays on the report as waived, with the reason, so nobody pays for a week that
    never ran."""
    bo, asa = seat(make_participant(), make_participant())
    registration_services.cancel_registration_lines(
        actor=bo.trainee.user, registration=bo, reason="Jour", now=INSIDE_CANCEL_PERIOD
    )
    fee = Fee.objects.get(registration=bo)
    assert fee.status == FeeStatus.CHARGED

    services.cancel_course_week(
        actor=course_admin, week=leka, reason="För få lärare", now=at(2027, 3, 12)
    )

    fee.refresh_from_db()
    assert fee.status == FeeStatus.WAIVED
    assert fee.reason == "Kursveckan ställdes in av arrangören."
    assert fee.decided_by == course_admin
    assert not Fee.objects.filter(registration=asa).exists()
    event = AuditEvent.objects.get(action="fee.waived", object_id=str(fee.pk))
    assert event.actor == course_admin
