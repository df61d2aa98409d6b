"""Guests from other regions in the pure allocation core (C23): trainees of another region are
seated after every on-time registration of the host region's own trainees, space permitting,
by the same priority among themselves; late registrations still come last (C10).

No database: plain dataclasses in, decisions out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stportal.registrations.allocation import (
    Policy,
    allocate_course,
    order_requests,
    reason_text,
)
from stportal.registrations.tests.test_allocation_core import (
    WEEK_START,
    capacities,
    make,
    policies,
    requests_for_course,
    taken_counts,
)


@st.composite
def with_guests(draw: st.DrawFn):
    """Requests of one course, each drawn as the host's or a guest's."""
    requests = draw(requests_for_course())
    return [dataclasses.replace(r, guest=draw(st.booleans())) for r in requests]


def group(request) -> int:
    return 2 if request.late else 1 if request.guest else 0


@given(with_guests(), policies)
def test_no_guest_comes_before_a_host_on_time_and_late_comes_last(requests, policy):
    """C23, C10: the order runs host on-time, then guests on-time, then every late line."""
    ordered = order_requests(requests, policy=policy, week_start=WEEK_START)
    groups = [group(r) for r in ordered]
    assert groups == sorted(groups)


@given(with_guests(), policies)
def test_guests_are_ordered_among_themselves_by_the_same_priority(requests, policy):
    """C23: among guests on time the week's own priority rule decides, exactly as it would
    for host trainees."""
    ordered = order_requests(requests, policy=policy, week_start=WEEK_START)
    guests = [r for r in ordered if r.guest and not r.late]
    as_hosts = [dataclasses.replace(r, guest=False) for r in guests]
    expected = order_requests(as_hosts, policy=policy, week_start=WEEK_START)
    assert [r.line_id for r in guests] == [r.line_id for r in expected]


@given(with_guests(), capacities, taken_counts, policies)
def test_a_guest_is_seated_only_when_every_host_on_time_line_is(requests, capacity, taken, policy):
    """C23: while one of the host's on-time lines waits, no guest holds a seat; guests and
    late lines only ever get seats nobody of the host's on time wanted."""
    result = allocate_course(
        requests, capacity=capacity, seats_taken_already=taken, policy=policy, week_start=WEEK_START
    )
    by_id = {r.line_id: r for r in requests}
    waiting_hosts = [i for i in result.waitlisted if group(by_id[i]) == 0]
    seated_guests = [i for i in result.confirmed if group(by_id[i]) == 1]
    assert not (waiting_hosts and seated_guests)
    waiting_guests = [i for i in result.waitlisted if group(by_id[i]) == 1]
    seated_late = [i for i in result.confirmed if group(by_id[i]) == 2]
    assert not (waiting_guests and seated_late)
    # Waiting positions follow the groups too: host waiters first, then guests, then late.
    positions = {p.line_id: p.position for p in result.placements if p.position is not None}
    waiting_groups = [group(by_id[i]) for i in sorted(positions, key=positions.__getitem__)]
    assert waiting_groups == sorted(waiting_groups)


@given(requests_for_course(), capacities, taken_counts, policies)
def test_without_guests_nothing_changes(requests, capacity, taken, policy):
    """A week nobody from another region registers for allocates as before C23: no line gets
    a guest's reason."""
    result = allocate_course(
        requests, capacity=capacity, seats_taken_already=taken, policy=policy, week_start=WEEK_START
    )
    assert not {p.reason_code for p in result.placements} & {"guest_seat", "guest_wait"}


def test_a_guest_gets_the_seat_left_after_the_hosts_and_says_why():
    """Three seats: two of the host's own trainees and two guests on time, one late host
    trainee. The hosts get seats (within capacity: no more host on-time lines than seats), the
    guest with the shorter remaining time gets the last seat, the other guest waits first, the
    late line waits after the guest."""
    host_a = make(1, completion=dt.date(2030, 1, 1))
    host_b = make(2, completion=dt.date(2031, 1, 1))
    guest_near = make(3, completion=dt.date(2027, 6, 1), guest=True)
    guest_far = make(4, completion=dt.date(2032, 1, 1), guest=True)
    late_host = make(5, late=True, minutes=-60, completion=dt.date(2027, 4, 1))
    result = allocate_course(
        [late_host, guest_far, host_b, guest_near, host_a], capacity=3, week_start=WEEK_START
    )
    assert result.confirmed == (1, 2, 3)
    assert result.waitlisted == (4, 5)
    placed = result.placements_by_line()
    assert placed[1].reason_code == placed[2].reason_code == "within_capacity"
    assert placed[3].reason_code == "guest_seat"
    assert (placed[4].reason_code, placed[4].position) == ("guest_wait", 1)
    assert (placed[5].reason_code, placed[5].position) == ("late_wait", 2)
    assert "annan region" in reason_text("guest_seat")
    assert "annan region" in reason_text("guest_wait", policy=Policy.LONGEST_SERVED)


def test_a_guest_with_the_shortest_time_left_still_waits_behind_every_host():
    """C23 over C9: a guest whose ST ends next month still comes after a host trainee with
    years left, when the seats run out."""
    host = make(1, completion=dt.date(2033, 1, 1))
    guest = make(2, completion=dt.date(2027, 4, 30), guest=True)
    result = allocate_course([guest, host], capacity=1, week_start=WEEK_START)
    assert result.confirmed == (1,)
    assert result.placements_by_line()[2].reason_code == "guest_wait"
