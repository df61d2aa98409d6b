"""The groups of line states and the offer checks, written once (issue 9; SPEC 4, C6, C8,
C11, C14)."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.core.dates import STOCKHOLM
from stportal.registrations import lines
from stportal.registrations.models import LineStatus

EXPIRES = dt.datetime(2027, 3, 12, 12, 0, tzinfo=STOCKHOLM)
TICK = dt.timedelta(microseconds=1)


def test_active_lines_are_the_ones_that_hold_or_ask_for_a_place():
    """C6, C14: pending, confirmed, offered and waiting lines; a result, a missed seat or a
    cancellation is not active."""
    assert set(lines.ACTIVE) == {"pending", "confirmed", "offered", "waitlisted"}
    assert lines.CANCELLABLE == lines.ACTIVE
    for status in ("cancelled", "not_seated", "no_show", "passed", "not_passed", "incomplete"):
        assert not lines.is_active(status)


def test_confirmed_and_offered_lines_take_seats():
    """C8, C11, C12: an offer holds its seat until answered or lapsed."""
    assert {s for s in LineStatus.values if lines.takes_seat(s)} == {"confirmed", "offered"}


@pytest.mark.parametrize(
    ("statuses", "blocks"),
    [
        ([], False),
        (["cancelled", "cancelled"], False),
        (["cancelled", "pending"], True),
        (["not_seated"], True),
        (["cancelled", "passed"], True),
    ],
)
def test_registering_again_is_refused_while_any_line_is_not_cancelled(statuses, blocks):
    """C6: only a registration whose lines are all cancelled is reopened."""
    assert lines.blocks_registering_again(statuses) is blocks


def test_an_offer_has_lapsed_from_its_expiry_instant_on():
    """C11: nobody can accept an offer at or after its expiry, even before anything has
    written the lapse."""
    before, at = EXPIRES - TICK, EXPIRES
    assert lines.offer_open(status="offered", offer_expires_at=EXPIRES, now=before)
    assert not lines.offer_lapsed(status="offered", offer_expires_at=EXPIRES, now=before)
    assert lines.offer_lapsed(status="offered", offer_expires_at=EXPIRES, now=at)
    assert not lines.offer_open(status="offered", offer_expires_at=EXPIRES, now=at)
    # Only a standing offer can lapse or be open.
    assert not lines.offer_lapsed(status="confirmed", offer_expires_at=EXPIRES, now=at)
    assert not lines.offer_open(status="cancelled", offer_expires_at=EXPIRES, now=before)
    assert not lines.offer_lapsed(status="offered", offer_expires_at=None, now=at)
