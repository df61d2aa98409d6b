"""C20: lodging nights, stays and cost as pure functions (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.registrations.lodging import (
    Guest,
    Stay,
    adjusted_nights,
    adjustment_for,
    check_nights,
    lodging_summary,
    nights_before,
    possible_nights,
    stays_for,
)
from stportal.registrations.rules import CoreError

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


# --- staff's adjustments and the cost per home unit (issue 9) ----------------------------------


def test_arriving_the_evening_before_and_leaving_early_adjust_the_default():
    """C20, issue 9: a Tuesday–Thursday participant who arrives Sunday evening and leaves
    after Wednesday: Sunday added, Wednesday night left out."""
    guest = Guest(
        1,
        "Bo",
        "Lycksele",
        (day(1), day(2), day(3)),
        extra_nights=(day(-1),),
        skipped_nights=(day(2),),
    )
    row = lodging_summary([guest], nightly_rate=1000).guests[0]
    assert row.default_nights == (day(0), day(1), day(2))
    assert row.nights == (day(-1), day(0), day(1))
    assert row.adjusted and row.cost == 3000
    assert row.stays == (Stay(day(-1), day(2)),)


def test_a_guest_whose_nights_were_all_taken_away_stays_on_the_list_at_no_cost():
    guest = Guest(1, "Bo", "Lycksele", (day(0),), skipped_nights=(day(-1),))
    summary = lodging_summary([guest], nightly_rate=1000)
    assert [row.nights for row in summary.guests] == [()]
    assert summary.total_cost == 0 and summary.guests[0].adjusted


def test_cost_per_home_unit():
    """C20, issue 9: the list shows what each home unit's participants cost."""
    summary = lodging_summary(
        [
            Guest(1, "Anna", "Storuman", (day(0), day(1))),
            Guest(2, "Bo", "Lycksele", (day(0),)),
            Guest(3, "Cecilia", "Lycksele", (day(1),)),
        ],
        nightly_rate=900,
    )
    assert [(u.home_unit, u.people, u.nights, u.cost) for u in summary.units] == [
        ("Lycksele", 2, 2, 1800),
        ("Storuman", 1, 2, 1800),
    ]


def test_nights_outside_the_week_are_refused():
    """Nights run from the evening before the first day to the night after the last."""
    assert possible_nights(day(0), day(4)) == tuple(day(i) for i in range(-1, 5))
    check_nights([day(-1), day(4)], first_day=day(0), last_day=day(4))
    with pytest.raises(CoreError) as refused:
        check_nights([day(-2)], first_day=day(0), last_day=day(4))
    assert refused.value.code == "night_outside_week"


@given(days_strategy, days_strategy)
def test_an_adjustment_gives_exactly_the_nights_chosen(days, chosen):
    """Property: the stored difference turns the default into exactly the nights chosen."""
    default = nights_before(days)
    extra, skipped = adjustment_for(default, chosen)
    assert adjusted_nights(default, extra=extra, skipped=skipped) == tuple(sorted(set(chosen)))
    assert set(extra).isdisjoint(default) and set(skipped) <= set(default)


@given(st.lists(days_strategy, max_size=6), st.integers(min_value=0, max_value=5000))
def test_units_add_up_to_the_total(all_days, rate):
    guests = [Guest(i, f"G{i}", f"U{i % 3}", tuple(days)) for i, days in enumerate(all_days)]
    summary = lodging_summary(guests, nightly_rate=rate)
    assert sum(u.cost for u in summary.units) == summary.total_cost
    assert sum(u.nights for u in summary.units) == summary.total_nights
