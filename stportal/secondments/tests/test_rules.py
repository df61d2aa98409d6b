"""The pure rules of secondments (SPEC 5 P7) and the training allowance (P8), with property
tests: no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stportal.secondments import allowance, rules
from stportal.secondments.allowance import Span, allowance_status, days_from, months_of_days

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


@st.composite
def spans(draw):
    start = draw(days)
    return Span(start, start + dt.timedelta(days=draw(st.integers(0, 400))))


def test_default_lengths_of_the_seed_p7():
    """Internal medicine 16 weeks and psychiatry 12 weeks from a Monday end on a Sunday."""
    monday = dt.date(2027, 6, 7)
    assert rules.default_end(monday, 16) == dt.date(2027, 9, 26)
    assert rules.default_end(monday, 12) == dt.date(2027, 8, 29)
    assert rules.weeks_between(monday, rules.default_end(monday, 16)) == 16


@given(days, st.integers(1, 104))
def test_a_default_secondment_lasts_exactly_its_weeks_p7(start, weeks):
    end = rules.default_end(start, weeks)
    assert (end - start).days + 1 == 7 * weeks
    assert end.weekday() == (start.weekday() - 1) % 7


def test_a_mandatory_kind_not_planned_is_missing_p7():
    required = ["internal_medicine", "psychiatry"]
    assert rules.missing_kinds(required, {"internal_medicine"}) == ["psychiatry"]
    assert rules.missing_kinds(required, {"internal_medicine", "psychiatry", "x"}) == []
    assert rules.missing_kinds(required + ["psychiatry"], set()) == required


@given(st.lists(st.sampled_from("abcdef")), st.sets(st.sampled_from("abcdef")))
def test_missing_is_required_minus_planned_p7(required, planned):
    missing = rules.missing_kinds(required, planned)
    assert set(missing) == set(required) - planned
    assert len(missing) == len(set(missing))


def test_a_16_week_secondment_needs_4_months_and_60_months_are_1826_days_p8():
    assert months_of_days(112) == 4
    assert months_of_days(84) == 3
    assert months_of_days(0) == 0
    assert months_of_days(1) == 1
    assert months_of_days(1826) == 60  # five years of 365.25 days, rounded down to whole days
    assert months_of_days(1827) == 61


@given(st.integers(-10, 5000), st.integers(0, 5000))
def test_months_grow_with_days_p8(a, extra):
    assert months_of_days(a) <= months_of_days(a + extra)
    assert months_of_days(a) >= 0


@given(
    st.integers(0, allowance.TOTAL_MONTHS),
    st.integers(0, allowance.SECONDMENT_MONTHS),
    days,
    st.one_of(st.none(), days),
    st.lists(spans(), max_size=5),
)
def test_used_and_left_add_up_and_the_warning_says_the_plan_needs_more_p8(
    paid, secondment_paid, today, completion, planned
):
    secondment_paid = min(secondment_paid, paid)
    status = allowance_status(
        months_paid=paid,
        secondment_months_paid=secondment_paid,
        today=today,
        planned_completion=completion,
        secondments=planned,
    )
    assert status.months_paid + status.months_left == 60
    assert status.secondment_months_paid + status.secondment_months_left == 18
    assert status.months_left >= 0 and status.secondment_months_left >= 0
    assert status.warns == (
        status.months_needed > status.months_left
        or status.secondment_months_needed > status.secondment_months_left
    )
    if completion is None or completion <= today:
        assert status.months_needed == 0


@given(days, st.lists(spans(), max_size=6), st.randoms())
def test_planned_secondment_days_count_each_day_once_whatever_the_order_p8(today, planned, rnd):
    shuffled = list(planned)
    rnd.shuffle(shuffled)
    counted = days_from(today, planned)
    assert counted == days_from(today, shuffled)
    every_day = {
        span.start + dt.timedelta(days=i)
        for span in planned
        for i in range((span.end - span.start).days + 1)
        if span.start + dt.timedelta(days=i) >= today
    }
    assert counted == len(every_day)


def test_past_secondments_are_not_needed_and_a_long_plan_warns_p8():
    today = dt.date(2027, 4, 12)
    past = Span(dt.date(2026, 1, 5), dt.date(2026, 4, 26))
    coming = Span(dt.date(2027, 6, 7), dt.date(2027, 9, 26))
    status = allowance_status(
        months_paid=50,
        secondment_months_paid=16,
        today=today,
        planned_completion=dt.date(2028, 4, 11),
        secondments=[past, coming],
    )
    assert status.months_left == 10 and status.months_needed == 12
    assert status.months_short == 2
    assert status.secondment_months_left == 2 and status.secondment_months_needed == 4
    assert status.secondment_months_short == 2
    assert status.warns


def test_amount_problems_p8():
    check = allowance.amount_problems
    assert check(months_paid=10, secondment_months_paid=4, queue_position=3) == {}
    assert check(months_paid=61, secondment_months_paid=0, queue_position=None) == {
        "months_paid": allowance.OVER_TOTAL
    }
    assert check(months_paid=30, secondment_months_paid=19, queue_position=None) == {
        "secondment_months_paid": allowance.OVER_SECONDMENT
    }
    assert check(months_paid=3, secondment_months_paid=4, queue_position=0) == {
        "secondment_months_paid": allowance.SECONDMENT_OVER_PAID,
        "queue_position": allowance.QUEUE_POSITION,
    }
    assert check(months_paid=-1, secondment_months_paid=-1, queue_position=None) == {
        "months_paid": allowance.NEGATIVE,
        "secondment_months_paid": allowance.NEGATIVE,
    }


@given(st.integers(-5, 70), st.integers(-5, 25), st.one_of(st.none(), st.integers(-3, 10)))
def test_amounts_without_problems_are_within_the_allowance_p8(paid, secondment, queue):
    problems = allowance.amount_problems(
        months_paid=paid, secondment_months_paid=secondment, queue_position=queue
    )
    if not problems:
        assert 0 <= secondment <= min(paid, 18) and paid <= 60
        assert queue is None or queue >= 1
