"""The timeline's layout (SPEC 5 P11): a pure function from dates to x positions and from
periods to lanes, tested on its properties with hypothesis, without a database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from stportal.plan.layout import (
    DAY,
    PLANNED_COMPLETION,
    ST_START,
    TODAY,
    Span,
    frame_for,
    lay_out,
    x_of,
)

KINDS = ["placement", "secondment", "course_week", "research", "leave"]
days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2040, 12, 31))


@st.composite
def spans(draw) -> list[Span]:
    found = []
    for key in range(draw(st.integers(min_value=0, max_value=25))):
        start = draw(days)
        length = draw(st.integers(min_value=0, max_value=900))
        found.append(
            Span(
                key=key,
                kind=draw(st.sampled_from([*KINDS, "unknown"])),
                start=start,
                end=start + dt.timedelta(days=length),
                planned=draw(st.booleans()),
                title=f"period {key}",
            )
        )
    return found


@given(st.lists(days, min_size=1, max_size=10), days, days)
def test_dates_map_to_x_in_order_and_inside_the_frame_p11(found, a, b):
    frame = frame_for(found, left=100.0, right=900.0)
    assert frame.first.day == 1 and (frame.last + DAY).day == 1
    assert frame.first <= min(found) and max(found) <= frame.last
    assert x_of(frame, frame.first) == 100.0
    assert x_of(frame, frame.last + DAY) == 900.0
    early, late = sorted((a, b))
    assert x_of(frame, early) <= x_of(frame, late)
    assert 100.0 <= x_of(frame, a) <= 900.0


@settings(max_examples=200)
@given(spans(), days, st.one_of(st.none(), days), st.one_of(st.none(), days))
def test_every_period_is_drawn_once_in_its_kinds_lane_p11(found, today, start, completion):
    drawn = lay_out(found, kinds=KINDS, today=today, st_start=start, planned_completion=completion)
    frame = drawn.frame
    assert sorted(bar.key for bar in drawn.bars) == sorted(span.key for span in found)
    # One lane per kind present, in the order given, unknown kinds after.
    present = {span.kind for span in found}
    lanes = [lane.kind for lane in drawn.lanes]
    assert sorted(lanes) == sorted(present) and len(lanes) == len(set(lanes))
    assert lanes == [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    lane_of = {lane.kind: lane for lane in drawn.lanes}
    for lane, following in zip(drawn.lanes, drawn.lanes[1:], strict=False):
        assert lane.y + lane.height <= following.y
    by_key = {span.key: span for span in found}
    for bar in drawn.bars:
        span = by_key[bar.key]
        lane = lane_of[span.kind]
        assert bar.kind == span.kind and bar.planned == span.planned
        assert lane.y <= bar.y and bar.y + bar.height <= lane.y + lane.height
        assert 0 <= bar.row < lane.rows
        # Inside the frame, at least a few units wide, where its dates say.
        assert frame.left <= bar.x and bar.x + bar.width <= frame.right + 1e-9
        assert bar.width >= 3.0
        assert abs(bar.x + bar.width - x_of(frame, span.end + DAY)) < 1e-6 or bar.width == 3.0
    # No two bars of one row of one lane overlap in time.
    for lane in drawn.lanes:
        for row in range(lane.rows):
            own = sorted(
                (b for b in drawn.bars if b.kind == lane.kind and b.row == row),
                key=lambda b: b.start,
            )
            for first, second in zip(own, own[1:], strict=False):
                assert first.end < second.start
    assert drawn.height >= drawn.chart_bottom


@given(spans(), days, st.one_of(st.none(), days), st.one_of(st.none(), days))
def test_years_today_st_start_and_completion_are_marked_p11(found, today, start, completion):
    drawn = lay_out(found, kinds=KINDS, today=today, st_start=start, planned_completion=completion)
    frame = drawn.frame
    years = [tick.year for tick in drawn.ticks]
    assert years == list(range(frame.first.year, frame.last.year + 1))
    xs = [tick.x for tick in drawn.ticks]
    assert xs == sorted(xs) and all(frame.left <= x <= frame.right for x in xs)
    marked = {marker.name: marker for marker in drawn.markers}
    # ST start and planned completion always fall inside the frame; today when it does.
    assert (ST_START in marked) == (start is not None)
    assert (PLANNED_COMPLETION in marked) == (completion is not None)
    assert (TODAY in marked) == (frame.first <= today <= frame.last)
    for marker in drawn.markers:
        assert marker.x == x_of(frame, marker.day)
        assert drawn.chart_bottom < marker.label_y <= drawn.height
    assert len({marker.label_y for marker in drawn.markers}) == len(drawn.markers)


@given(spans(), days)
def test_the_layout_does_not_depend_on_the_order_of_its_input_p11(found, today):
    forward = lay_out(found, kinds=KINDS, today=today)
    backward = lay_out(list(reversed(found)), kinds=KINDS, today=today)
    assert sorted(forward.bars, key=lambda b: b.key) == sorted(backward.bars, key=lambda b: b.key)
    assert forward.lanes == backward.lanes


def test_an_st_with_nothing_in_it_shows_the_year_around_today_p11():
    drawn = lay_out([], today=dt.date(2027, 4, 12))
    assert drawn.lanes == () and drawn.bars == ()
    assert drawn.frame.first <= dt.date(2027, 4, 12) <= drawn.frame.last
    assert [marker.name for marker in drawn.markers] == [TODAY]


def test_overlapping_placements_go_on_two_rows_of_one_lane_p11():
    drawn = lay_out(
        [
            Span(1, "placement", dt.date(2026, 1, 1), dt.date(2026, 12, 31), title="Vårdcentral"),
            Span(2, "placement", dt.date(2026, 6, 1), dt.date(2026, 8, 31), title="Jour"),
            Span(3, "placement", dt.date(2027, 1, 1), dt.date(2027, 6, 30), title="Nästa"),
        ],
        today=dt.date(2026, 7, 1),
    )
    assert [lane.rows for lane in drawn.lanes] == [2]
    rows = {bar.key: bar.row for bar in drawn.bars}
    assert rows == {1: 0, 2: 1, 3: 0}
