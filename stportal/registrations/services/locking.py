"""Locks and the row helpers every registration write shares (C13): `lock_week` takes the
week's and its courses' locks in one order; the helpers read seats and waiting lists under
the lock and build the lines' audit events."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone, translation

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.dates import start_of_day
from stportal.core.errors import NotFound, ServiceError
from stportal.courses.models import Course, CourseWeek
from stportal.registrations.lines import SEAT_TAKING
from stportal.registrations.models import LineStatus, Registration, RegistrationLine
from stportal.registrations.rules import CoreError


def _stored_reason(code: str) -> str:
    """The Swedish text kept on the line for the audit trail; people read `reasons.describe`."""
    from stportal.registrations.reasons import fixed_text

    with translation.override("sv"):
        return fixed_text(code)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _core_error(exc: CoreError) -> ServiceError:
    return ServiceError(exc.code, exc.message)


def lock_week(week_id: int) -> tuple[CourseWeek, dict[int, Course]]:
    """C13: lock the week, then its courses in id order. Callers must be inside atomic().

    The one week lock of every path that changes seats, results or certificates of a week
    (registrations, attendance, certificates), so all take the same locks in the same order.
    """
    try:
        # of=("self",): lock the week only, not its series row, so weeks of one series do
        # not wait on each other.
        week = (
            CourseWeek.objects.select_for_update(of=("self",))
            .select_related("series")
            .get(pk=week_id)
        )
    except CourseWeek.DoesNotExist as exc:
        raise NotFound() from exc
    courses = {
        c.pk: c for c in Course.objects.select_for_update().filter(week_id=week_id).order_by("id")
    }
    for course in courses.values():
        course.week = week  # capacity follows the locked week row
    return week, courses


def _seats_taken(course_id: int) -> int:
    return RegistrationLine.objects.filter(course_id=course_id, status__in=SEAT_TAKING).count()


def _waitlist(course_id: int) -> list[RegistrationLine]:
    return list(
        RegistrationLine.objects.filter(course_id=course_id, status=LineStatus.WAITLISTED)
        .select_related("registration__trainee__user", "course__week")
        .order_by("queue_order", "id")
    )


def _next_queue_order(course_id: int) -> int:
    current = RegistrationLine.objects.filter(course_id=course_id).aggregate(m=Max("queue_order"))
    return (current["m"] or 0) + 1


def _course_start(course: Course) -> dt.datetime:
    """When a course starts: its first day (or the week's first day when it has none)."""
    days = sorted(d.date for d in course.days.all())
    return start_of_day(days[0] if days else course.week.start_date)


def _line_audit(
    actor: User | None, line: RegistrationLine, before: str, action: str, reason: str = ""
) -> audit.AuditEvent:
    return audit.event(
        actor=actor,
        action=action,
        object_type="registrations.registrationline",
        object_id=line.pk,
        object_repr=f"{line.registration_id}/{line.course_id}",
        before={"status": before},
        after={
            "status": line.status,
            "reason_code": line.reason_code,
            "offer_expires_at": line.offer_expires_at.isoformat()
            if line.offer_expires_at
            else None,
        },
        reason=reason,
    )


def _locked_registration(registration: Registration, week: CourseWeek) -> Registration:
    """The registration read again under the week's lock, with the locked week attached."""
    registration = Registration.objects.select_related("trainee__home_unit").get(pk=registration.pk)
    registration.course_week = week
    return registration
