"""The secondment plan's rules (SPEC 5 P7), pure: plain data in, decisions out.

- A secondment planned without an end date lasts its kind's default length (seed 004: internal
  medicine 16 weeks, psychiatry 12 weeks): it ends on the day before the same weekday that many
  weeks later, so a 16-week secondment from a Monday ends on a Sunday 112 days on.
- A kind that the trainee's specialty and curriculum version require, and that has no
  secondment planned, is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable


def default_end(start: dt.date, weeks: int) -> dt.date:
    """The last day of a secondment of `weeks` weeks (at least one) from `start`, included."""
    return start + dt.timedelta(days=7 * max(weeks, 1) - 1)


def missing_kinds(required: Iterable[str], planned: Collection[str]) -> list[str]:
    """The required kinds (by code, in the order given, each once) with nothing planned."""
    missing: list[str] = []
    for code in required:
        if code not in planned and code not in missing:
            missing.append(code)
    return missing


def weeks_between(start: dt.date, end: dt.date) -> float:
    """The length of a period in weeks, both ends included (for display)."""
    return ((end - start).days + 1) / 7
