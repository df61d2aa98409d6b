"""Appendix B's "shortest time served first" policy for early-ST courses (C9, issue 9): time
served in ST from ST start, employment percent and credited months; shortest first; ties by
earliest application. Pure: no database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from stportal.registrations.allocation import (
    Policy,
    ReasonCode,
    Request,
    allocate_course,
    months_served,
    order_requests,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEEK_START = dt.date(2027, 3, 22)
REGISTERED = dt.datetime(2026, 9, 15, 9, 0, tzinfo=STOCKHOLM)


def request(line_id: int, *, st_start=dt.date(2025, 1, 1), minutes=0, late=False, **extra):
    return Request(
        line_id=line_id,
        registration_id=line_id,
        trainee_id=line_id,
        requested_at=REGISTERED + dt.timedelta(minutes=minutes),
        late=late,
        planned_completion=dt.date(2030, 1, 1),
        st_start=st_start,
        **extra,
    )


def test_shortest_time_served_gets_the_seat_on_an_early_st_course():
    """Appendix B: the newest trainee first; the one who registered first does not win."""
    veteran = request(1, st_start=dt.date(2023, 1, 1), minutes=0)
    newcomer = request(2, st_start=dt.date(2026, 9, 1), minutes=30)
    result = allocate_course(
        [veteran, newcomer], capacity=1, policy="shortest_served", week_start=WEEK_START
    )
    assert result.confirmed == (2,) and result.waitlisted == (1,)
    seat, wait = result.placements
    assert seat.reason_code == ReasonCode.PRIORITY_SEAT
    assert "kortast tjänstgöringstid" in seat.reason_text
    assert "kortast tjänstgöringstid" in wait.reason_text


def test_part_time_and_credited_months_count_in_time_served():
    """Appendix B: at 50 % two years count as one; credited months (P9) add to time served."""
    half_time = request(1, st_start=dt.date(2025, 3, 22), employment_percent=50)  # ~12 months
    full_time = request(2, st_start=dt.date(2026, 3, 22))  # ~12 months
    credited = request(3, st_start=dt.date(2026, 9, 22), credited_months=12)  # ~18 months
    fresh = request(4, st_start=dt.date(2026, 9, 22))  # ~6 months
    ordered = order_requests(
        [credited, full_time, half_time, fresh], policy="shortest_served", week_start=WEEK_START
    )
    assert ordered[0].line_id == 4 and ordered[-1].line_id == 3
    assert abs(months_served(half_time, week_start=WEEK_START) - 12) < 0.1


def test_equal_time_served_goes_by_earliest_application():
    first = request(1, minutes=5)
    second = request(2, minutes=1)
    ordered = order_requests([first, second], policy="shortest_served", week_start=WEEK_START)
    assert [r.line_id for r in ordered] == [2, 1]


def test_an_unknown_st_start_does_not_jump_the_queue():
    """Without an ST start time served is unknown, not zero: such a trainee comes after
    everyone whose time served is known (on-time lines), never first."""
    unknown = request(1, st_start=None, minutes=0)
    known = request(2, st_start=dt.date(2020, 1, 1), minutes=10)
    ordered = order_requests([unknown, known], policy="shortest_served", week_start=WEEK_START)
    assert [r.line_id for r in ordered] == [2, 1]


@st.composite
def early_st_requests(draw: st.DrawFn) -> list[Request]:
    n = draw(st.integers(0, 25))
    found = []
    for line_id in range(1, n + 1):
        found.append(
            request(
                line_id,
                st_start=draw(
                    st.one_of(
                        st.none(),
                        st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2027, 6, 1)),
                    )
                ),
                minutes=draw(st.integers(0, 3)),
                late=draw(st.booleans()),
                employment_percent=draw(st.sampled_from([50, 75, 100])),
                credited_months=draw(st.integers(0, 24)),
            )
        )
    return found


@given(early_st_requests(), st.integers(0, 30))
def test_nobody_seated_has_served_longer_than_an_on_time_waiter(requests, capacity):
    """The policy as a property: among on-time lines with a known ST start, every seated one
    has served no longer than every waiting one; late lines never outrank on-time ones (C10);
    every line ends seated or waiting, once."""
    result = allocate_course(
        requests, capacity=capacity, policy=Policy.SHORTEST_SERVED, week_start=WEEK_START
    )
    by_id = {r.line_id: r for r in requests}
    assert sorted(result.confirmed + result.waitlisted) == sorted(by_id)
    assert len(result.confirmed) == min(capacity, len(requests))

    def served(line_id):
        return months_served(by_id[line_id], week_start=WEEK_START)

    seated = [i for i in result.confirmed if not by_id[i].late and by_id[i].st_start]
    waiting = [i for i in result.waitlisted if not by_id[i].late and by_id[i].st_start]
    if seated and waiting:
        assert max(served(i) for i in seated) <= min(served(i) for i in waiting)
    if any(by_id[i].late for i in result.confirmed):
        assert all(by_id[i].late for i in result.waitlisted)


@given(early_st_requests())
def test_the_order_does_not_depend_on_the_input_order(requests):
    forward = order_requests(requests, policy="shortest_served", week_start=WEEK_START)
    backward = order_requests(requests[::-1], policy="shortest_served", week_start=WEEK_START)
    assert [r.line_id for r in forward] == [r.line_id for r in backward]
