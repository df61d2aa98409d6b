"""The reminders of C22, queued by the `send-reminders` command (cron or a systemd timer).

Idempotent: each reminder carries a dedupe key (registration and the date it reminds of), so
running the command twice, or every ten minutes, queues each reminder once. A moved deadline
or start date is a new date and gets its own reminder. The queries do not depend on the number
of registrations (no N+1): one for the weeks, one for the confirmed lines with their trainees
and courses, one for the course days, one for the keys already queued.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from stportal.core.dates import local_date
from stportal.courses.models import CourseWeek
from stportal.courses.states import StoredState
from stportal.notifications import services
from stportal.notifications.models import OutboxMessage
from stportal.registrations.models import LineStatus, Registration, RegistrationLine

CANCELLATION_REMINDER_DAYS = 3  # before the week's cancellation deadline instant
WEEK_REMINDER_DAYS = 7  # before the first day


@dataclasses.dataclass(frozen=True)
class ReminderReport:
    cancellation_deadline: int = 0
    week_before: int = 0

    @property
    def total(self) -> int:
        return self.cancellation_deadline + self.week_before


def queue_reminders(*, now: dt.datetime) -> ReminderReport:
    """Queue every reminder that is due at `now` and not queued before. They are sent by
    `services.send_due` (the command runs it next)."""
    return ReminderReport(
        cancellation_deadline=queue_cancellation_deadline_reminders(now=now),
        week_before=queue_week_before_reminders(now=now),
    )


def _weeks(**date_range: dt.date) -> list[CourseWeek]:
    return list(
        CourseWeek.objects.filter(**date_range).exclude(
            stored_state__in=[StoredState.DRAFT, StoredState.CANCELLED]
        )
    )


def queue_cancellation_deadline_reminders(*, now: dt.datetime) -> int:
    """Trainees with confirmed seats, when `now` is within 3 days before the week's
    cancellation deadline instant (the end of that day, Stockholm)."""
    window = dt.timedelta(days=CANCELLATION_REMINDER_DAYS)
    today = local_date(now)
    # The date filter is a superset; the instants decide (DST days are not 24 hours).
    weeks = [
        week
        for week in _weeks(
            cancellation_deadline__gte=today,
            cancellation_deadline__lte=today + window,
        )
        if week.windows.cancellation_closes - window <= now < week.windows.cancellation_closes
    ]

    def context(registration: Registration, lines: list[RegistrationLine]) -> dict[str, Any]:
        return {"course_titles": [line.course.title for line in lines]}

    return _queue_for_confirmed(
        weeks,
        kind="reminder_cancellation_deadline",
        key=lambda registration, week: (
            f"reminder_cancellation_deadline:{registration.pk}:"
            f"{week.cancellation_deadline.isoformat()}"
        ),
        extra_context=context,
    )


def queue_week_before_reminders(*, now: dt.datetime) -> int:
    """Trainees with confirmed seats, when the first day is within 7 days."""
    window = dt.timedelta(days=WEEK_REMINDER_DAYS)
    today = local_date(now)
    weeks = [
        week
        for week in _weeks(start_date__gt=today, start_date__lte=today + window)
        if week.windows.starts - window <= now < week.windows.starts
    ]

    def context(registration: Registration, lines: list[RegistrationLine]) -> dict[str, Any]:
        week = registration.course_week
        return {
            "courses": [
                {"title": line.course.title, "days": [day.date for day in line.course.days.all()]}
                for line in lines
            ],
            "deadline_passed": week.windows.cancellation_deadline_passed(now),
        }

    return _queue_for_confirmed(
        weeks,
        kind="reminder_week_before",
        key=lambda registration, week: (
            f"reminder_week_before:{registration.pk}:{week.start_date.isoformat()}"
        ),
        extra_context=context,
        with_days=True,
    )


def _queue_for_confirmed(
    weeks: Iterable[CourseWeek],
    *,
    kind: str,
    key: Callable[[Registration, CourseWeek], str],
    extra_context: Callable[[Registration, list[RegistrationLine]], dict[str, Any]],
    with_days: bool = False,
) -> int:
    """One reminder per registration with confirmed lines in these weeks."""
    by_id = {week.pk: week for week in weeks}
    if not by_id:
        return 0
    lines = (
        RegistrationLine.objects.filter(
            status=LineStatus.CONFIRMED,
            registration__course_week_id__in=list(by_id),
            course__removed_at__isnull=True,
        )
        .select_related("registration__trainee__user", "course")
        .order_by("registration_id", "course__position", "id")
    )
    if with_days:
        lines = lines.prefetch_related("course__days")
    grouped: dict[int, tuple[Registration, list[RegistrationLine]]] = {}
    for line in lines:
        registration = line.registration
        # The weeks are already loaded: no query per registration for its week.
        registration.course_week = by_id[registration.course_week_id]
        grouped.setdefault(registration.pk, (registration, []))[1].append(line)
    keys = {
        pk: key(registration, registration.course_week)
        for pk, (registration, _lines) in grouped.items()
    }
    queued_before = set(
        OutboxMessage.objects.filter(dedupe_key__in=list(keys.values())).values_list(
            "dedupe_key", flat=True
        )
    )
    count = 0
    for pk, (registration, registration_lines) in grouped.items():
        if keys[pk] in queued_before:
            continue
        week = registration.course_week
        message = services.enqueue_email(
            kind=kind,
            to_user=registration.trainee.user,
            context={
                **services.week_context(week),
                **extra_context(registration, registration_lines),
            },
            dedupe_key=keys[pk],
            check_existing=False,
        )
        if message is not None:
            count += 1
    return count
