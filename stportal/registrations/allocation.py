"""Priority and seat allocation for a course week (C8–C10, C23): the pure decision core.

Plain data in, decisions out: no Django, no database, no clock. The service layer reads the
pending lines of each course under its lock, calls `allocate_week` (or `allocate_course`) and
writes the placements back. Everything here is deterministic: the same requests in any order give
the same result, because every ordering ends in unique ids (registration id, then line id).

Idempotence (C8, "running it twice changes nothing"): allocation only ever places lines that are
still *pending*, and counts seats already taken (confirmed + offered) as taken. After a real run
there are no pending lines left, so a second run places nothing. Even if the lines that were put
on the waiting list were fed in again, they would find no free seat (a waiting list exists only
when the course is full) and get the same positions in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any, Literal

from stportal.registrations.rules import (
    CoreError,
    require_aware,
    require_date,
    require_non_negative,
)

__all__ = [
    "DEFAULT_POLICY",
    "CoreError",
    "CourseAllocation",
    "Placement",
    "Policy",
    "PriorityKey",
    "ReasonCode",
    "Request",
    "allocate_course",
    "allocate_week",
    "is_guest",
    "months_served",
    "order_requests",
    "parse_policy",
    "priority_key",
    "reason_after_allocation",
    "reason_text",
]


class Policy(StrEnum):
    """C9 and Appendix B: the priority rule, a setting of the course series."""

    SHORTEST_REMAINING = "shortest_remaining"  # the seed's LEKA rule, the default
    LONGEST_SERVED = "longest_served"  # Socialstyrelsen's SK courses
    SHORTEST_SERVED = "shortest_served"  # Socialstyrelsen's SK courses meant for early ST
    MONTHS_SERVED_FEWEST_COURSES = "months_served_fewest_courses"  # a specialty society


DEFAULT_POLICY = Policy.SHORTEST_REMAINING


class ReasonCode(StrEnum):
    """Which rule placed a line (C9: each line carries a short reason shown to its trainee)."""

    WITHIN_CAPACITY = "within_capacity"  # C9, first sentence: no more on-time requests than seats
    PRIORITY_SEAT = "priority_seat"  # C9: seated by priority
    PRIORITY_WAIT = "priority_wait"  # C9: waits by priority
    LATE_SEAT = "late_seat"  # C10: late, seated with a seat left after every on-time line
    LATE_WAIT = "late_wait"  # C10: late, waits after every on-time line
    # C7: on time, but made after allocation had run (staff extended the deadline): placed at
    # once like a late line, yet its reason says on time, since lateness is kept as made.
    AFTER_ALLOCATION_SEAT = "after_allocation_seat"
    AFTER_ALLOCATION_WAIT = "after_allocation_wait"
    # C23: a trainee of another region, on time, seated space permitting after every on-time
    # line of the host region's own trainees, by the same priority among the guests.
    GUEST_SEAT = "guest_seat"
    GUEST_WAIT = "guest_wait"


# Short Swedish texts for the trainee; the service may translate by `reason_code` instead.
_SEAT_TEXT = {
    Policy.SHORTEST_REMAINING: "Plats: kortast återstående tid till planerat ST-slut",
    Policy.LONGEST_SERVED: "Plats: längst tjänstgöringstid i ST",
    Policy.MONTHS_SERVED_FEWEST_COURSES: (
        "Plats: flest tjänstgjorda månader i ST, därefter färst tidigare kurser"
    ),
    Policy.SHORTEST_SERVED: "Plats: kortast tjänstgöringstid i ST (kurs för tidig ST)",
}
_WAIT_TEXT = {
    Policy.SHORTEST_REMAINING: (
        "Reservlista: fler anmälningar än platser; turordning efter kortast återstående tid "
        "till planerat ST-slut"
    ),
    Policy.LONGEST_SERVED: (
        "Reservlista: fler anmälningar än platser; turordning efter längst tjänstgöringstid i ST"
    ),
    Policy.MONTHS_SERVED_FEWEST_COURSES: (
        "Reservlista: fler anmälningar än platser; turordning efter flest tjänstgjorda månader "
        "i ST, därefter färst tidigare kurser"
    ),
    Policy.SHORTEST_SERVED: (
        "Reservlista: fler anmälningar än platser; turordning efter kortast tjänstgöringstid "
        "i ST (kurs för tidig ST)"
    ),
}
_FIXED_TEXT = {
    ReasonCode.WITHIN_CAPACITY: "Plats: inte fler anmälningar i tid än platser",
    ReasonCode.LATE_SEAT: "Plats i mån av plats: sen anmälan, efter alla anmälningar i tid",
    ReasonCode.LATE_WAIT: "Reservlista: sen anmälan, efter alla anmälningar i tid",
    ReasonCode.AFTER_ALLOCATION_SEAT: (
        "Plats: anmälan i tid efter att platserna fördelats; en plats var ledig"
    ),
    ReasonCode.AFTER_ALLOCATION_WAIT: (
        "Reservlista: anmälan i tid efter att platserna fördelats; sist i kön"
    ),
    ReasonCode.GUEST_SEAT: (
        "Plats i mån av plats: anmälan från en annan region, efter värdregionens anmälningar i tid"
    ),
    ReasonCode.GUEST_WAIT: (
        "Reservlista: anmälan från en annan region, efter värdregionens anmälningar i tid"
    ),
}


def reason_after_allocation(*, late: bool, seated: bool) -> ReasonCode:
    """Why a line made after allocation has run was seated or put last in the queue (C10).

    Lateness was decided when the line was made and is kept (C7): a line made on time, after
    staff extended the deadline of an allocated week, gets an on-time reason, never a late one.
    """
    if late:
        return ReasonCode.LATE_SEAT if seated else ReasonCode.LATE_WAIT
    return ReasonCode.AFTER_ALLOCATION_SEAT if seated else ReasonCode.AFTER_ALLOCATION_WAIT


def is_guest(*, home_region_id: int, host_region_id: int) -> bool:
    """C23: a registration is a guest's when its home unit (which pays) lies in another region
    than the one hosting the course week."""
    return home_region_id != host_region_id


def parse_policy(policy: str) -> Policy:
    """The series' stored policy word as a `Policy`; an unknown word is refused."""
    try:
        return Policy(policy)
    except ValueError:
        raise CoreError("unknown_policy", f"Okänd prioriteringsregel: {policy!r}.") from None


