"""Course days and their week (C2, C3, C4): pure rules, plain data in, decisions out.

A course is held on days of its week, Monday to Friday, each day once. Moving a week moves its
courses: when the first and the last day move by the same number of days, every course day
moves by it; otherwise the days stay where they are. Either way, a day that would fall outside
the week (or on a weekend) is named, and the move is refused.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Problem = Literal["outside", "weekend", "twice"]
SATURDAY = 5


@dataclass(frozen=True)
class DayProblem:
    day: dt.date
    problem: Problem


def check_days(
    days: Sequence[dt.date], *, week_start: dt.date, week_end: dt.date
) -> list[DayProblem]:
    """What is wrong with `days` as the days of a course of the week (C3): each day inside
    the week, a weekday, given once. In date order; one problem per day."""
    problems: list[DayProblem] = []
    counts = Counter(days)
    for day in sorted(counts):
        if not week_start <= day <= week_end:
            problems.append(DayProblem(day, "outside"))
        elif day.weekday() >= SATURDAY:
            problems.append(DayProblem(day, "weekend"))
        elif counts[day] > 1:
            problems.append(DayProblem(day, "twice"))
    return problems


@dataclass(frozen=True)
class WeekMove:
    """What moving a week does to its courses' days."""

    shift: dt.timedelta  # how far every course day moves (zero: they stay)
    days: Mapping[int, tuple[dt.date, ...]]  # each course's days after the move
    problems: Mapping[int, tuple[DayProblem, ...]]  # per course, days the move would strand

    @property
    def allowed(self) -> bool:
        return not self.problems

    @property
    def moves_days(self) -> bool:
        return bool(self.shift) and self.allowed


def plan_week_move(
    *,
    old_start: dt.date,
    old_end: dt.date,
    new_start: dt.date,
    new_end: dt.date,
    course_days: Mapping[int, Iterable[dt.date]],
) -> WeekMove:
    """C4 (Appendix A): moving a week by the same number of days at both ends moves every
    course day by that number; any other change keeps the days. Days that would then lie
    outside the new dates, or on a weekend, are the move's problems, per course."""
    shift = new_start - old_start
    if new_end - old_end != shift:
        shift = dt.timedelta(0)
    moved: dict[int, tuple[dt.date, ...]] = {}
    problems: dict[int, tuple[DayProblem, ...]] = {}
    for course_id, days in course_days.items():
        after = tuple(sorted(day + shift for day in days))
        moved[course_id] = after
        found = check_days(after, week_start=new_start, week_end=new_end)
        if found:
            problems[course_id] = tuple(found)
    return WeekMove(shift=shift, days=moved, problems=problems)
