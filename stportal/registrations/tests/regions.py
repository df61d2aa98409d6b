"""Two regions on one installation, for the region isolation tests (security review findings 1
and 9): region A's week with a fee charged and a seat offered, and region B's own open week,
home unit and trainee, run by B's course admin (the `outsider_admin` persona).

Timeline (Europe/Stockholm): invitation 2026-09-01, registration deadline 2026-10-15,
cancellation deadline 2027-03-08, course days 2027-03-22 – 2027-03-26.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stportal.accounts.models import TraineeProfile, User
from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services
from stportal.courses.models import Course, CourseWeek
from stportal.registrations import services
from stportal.registrations.models import Fee, LineStatus, Registration
from stportal.testing import factories


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=STOCKHOLM)


OPEN = at(2026, 9, 15)
AFTER_DEADLINE = at(2026, 10, 20)
INSIDE_CANCEL_PERIOD = at(2027, 3, 10)
OFFER_OPEN = at(2027, 3, 10, 14)


@dataclass
class TwoRegions:
    week: CourseWeek  # region A's, one course with one seat, allocated
    course: Course
    trainee: TraineeProfile  # region A's trainee, not registered
    cancelled: Registration  # region A: cancelled late, a fee charged to A's home unit
    offered: Registration  # region A: the seat offered after the cancellation
    other_week: CourseWeek  # region B's, open for registration
    other_trainee: TraineeProfile  # region B's trainee


def _week(actor: User, series, title: str, capacity: int) -> CourseWeek:
    week = course_services.create_course_week(
        actor=actor,
        series=series,
        title=title,
        start_date=dt.date(2027, 3, 22),
        end_date=dt.date(2027, 3, 26),
        place="Umeå",
        capacity=capacity,
        invitation_date=dt.date(2026, 9, 1),
        registration_deadline=dt.date(2026, 10, 15),
        late_cancellation_fee=3000,
    )
    course_services.add_course(actor=actor, week=week, title="Etik", days=[week.start_date])
    return course_services.publish_course_week(actor=actor, week=week, now=OPEN)


def build(
    *, series, home_unit, course_admin: User, other_region, outsider_admin: User
) -> TwoRegions:
    week = _week(course_admin, series, "LEKA A 2027", capacity=1)
    course = week.courses.get()
    first, second = (
        factories.TraineeFactory(home_unit=home_unit, user__username=f"region-a-{n}")
        for n in (1, 2)
    )
    registrations = [
        services.register_for_course_week(actor=t.user, week=week, trainee=t, now=OPEN)
        for t in (first, second)
    ]
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    holder = next(r for r in registrations if r.lines.get().status == LineStatus.CONFIRMED)
    waiting = next(r for r in registrations if r.pk != holder.pk)
    services.cancel_registration_lines(
        actor=holder.trainee.user, registration=holder, reason="Sjuk", now=INSIDE_CANCEL_PERIOD
    )
    assert waiting.lines.get().status == LineStatus.OFFERED
    other_series = factories.CourseSeriesFactory(region=other_region, name="LEKA B")
    other_unit = factories.HomeUnitFactory(region=other_region)
    return TwoRegions(
        week=week,
        course=course,
        trainee=factories.TraineeFactory(
            home_unit=home_unit,
            user__username="region-a-3",
            user__first_name="Astrid",
            user__last_name="Regionsdotter",
        ),
        cancelled=holder,
        offered=waiting,
        other_week=_week(outsider_admin, other_series, "LEKA B 2027", capacity=30),
        other_trainee=factories.TraineeFactory(home_unit=other_unit, user__username="region-b"),
    )


def snapshot(regions: TwoRegions) -> dict:
    """Everything an outsider's attempt could have changed in region A."""
    return {
        "registrations": sorted(
            Registration.objects.values_list(
                "pk", "trainee_id", "course_week_id", "dietary_needs", "needs_lodging"
            )
        ),
        "lines": sorted(
            (line.pk, line.status, line.fee_id) for line in regions.week.courses.get().lines.all()
        ),
        "fees": sorted(
            (fee.registration_id, fee.home_unit_id, fee.status, fee.amount)
            for fee in Fee.objects.all()
        ),
        "capacity": Course.objects.get(pk=regions.course.pk).own_capacity,
        "week_state": CourseWeek.objects.get(pk=regions.week.pk).stored_state,
    }
