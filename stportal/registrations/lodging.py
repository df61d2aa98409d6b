"""Lodging for participants from home units away from the host site (C20), as pure functions.

Lodging is paid from the central ST budget. By default a participant sleeps at the host site
the night before each course day they hold a seat for; staff adjust that per participant
(arriving the evening before, leaving early) by adding and skipping nights, kept apart from
the default so that a course given up later still drops its own night. Nights in a row make
one stay (one hotel booking). The nightly rate is the course week's setting, passed in.
Plain data in, plain data out: no ORM, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stportal.registrations.rules import CoreError, require_date, require_non_negative

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
    for) a seat on. `key` identifies them to the caller (a registration id). `extra_nights`
    and `skipped_nights` are staff's adjustments to the default nights."""

    key: int
    name: str
    home_unit: str
    days: tuple[dt.date, ...]
    extra_nights: tuple[dt.date, ...] = ()
    skipped_nights: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class GuestNights:
    guest: Guest
    nights: tuple[dt.date, ...]
    stays: tuple[Stay, ...]
    cost: int
    default_nights: tuple[dt.date, ...] = ()

    @property
    def adjusted(self) -> bool:
        """Staff changed this guest's nights from the default."""
        return self.nights != self.default_nights


@dataclass(frozen=True)
class UnitCost:
    """What one home unit's participants cost in lodging (paid centrally, reported per unit)."""

    home_unit: str
    people: int
    nights: int
    cost: int


@dataclass(frozen=True)
class LodgingSummary:
    guests: tuple[GuestNights, ...]
    rooms_per_night: tuple[tuple[dt.date, int], ...]  # night → rooms needed, in date order
    total_nights: int
    total_cost: int
    nightly_rate: int
    units: tuple[UnitCost, ...] = ()  # per home unit, by name


def nights_before(days: Iterable[dt.date]) -> tuple[dt.date, ...]:
    """C20: the night before each course day, each night once, in date order."""
    return tuple(sorted({day - ONE_DAY for day in days}))


def adjusted_nights(
    default: Iterable[dt.date], *, extra: Iterable[dt.date] = (), skipped: Iterable[dt.date] = ()
) -> tuple[dt.date, ...]:
    """The default nights with staff's adjustments: extra nights added, skipped ones left out."""
    return tuple(sorted((set(default) | set(extra)) - set(skipped)))


def adjustment_for(
    default: Iterable[dt.date], chosen: Iterable[dt.date]
) -> tuple[tuple[dt.date, ...], tuple[dt.date, ...]]:
    """The (extra, skipped) nights that turn `default` into exactly `chosen`."""
    base, wanted = set(default), set(chosen)
    return tuple(sorted(wanted - base)), tuple(sorted(base - wanted))


def possible_nights(first_day: dt.date, last_day: dt.date) -> tuple[dt.date, ...]:
    """The nights staff may book for a week: from the evening before its first day to the
    night after its last (for those who cannot travel home the same evening)."""
    require_date("first_day", first_day)
    require_date("last_day", last_day)
    if last_day < first_day:
        raise ValueError("last_day is before first_day")
    count = (last_day - first_day).days + 2
    return tuple(first_day - ONE_DAY + ONE_DAY * i for i in range(count))


def check_nights(nights: Iterable[dt.date], *, first_day: dt.date, last_day: dt.date) -> None:
    """Refuse a night outside `possible_nights` of the week (`night_outside_week`)."""
    allowed = set(possible_nights(first_day, last_day))
    outside = sorted(night for night in set(nights) if night not in allowed)
    if outside:
        listed = ", ".join(night.isoformat() for night in outside)
        raise CoreError("night_outside_week", f"Natten {listed} ligger utanför kursveckan.")


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


def lodging_summary(guests: Iterable[Guest], *, nightly_rate: int) -> LodgingSummary:
    """Each guest's nights, stays and cost, the rooms needed per night, the cost per home
    unit, and the totals, at the week's `nightly_rate`.

    Guests without nights are left out, unless staff's adjustments took their nights away
    (they stay on the list, at no cost, so the change can be seen and undone). Guests come
    back sorted by name, then key, so the list reads the same every time.
    """
    require_non_negative("nightly_rate", nightly_rate)
    rows: list[GuestNights] = []
    rooms: Counter[dt.date] = Counter()
    for guest in sorted(guests, key=lambda g: (g.name.casefold(), g.key)):
        default = nights_before(guest.days)
        nights = adjusted_nights(default, extra=guest.extra_nights, skipped=guest.skipped_nights)
        if not nights and not default:
            continue
        rows.append(
            GuestNights(
                guest=guest,
                nights=nights,
                stays=stays_for(nights),
                cost=len(nights) * nightly_rate,
                default_nights=default,
            )
        )
        rooms.update(nights)
    per_unit: dict[str, list[GuestNights]] = {}
    for row in rows:
        per_unit.setdefault(row.guest.home_unit, []).append(row)
    units = tuple(
        UnitCost(
            home_unit=name,
            people=sum(1 for row in unit_rows if row.nights),
            nights=sum(len(row.nights) for row in unit_rows),
            cost=sum(row.cost for row in unit_rows),
        )
        for name, unit_rows in sorted(per_unit.items(), key=lambda item: item[0].casefold())
    )
    total_nights = sum(len(row.nights) for row in rows)
    return LodgingSummary(
        guests=tuple(rows),
        rooms_per_night=tuple(sorted(rooms.items())),
        total_nights=total_nights,
        total_cost=total_nights * nightly_rate,
        nightly_rate=nightly_rate,
        units=units,
    )
