"""What happens to seats after allocation (C10–C12) and which line states may follow which.

The pure decision core, like `allocation`: no Django, no clock (`now` is passed in, always
timezone-aware), deterministic. The service layer takes the course lock, reads the waiting list
in order and the seats taken, asks these functions what to do, and writes the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from stportal.registrations.rules import CoreError, LineState, require_aware, require_non_negative

__all__ = [
    "DEFAULT_OFFER_HOURS",
    "REOPEN_TRANSITIONS",
    "TRANSITIONS",
    "CoreError",
    "LineState",
    "Promotion",
    "can_transition",
    "check_capacity_change",
    "check_offer_acceptable",
    "check_transition",
    "lapsed_offers",
    "lines_not_seated_at_start",
    "offer_lapsed",
    "place_late_request",
    "promote",
    "waitlist_positions",
]

_STOCKHOLM = ZoneInfo("Europe/Stockholm")

DEFAULT_OFFER_HOURS = 48  # C11: an offer lapses 48 hours after it was made (configurable)

S = LineState

# Section 4, "Line states", plus one change the rules imply but the list leaves out:
# pending → cancelled (C6 edits and C14 cancellations of lines not yet allocated, C4 organiser
# cancellation); without it a trainee could not cancel before allocation.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    S.PENDING: frozenset({S.CONFIRMED, S.WAITLISTED, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.CONFIRMED, S.OFFERED, S.CANCELLED, S.NOT_SEATED}),
    S.OFFERED: frozenset({S.CONFIRMED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.CANCELLED, S.NO_SHOW, S.PASSED, S.NOT_PASSED, S.INCOMPLETE}),
    S.INCOMPLETE: frozenset({S.PASSED, S.NOT_PASSED}),
    S.CANCELLED: frozenset(),
    S.NOT_SEATED: frozenset(),
    S.NO_SHOW: frozenset(),
    S.PASSED: frozenset(),
    S.NOT_PASSED: frozenset(),
}

# C17: staff may reopen a closed register, and "fees follow the corrected record": a result or a
# no-show goes back to confirmed (then to the corrected result). Only with `reopening=True`.
REOPEN_TRANSITIONS: Mapping[str, frozenset[str]] = {
    S.NO_SHOW: frozenset({S.CONFIRMED}),
    S.PASSED: frozenset({S.CONFIRMED}),
    S.NOT_PASSED: frozenset({S.CONFIRMED}),
    S.INCOMPLETE: frozenset({S.CONFIRMED}),
}


def can_transition(from_status: str, to_status: str, *, reopening: bool = False) -> bool:
    """Whether a line may go from `from_status` to `to_status` (section 4, line states)."""
    if to_status in TRANSITIONS.get(from_status, frozenset()):
        return True
    return reopening and to_status in REOPEN_TRANSITIONS.get(from_status, frozenset())


def check_transition(from_status: str, to_status: str, *, reopening: bool = False) -> None:
    """Refuse a line-state change the rules do not allow (`invalid_transition`)."""
    if not can_transition(from_status, to_status, reopening=reopening):
        raise CoreError(
            "invalid_transition",
            f"Statusen kan inte ändras från {from_status!s} till {to_status!s}.",
        )


def place_late_request(
    *, free_seats: int, waiting_count: int
) -> Literal["confirmed", "waitlisted"]:
    """C10: after allocation a late line is seated at once if a seat is free and nobody waits;
    otherwise it joins the end of the waiting list (position `waiting_count + 1`)."""
    require_non_negative("free_seats", free_seats)
    require_non_negative("waiting_count", waiting_count)
    if free_seats > 0 and waiting_count == 0:
        return "confirmed"
    return "waitlisted"


@dataclass(frozen=True, slots=True)
class Promotion:
    """One waiting line moved up when a seat freed (C11): confirmed at once, or offered."""

    line_id: int
    status: Literal["confirmed", "offered"]
    at: dt.datetime  # confirmed_at or offered_at
    offer_expires_at: dt.datetime | None
    reason_code: str
    reason_text: str


def _local(instant: dt.datetime) -> str:
    return instant.astimezone(_STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def promote(
    *,
    waitlist: Sequence[int],
    free_seats: int,
    now: dt.datetime,
    cancellation_deadline_instant: dt.datetime,
    course_start_instant: dt.datetime,
    offer_hours: int = DEFAULT_OFFER_HOURS,
) -> list[Promotion]:
    """Give freed seats to the first on the waiting list, at once (C11; C12 after a raise).

    1. Nobody is promoted once the course has started (`now >= course_start_instant`): an empty
       list; the service then marks the waiting lines not seated (`lines_not_seated_at_start`).
    2. The first `free_seats` lines of `waitlist` (in its order) move up.
    3. Before the cancellation deadline instant the promotion is confirmed at once. From that
       instant on (inside the cancellation period) it is an offer that holds the seat and lapses
       `offer_hours` after `now` or when the course starts, whichever is first.
    """
    require_non_negative("free_seats", free_seats)
    require_aware("now", now)
    require_aware("cancellation_deadline_instant", cancellation_deadline_instant)
    require_aware("course_start_instant", course_start_instant)
    if isinstance(offer_hours, bool) or offer_hours <= 0:
        raise ValueError(f"offer_hours must be positive (got {offer_hours})")
    if len(set(waitlist)) != len(waitlist):
        raise ValueError("a line id appears more than once on the waiting list")
    if now >= course_start_instant:
        return []
    chosen = waitlist[:free_seats]
    if now < cancellation_deadline_instant:
        text = "Plats: först på reservlistan när en plats blev ledig"
        return [
            Promotion(line, "confirmed", now, None, "promoted_confirmed", text) for line in chosen
        ]
    expires_at = offer_expiry(
        offered_at=now, course_start_instant=course_start_instant, offer_hours=offer_hours
    )
    text = (
        "Erbjudande om plats: först på reservlistan när en plats blev ledig; "
        f"svara senast {_local(expires_at)}"
    )
    return [Promotion(line, "offered", now, expires_at, "promoted_offer", text) for line in chosen]


def offer_expiry(
    *, offered_at: dt.datetime, course_start_instant: dt.datetime, offer_hours: int
) -> dt.datetime:
    """C11: an offer lapses `offer_hours` after it was made or when the course starts,
    whichever is first. Read again whenever the course's days move (C4)."""
    require_aware("offered_at", offered_at)
    require_aware("course_start_instant", course_start_instant)
    return min(offered_at + dt.timedelta(hours=offer_hours), course_start_instant)


