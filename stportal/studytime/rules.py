"""Study time (SPEC 5 P6, seed 004 "Kompetensutvecklingstid"): the entitlement per week.

Plain data in, decisions out; no Django, no database, no clock.

1. A full-time trainee is entitled to 4 hours a week; a part-time one pro rata by employment
   percent, rounded to the nearest quarter of an hour, halves up (75 % -> 3 h; 60 % -> 2.4 h
   -> 2.5 h; 10 % -> 0.4 h -> 0.5 h). Percentages outside 0..100 are held to those bounds.
2. Weeks start on Monday; a week is named by its Monday's date.
3. A week has no study time when a secondment, research, a course week, an ST-day, parental
   leave or other absence covers at least one of its working days (Monday to Friday): seed
   004 says the time lapses "när du gör sidotjänstgöring, FoU eller går andra kurser ...
   Detsamma gäller de veckor du har ST-dag". A period covering only a Saturday or Sunday
   does not block the week. Each zero week names every period that blocked it.
4. Entitlements are whole minutes (quarter hours), so totals add up exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stportal.core.periods import (
    ABSENCE,
    COURSE_WEEK,
    LEAVE,
    RESEARCH,
    SECONDMENT,
    ST_DAY,
    Period,
)

FULL_TIME_MINUTES = 4 * 60
QUARTER = 15
WORKING_DAYS = 5  # Monday to Friday
# The kinds of period that take the week's study time, in the order reasons are given.
BLOCKING_KINDS = (SECONDMENT, RESEARCH, COURSE_WEEK, ST_DAY, LEAVE, ABSENCE)


@dataclass(frozen=True)
class Reason:
    """Why a week has no study time: the kind of period and its title as a person reads it."""

    kind: str
    title: str


@dataclass(frozen=True)
class Week:
    """One week: its Monday, the minutes of study time it gives, and why it gives none."""

    week: dt.date
    entitled_minutes: int
    reasons: tuple[Reason, ...] = ()

    @property
    def blocked(self) -> bool:
        return bool(self.reasons)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_minutes(employment_percent: int) -> int:
    """Rule 1: a full week's study time at this employment percent, in minutes, rounded to
    the nearest quarter hour (halves up)."""
    percent = min(max(employment_percent, 0), 100)
    # FULL_TIME_MINUTES * percent / 100 / QUARTER quarters, rounded half up in integers.
    quarters = (FULL_TIME_MINUTES * percent * 2 + 100 * QUARTER) // (2 * 100 * QUARTER)
    return quarters * QUARTER


def mondays(start: dt.date, end: dt.date) -> list[dt.date]:
    """The Mondays of every week that has at least one day in `start`..`end`."""
    found = []
    monday = monday_of(start)
    while monday <= end:
        found.append(monday)
        monday += dt.timedelta(days=7)
    return found


def _blocks(period: Period, monday: dt.date) -> bool:
    """Rule 3: the period covers at least one working day of the week."""
    friday = monday + dt.timedelta(days=WORKING_DAYS - 1)
    return period.start <= friday and period.end >= monday


def weeks_of(
    *,
    start: dt.date,
    end: dt.date,
    employment_percent: int,
    periods: Iterable[Period],
) -> list[Week]:
    """The study time of every week with a day in `start`..`end`, in order."""
    full = weekly_minutes(employment_percent)
    blocking = sorted(
        (p for p in periods if p.kind in BLOCKING_KINDS),
        key=lambda p: (BLOCKING_KINDS.index(p.kind), p.start, p.end, p.title),
    )
    found = []
    for monday in mondays(start, end):
        reasons: list[Reason] = []
        for period in blocking:
            reason = Reason(period.kind, period.title)
            if _blocks(period, monday) and reason not in reasons:
                reasons.append(reason)
        found.append(Week(monday, 0 if reasons else full, tuple(reasons)))
    return found


def total_minutes(weeks: Sequence[Week]) -> int:
    return sum(week.entitled_minutes for week in weeks)


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar quarter holding `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    if first_month == 10:
        return start, dt.date(day.year, 12, 31)
    return start, dt.date(day.year, first_month + 3, 1) - dt.timedelta(days=1)