def reason_text(code: str, *, policy: str = DEFAULT_POLICY) -> str:
    """The Swedish reason shown to the trainee for a placement `code` under `policy`."""
    reason = ReasonCode(code)
    if reason is ReasonCode.PRIORITY_SEAT:
        return _SEAT_TEXT[parse_policy(policy)]
    if reason is ReasonCode.PRIORITY_WAIT:
        return _WAIT_TEXT[parse_policy(policy)]
    return _FIXED_TEXT[reason]


@dataclass(frozen=True, slots=True)
class Request:
    """One registration line asking for a seat in one course, with what priority needs.

    `requested_at` is the line's own registration time (C6: reopened registrations get new lines
    with their own time); `late` was decided when the line was made and is kept (C7).
    `planned_completion` is the trainee's confirmed date when allocation runs (C5a). `guest`
    is true for a trainee of another region than the week's host (C23). The other fields serve
    the alternative policies of Appendix B.
    """

    line_id: int
    registration_id: int
    trainee_id: int
    requested_at: dt.datetime
    late: bool
    planned_completion: dt.date
    st_start: dt.date | None = None
    employment_percent: int = 100
    credited_months: int = 0
    courses_taken: int = 0
    guest: bool = False

    def __post_init__(self) -> None:
        require_aware("requested_at", self.requested_at)
        require_date("planned_completion", self.planned_completion)
        if self.st_start is not None:
            require_date("st_start", self.st_start)
        if not 1 <= self.employment_percent <= 100:
            raise ValueError(f"employment_percent must be 1–100 (got {self.employment_percent})")
        require_non_negative("credited_months", self.credited_months)
        require_non_negative("courses_taken", self.courses_taken)


# A sort key: smaller sorts first. The first element is the line's group: 0 for the host
# region's on-time lines, 1 for guests' on-time lines (C23), 2 for late lines, so a guest never
# outranks a host's on-time line and a late line never outranks an on-time one whatever the
# policy (C10); the last elements are unique ids, so no two requests ever compare equal and the
# order is total.
PriorityKey = tuple[Any, ...]

# Time served is counted in integer units to keep the order exact (no float rounding): one unit
# is 1/1600 of a full-time day; a month is 365.25 / 12 = 30.4375 days = 48,700 units at 100 %.
_UNITS_PER_DAY_PERCENT = 16
_UNITS_PER_MONTH = 48_700


