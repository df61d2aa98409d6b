"""The week's time windows, written once (issue 9): registration opening (C7), lateness (C7,
C8), the cancellation deadline instant (C11, C14), the start (C7, C11) and the edit window
(C6, C7). Every boundary is an instant in Europe/Stockholm, and the instant itself is already
on the far side."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from stportal.core.dates import STOCKHOLM
from stportal.courses.states import Opening, StoredState, registration_opening, week_windows

UTC = dt.UTC
WEEK = SimpleNamespace(
    invitation_date=dt.date(2026, 9, 1),
    registration_deadline=dt.date(2026, 10, 15),
    cancellation_deadline=dt.date(2027, 3, 8),
    start_date=dt.date(2027, 3, 22),
    end_date=dt.date(2027, 3, 26),
)
WINDOWS = week_windows(WEEK)
TICK = dt.timedelta(microseconds=1)


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def test_the_instants_are_stockholm_days():
    """SPEC 4: a date deadline lasts to the end of its day; a first day starts at midnight."""
    assert WINDOWS.opens == at(2026, 9, 1)
    assert WINDOWS.registration_closes == at(2026, 10, 16)
    assert WINDOWS.cancellation_closes == at(2027, 3, 9)
    assert WINDOWS.starts == at(2027, 3, 22)
    assert WINDOWS.ends == at(2027, 3, 27)
    # In summer time the registration deadline ends at 22:00 UTC, in winter at 23:00 UTC.
    assert WINDOWS.registration_closes == dt.datetime(2026, 10, 15, 22, 0, tzinfo=UTC)
    assert WINDOWS.cancellation_closes == dt.datetime(2027, 3, 8, 23, 0, tzinfo=UTC)


def test_lateness_starts_at_the_deadline_instant():
    """C7: a registration at the last moment of the deadline day is on time; at the instant
    the day ends it is late."""
    assert not WINDOWS.is_late(WINDOWS.registration_closes - TICK)
    assert WINDOWS.is_late(WINDOWS.registration_closes)


def test_the_cancellation_deadline_passes_at_its_instant():
    """C11, C14: from the end of the cancellation deadline day (Stockholm) a freed seat is
    offered and a confirmed seat costs the fee."""
    assert not WINDOWS.cancellation_deadline_passed(at(2027, 3, 8, 23, 59))
    assert not WINDOWS.cancellation_deadline_passed(WINDOWS.cancellation_closes - TICK)
    assert WINDOWS.cancellation_deadline_passed(WINDOWS.cancellation_closes)
    # 23:30 UTC on the deadline day is already 00:30 the next day in Stockholm.
    assert WINDOWS.cancellation_deadline_passed(dt.datetime(2027, 3, 8, 23, 30, tzinfo=UTC))


def test_the_deadline_instant_follows_the_clock_change():
    """Europe/Stockholm, not a fixed offset: a deadline on the day summer time begins ends at
    22:00 UTC, an hour earlier than the winter day before."""
    windows = week_windows(
        SimpleNamespace(**{**vars(WEEK), "cancellation_deadline": dt.date(2027, 3, 28)})
    )
    assert windows.cancellation_closes == dt.datetime(2027, 3, 28, 22, 0, tzinfo=UTC)
    assert not windows.cancellation_deadline_passed(dt.datetime(2027, 3, 28, 21, 59, tzinfo=UTC))
    assert windows.cancellation_deadline_passed(dt.datetime(2027, 3, 28, 22, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("now", "staff", "editable"),
    [
        (WINDOWS.starts - TICK, False, True),
        (WINDOWS.starts, False, False),
        (WINDOWS.starts, True, True),
        (WINDOWS.ends + dt.timedelta(days=30), True, True),
    ],
)
def test_the_edit_window_closes_for_the_trainee_when_the_week_starts(now, staff, editable):
    """C6, C7: the trainee changes a registration until the first day begins; staff at any
    time (records entered after the fact)."""
    assert WINDOWS.editable(now, staff=staff) is editable


@pytest.mark.parametrize(
    ("stored", "now", "staff", "expected"),
    [
        (StoredState.DRAFT, at(2026, 9, 15), True, Opening.DRAFT),
        (StoredState.CANCELLED, at(2026, 9, 15), True, Opening.CANCELLED),
        (StoredState.PUBLISHED, WINDOWS.opens - TICK, False, Opening.NOT_YET),
        (StoredState.PUBLISHED, WINDOWS.opens, False, Opening.OPEN),
        (StoredState.PUBLISHED, WINDOWS.registration_closes - TICK, False, Opening.OPEN),
        (StoredState.PUBLISHED, WINDOWS.registration_closes, False, Opening.LATE),
        (StoredState.ALLOCATED, WINDOWS.starts - TICK, False, Opening.LATE),
        (StoredState.ALLOCATED, WINDOWS.starts, False, Opening.STARTED),
        # Staff register anyone at any time, before the invitation and after the start.
        (StoredState.PUBLISHED, WINDOWS.opens - TICK, True, Opening.OPEN),
        (StoredState.ALLOCATED, WINDOWS.starts, True, Opening.LATE),
    ],
)
def test_who_may_register_when(stored, now, staff, expected):
    """C7: trainees from the invitation date until the start, late after the deadline; staff
    at any time; nobody for a draft or a cancelled week."""
    assert (
        registration_opening(stored_state=stored, windows=WINDOWS, now=now, staff=staff) == expected
    )
