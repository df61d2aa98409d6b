"""A finished course week built through the services, for the attendance and certificate
tests (C17–C19). Import the fixtures into a conftest with `from … import *`.

Timeline (Europe/Stockholm), as the registration tests: invitation 2026-09-01, registration
deadline 2026-10-15, course days 2027-03-22 – 2027-03-26. "Etik" runs Monday to Wednesday
(three days) and is led by `course_leader`; "Ledarskap" runs on the Thursday and is led by
`other_leader`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from stportal.accounts.models import Role, TraineeProfile, User
from stportal.attendance import services
from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services
from stportal.courses.models import Course, CourseWeek
from stportal.curricula.models import CurriculumVersion, Goal, GoalKind, Specialty
from stportal.registrations import services as registration_services
from stportal.registrations.models import Registration, RegistrationLine
from stportal.testing import factories


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


OPEN = at(2026, 9, 15)
AFTER_DEADLINE = at(2026, 10, 20)
DURING_COURSE = at(2027, 3, 23, 17)
AFTER_COURSE = at(2027, 3, 29, 9)
LATER = at(2027, 4, 12, 9)
ETIK_DAYS = (dt.date(2027, 3, 22), dt.date(2027, 3, 23), dt.date(2027, 3, 24))
LEDARSKAP_DAY = dt.date(2027, 3, 25)
DESCRIPTION = "Etiska principer och dilemman i vardagen, bemötande och jämlik vård."

__all__ = [
    "course_leader",
    "other_leader",
    "leka",
    "etik",
    "ledarskap",
    "seat",
    "make_participant",
]


@pytest.fixture
def course_leader(region) -> User:
    return factories.user_with_role(Role.COURSE_LEADER, region=region, username="kursledare-test")


@pytest.fixture
def other_leader(region) -> User:
    return factories.user_with_role(Role.COURSE_LEADER, region=region, username="kursledare-annan")


@pytest.fixture
def leka(series, course_admin, course_leader, other_leader) -> CourseWeek:
    """LEKA A 2027, published, with two courses (see the module docstring)."""
    week = course_services.create_course_week(
        actor=course_admin,
        series=series,
        title="LEKA A 2027",
        start_date=dt.date(2027, 3, 22),
        end_date=dt.date(2027, 3, 26),
        place="Norrlands universitetssjukhus (NUS), Umeå",
        capacity=60,
        invitation_date=dt.date(2026, 9, 1),
        registration_deadline=dt.date(2026, 10, 15),
        late_cancellation_fee=3000,
        host_site="NUS",
    )
    version_2015 = CurriculumVersion.objects.get(code="2015")
    own_goal, _ = Goal.objects.get_or_create(
        version=version_2015,
        specialty=Specialty.objects.get(code="allmanmedicin"),
        code="c7",
        defaults={"title": "Etik i allmänmedicinen", "kind": GoalKind.SPECIALTY, "position": 90},
    )
    other_goal, _ = Goal.objects.get_or_create(
        version=version_2015,
        specialty=Specialty.objects.get(code="psykiatri"),
        code="c9",
        defaults={"title": "Tvångsvård", "kind": GoalKind.SPECIALTY, "position": 91},
    )
    general = list(
        Goal.objects.filter(specialty=None, version__code="2015", code__in=["a2", "b1"])
    ) + list(Goal.objects.filter(specialty=None, version__code="2021", code__in=["STa4", "STb1"]))
    course_services.add_course(
        actor=course_admin,
        week=week,
        title="Etik, mångfald och jämlikhet",
        description=DESCRIPTION,
        days=ETIK_DAYS,
        leaders=[course_leader],
        goals=[*general, own_goal, other_goal],
        goals_2008_text="13, 14",
    )
    course_services.add_course(
        actor=course_admin,
        week=week,
        title="Ledarskap och medarbetarskap",
        days=[LEDARSKAP_DAY],
        leaders=[other_leader],
        goals=Goal.objects.filter(specialty=None, code__in=["a1", "STa5"]),
    )
    return course_services.publish_course_week(actor=course_admin, week=week, now=OPEN)


@pytest.fixture
def etik(leka) -> Course:
    return leka.courses.get(title__startswith="Etik")


@pytest.fixture
def ledarskap(leka) -> Course:
    return leka.courses.get(title__startswith="Ledarskap")


@pytest.fixture
def make_participant(home_unit) -> Callable[..., TraineeProfile]:
    counter = iter(range(1, 10_000))

    def make(version: str = "2015", **kwargs: Any) -> TraineeProfile:
        n = next(counter)
        kwargs.setdefault("user__username", f"deltagare{n}")
        return factories.TraineeFactory(
            home_unit=home_unit,
            curriculum_version=CurriculumVersion.objects.get(code=version),
            **kwargs,
        )

    return make


@pytest.fixture
def seat(leka, course_admin) -> Callable[..., list[Registration]]:
    """Register trainees on time for the whole week and allocate: every line confirmed."""

    def seat_them(*trainees: TraineeProfile) -> list[Registration]:
        registrations = [
            registration_services.register_for_course_week(
                actor=trainee.user, week=leka, trainee=trainee, now=OPEN
            )
            for trainee in trainees
        ]
        registration_services.run_allocation(
            actor=course_admin, week=leka, dry_run=False, now=AFTER_DEADLINE
        )
        return registrations

    return seat_them


def attend(
    actor: User,
    course: Course,
    registration: Registration,
    pattern: str,
    *,
    now: dt.datetime = AFTER_COURSE,
    days: tuple[dt.date, ...] | None = None,
) -> None:
    """Record one participant's attendance from a pattern: "PPA" = present, present, absent."""
    days = days or tuple(sorted(course.days.values_list("date", flat=True)))
    services.record_attendance(
        actor=actor,
        course=course,
        records=[
            (registration.pk, day, mark == "P", "")
            for day, mark in zip(days, pattern, strict=False)
        ],
        now=now,
    )


def line(registration: Registration, course: Course) -> RegistrationLine:
    return RegistrationLine.objects.get(registration=registration, course=course)