def _served_units(request: Request, week_start_ordinal: int) -> int:
    """Full-time-equivalent time served in ST at the week's first day, in units (Appendix B)."""
    units = request.credited_months * _UNITS_PER_MONTH
    if request.st_start is not None:
        # A trainee who starts after the week has served nothing yet, not negative time.
        days = max(0, week_start_ordinal - request.st_start.toordinal())
        units += days * request.employment_percent * _UNITS_PER_DAY_PERCENT
    return units


def months_served(request: Request, *, week_start: dt.date) -> Fraction:
    """Months served in ST at `week_start`: days since ST start scaled by employment percent,
    plus credited months (P9). Exact; the preview can show it rounded."""
    require_date("week_start", week_start)
    return Fraction(_served_units(request, week_start.toordinal()), _UNITS_PER_MONTH)


def _key_function(policy: Policy, week_start: dt.date) -> Callable[[Request], PriorityKey]:
    ws = week_start.toordinal()

    if policy is Policy.SHORTEST_REMAINING:
        # C9: shortest remaining time from the week's first day to planned completion first;
        # ties by earlier registration time, then registration id (then line id, for totality).
        def on_time(r: Request) -> PriorityKey:
            remaining = r.planned_completion.toordinal() - ws
            return (0, remaining, r.requested_at, r.registration_id, r.line_id)

    elif policy is Policy.LONGEST_SERVED:
        # Appendix B (SK courses): longest time served first; ties by earliest application.
        def on_time(r: Request) -> PriorityKey:
            served = _served_units(r, ws)
            return (0, -served, r.requested_at, r.registration_id, r.line_id)

    elif policy is Policy.SHORTEST_SERVED:
        # Appendix B (SK courses meant for early ST): shortest time served first, computed
        # from ST start, employment percent and credited months; ties by earliest application.
        # A trainee whose ST start is not known has no known time served: rather than count
        # it as none (which would put them first), they come after everyone whose time is known.
        def on_time(r: Request) -> PriorityKey:
            unknown = r.st_start is None
            served = _served_units(r, ws)
            return (0, unknown, served, r.requested_at, r.registration_id, r.line_id)

    else:
        # Appendix B (specialty society): whole months served, most first; ties by fewest
        # courses already taken, then earliest application.
        def on_time(r: Request) -> PriorityKey:
            months = _served_units(r, ws) // _UNITS_PER_MONTH
            return (0, -months, r.courses_taken, r.requested_at, r.registration_id, r.line_id)

    def key(r: Request) -> PriorityKey:
        if r.late:
            # C10: late lines come after all on-time ones, by registration time, whatever policy.
            return (2, r.requested_at, r.registration_id, r.line_id)
        if r.guest:
            # C23: guests on time come after the host's on-time lines, by the same priority.
            return (1, *on_time(r)[1:])
        return on_time(r)

    return key


def priority_key(request: Request, *, policy: str, week_start: dt.date) -> PriorityKey:
    """The sort key of `request` under `policy` for a week starting `week_start` (C9, C10)."""
    require_date("week_start", week_start)
    return _key_function(parse_policy(policy), week_start)(request)


def order_requests(
    requests: Iterable[Request], *, policy: str, week_start: dt.date
) -> list[Request]:
    """All requests in priority order: the host region's on-time lines by `policy` (C9), then
    guests' on-time lines by the same policy (C23), then late lines by time (C10)."""
    require_date("week_start", week_start)
    return sorted(requests, key=_key_function(parse_policy(policy), week_start))


@dataclass(frozen=True, slots=True)
class Placement:
    """Where allocation put one line, and why (C9: position and reason shown to the trainee).

    `rank` is the line's 1-based place in this run's priority order; `position` is its
    waiting-list position (None when seated).
    """

    line_id: int
    status: Literal["confirmed", "waitlisted"]
    position: int | None
    reason_code: str
    reason_text: str
    rank: int


@dataclass(frozen=True, slots=True)
class CourseAllocation:
    """One course's allocation: seated and waiting lines in priority order, with placements."""

    confirmed: tuple[int, ...]
    waitlisted: tuple[int, ...]
    placements: tuple[Placement, ...]  # in priority order
    capacity: int
    seats_taken_before: int
    policy: Policy

    @property
    def seats_taken_after(self) -> int:
        return self.seats_taken_before + len(self.confirmed)

    def placements_by_line(self) -> dict[int, Placement]:
        return {p.line_id: p for p in self.placements}


