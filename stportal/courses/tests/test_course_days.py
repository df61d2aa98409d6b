"""The pure rules of course days and moving a week (C2, C3, C4): property tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stportal.courses.days import check_days, plan_week_move

MONDAY = dt.date(2027, 3, 22)


def test_days_outside_the_week_on_a_weekend_or_twice_are_named():
    friday = MONDAY + dt.timedelta(days=4)
    found = check_days(
        [MONDAY, MONDAY, friday + dt.timedelta(days=1), friday + dt.timedelta(days=3)],
        week_start=MONDAY,
        week_end=friday + dt.timedelta(days=1),
    )
    assert [(p.day.isoformat(), p.problem) for p in found] == [
        ("2027-03-22", "twice"),
        ("2027-03-27", "weekend"),
        ("2027-03-29", "outside"),
    ]


weekdays = st.lists(st.integers(0, 4).map(lambda n: MONDAY + dt.timedelta(days=n)), max_size=5)


@given(st.dictionaries(st.integers(1, 50), weekdays, max_size=6), st.integers(-60, 60))
def test_a_whole_week_moved_by_whole_weeks_moves_every_day_and_refuses_nothing(courses, weeks):
    shift = dt.timedelta(weeks=weeks)
    plan = plan_week_move(
        old_start=MONDAY,
        old_end=MONDAY + dt.timedelta(days=4),
        new_start=MONDAY + shift,
        new_end=MONDAY + dt.timedelta(days=4) + shift,
        course_days={pk: sorted(set(days)) for pk, days in courses.items()},
    )
    assert plan.allowed
    assert plan.shift == shift
    for pk, days in courses.items():
        assert list(plan.days[pk]) == [day + shift for day in sorted(set(days))]


@given(
    st.dictionaries(st.integers(1, 50), weekdays, max_size=6),
    st.integers(-3, 3),
    st.integers(-3, 3),
)
def test_any_other_change_keeps_the_days_and_names_each_one_left_outside(courses, first, last):
    new_start = MONDAY + dt.timedelta(days=first)
    new_end = MONDAY + dt.timedelta(days=4 + last)
    courses = {pk: sorted(set(days)) for pk, days in courses.items()}
    plan = plan_week_move(
        old_start=MONDAY,
        old_end=MONDAY + dt.timedelta(days=4),
        new_start=new_start,
        new_end=new_end,
        course_days=courses,
    )
    if first == last:
        return  # a move of both ends alike: the property above
    assert not plan.shift
    for pk, days in courses.items():
        assert list(plan.days[pk]) == days
        outside = [d for d in days if not new_start <= d <= new_end]
        assert [p.day for p in plan.problems.get(pk, ())] == outside
    assert plan.allowed == (not any(plan.problems.values()))
