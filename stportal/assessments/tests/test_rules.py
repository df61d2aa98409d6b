"""The pure rules of competence assessments (SPEC 5 P12), with property tests: a link opens the
form only while pending and unexpired; the year's expectation is spread over the year, all of
it due on 31 December, never more than expected, never less as the year goes on."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stportal.assessments import rules

UTC = dt.UTC
instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(UTC)
)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 30))


@given(st.sampled_from(rules.STATUSES), instants, instants)
def test_only_a_pending_unexpired_link_is_open_p12(status, expires_at, now):
    state = rules.link_state(status, expires_at, now)
    assert (state == rules.OPEN) == (status == rules.REQUESTED and now < expires_at)
    if status == rules.COMPLETED:
        assert state == rules.USED


@given(instants, st.integers(min_value=-5, max_value=400))
def test_a_link_always_lives_at_least_a_day_p12(sent_at, link_days):
    expires = rules.link_expires(sent_at, link_days)
    assert expires - sent_at >= dt.timedelta(days=1)
    assert rules.link_state(rules.REQUESTED, expires, expires) == rules.EXPIRED


@given(st.integers(min_value=0, max_value=100), days)
def test_the_expectation_grows_through_the_year_and_is_whole_on_31_december_p12(expected, day):
    due = rules.due_by(expected, day)
    assert 0 <= due <= expected
    assert rules.due_by(expected, day + dt.timedelta(days=1)) >= due or (
        (day + dt.timedelta(days=1)).year != day.year
    )
    assert rules.due_by(expected, dt.date(day.year, 12, 31)) == expected


@given(
    st.lists(days, max_size=20),
    st.integers(min_value=0, max_value=100),
    days,
)
def test_the_count_is_the_year_s_and_behind_means_fewer_than_due_p12(completed, expected, today):
    progress = rules.year_progress(completed, expected, today)
    assert progress.done == sum(1 for d in completed if d.year == today.year)
    assert progress.behind == (progress.done < progress.due_by_now)
    if progress.done >= expected:
        assert not progress.behind
    assert progress.missing == max(progress.due_by_now - progress.done, 0)


def test_four_a_year_examples_p12():
    assert rules.due_by(4, dt.date(2027, 1, 1)) == 0
    assert rules.due_by(4, dt.date(2027, 3, 31)) == 0
    assert rules.due_by(4, dt.date(2027, 4, 2)) == 1
    assert rules.due_by(4, dt.date(2027, 12, 31)) == 4
