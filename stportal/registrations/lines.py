"""The groups of registration line states and the questions asked of a line, written once
(SPEC 4, C6, C8, C11, C14). Services, selectors, pages, the API and e-mail ask these instead
of listing statuses of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from stportal.registrations import offers
from stportal.registrations.models import LineStatus

# Lines that hold or ask for a place: they may be cancelled or left (C14), they make a
# registration active (C6) and they are what a registered person is told about (C22).
ACTIVE = (
    LineStatus.PENDING,
    LineStatus.CONFIRMED,
    LineStatus.OFFERED,
    LineStatus.WAITLISTED,
)
CANCELLABLE = ACTIVE
# Every line but a cancelled one: the course's line in its registration (one at a time,
# backed by the database) and what keeps a registration taken for the week (C6).
NOT_CANCELLED = tuple(status for status in LineStatus.values if status != LineStatus.CANCELLED)
# Lines that take one of a course's seats (C8, C12, C13): an offer holds its seat until it
# is answered or lapses (C11).
SEAT_TAKING = (LineStatus.CONFIRMED, LineStatus.OFFERED)
# Lines that held a seat when the course was given: confirmed, or with a result or a no-show
# recorded. What a guest's region pays the week's seat price for (C23).
SEAT_HELD = (
    LineStatus.CONFIRMED,
    LineStatus.PASSED,
    LineStatus.NOT_PASSED,
    LineStatus.INCOMPLETE,
    LineStatus.NO_SHOW,
)


def is_active(status: str) -> bool:
    return status in ACTIVE


def takes_seat(status: str) -> bool:
    return status in SEAT_TAKING


def blocks_registering_again(statuses: Iterable[str]) -> bool:
    """C6: registering again for the week answers `registration_exists` while any line is
    not cancelled (a line left without a seat or with a result still belongs to the week);
    a registration whose lines are all cancelled is reopened with new lines instead."""
    return any(status in NOT_CANCELLED for status in statuses)


def offer_lapsed(*, status: str, offer_expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    """C11: an offer that is still stored as standing but whose time is up. Pages and the API
    show it as lapsed at once; nobody can accept it; the services and the `send-reminders`
    command write the lapse and pass the seat on."""
    return (
        status == LineStatus.OFFERED
        and offer_expires_at is not None
        and offers.offer_lapsed(offer_expires_at, now)
    )


def offer_open(*, status: str, offer_expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    """C11: an offer the trainee may still answer."""
    return (
        status == LineStatus.OFFERED
        and offer_expires_at is not None
        and not offers.offer_lapsed(offer_expires_at, now)
    )
