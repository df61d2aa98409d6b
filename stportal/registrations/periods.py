"""The course weeks of a trainee's ST as periods (`stportal.core.periods`, SPEC 5 P6 and
Appendix A: "a course week counts for a trainee holding a confirmed or passed seat in it").

A trainee holds a seat when a line of their registration for the week is confirmed, or has
passed (the line's own status is the result the rest of the product reads). Lines still
pending, offered, waitlisted, cancelled, not seated or without a pass do not count."""

from __future__ import annotations

from django.utils import timezone

from stportal.core.dates import local_date
from stportal.core.periods import COURSE_WEEK, Period
from stportal.registrations.models import LineStatus, Registration

SEATED = (LineStatus.CONFIRMED, LineStatus.PASSED)


def course_week_periods(trainee_id: int) -> list[Period]:
    """One period per course week in which the trainee holds a confirmed or passed seat.
    One query whatever the number of weeks."""
    today = local_date(timezone.now())
    rows = (
        Registration.objects.filter(trainee_id=trainee_id, lines__status__in=SEATED)
        .values_list(
            "course_week_id",
            "course_week__title",
            "course_week__start_date",
            "course_week__end_date",
        )
        .distinct()
        .order_by("course_week__start_date", "course_week_id")
    )
    return [
        Period(
            kind=COURSE_WEEK,
            start=start,
            end=end,
            title=title,
            source="registrations",
            source_id=week_id,
            planned=start > today,
        )
        for week_id, title, start, end in rows
    ]
