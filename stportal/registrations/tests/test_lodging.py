"""C20: lodging nights, stays and cost as pure functions (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.registrations.lodging import (
    Guest,
    Stay,
    lodging_summary,
    nights_before,
    stays_for,
)

MONDAY = dt.date(2027, 3, 22)
days_strategy = st.lists(
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 31)), max_size=12
)


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def test_the_night_before_each_course_day():
    """C20: by default the night before each seated course day."""
    assert nights_before([day(0), day(2)]) == (day(-1), day(1))


def test_consecutive_days_share_one_stay():
    """C20: Monday to Wednesday is one stay, Sunday in, Wednesday out."""
    nights = nights_before([day(0), day(1), day(2)])
    assert stays_for(nights) == (Stay(day(-1), day(2)),)
    assert stays_for(nights)[0].nights == 3


def test_a_gap_makes_two_stays():
    nights = nights_before([day(0), day(2), day(3)])
    assert stays_for(nights) == (Stay(day(-1), day(0)), Stay(day(1), day(3)))


def test_summary_counts_rooms_per_night_and_costs_at_the_nightly_rate():
    """C20: the cost summary is nights × the nightly rate, per guest and in total."""
    summary = lodging_summary(
        [
            Guest(2, "Östen Åberg", "Lycksele lasarett", (day(0), day(1))),
            Guest(1, "Anna Berg", "Hälsocentralen Storuman", (day(1),)),
            Guest(3, "Ingen Dag", "Hälsocentralen Vilhelmina", ()),
        ],
        nightly_rate=1000,
    )
    assert [row.guest.name for row in summary.guests] == ["Anna Berg", "Östen Åberg"]
    assert summary.rooms_per_night == ((day(-1), 1), (day(0), 2))
    assert summary.total_nights == 3
    assert summary.total_cost == 3000
    assert [row.cost for row in summary.guests] == [1000, 2000]


def test_the_nightly_rate_is_always_given_never_a_constant_in_code():
    """Issue 9 (C20): the rate is the week's setting, so the rule has no default of its own."""
    with pytest.raises(TypeError):
        lodging_summary([Guest(1, "A", "U", (day(0),))])  # type: ignore[call-arg]
    summary = lodging_summary([Guest(1, "A", "U", (day(0),))], nightly_rate=950)
    assert summary.nightly_rate == 950 and summary.total_cost == 950


def test_a_negative_rate_is_refused():
    with pytest.raises(ValueError):
        lodging_summary([], nightly_rate=-1)


@given(days_strategy)
def test_nights_are_exactly_the_nights_before_the_days_sorted_and_unique(days):
    """C20 as a property: nothing more, nothing less, no duplicates, in date order."""
    nights = nights_before(days)
    assert set(nights) == {d - dt.timedelta(days=1) for d in days}
    assert len(nights) == len(set(nights))
    assert list(nights) == sorted(nights)


@given(days_strategy)
def test_stays_partition_the_nights_into_runs_of_consecutive_dates(days):
    nights = nights_before(days)
    stays = stays_for(nights)
    covered = [s.check_in + dt.timedelta(days=i) for s in stays for i in range(s.nights)]
    assert covered == list(nights)  # every night once, in order
    for earlier, later in zip(stays, stays[1:], strict=False):
        assert later.check_in > earlier.check_out  # a gap between stays, else one stay
    assert all(s.nights >= 1 for s in stays)


@given(st.lists(days_strategy, max_size=6), st.integers(min_value=0, max_value=5000))
def test_totals_add_up(all_days, rate):
    guests = [Guest(i, f"G{i}", "U", tuple(days)) for i, days in enumerate(all_days)]
    summary = lodging_summary(guests, nightly_rate=rate)
    assert summary.total_nights == sum(len(set(days)) for days in all_days)
    assert summary.total_cost == summary.total_nights * rate
    assert sum(n for _night, n in summary.rooms_per_night) == summary.total_nights
    assert sum(row.cost for row in summary.guests) == summary.total_cost