NOT_SEATED_REASON = "Ingen plats: kursen har börjat innan en plats blev ledig"


def lines_not_seated_at_start(
    *, waitlist: Sequence[int], now: dt.datetime, course_start_instant: dt.datetime
) -> list[int]:
    """C11: once the course has started, every line still waiting becomes `not_seated`."""
    require_aware("now", now)
    require_aware("course_start_instant", course_start_instant)
    if now < course_start_instant:
        return []
    return list(waitlist)


def waitlist_positions(waitlist: Sequence[int]) -> dict[int, int]:
    """1-based positions of a waiting list in its order (C9: each line shows its position)."""
    return {line: position for position, line in enumerate(waitlist, start=1)}


def offer_lapsed(offer_expires_at: dt.datetime, now: dt.datetime) -> bool:
    """C11: an offer has lapsed from its expiry instant on (`now >= offer_expires_at`)."""
    require_aware("offer_expires_at", offer_expires_at)
    require_aware("now", now)
    return now >= offer_expires_at


OFFER_LAPSED_REASON = "Erbjudandet gick ut utan svar; platsen gick vidare"


def lapsed_offers(offers: Iterable[tuple[int, dt.datetime]], *, now: dt.datetime) -> list[int]:
    """Line ids of the `(line_id, offer_expires_at)` offers that have lapsed at `now`, oldest
    expiry first (ties by line id), so the expiry command passes seats on in a fixed order."""
    lapsed = [(expires, line) for line, expires in offers if offer_lapsed(expires, now)]
    return [line for _, line in sorted(lapsed)]


def check_offer_acceptable(
    *, status: str, offer_expires_at: dt.datetime | None, now: dt.datetime
) -> None:
    """An offer can be accepted only while it stands: `offer_lapsed` once it has expired (C11),
    `invalid_transition` when the line holds no offer."""
    require_aware("now", now)
    if status != LineState.OFFERED or offer_expires_at is None:
        raise CoreError("invalid_transition", "Det finns inget erbjudande att svara på.")
    if offer_lapsed(offer_expires_at, now):
        raise CoreError("offer_lapsed", "Erbjudandet har gått ut.")


def check_capacity_change(*, new_capacity: int, seats_taken: int) -> int:
    """C12: capacity may be lowered only down to the seats taken (confirmed + offered).

    Returns the seats free under the new capacity; after a raise they go through `promote`.
    """
    require_non_negative("seats_taken", seats_taken)
    if isinstance(new_capacity, bool) or not isinstance(new_capacity, int):
        raise TypeError("new_capacity must be an int")
    if new_capacity < seats_taken:
        raise CoreError(
            "capacity_below_taken",
            f"Antalet platser kan inte bli {new_capacity}: {seats_taken} platser är redan tagna.",
        )
    return new_capacity - seats_taken
