"""The study-time rule (SPEC 5 P6), pure: 4 hours a week at full time, pro rata by employment
percent in quarter hours, none in weeks of secondment, research, course weeks, ST-days,
parental leave or other absence; properties with hypothesis, no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stportal.core.periods import (
    ABSENCE,
    COURSE_WEEK,
    KINDS,
    LEAVE,
    PLACEMENT,
    QUALITY_WORK,
    RESEARCH,
    SECONDMENT,
    ST_DAY,
    Period,
)
from stportal.studytime import rules

MONDAY = dt.date(2027, 4, 5)


def period(kind: str, start: dt.date, end: dt.date | None = None, title: str = "P") -> Period:
    return Period(kind=kind, start=start, end=end or start, title=title, source="t", source_id=1)


def test_full_time_gives_four_hours_and_75_percent_three_p6():
    assert rules.weekly_minutes(100) == 240
    assert rules.weekly_minutes(75) == 180
    assert rules.weekly_minutes(50) == 120


def test_part_time_rounds_to_the_nearest_quarter_hour_halves_up_p6():
    # 60 % -> 2.4 h -> 2.5 h; 10 % -> 0.4 h -> 0.5 h; 1 % -> 2.4 min -> 0; 3 % -> 7.2 min -> 0;
    # 4 % -> 9.6 min -> 15 min; 90 % -> 3.6 h -> 3.5 h; 80 % -> 3.2 h -> 3.25 h.
    assert rules.weekly_minutes(60) == 150
    assert rules.weekly_minutes(10) == 30
    assert rules.weekly_minutes(1) == 0
    assert rules.weekly_minutes(3) == 0
    assert rules.weekly_minutes(4) == 15
    assert rules.weekly_minutes(90) == 210
    assert rules.weekly_minutes(80) == 195
    # 3.125 % is 7.5 min exactly: not a whole percent; 25 % is exactly 1 h.
    assert rules.weekly_minutes(25) == 60


def test_percent_outside_bounds_is_held_to_them_p6():
    assert rules.weekly_minutes(-5) == 0
    assert rules.weekly_minutes(150) == 240


def test_weeks_start_on_monday_and_are_named_by_it_p6():
    weeks = rules.weeks_of(
        start=dt.date(2027, 4, 7), end=dt.date(2027, 4, 19), employment_percent=100, periods=[]
    )
    assert [w.week for w in weeks] == [MONDAY, dt.date(2027, 4, 12), dt.date(2027, 4, 19)]
    assert all(w.week.weekday() == 0 for w in weeks)


def test_each_blocking_kind_takes_the_week_with_its_reason_p6():
    for kind in (SECONDMENT, RESEARCH, COURSE_WEEK, ST_DAY, LEAVE, ABSENCE):
        weeks = rules.weeks_of(
            start=MONDAY,
            end=MONDAY + dt.timedelta(days=13),
            employment_percent=75,
            periods=[period(kind, MONDAY + dt.timedelta(days=2), title="LEKA A vecka 3")],
        )
        assert weeks[0].entitled_minutes == 0
        assert weeks[0].reasons == (rules.Reason(kind, "LEKA A vecka 3"),)
        assert weeks[1].entitled_minutes == 180 and weeks[1].reasons == ()


def test_placements_and_quality_work_do_not_take_study_time_p6():
    weeks = rules.weeks_of(
        start=MONDAY,
        end=MONDAY,
        employment_percent=100,
        periods=[
            period(PLACEMENT, MONDAY, MONDAY + dt.timedelta(days=300)),
            period(QUALITY_WORK, MONDAY),
        ],
    )
    assert weeks[0].entitled_minutes == 240 and not weeks[0].blocked


def test_a_period_on_the_weekend_only_does_not_take_the_week_p6():
    saturday = MONDAY + dt.timedelta(days=5)
    weeks = rules.weeks_of(
        start=MONDAY,
        end=MONDAY,
        employment_percent=100,
        periods=[period(ST_DAY, saturday, saturday + dt.timedelta(days=1))],
    )
    assert weeks[0].entitled_minutes == 240
    # A period from Sunday into Monday takes the next week only.
    weeks = rules.weeks_of(
        start=MONDAY,
        end=MONDAY + dt.timedelta(days=7),
        employment_percent=100,
        periods=[period(ABSENCE, saturday + dt.timedelta(days=1), MONDAY + dt.timedelta(days=7))],
    )
    assert [w.entitled_minutes for w in weeks] == [240, 0]


def test_several_reasons_are_all_given_once_each_p6():
    weeks = rules.weeks_of(
        start=MONDAY,
        end=MONDAY,
        employment_percent=100,
        periods=[
            period(ST_DAY, MONDAY + dt.timedelta(days=4), title="ST-dag: BVC"),
            period(SECONDMENT, MONDAY - dt.timedelta(days=30), MONDAY, title="Psykiatri"),
            period(ST_DAY, MONDAY + dt.timedelta(days=4), title="ST-dag: BVC"),
        ],
    )
    assert weeks[0].reasons == (
        rules.Reason(SECONDMENT, "Psykiatri"),
        rules.Reason(ST_DAY, "ST-dag: BVC"),
    )


def test_the_quarter_of_a_day_p6():
    assert rules.quarter_of(dt.date(2027, 5, 17)) == (dt.date(2027, 4, 1), dt.date(2027, 6, 30))
    assert rules.quarter_of(dt.date(2027, 12, 31)) == (dt.date(2027, 10, 1), dt.date(2027, 12, 31))
    assert rules.quarter_of(dt.date(2028, 2, 29)) == (dt.date(2028, 1, 1), dt.date(2028, 3, 31))


# --- Properties ------------------------------------------------------------------------------

days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31))


@st.composite
def periods(draw) -> Period:
    start = draw(days)
    end = start + dt.timedelta(days=draw(st.integers(0, 120)))
    return period(draw(st.sampled_from(KINDS)), start, end, draw(st.sampled_from("ABC")))


@st.composite
def cases(draw):
    start = draw(days)
    end = start + dt.timedelta(days=draw(st.integers(0, 400)))
    return (
        start,
        end,
        draw(st.integers(-10, 200)),
        draw(st.lists(periods(), max_size=8)),
    )


def _blocked_by_hand(monday: dt.date, found: list[Period]) -> bool:
    working = {monday + dt.timedelta(days=i) for i in range(5)}
    return any(
        p.kind in rules.BLOCKING_KINDS and any(p.start <= day <= p.end for day in working)
        for p in found
    )


@given(cases())
def test_never_negative_never_above_four_hours_in_quarter_hours_p6(case):
    start, end, percent, found = case
    for week in rules.weeks_of(start=start, end=end, employment_percent=percent, periods=found):
        assert 0 <= week.entitled_minutes <= rules.FULL_TIME_MINUTES
        assert week.entitled_minutes % rules.QUARTER == 0


@given(cases())
def test_zero_exactly_in_blocked_weeks_with_a_reason_p6(case):
    start, end, percent, found = case
    full = rules.weekly_minutes(percent)
    for week in rules.weeks_of(start=start, end=end, employment_percent=percent, periods=found):
        blocked = _blocked_by_hand(week.week, found)
        assert week.blocked == blocked
        assert week.entitled_minutes == (0 if blocked else full)
        assert all(r.kind in rules.BLOCKING_KINDS for r in week.reasons)


@given(cases())
def test_weeks_cover_the_range_once_each_in_order_p6(case):
    start, end, percent, found = case
    weeks = rules.weeks_of(start=start, end=end, employment_percent=percent, periods=found)
    mondays = [w.week for w in weeks]
    assert mondays == sorted(set(mondays))
    assert mondays[0] <= start < mondays[0] + dt.timedelta(days=7)
    assert mondays[-1] <= end < mondays[-1] + dt.timedelta(days=7)
    assert all(b - a == dt.timedelta(days=7) for a, b in zip(mondays, mondays[1:], strict=False))


@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_periods_does_not_matter_p6(case, random):
    start, end, percent, found = case
    shuffled = list(found)
    random.shuffle(shuffled)
    assert rules.weeks_of(
        start=start, end=end, employment_percent=percent, periods=found
    ) == rules.weeks_of(start=start, end=end, employment_percent=percent, periods=shuffled)


@given(cases(), st.integers(0, 400))
def test_total_is_the_sum_of_weeks_and_splits_at_a_week_p6(case, offset):
    start, end, percent, found = case
    weeks = rules.weeks_of(start=start, end=end, employment_percent=percent, periods=found)
    assert rules.total_minutes(weeks) == sum(w.entitled_minutes for w in weeks)
    # Split at a Monday inside the range: the two halves add up to the whole.
    split = rules.monday_of(start) + dt.timedelta(days=7 * (1 + offset % max(len(weeks), 1)))
    if split <= rules.monday_of(end):
        first = rules.weeks_of(
            start=start,
            end=split - dt.timedelta(days=1),
            employment_percent=percent,
            periods=found,
        )
        second = rules.weeks_of(start=split, end=end, employment_percent=percent, periods=found)
        assert rules.total_minutes(first) + rules.total_minutes(second) == rules.total_minutes(
            weeks
        )


@given(cases(), periods())
def test_another_period_never_adds_study_time_p6(case, extra):
    start, end, percent, found = case
    before = rules.weeks_of(start=start, end=end, employment_percent=percent, periods=found)
    after = rules.weeks_of(
        start=start, end=end, employment_percent=percent, periods=[*found, extra]
    )
    assert all(b.entitled_minutes >= a.entitled_minutes for b, a in zip(before, after, strict=True))


@given(st.integers(0, 100), st.integers(0, 100))
def test_more_employment_never_gives_less_p6(low, high):
    low, high = min(low, high), max(low, high)
    assert rules.weekly_minutes(low) <= rules.weekly_minutes(high)
    # Rounded to the nearest quarter hour: within 7.5 minutes of the exact share.
    assert abs(rules.weekly_minutes(low) - 240 * low / 100) <= 7.5
