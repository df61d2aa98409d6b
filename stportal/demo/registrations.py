"""Demo states of the registration engine, made through its services (relative to today).

- The allocated week: every course full, waiting lists, a fee charged, and an offer of a seat
  waiting for `stlakare`, who also holds confirmed seats that would cost a fee to cancel.
- The open week: about forty registrations, some for chosen courses only (C5).
- The closed week: registration has closed and allocation has not run; `stlakare` and twenty
  others registered on time, so the allocation preview places them (C8, C5a).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils import timezone

from stportal.accounts.models import TraineeProfile, User
from stportal.core.dates import end_of_day, start_of_day
from stportal.courses.models import CourseWeek
from stportal.courses.services import update_course_week
from stportal.registrations import services

if TYPE_CHECKING:
    from stportal.demo.programme import WeekPlan

ON_TIME_IN_ALLOCATED = 60
LATE_IN_ALLOCATED = 5
IN_OPEN_WEEK = 40
IN_CLOSED_WEEK = 20


def _trainees(exclude: str) -> list[TraineeProfile]:
    return list(
        TraineeProfile.objects.select_related("user", "home_unit", "curriculum_version")
        .exclude(user__username=exclude)
        .order_by("personal_id")
    )


def _staff() -> User:
    return User.objects.get(username="kursadmin")


def fill_week(
    *, plan: WeekPlan, week: CourseWeek, today: dt.date, counter: Callable[[str], None]
) -> None:
    if plan.key == "allocated":
        _fill_allocated(week, counter)
    elif plan.key == "open":
        _fill_open(week, today, counter)
    elif plan.key == "closed":
        _fill_closed(week, counter)
    elif plan.key == "finished":
        from stportal.demo.certificates import fill_finished_week

        fill_finished_week(week=week, today=today, counter=counter)


def _fill_allocated(week: CourseWeek, counter: Callable[[str], None]) -> None:
    """60 others register on time for the whole week; `stlakare` on time for every course but
    the first two, which are full. After the deadline `stlakare` adds those two by e-mail (late
    lines, first on their waiting lists) and five others register late. Allocation seats the
    on-time lines; a seated trainee then cancels the first course inside the cancellation
    period: a fee for their unit, and an offer of the seat to `stlakare`, who still waits
    first in line for the second (C10, C11, C14)."""
    staff = _staff()
    courses = list(week.courses.order_by("position"))
    first = courses[0]
    # The first two courses keep 60 seats; the others get one more, so that every on-time
    # request fits (C9, first sentence) and `stlakare` holds seats there to cancel later.
    week = update_course_week(
        actor=staff, week=week, changes={"capacity": ON_TIME_IN_ALLOCATED + 1}
    )
    for full in courses[:2]:
        services.change_course_capacity(actor=staff, course=full, capacity=ON_TIME_IN_ALLOCATED)
    trainees = _trainees("stlakare")
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    opened = start_of_day(week.invitation_date) + dt.timedelta(hours=9)
    for index, trainee in enumerate(trainees[:ON_TIME_IN_ALLOCATED]):
        services.register_for_course_week(
            actor=trainee.user,
            week=week,
            trainee=trainee,
            needs_lodging=trainee.home_unit.away_from_host_site,
            now=opened + dt.timedelta(hours=5 * index),
        )
        counter("registrations")
    own = services.register_for_course_week(
        actor=stlakare.user,
        week=week,
        trainee=stlakare,
        course_ids=[c.pk for c in courses[2:]],
        earlier_courses_note="De två första delkurserna hoppas jag få gå i år ändå.",
        now=opened + dt.timedelta(days=20),
    )
    counter("registrations")
    late_at = end_of_day(week.registration_deadline) + dt.timedelta(hours=10)
    services.change_registration(
        actor=staff,  # the seed's late requests come by e-mail to the course admin
        registration=own,
        course_ids=[c.pk for c in courses],
        note="Lade till de två första delkurserna via e-post efter sista anmälningsdag.",
        now=late_at,
    )
    late = trainees[ON_TIME_IN_ALLOCATED : ON_TIME_IN_ALLOCATED + LATE_IN_ALLOCATED]
    for index, trainee in enumerate(late, start=1):
        services.register_for_course_week(
            actor=staff,
            week=week,
            trainee=trainee,
            note="Sen anmälan via e-post.",
            now=late_at + dt.timedelta(hours=index),
        )
        counter("registrations")
    services.run_allocation(
        actor=staff, week=week, dry_run=False, now=late_at + dt.timedelta(days=2)
    )
    seated = (
        services.Registration.objects.filter(
            course_week=week, lines__course=first, lines__status="confirmed"
        )
        .select_related("trainee__user")
        .order_by("id")
        .first()
    )
    services.cancel_registration_lines(
        actor=seated.trainee.user,
        registration=seated,
        course_ids=[first.pk],
        reason="Jourschemat ändrades.",
        now=timezone.now(),
    )


def _fill_open(week: CourseWeek, today: dt.date, counter: Callable[[str], None]) -> None:
    trainees = _trainees("stlakare")[-IN_OPEN_WEEK:]
    courses = list(week.courses.order_by("position").values_list("pk", flat=True))
    opened = start_of_day(week.invitation_date) + dt.timedelta(hours=8)
    now = timezone.now()
    span = max((now - opened).total_seconds(), 3600)
    for index, trainee in enumerate(trainees):
        partial = index % 5 == 4
        services.register_for_course_week(
            actor=trainee.user,
            week=week,
            trainee=trainee,
            course_ids=courses[:3] if partial else None,
            earlier_courses_note=(
                "De övriga delkurserna gick jag på förra årets kursvecka." if partial else ""
            ),
            needs_lodging=trainee.home_unit.away_from_host_site,
            dietary_needs="Vegetarisk" if index % 7 == 3 else "",
            now=opened + dt.timedelta(seconds=span * index / (IN_OPEN_WEEK + 1)),
        )
        counter("registrations")


def _fill_closed(week: CourseWeek, counter: Callable[[str], None]) -> None:
    """On-time registrations, one a day from the invitation, `stlakare` among them."""
    others = _trainees("stlakare")
    middle = len(others) // 2
    trainees = [
        *others[middle : middle + IN_CLOSED_WEEK],
        TraineeProfile.objects.select_related("home_unit").get(user__username="stlakare"),
    ]
    opened = start_of_day(week.invitation_date) + dt.timedelta(hours=10)
    for index, trainee in enumerate(trainees):
        services.register_for_course_week(
            actor=trainee.user,
            week=week,
            trainee=trainee,
            needs_lodging=trainee.home_unit.away_from_host_site,
            now=opened + dt.timedelta(days=index % 60, hours=index),
        )
        counter("registrations")
