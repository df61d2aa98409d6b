"""The pure rules of funding applications (SPEC 5 P3): the yearly limit warns only above the
limit, and spending per area and year keeps every krona."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stportal.funding import rules

amounts = st.lists(st.integers(min_value=1, max_value=1_000_000), max_size=20)


@given(amounts, st.one_of(st.none(), st.integers(min_value=0, max_value=1_000_000)))
def test_the_yearly_limit_warns_exactly_when_the_total_exceeds_it_p3(totals, limit):
    found = rules.yearly_limit(2027, totals, limit)
    assert found.total == sum(totals)
    assert found.exceeded == (limit is not None and sum(totals) > limit)
    assert found.over_by == (max(0, sum(totals) - limit) if limit is not None else 0)


items = st.lists(
    st.tuples(
        st.sampled_from(["Umeå", "Skellefteå"]),
        st.sampled_from([2026, 2027]),
        st.integers(min_value=1, max_value=30),
        st.sampled_from(rules.COST_KINDS),
        st.integers(min_value=1, max_value=100_000),
    ),
    max_size=60,
)


@given(items)
def test_spending_per_area_and_year_keeps_every_krona_p3(rows):
    found = rules.spending(rows)
    assert sum(row.total for row in found) == sum(row[4] for row in rows)
    for row in found:
        expected = [r for r in rows if (r[0], r[1]) == (row.area, row.year)]
        assert row.applications == len({r[2] for r in expected})
        for kind in rules.COST_KINDS:
            assert row.by_kind[kind] == sum(r[4] for r in expected if r[3] == kind)
    assert [row.year for row in found] == sorted((row.year for row in found), reverse=True)


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**7))
def test_a_bar_is_never_longer_than_the_chart(value, largest):
    percent = rules.bar_percent(min(value, largest), largest)
    assert 0 <= percent <= 100
    assert (percent == 0) == (min(value, largest) == 0 or largest == 0)
