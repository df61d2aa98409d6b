"""C4: a course week's state moves forward with the dates; staff publish, allocate, cancel."""

import datetime as dt

import pytest

from stportal.core.dates import STOCKHOLM
from stportal.courses import states
from stportal.courses.states import StoredState, WeekState

DATES = {
    "registration_deadline": dt.date(2026, 10, 15),
    "start_date": dt.date(2027, 3, 22),
    "end_date": dt.date(2027, 3, 26),
}


def at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("stored", "now", "expected"),
    [
        (StoredState.DRAFT, at(2027, 4, 1), WeekState.DRAFT),
        (StoredState.PUBLISHED, at(2026, 9, 1), WeekState.PUBLISHED),
        # The deadline is an instant: the end of 15 October, Stockholm time.
        (StoredState.PUBLISHED, at(2026, 10, 15, 23, 59), WeekState.PUBLISHED),
        (StoredState.PUBLISHED, at(2026, 10, 16, 0, 0), WeekState.CLOSED),
        (StoredState.ALLOCATED, at(2026, 11, 1), WeekState.ALLOCATED),
        (StoredState.ALLOCATED, at(2027, 3, 22, 0, 0), WeekState.RUNNING),
        (StoredState.PUBLISHED, at(2027, 3, 23), WeekState.RUNNING),
        (StoredState.ALLOCATED, at(2027, 3, 26, 23, 59), WeekState.RUNNING),
        (StoredState.ALLOCATED, at(2027, 3, 27, 0, 0), WeekState.FINISHED),
        (StoredState.CANCELLED, at(2026, 9, 1), WeekState.CANCELLED),
        (StoredState.CANCELLED, at(2027, 4, 1), WeekState.CANCELLED),
    ],
)
def test_dates_move_the_state_forward_on_their_own(stored, now, expected):
    """C4 and 'Deadlines are instants'."""
    assert states.effective_state(stored=stored, now=now, **DATES) == expected


def test_only_a_draft_can_be_published():
    """C4: staff publish a draft; nothing else."""
    states.check_publish(WeekState.DRAFT)
    for state in set(WeekState) - {WeekState.DRAFT}:
        with pytest.raises(states.TransitionError):
            states.check_publish(state)


def test_allocation_before_the_deadline_is_refused_with_its_code():
    """C8: running allocation before the deadline answers deadline_not_passed."""
    with pytest.raises(states.TransitionError) as caught:
        states.check_allocate(WeekState.PUBLISHED)
    assert caught.value.code == "deadline_not_passed"


@pytest.mark.parametrize(
    "state", [WeekState.CLOSED, WeekState.ALLOCATED, WeekState.RUNNING, WeekState.FINISHED]
)
def test_allocation_allowed_after_the_deadline_and_after_the_fact(state):
    """C7/C8: staff may allocate once the deadline has passed, even for a started week."""
    states.check_allocate(state)


@pytest.mark.parametrize("state", [WeekState.CANCELLED, WeekState.FINISHED])
def test_a_cancelled_or_finished_week_cannot_be_cancelled(state):
    with pytest.raises(states.TransitionError):
        states.check_cancel(state)
