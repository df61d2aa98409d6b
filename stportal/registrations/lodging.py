"""Lodging for participants from home units away from the host site (C20), as pure functions.

Lodging is paid from the central ST budget. By default a participant sleeps at the host site
the night before each course day they hold a seat for; nights in a row make one stay (one
hotel booking). Plain data in, plain data out: no ORM, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# What one night at the host site costs the central ST budget, in SEK. Used for the cost
# summary of the lodging list; the hotel's invoice is what is finally paid.
LODGING_NIGHTLY_RATE_SEK = 1200

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Stay:
    """Consecutive nights at one hotel: in on `check_in`, out on `check_out`."""

    check_in: dt.date
    check_out: dt.date

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


@dataclass(frozen=True)
class Guest:
    """Someone who needs lodging, with the course days they hold (or, before allocation, ask
    for) a seat on. `key` identifies them to the caller (a registration id)."""

    key: int
    name: str
    home_unit: str
    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class GuestNights:
    guest: Guest
    nights: tuple[dt.date, ...]
    stays: tuple[Stay, ...]
    cost: int


@dataclass(frozen=True)
class LodgingSummary:
    guests: tuple[GuestNights, ...]
    rooms_per_night: tuple[tuple[dt.date, int], ...]  # night → rooms needed, in date order
    total_nights: int
    total_cost: int
    nightly_rate: int


def nights_before(days: Iterable[dt.date]) -> tuple[dt.date, ...]:
    """C20: the night before each course day, each night once, in date order."""
    return tuple(sorted({day - ONE_DAY for day in days}))


def stays_for(nights: Sequence[dt.date]) -> tuple[Stay, ...]:
    """Group nights into stays: nights on consecutive dates share one stay."""
    ordered = sorted(set(nights))
    stays: list[Stay] = []
    for night in ordered:
        if stays and stays[-1].check_out == night:
            stays[-1] = Stay(stays[-1].check_in, night + ONE_DAY)
        else:
            stays.append(Stay(night, night + ONE_DAY))
    return tuple(stays)


def lodging_summary(
    guests: Iterable[Guest], *, nightly_rate: int = LODGING_NIGHTLY_RATE_SEK
) -> LodgingSummary:
    """Each guest's nights, stays and cost, the rooms needed per night, and the totals.

    Guests with no course day need no lodging and are left out. Guests come back sorted by
    name, then key, so the list reads the same every time.
    """
    if nightly_rate < 0:
        raise ValueError("nightly_rate must not be negative")
    rows: list[GuestNights] = []
    rooms: Counter[dt.date] = Counter()
    for guest in sorted(guests, key=lambda g: (g.name.casefold(), g.key)):
        nights = nights_before(guest.days)
        if not nights:
            continue
        rows.append(
            GuestNights(
                guest=guest,
                nights=nights,
                stays=stays_for(nights),
                cost=len(nights) * nightly_rate,
            )
        )
        rooms.update(nights)
    total_nights = sum(len(row.nights) for row in rows)
    return LodgingSummary(
        guests=tuple(rows),
        rooms_per_night=tuple(sorted(rooms.items())),
        total_nights=total_nights,
        total_cost=total_nights * nightly_rate,
        nightly_rate=nightly_rate,
    )
