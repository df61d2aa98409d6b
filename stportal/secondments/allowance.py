"""The training allowance (ST-ersättning, SPEC 5 P8), pure: plain data in, decisions out.

Seed 004: "Utbildningstiden är 60 månader varav 18 månader är sidotjänstgöring." The region
pays the allowance for at most 60 months, of which at most 18 on secondment. The product shows
the months used and left, in total and of secondment, and warns (never blocks) when the plan
needs more than is left:

- in total: the months from today to the planned ST completion, against the months left;
- of secondment: the days of planned secondments from today on (overlaps counted once), in
  months, against the secondment months left.

A month is 365.25 / 12 days; a part of a month counts as a whole one (the region pays by
month), so a 16-week secondment needs 4 months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

TOTAL_MONTHS = 60
SECONDMENT_MONTHS = 18
DAYS_PER_MONTH = Fraction(36525, 1200)

# Problems with recorded amounts (the service words them).
NEGATIVE = "negative"
OVER_TOTAL = "over_total"
OVER_SECONDMENT = "over_secondment"
SECONDMENT_OVER_PAID = "secondment_over_paid"
QUEUE_POSITION = "queue_position"


@dataclass(frozen=True)
class Span:
    """A planned secondment, both ends included."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class AllowanceStatus:
    months_paid: int
    months_left: int
    secondment_months_paid: int
    secondment_months_left: int
    # What the plan needs from today on.
    months_needed: int
    secondment_months_needed: int

    @property
    def months_short(self) -> int:
        return max(self.months_needed - self.months_left, 0)

    @property
    def secondment_months_short(self) -> int:
        return max(self.secondment_months_needed - self.secondment_months_left, 0)

    @property
    def warns(self) -> bool:
        return self.months_short > 0 or self.secondment_months_short > 0


def months_of_days(days: int) -> int:
    """Whole months needed to pay `days` days (a part of a month counts as one)."""
    if days <= 0:
        return 0
    whole = Fraction(days) / DAYS_PER_MONTH
    return int(-(-whole.numerator // whole.denominator))


def days_from(today: dt.date, spans: Iterable[Span]) -> int:
    """The days of the spans on or after `today`, each day counted once."""
    parts = sorted((max(span.start, today), span.end) for span in spans if span.end >= today)
    total = 0
    covered_until: dt.date | None = None
    for start, end in parts:
        if covered_until is not None and start <= covered_until:
            start = covered_until + dt.timedelta(days=1)
        if end < start:
            continue
        total += (end - start).days + 1
        covered_until = end
    return total


def amount_problems(
    *, months_paid: int, secondment_months_paid: int, queue_position: int | None
) -> dict[str, str]:
    """What is wrong with recorded amounts, by field (empty: nothing)."""
    problems: dict[str, str] = {}
    if months_paid < 0:
        problems["months_paid"] = NEGATIVE
    elif months_paid > TOTAL_MONTHS:
        problems["months_paid"] = OVER_TOTAL
    if secondment_months_paid < 0:
        problems["secondment_months_paid"] = NEGATIVE
    elif secondment_months_paid > SECONDMENT_MONTHS:
        problems["secondment_months_paid"] = OVER_SECONDMENT
    elif secondment_months_paid > months_paid >= 0:
        problems["secondment_months_paid"] = SECONDMENT_OVER_PAID
    if queue_position is not None and queue_position < 1:
        problems["queue_position"] = QUEUE_POSITION
    return problems


def allowance_status(
    *,
    months_paid: int,
    secondment_months_paid: int,
    today: dt.date,
    planned_completion: dt.date | None,
    secondments: Iterable[Span] = (),
) -> AllowanceStatus:
    """Months used and left, and what the plan needs from `today` on."""
    paid = min(max(months_paid, 0), TOTAL_MONTHS)
    secondment_paid = min(max(secondment_months_paid, 0), SECONDMENT_MONTHS, paid)
    needed = 0
    if planned_completion is not None and planned_completion > today:
        needed = months_of_days((planned_completion - today).days)
    return AllowanceStatus(
        months_paid=paid,
        months_left=TOTAL_MONTHS - paid,
        secondment_months_paid=secondment_paid,
        secondment_months_left=SECONDMENT_MONTHS - secondment_paid,
        months_needed=needed,
        secondment_months_needed=months_of_days(days_from(today, secondments)),
    )
