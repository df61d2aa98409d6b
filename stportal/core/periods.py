"""Periods of a trainee's ST (SPEC 5 P6, P7, P11): placements, secondments, course weeks,
ST-days, research, quality-improvement work, parental leave and other absence, BT.

The timeline draws them and the study-time rule reads them (a week with a secondment, research,
a course week or an ST-day has no study time). Each app that holds such periods registers a
source in its `AppConfig.ready()`; core sits below every app, so the apps come to it.

A source is `fn(trainee_id) -> [Period, ...]` and answers in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

# The kinds of period (API and CSS words).
PLACEMENT = "placement"  # klinisk tjänstgöring
SECONDMENT = "secondment"  # sidotjänstgöring
COURSE_WEEK = "course_week"  # a course week of the programme with a seat held
ST_DAY = "st_day"  # an examined ST-day
COURSE = "course"  # another course (external, in the plan)
RESEARCH = "research"
QUALITY_WORK = "quality_work"
LEAVE = "leave"  # parental leave
ABSENCE = "absence"  # other absence
BT = "bt"  # bastjänstgöring (2021 trainees)
OTHER = "other"

KINDS = (
    PLACEMENT,
    SECONDMENT,
    COURSE_WEEK,
    ST_DAY,
    COURSE,
    RESEARCH,
    QUALITY_WORK,
    LEAVE,
    ABSENCE,
    BT,
    OTHER,
)


@dataclass(frozen=True)
class Period:
    """One period, both ends included. `title` is what a person reads (already in the active
    language); `source` and `source_id` say where it comes from (an app's word and its id);
    `planned` is true for what has not happened yet or is only planned."""

    kind: str
    start: dt.date
    end: dt.date
    title: str
    source: str
    source_id: int
    planned: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")


PeriodSource = Callable[[int], list[Period]]

_SOURCES: dict[str, PeriodSource] = {}


def register_period_source(name: str, source: PeriodSource) -> None:
    """Register (or replace) the source called `name`."""
    _SOURCES[name] = source


def periods_of(trainee_id: int) -> list[Period]:
    """Every period of the trainee's ST from every registered source, by start, end and kind."""
    found = [period for name in sorted(_SOURCES) for period in _SOURCES[name](trainee_id)]
    return sorted(found, key=lambda p: (p.start, p.end, p.kind, p.source, p.source_id))
