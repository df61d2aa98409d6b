"""The pure rules of competence assessments (SPEC 5 P12): plain data in, decisions out, no
Django, time passed in.

- The kinds and the scale of independence the assessor judges on.
- Whether an assessor link still opens the form (`link_state`): only a pending request whose
  link has not expired; otherwise the reason, so the page can say it.
- The year's count against the region's expectation, and whether the trainee is behind
  (`year_progress`): the expectation is spread evenly over the calendar year, so a trainee
  expected to have four a year is behind in May with none, not only in December.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

MINI_CEX = "mini_cex"
CBD = "cbd"
DOPS = "dops"
MSF = "msf"
KINDS = (MINI_CEX, CBD, DOPS, MSF)

# The assessor's judgement of the trainee's degree of independence in what was assessed: a
# fixed three-step scale, the words Swedish supervisors use ("under direkt handledning", "med
# handledning vid behov", "självständigt").
DIRECT_SUPERVISION = "direct_supervision"
SUPERVISION_ON_REQUEST = "supervision_on_request"
INDEPENDENT = "independent"
INDEPENDENCE = (DIRECT_SUPERVISION, SUPERVISION_ON_REQUEST, INDEPENDENT)

REQUESTED = "requested"
COMPLETED = "completed"
WITHDRAWN = "withdrawn"
STATUSES = (REQUESTED, COMPLETED, WITHDRAWN)

# What a link answers.
OPEN = "open"
USED = "used"
EXPIRED = "expired"


def link_state(status: str, expires_at: dt.datetime | None, now: dt.datetime) -> str:
    """`open` only for a pending request whose link has not expired; `used` once it is
    completed, `withdrawn` when the trainee withdrew it, `expired` past its time."""
    if status == COMPLETED:
        return USED
    if status == WITHDRAWN:
        return WITHDRAWN
    if expires_at is None or now >= expires_at:
        return EXPIRED
    return OPEN


def link_expires(sent_at: dt.datetime, days: int) -> dt.datetime:
    """A link sent at `sent_at` works for `days` days (at least one)."""
    return sent_at + dt.timedelta(days=max(days, 1))


@dataclass(frozen=True)
class YearProgress:
    year: int
    done: int
    expected: int
    # How many the trainee should have by now, the expectation spread over the year.
    due_by_now: int

    @property
    def behind(self) -> bool:
        return self.done < self.due_by_now

    @property
    def missing(self) -> int:
        return max(self.due_by_now - self.done, 0)


def due_by(expected: int, today: dt.date) -> int:
    """The part of a year's expectation due by the end of `today` (rounded down): nought on
    the first days of January when the expectation is small, all of it on 31 December."""
    expected = max(expected, 0)
    start = dt.date(today.year, 1, 1)
    days_in_year = (dt.date(today.year + 1, 1, 1) - start).days
    elapsed = (today - start).days + 1
    return expected * elapsed // days_in_year


def year_progress(completed_on: Iterable[dt.date], expected: int, today: dt.date) -> YearProgress:
    """The completed assessments of `today`'s calendar year against the expectation."""
    done = sum(1 for day in completed_on if day.year == today.year)
    return YearProgress(
        year=today.year,
        done=done,
        expected=max(expected, 0),
        due_by_now=due_by(expected, today),
    )
