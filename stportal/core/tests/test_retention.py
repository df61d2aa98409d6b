"""GDPR (SPEC 7): how long a person's data is kept. A person is anonymised only once their
account is inactive and the retention period has run from the later of their last activity
and the end of their ST; never while the account is active or within the period."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.core.retention import (
    ACTIVE,
    ANONYMISED,
    PAST,
    WITHIN,
    PersonFacts,
    RetentionPeriods,
    add_years,
    outbox_cutoff,
    person_retention,
)

TEN_YEARS = RetentionPeriods(person_years=10, outbox_days=730)


def test_an_inactive_person_is_past_retention_the_day_after_ten_years_from_their_last_activity():
    facts = PersonFacts(active=False, anonymised=False, last_activity=dt.date(2014, 5, 2))
    on_the_day = person_retention(facts, TEN_YEARS, today=dt.date(2024, 5, 2))
    assert (on_the_day.past, on_the_day.reason) == (False, WITHIN)
    assert on_the_day.from_date == dt.date(2024, 5, 3)
    after = person_retention(facts, TEN_YEARS, today=dt.date(2024, 5, 3))
    assert (after.past, after.reason, after.from_date) == (True, PAST, dt.date(2024, 5, 3))


def test_the_end_of_the_st_counts_when_it_is_later_than_the_last_activity():
    facts = PersonFacts(
        active=False,
        anonymised=False,
        last_activity=dt.date(2010, 1, 1),
        st_completed=dt.date(2015, 6, 30),
    )
    decision = person_retention(facts, TEN_YEARS, today=dt.date(2023, 1, 1))
    assert (decision.past, decision.from_date) == (False, dt.date(2025, 7, 1))


def test_an_active_account_is_never_past_retention_however_old():
    facts = PersonFacts(active=True, anonymised=False, last_activity=dt.date(1990, 1, 1))
    decision = person_retention(facts, TEN_YEARS, today=dt.date(2060, 1, 1))
    assert (decision.past, decision.reason, decision.from_date) == (False, ACTIVE, None)


def test_an_anonymised_person_is_not_anonymised_again():
    facts = PersonFacts(active=False, anonymised=True, last_activity=dt.date(1990, 1, 1))
    assert person_retention(facts, TEN_YEARS, today=dt.date(2060, 1, 1)).reason == ANONYMISED


def test_a_person_without_any_known_date_is_kept():
    facts = PersonFacts(active=False, anonymised=False, last_activity=None)
    decision = person_retention(facts, TEN_YEARS, today=dt.date(2060, 1, 1))
    assert (decision.past, decision.reason) == (False, WITHIN)


def test_the_leap_day_moves_to_the_28th_in_a_common_year():
    assert add_years(dt.date(2016, 2, 29), 10) == dt.date(2026, 2, 28)
    assert add_years(dt.date(2016, 2, 29), 8) == dt.date(2024, 2, 29)


def test_sent_e_mail_is_cleared_after_its_own_shorter_period():
    assert outbox_cutoff(TEN_YEARS, today=dt.date(2026, 12, 31)) == dt.date(2024, 12, 31)


def test_periods_shorter_than_a_year_or_a_day_are_refused():
    with pytest.raises(ValueError):
        RetentionPeriods(person_years=0)
    with pytest.raises(ValueError):
        RetentionPeriods(outbox_days=0)


dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


@given(
    active=st.booleans(),
    last_activity=st.none() | dates,
    st_completed=st.none() | dates,
    years=st.integers(min_value=1, max_value=30),
    today=dates,
)
def test_never_past_retention_while_the_account_is_active_or_within_the_period(
    active, last_activity, st_completed, years, today
):
    facts = PersonFacts(
        active=active, anonymised=False, last_activity=last_activity, st_completed=st_completed
    )
    decision = person_retention(facts, RetentionPeriods(person_years=years), today=today)
    if decision.past:
        assert not active
        latest = max(day for day in (last_activity, st_completed) if day is not None)
        assert today > add_years(latest, years)
        assert decision.from_date is not None and decision.from_date <= today
    if active:
        assert not decision.past
    # Monotone: once past, a later day is past too.
    if decision.past:
        later = person_retention(
            facts, RetentionPeriods(person_years=years), today=today + dt.timedelta(days=400)
        )
        assert later.past
