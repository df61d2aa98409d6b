"""The annual report's own pure rules (SPEC 5 P13): the calendar year, who writes which part,
and that both parts are needed before it is submitted. Property tests, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.annualreport import rules

years = st.integers(min_value=rules.FIRST_YEAR, max_value=rules.LAST_YEAR)


@given(years)
def test_a_report_covers_one_whole_calendar_year_p13(year):
    start, end = rules.period_of(year)
    assert (start, end) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert (end - start).days + 1 in (365, 366)


@given(st.integers().filter(lambda y: not rules.FIRST_YEAR <= y <= rules.LAST_YEAR))
def test_a_year_outside_the_product_s_dates_is_refused_p13(year):
    with pytest.raises(ValueError):
        rules.period_of(year)


@given(st.booleans(), st.booleans())
def test_each_part_has_one_author_p13(is_trainee, is_supervisor):
    part = rules.part_of(is_trainee=is_trainee, is_supervisor=is_supervisor)
    if is_trainee:
        assert part == rules.TRAINEE  # a trainee never writes the assessment
    elif is_supervisor:
        assert part == rules.SUPERVISOR
    else:
        assert part is None


@given(st.text(), st.text())
def test_both_parts_are_needed_before_submitting_p13(trainee_text, supervisor_text):
    missing = rules.missing_parts(trainee_text, supervisor_text)
    assert (rules.TRAINEE in missing) == (not trainee_text.strip())
    assert (rules.SUPERVISOR in missing) == (not supervisor_text.strip())
    assert list(missing) == [p for p in rules.PARTS if p in missing]