def allocate_course(
    requests: Iterable[Request],
    *,
    capacity: int,
    seats_taken_already: int = 0,
    waiting_already: int = 0,
    policy: str = DEFAULT_POLICY,
    week_start: dt.date,
) -> CourseAllocation:
    """Seat the pending `requests` of one course (C8–C10).

    1. Free seats are `capacity - seats_taken_already` (C8: seats taken = confirmed + offered),
       never below zero, so a run never adds to an overbooked course.
    2. If there are no more of the host region's on-time requests than free seats, all get
       seats (C9, first sentence: `within_capacity`). Otherwise the first by priority get seats
       (`priority_seat`) and the rest wait in the same order (`priority_wait`).
    3. Guests' on-time requests (trainees of other regions, C23) come after every one of the
       host's: seats left over go to them by the same priority (`guest_seat`), the rest wait
       after the host's waiters (`guest_wait`).
    4. Late requests come after every on-time one (C10): seats left over go to them by
       registration time (`late_seat`), the rest wait after the on-time waiters (`late_wait`).
    5. Waiting-list positions continue after `waiting_already` lines already waiting. A course
       with free seats and lines waiting is inconsistent (C11 promotes at once), so it is refused.

    Every request ends seated or waiting, never lost; no line id may appear twice.
    """
    require_non_negative("capacity", capacity)
    require_non_negative("seats_taken_already", seats_taken_already)
    require_non_negative("waiting_already", waiting_already)
    chosen = parse_policy(policy)
    ordered = order_requests(requests, policy=chosen, week_start=week_start)
    if len({r.line_id for r in ordered}) != len(ordered):
        raise ValueError("a line id appears more than once")

    free = max(0, capacity - seats_taken_already)
    if free and waiting_already:
        raise ValueError("free seats while lines wait: promote the waiting list first")

    on_time_count = sum(1 for r in ordered if not r.late and not r.guest)
    within = on_time_count <= free
    seat_text = _FIXED_TEXT[ReasonCode.WITHIN_CAPACITY] if within else _SEAT_TEXT[chosen]
    seat_code = ReasonCode.WITHIN_CAPACITY if within else ReasonCode.PRIORITY_SEAT
    wait_text = _WAIT_TEXT[chosen]

    confirmed: list[int] = []
    waitlisted: list[int] = []
    placements: list[Placement] = []
    for rank, r in enumerate(ordered, start=1):
        seat = len(confirmed) < free
        if r.late:
            # The sort puts every late line after every on-time one, so any seat left here is
            # one no on-time line wanted (C10).
            code = ReasonCode.LATE_SEAT if seat else ReasonCode.LATE_WAIT
            text = _FIXED_TEXT[code]
        elif r.guest:
            # Likewise every guest's on-time line comes after every host's one (C23).
            code = ReasonCode.GUEST_SEAT if seat else ReasonCode.GUEST_WAIT
            text = _FIXED_TEXT[code]
        elif seat:
            code, text = seat_code, seat_text
        else:
            code, text = ReasonCode.PRIORITY_WAIT, wait_text
        if seat:
            confirmed.append(r.line_id)
            placements.append(Placement(r.line_id, "confirmed", None, code, text, rank))
        else:
            waitlisted.append(r.line_id)
            position = waiting_already + len(waitlisted)
            placements.append(Placement(r.line_id, "waitlisted", position, code, text, rank))

    return CourseAllocation(
        confirmed=tuple(confirmed),
        waitlisted=tuple(waitlisted),
        placements=tuple(placements),
        capacity=capacity,
        seats_taken_before=seats_taken_already,
        policy=chosen,
    )


CourseInput = tuple[int, int, Sequence[Request]]  # (capacity, seats_taken_already, requests)


def allocate_week(
    courses: Mapping[int, CourseInput],
    *,
    policy: str = DEFAULT_POLICY,
    week_start: dt.date,
) -> dict[int, CourseAllocation]:
    """Allocate every course of a week (C8: seats are per course), in course id order.

    `courses` maps course id to `(capacity, seats_taken_already, pending requests)`. A line
    belongs to one course, so a line id found under two courses is refused.
    """
    seen: set[int] = set()
    result: dict[int, CourseAllocation] = {}
    for course_id in sorted(courses):
        capacity, taken, requests = courses[course_id]
        ids = {r.line_id for r in requests}
        if not seen.isdisjoint(ids):
            raise ValueError(f"a line id of course {course_id} appears under another course")
        seen |= ids
        result[course_id] = allocate_course(
            requests,
            capacity=capacity,
            seats_taken_already=taken,
            policy=policy,
            week_start=week_start,
        )
    return result
