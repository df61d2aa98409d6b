"""Locks and the row helpers every registration write shares (C13): `lock_week` takes the
week's and its courses' locks in one order; the helpers read seats and waiting lists under
the lock and build the lines' audit events."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Max
from django.utils import timezone, translation

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.dates import start_of_day
from stportal.core.errors import NotFound, ServiceError
from stportal.core.locks import bounded_wait
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
    """C13: lock the week, then its courses in id order, for a write that places seats.

    The one exclusive week lock of every path that changes seats, results or certificates of
    a week (allocation, late registration, cancellation that promotes, offers, capacity,
    attendance, certificates), so all take the same locks in the same order. Refuses to run
    outside a transaction; a wait longer than the lock timeout raises `Busy`.
    """
    with bounded_wait():
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
            c.pk: c
            for c in Course.objects.select_for_update().filter(week_id=week_id).order_by("id")
        }
    for course in courses.values():
        course.week = week  # capacity follows the locked week row
    return week, courses


_SHARE_WEEK_SQL = 'SELECT * FROM "courses_courseweek" WHERE id = %s FOR SHARE'


def share_week(week: CourseWeek) -> tuple[CourseWeek, dict[int, Course]]:
    """The week read again under a shared lock, with its courses: for a write that places no
    seat (a registration before allocation, whose lines wait for the run).

    Any number of such writes hold the shared lock side by side; a write that places seats
    (`lock_week`, the allocation run above all) waits for them and they for it, so a
    registration never sees the week before an allocation that has committed. The caller
    checks the state it reads: once the week is allocated, seats are at stake and it must
    take `lock_week` instead. On SQLite, where write transactions run one at a time, a plain
    read. Refuses to run outside a transaction; a wait longer than the lock timeout raises
    `Busy`.
    """
    with bounded_wait():
        if connection.vendor == "postgresql":
            found = list(CourseWeek.objects.raw(_SHARE_WEEK_SQL, [week.pk]))
        else:
            found = list(CourseWeek.objects.filter(pk=week.pk))
        if not found:
            raise NotFound()
        courses = {c.pk: c for c in Course.objects.filter(week_id=week.pk).order_by("id")}
    locked = found[0]
    if CourseWeek.series.is_cached(week):
        locked.series = week.series  # reference data, read with the week by the caller
    for course in courses.values():
        course.week = locked
    return locked, courses


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
    registration = Registration.objects.select_related("trainee__home_unit", "trainee__user").get(
        pk=registration.pk
    )
    registration.course_week = week
    return registration
