"""Course week and course services (C3, C4): validation, state changes, audit."""

import datetime as dt

import pytest

from stportal.core.dates import STOCKHOLM
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses import services
from stportal.courses.states import WeekState
from stportal.curricula.models import Goal

NOW = dt.datetime(2026, 8, 1, 10, 0, tzinfo=STOCKHOLM)


def make_week(series, actor, **overrides):
    values = {
        "title": "LEKA A 2027",
        "start_date": dt.date(2027, 3, 22),
        "end_date": dt.date(2027, 3, 26),
        "place": "Umeå",
        "capacity": 60,
        "invitation_date": dt.date(2026, 9, 1),
        "registration_deadline": dt.date(2026, 10, 15),
        "late_cancellation_fee": 3000,
    }
    values.update(overrides)
    return services.create_course_week(actor=actor, series=series, **values)


def test_new_week_is_a_draft_with_cancellation_deadline_14_days_before(series, course_admin):
    """C3: the cancellation deadline defaults to 14 days before the first day; C4: draft."""
    week = make_week(series, course_admin)
    assert week.state_at(NOW) == WeekState.DRAFT
    assert week.cancellation_deadline == dt.date(2027, 3, 8)
    assert week.capacity == 60
    event = AuditEvent.objects.get(action="course_week.created")
    assert event.actor == course_admin
    assert event.after["title"] == "LEKA A 2027"


def test_week_ending_before_it_starts_is_refused_naming_the_field(series, course_admin):
    with pytest.raises(ValidationFailed) as caught:
        make_week(series, course_admin, end_date=dt.date(2027, 3, 20))
    assert "end_date" in caught.value.fields


def test_deadline_after_the_first_day_is_refused(series, course_admin):
    with pytest.raises(ValidationFailed) as caught:
        make_week(series, course_admin, registration_deadline=dt.date(2027, 3, 23))
    assert "registration_deadline" in caught.value.fields


def test_publishing_needs_a_course_and_then_moves_draft_to_published(series, course_admin):
    """C4: staff publish; a week without courses has nothing to register for."""
    week = make_week(series, course_admin)
    with pytest.raises(ServiceError) as caught:
        services.publish_course_week(actor=course_admin, week=week, now=NOW)
    assert caught.value.code == "no_courses"
    services.add_course(actor=course_admin, week=week, title="Etik", days=[dt.date(2027, 3, 22)])
    week = services.publish_course_week(actor=course_admin, week=week, now=NOW)
    assert week.state_at(NOW) == WeekState.PUBLISHED
    with pytest.raises(ServiceError):
        services.publish_course_week(actor=course_admin, week=week, now=NOW)
    assert AuditEvent.objects.filter(action="course_week.published").count() == 1


def test_cancelling_a_week_keeps_the_reason_and_is_final(series, course_admin):
    """C4: the organiser cancels; a cancelled week cannot be cancelled again."""
    week = make_week(series, course_admin)
    week = services.cancel_course_week(
        actor=course_admin, week=week, reason="För få anmälda", now=NOW
    )
    assert week.state_at(NOW) == WeekState.CANCELLED
    assert week.cancel_reason == "För få anmälda"
    with pytest.raises(ServiceError):
        services.cancel_course_week(actor=course_admin, week=week, now=NOW)


def test_course_follows_the_week_capacity_live_unless_set(series, course_admin):
    """C3: a course without its own capacity follows the week's, live."""
    week = make_week(series, course_admin)
    follows = services.add_course(actor=course_admin, week=week, title="Ledarskap")
    own = services.add_course(actor=course_admin, week=week, title="Etik", capacity=25)
    services.update_course_week(actor=course_admin, week=week, changes={"capacity": 80}, now=NOW)
    follows.refresh_from_db()
    own.refresh_from_db()
    assert follows.capacity == 80
    assert own.capacity == 25


def test_course_days_outside_the_week_are_refused(series, course_admin):
    week = make_week(series, course_admin)
    with pytest.raises(ValidationFailed) as caught:
        services.add_course(
            actor=course_admin, week=week, title="Etik", days=[dt.date(2027, 3, 29)]
        )
    assert "days" in caught.value.fields


def test_course_goals_per_curriculum_version(series, course_admin):
    """C3: a course covers goals per curriculum version (2015 and 2021; 2008 as text)."""
    week = make_week(series, course_admin)
    goals = Goal.objects.filter(code__in=["a2", "STa4"])
    course = services.add_course(
        actor=course_admin, week=week, title="Etik", goals=goals, goals_2008_text="delmål 3"
    )
    assert sorted(course.goals.values_list("version__code", "code")) == [
        ("2015", "a2"),
        ("2021", "STa4"),
    ]
    event = AuditEvent.objects.get(action="course.created")
    assert event.after["goals"] == ["STa4", "a2"]


def test_moving_the_start_moves_a_default_cancellation_deadline(series, course_admin):
    week = make_week(series, course_admin)
    week = services.update_course_week(
        actor=course_admin,
        week=week,
        changes={"start_date": dt.date(2027, 3, 29), "end_date": dt.date(2027, 4, 2)},
        now=NOW,
    )
    assert week.cancellation_deadline == dt.date(2027, 3, 15)
