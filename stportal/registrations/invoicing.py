"""What a guest's region owes the host region for a course week (C23), as a pure rule.

A trainee of another region, seated on a week opened to it, is invoiced to their region at the
week's price per seat for each course they held a seat on at its start (confirmed, or with a
result or a no-show recorded), at the week's guest price per lodging night for the nights the
lodging list gives them (C20), and with any late-cancellation or no-show fee charged to their
home unit (C14). Plain data in, plain data out: no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stportal.registrations.rules import require_non_negative


@dataclass(frozen=True, slots=True)
class GuestRegistration:
    """One guest registration as the invoice sees it."""

    region: str
    course_week_id: int
    course_week: str
    registration_id: int
    trainee_name: str
    home_unit: str
    seats: int
    nights: int
    fees: int

    def __post_init__(self) -> None:
        require_non_negative("seats", self.seats)
        require_non_negative("nights", self.nights)
        require_non_negative("fees", self.fees)


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    region: str
    course_week_id: int
    course_week: str
    registration_id: int
    trainee_name: str
    home_unit: str
    seats: int
    seat_price: int
    nights: int
    nightly_rate: int
    fees: int
    amount: int


def invoice_row(guest: GuestRegistration, *, seat_price: int, nightly_rate: int) -> InvoiceRow:
    """The amount owed for one guest registration: seats × price, nights × rate, and fees."""
    require_non_negative("seat_price", seat_price)
    require_non_negative("nightly_rate", nightly_rate)
    return InvoiceRow(
        region=guest.region,
        course_week_id=guest.course_week_id,
        course_week=guest.course_week,
        registration_id=guest.registration_id,
        trainee_name=guest.trainee_name,
        home_unit=guest.home_unit,
        seats=guest.seats,
        seat_price=seat_price,
        nights=guest.nights,
        nightly_rate=nightly_rate,
        fees=guest.fees,
        amount=guest.seats * seat_price + guest.nights * nightly_rate + guest.fees,
    )


def owed_per_region(rows: Iterable[InvoiceRow]) -> dict[str, int]:
    """What each region owes in all, by region name, in name order."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.region] = totals.get(row.region, 0) + row.amount
    return dict(sorted(totals.items()))
