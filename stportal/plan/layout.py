"""The timeline of a whole ST laid out (SPEC 5 P11): dates to x positions, periods to lanes.
Plain data in, positions out; no Django. The page draws the result as SVG.

- The frame runs from the first day of the month of the earliest date shown (a period's
  start, the ST start, the planned completion) to the last day of the month of the latest;
  day `d` starts at `x_of(frame, d)`, and a period covering days `start..end` is drawn from
  `x_of(start)` to `x_of(end + 1 day)`, so one day always has the same width.
- One lane per kind of period, in the order given (kinds not named come last, by name), only
  for kinds that have a period. Periods of one kind that overlap go on separate rows of the
  lane (greedily, earliest first), so no two bars of a row ever overlap.
- A bar is at least `min_bar_width` wide, so that a single ST-day is still seen; it stays
  inside the frame.
- The first of January of every year inside the frame is marked; today, the ST start and the
  planned completion are marked when they fall inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DAY = dt.timedelta(days=1)

TODAY = "today"
ST_START = "st_start"
PLANNED_COMPLETION = "planned_completion"


@dataclass(frozen=True)
class Span:
    """One period to draw (both ends included). `key` is the caller's handle for it."""

    key: int
    kind: str
    start: dt.date
    end: dt.date
    planned: bool = False
    title: str = ""


@dataclass(frozen=True)
class Frame:
    first: dt.date  # the first day shown
    last: dt.date  # the last day shown (included)
    left: float  # where the first day starts
    right: float  # where the last day ends

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class Bar:
    key: int
    kind: str
    title: str
    planned: bool
    start: dt.date
    end: dt.date
    x: float
    width: float
    y: float
    height: float
    row: int  # the row inside its lane, from 0


@dataclass(frozen=True)
class Lane:
    kind: str
    y: float
    height: float
    rows: int


@dataclass(frozen=True)
class Tick:
    """The first of January of `year`; `label_x` is the middle of the year's visible part."""

    year: int
    x: float
    label_x: float


@dataclass(frozen=True)
class Marker:
    name: str  # TODAY, ST_START or PLANNED_COMPLETION
    day: dt.date
    x: float
    label_y: float  # the baseline of its label, each on a line of its own below the lanes
    anchor: str  # "start", "middle" or "end": the label stays inside the drawing


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    frame: Frame
    lanes: tuple[Lane, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    markers: tuple[Marker, ...]
    axis_y: float  # where the year labels stand
    chart_top: float  # the top of the first lane
    chart_bottom: float  # the bottom of the last lane


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - DAY


def frame_for(days: Iterable[dt.date], *, left: float, right: float) -> Frame:
    """The whole months around every day given (at least one day must be given)."""
    found = list(days)
    if not found:
        raise ValueError("a frame needs at least one day")
    if right <= left:
        raise ValueError("a frame needs room")
    return Frame(_month_start(min(found)), _month_end(max(found)), left, right)


def x_of(frame: Frame, day: dt.date) -> float:
    """Where `day` starts; days outside the frame are held to its edges."""
    offset = min(max((day - frame.first).days, 0), frame.days)
    return frame.left + (frame.right - frame.left) * offset / frame.days


def _rows(spans: Sequence[Span]) -> list[int]:
    """The row of each span (in the order given, which is by start): the lowest row whose
    last bar ended before the span starts."""
    ends: list[dt.date] = []
    rows = []
    for span in spans:
        for row, end in enumerate(ends):
            if end < span.start:
                ends[row] = span.end
                rows.append(row)
                break
        else:
            ends.append(span.end)
            rows.append(len(ends) - 1)
    return rows


def _order(span: Span) -> tuple[dt.date, dt.date, bool, str, int]:
    return (span.start, span.end, span.planned, span.title, span.key)


def lay_out(
    spans: Iterable[Span],
    *,
    kinds: Sequence[str] = (),
    today: dt.date,
    st_start: dt.date | None = None,
    planned_completion: dt.date | None = None,
    width: float = 1000.0,
    label_width: float = 170.0,
    right_margin: float = 16.0,
    top: float = 44.0,
    row_height: float = 22.0,
    lane_gap: float = 10.0,
    bar_inset: float = 3.0,
    bottom: float = 10.0,
    label_line: float = 16.0,
    min_bar_width: float = 3.0,
) -> Layout:
    """Lay out the periods. Without any date at all (no period, no ST start or planned
    completion) the frame is the year around today."""
    spans = sorted(spans, key=_order)
    for span in spans:
        if span.end < span.start:
            raise ValueError("a period ends on or after its start")
    days = [d for s in spans for d in (s.start, s.end)]
    days += [d for d in (st_start, planned_completion) if d is not None]
    if not days:
        days = [today - dt.timedelta(days=182), today + dt.timedelta(days=182)]
    frame = frame_for(days, left=label_width, right=width - right_margin)

    present = {span.kind for span in spans}
    order = [kind for kind in dict.fromkeys(kinds) if kind in present]
    order += sorted(present - set(order))

    lanes: list[Lane] = []
    bars: list[Bar] = []
    y = top
    for kind in order:
        own = [span for span in spans if span.kind == kind]
        rows = _rows(own)
        count = max(rows) + 1
        height = count * row_height
        lanes.append(Lane(kind, y, height, count))
        for span, row in zip(own, rows, strict=True):
            x = x_of(frame, span.start)
            end_x = x_of(frame, span.end + DAY)
            bar_width = max(end_x - x, min_bar_width)
            x = min(x, frame.right - bar_width)
            bars.append(
                Bar(
                    key=span.key,
                    kind=kind,
                    title=span.title,
                    planned=span.planned,
                    start=span.start,
                    end=span.end,
                    x=x,
                    width=bar_width,
                    y=y + row * row_height + bar_inset,
                    height=row_height - 2 * bar_inset,
                    row=row,
                )
            )
        y += height + lane_gap
    chart_bottom = y - lane_gap if lanes else top + row_height

    ticks = []
    for year in range(frame.first.year, frame.last.year + 1):
        start = max(dt.date(year, 1, 1), frame.first)
        end = min(dt.date(year, 12, 31), frame.last)
        x = x_of(frame, dt.date(year, 1, 1))
        label_x = (x_of(frame, start) + x_of(frame, end + DAY)) / 2
        ticks.append(Tick(year, x, label_x))

    shown = [
        (name, day)
        for name, day in (
            (ST_START, st_start),
            (TODAY, today),
            (PLANNED_COMPLETION, planned_completion),
        )
        if day is not None and frame.first <= day <= frame.last
    ]
    markers = []
    for number, (name, day) in enumerate(shown, start=1):
        x = x_of(frame, day)
        share = (x - frame.left) / (frame.right - frame.left)
        anchor = "start" if share < 0.2 else "end" if share > 0.8 else "middle"
        markers.append(Marker(name, day, x, chart_bottom + number * label_line, anchor))
    return Layout(
        width=width,
        height=chart_bottom + len(markers) * label_line + bottom,
        frame=frame,
        lanes=tuple(lanes),
        bars=tuple(bars),
        ticks=tuple(ticks),
        markers=tuple(markers),
        axis_y=top / 2,
        chart_top=top,
        chart_bottom=chart_bottom,
    )
