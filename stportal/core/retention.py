"""How long personal data is kept, and whether a person is past it (GDPR art. 5(1)(e),
SPEC 7; docs/privacy.md "Retention and erasure").

Pure: plain facts in, a decision out; `today` is always passed in. The periods come from the
settings (`STPORTAL_RETENTION_*`), read by the caller.

- A person (their whole record) is kept while their account is active, and then for
  `person_years` after the last thing of theirs changed or the end of their ST, whichever is
  later: the specialist application and copies of certificates are asked for years after the
  course. Past that, the person is anonymised; the rows that statistics and the fee ledger
  need stay, without the person.
- A sent e-mail's address, subject and text are kept for `outbox_days`, for everyone: long
  enough to answer "what was I told?", short enough that the outbox is no archive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_PERSON_YEARS = 10
DEFAULT_OUTBOX_DAYS = 730

# Why a person is not (yet) past retention.
ACTIVE = "active"
ANONYMISED = "anonymised"
WITHIN = "within_period"
PAST = "past_retention"


@dataclass(frozen=True)
class RetentionPeriods:
    person_years: int = DEFAULT_PERSON_YEARS
    outbox_days: int = DEFAULT_OUTBOX_DAYS

    def __post_init__(self) -> None:
        if self.person_years < 1:
            raise ValueError("person_years must be at least 1")
        if self.outbox_days < 1:
            raise ValueError("outbox_days must be at least 1")


@dataclass(frozen=True)
class PersonFacts:
    """What decides a person's retention, read from the database by a selector.

    `last_activity`: the latest of their log-in, their account's creation and every change
    to a record of theirs (registrations, fees, results, certificates, the ST record, the
    audit trail about them). `st_completed`: the end of their ST (its planned completion),
    None for someone who is no trainee.
    """

    active: bool
    anonymised: bool
    last_activity: dt.date | None
    st_completed: dt.date | None = None


@dataclass(frozen=True)
class RetentionDecision:
    past: bool
    reason: str  # ACTIVE, ANONYMISED, WITHIN or PAST
    # The first day the person is past retention: None while the account is active (the
    # period has not started) or once they are anonymised.
    from_date: dt.date | None


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` moved `years` on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def person_retention(
    facts: PersonFacts, periods: RetentionPeriods, *, today: dt.date
) -> RetentionDecision:
    """Whether the person is past retention on `today`, and from which day."""
    if facts.anonymised:
        return RetentionDecision(past=False, reason=ANONYMISED, from_date=None)
    if facts.active:
        return RetentionDecision(past=False, reason=ACTIVE, from_date=None)
    known = [day for day in (facts.last_activity, facts.st_completed) if day is not None]
    # Nothing known of when they were last active: keep them (a missing date never erases).
    if not known:
        return RetentionDecision(past=False, reason=WITHIN, from_date=None)
    from_date = add_years(max(known), periods.person_years) + dt.timedelta(days=1)
    if today >= from_date:
        return RetentionDecision(past=True, reason=PAST, from_date=from_date)
    return RetentionDecision(past=False, reason=WITHIN, from_date=from_date)


def outbox_cutoff(periods: RetentionPeriods, *, today: dt.date) -> dt.date:
    """Sent e-mail created before this day is cleared of address, subject and text."""
    return today - dt.timedelta(days=periods.outbox_days)
