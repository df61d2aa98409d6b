"""The pure allocation core: priority (C9, Appendix B), late lines (C10), seats (C8, C13).

No database: plain dataclasses in, decisions out.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.registrations.allocation import (
    DEFAULT_POLICY,
    CoreError,
    Policy,
    Request,
    allocate_course,
    allocate_week,
    months_served,
    order_requests,
    priority_key,
    reason_text,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEEK_START = dt.date(2027, 3, 22)
REGISTERED = dt.datetime(2026, 9, 15, 9, 0, tzinfo=STOCKHOLM)


def make(
    line_id: int,
    *,
    registration_id: int | None = None,
    minutes: int = 0,
    late: bool = False,
    completion: dt.date = dt.date(2029, 1, 1),
    **extra: object,
) -> Request:
    reg = registration_id if registration_id is not None else line_id
    return Request(
        line_id=line_id,
        registration_id=reg,
        trainee_id=reg,
        requested_at=REGISTERED + dt.timedelta(minutes=minutes),
        late=late,
        planned_completion=completion,
        **extra,  # type: ignore[arg-type]
    )


def ids(requests: list[Request]) -> list[int]:
    return [r.line_id for r in requests]


# --- strategies -------------------------------------------------------------------------------

policies = st.sampled_from(list(Policy))
zones = st.sampled_from([STOCKHOLM, dt.UTC, ZoneInfo("America/New_York")])


@st.composite
def requests_for_course(draw: st.DrawFn, max_size: int = 40) -> list[Request]:
    """Requests of one course, with narrow ranges so that ties are common."""
    n = draw(st.integers(0, max_size))
    line_ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    reg_ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    result = []
    for line_id, reg_id in zip(line_ids, reg_ids, strict=True):
        at = REGISTERED + dt.timedelta(minutes=draw(st.integers(0, 4)))
        result.append(
            Request(
                line_id=line_id,
                registration_id=reg_id,
                trainee_id=reg_id,
                # The same instant in other zones: order must follow the instant, not the clock.
                requested_at=at.astimezone(draw(zones)),
                late=draw(st.booleans()),
                planned_completion=WEEK_START + dt.timedelta(days=draw(st.integers(-20, 20))),
                st_start=draw(
                    st.none()
                    | st.builds(lambda d: WEEK_START - dt.timedelta(days=d), st.integers(-40, 2000))
                ),
                employment_percent=draw(st.sampled_from([50, 75, 100])),
                credited_months=draw(st.integers(0, 3)),
                courses_taken=draw(st.integers(0, 2)),
            )
        )
    return result


capacities = st.integers(0, 30)
taken_counts = st.integers(0, 10)


# --- properties ----------------------------------------------------------------------------------


@given(requests_for_course(), capacities, taken_counts, policies)
def test_capacity_is_never_exceeded(requests, capacity, taken, policy):
    """C8/C13: seats given never exceed the free seats (capacity minus seats already taken)."""
    result = allocate_course(
        requests, capacity=capacity, seats_taken_already=taken, policy=policy, week_start=WEEK_START
    )
    assert len(result.confirmed) <= max(0, capacity - taken)
    assert result.seats_taken_after <= max(capacity, taken)


@given(requests_for_course(), capacities, taken_counts, policies)
def test_every_request_ends_seated_or_waiting_never_lost(requests, capacity, taken, policy):
    """C9/C13: every line is placed exactly once; waiting positions run 1, 2, 3, … in order."""
    result = allocate_course(
        requests, capacity=capacity, seats_taken_already=taken, policy=policy, week_start=WEEK_START
    )
    assert sorted(result.confirmed + result.waitlisted) == sorted(ids(requests))
    assert not set(result.confirmed) & set(result.waitlisted)
    assert len(result.placements) == len(requests)
    waiting = [p for p in result.placements if p.status == "waitlisted"]
    assert [p.line_id for p in waiting] == list(result.waitlisted)
    assert [p.position for p in waiting] == list(range(1, len(waiting) + 1))
    assert all(p.position is None for p in result.placements if p.status == "confirmed")
    assert all(p.reason_text and "(C" not in p.reason_text for p in result.placements)


@given(requests_for_course(), capacities, taken_counts, policies)
def test_seated_set_is_exactly_the_top_of_the_on_time_priority_order(
    requests, capacity, taken, policy
):
    """C9: the seated on-time lines are the first `free seats` of the priority order."""
    result = allocate_course(
        requests, capacity=capacity, seats_taken_already=taken, policy=policy, week_start=WEEK_START
    )
    on_time = [r.line_id for r in order_requests(requests, policy=policy, week_start=WEEK_START)]
    on_time = [i for i in on_time if not next(r for r in requests if r.line_id == i).late]
    free = max(0, capacity - taken)
    late_ids = {r.line_id for r in requests if r.late}
    seated_on_time = [i for i in result.confirmed if i not in late_ids]
    assert seated_on_time == on_time[: min(free, len(on_time))]
    if len(on_time) <= free:
        codes = {p.reason_code for p in result.placements if p.line_id not in late_ids}
        assert codes <= {"within_capacity"}


@given(requests_for_course(), capacities, taken_counts, policies)
def test_late_requests_never_outrank_on_time_ones(requests, capacity, taken, policy):
    """C10: late lines sort after every on-time line; one is seated only when all on-time are,
    and late waiters queue behind every on-time waiter, by registration time."""
    ordered = order_requests(requests, policy=policy, week_start=WEEK_START)
    lateness = [r.late for r in ordered]
    assert lateness == sorted(lateness)
    late_part = [r for r in ordered if r.late]
    assert late_part == sorted(
        late_part, key=lambda r: (r.requested_at, r.registration_id, r.line_id)
    )

    result = allocate_course(
        requests, capacity=capacity, seats_taken_already=taken, policy=policy, week_start=WEEK_START
    )
    late_ids = {r.line_id for r in requests if r.late}
    if any(i in late_ids for i in result.confirmed):
        assert all(i in late_ids for i in result.waitlisted)
    waiting_lateness = [i in late_ids for i in result.waitlisted]
    assert waiting_lateness == sorted(waiting_lateness)
    for p in result.placements:
        expected = ("late_seat", "late_wait") if p.line_id in late_ids else None
        if expected:
            assert p.reason_code == (expected[0] if p.status == "confirmed" else expected[1])


@given(requests_for_course(), capacities, taken_counts, policies, st.randoms())
def test_allocation_is_deterministic_whatever_the_input_order(
    requests, capacity, taken, policy, rnd
):
    """C8: shuffled input gives the same allocation, placements and reasons."""
    shuffled = list(requests)
    rnd.shuffle(shuffled)
    kwargs = {"capacity": capacity, "seats_taken_already": taken, "policy": policy}
    first = allocate_course(requests, week_start=WEEK_START, **kwargs)
    second = allocate_course(shuffled, week_start=WEEK_START, **kwargs)
    assert first == second


@given(requests_for_course(), capacities, taken_counts, policies)
def test_running_allocation_twice_changes_nothing(requests, capacity, taken, policy):
    """C8: a second run sees the first run's seats as taken and no pending line left, so it
    places nothing; even fed the waiting lines again it keeps their order and positions."""
    first = allocate_course(
        requests, capacity=capacity, seats_taken_already=taken, policy=policy, week_start=WEEK_START
    )
    taken_after = first.seats_taken_after
    placed = set(first.confirmed) | set(first.waitlisted)
    still_pending = [r for r in requests if r.line_id not in placed]
    rerun = allocate_course(
        still_pending,
        capacity=capacity,
        seats_taken_already=taken_after,
        policy=policy,
        week_start=WEEK_START,
    )
    assert rerun.confirmed == () and rerun.waitlisted == () and rerun.placements == ()

    waiting_again = [r for r in requests if r.line_id in set(first.waitlisted)]
    refed = allocate_course(
        waiting_again,
        capacity=capacity,
        seats_taken_already=taken_after,
        policy=policy,
        week_start=WEEK_START,
    )
    assert refed.confirmed == ()
    assert refed.waitlisted == first.waitlisted
    before = {p.line_id: (p.position, p.reason_code) for p in first.placements}
    assert all(before[p.line_id] == (p.position, p.reason_code) for p in refed.placements)


@given(
    st.lists(st.tuples(capacities, taken_counts, requests_for_course(max_size=15)), max_size=4),
    policies,
)
def test_week_allocation_is_per_course_allocation(courses, policy):
    """C8: seats are per course; the week's result is each course's own allocation."""
    offset = 0
    spec = {}
    for course_id, (capacity, taken, requests) in enumerate(courses, start=1):
        renumbered = [
            Request(
                line_id=offset + i,
                registration_id=r.registration_id,
                trainee_id=r.trainee_id,
                requested_at=r.requested_at,
                late=r.late,
                planned_completion=r.planned_completion,
            )
            for i, r in enumerate(requests, start=1)
        ]
        offset += len(requests)
        spec[course_id * 10] = (capacity, taken, renumbered)
    result = allocate_week(spec, policy=policy, week_start=WEEK_START)
    assert list(result) == sorted(spec)
    for course_id, (capacity, taken, requests) in spec.items():
        assert result[course_id] == allocate_course(
            requests,
            capacity=capacity,
            seats_taken_already=taken,
            policy=policy,
            week_start=WEEK_START,
        )


# --- examples: the default rule (C9) -------------------------------------------------------------


def test_within_capacity_everyone_on_time_gets_a_seat():
    """C9, first sentence: no more on-time requests than seats: all seated, whatever priority."""
    requests = [make(1, completion=dt.date(2035, 1, 1)), make(2), make(3, late=True)]
    result = allocate_course(requests, capacity=3, week_start=WEEK_START)
    assert set(result.confirmed) == {1, 2, 3}
    codes = {p.line_id: p.reason_code for p in result.placements}
    assert codes == {1: "within_capacity", 2: "within_capacity", 3: "late_seat"}


def test_shortest_remaining_time_to_planned_completion_gets_the_seat_first():
    """C9: seats go to the shortest remaining time from the week's first day to completion."""
    requests = [
        make(1, completion=dt.date(2030, 6, 1)),
        make(2, completion=dt.date(2027, 9, 1)),
        make(3, completion=dt.date(2028, 2, 1)),
    ]
    result = allocate_course(requests, capacity=2, week_start=WEEK_START)
    assert result.confirmed == (2, 3)
    assert result.waitlisted == (1,)
    by_line = result.placements_by_line()
    assert by_line[2].reason_code == "priority_seat"
    assert by_line[2].reason_text == "Plats: kortast återstående tid till planerat ST-slut"
    assert by_line[1].reason_code == "priority_wait"
    assert by_line[1].position == 1


def test_tie_goes_to_earlier_registration_time():
    """C9: equal remaining time: the earlier registration time wins."""
    requests = [make(1, registration_id=5, minutes=10), make(2, registration_id=9, minutes=3)]
    result = allocate_course(requests, capacity=1, week_start=WEEK_START)
    assert result.confirmed == (2,)
    assert result.waitlisted == (1,)


def test_tie_on_time_and_registration_time_goes_to_lower_registration_id():
    """C9: equal remaining time and registration time: the lower registration id wins."""
    requests = [make(1, registration_id=42), make(2, registration_id=7), make(3, registration_id=9)]
    result = allocate_course(requests, capacity=1, week_start=WEEK_START)
    assert result.confirmed == (2,)
    assert result.waitlisted == (3, 1)


def test_registration_time_compares_instants_not_wall_clocks():
    """C9: 07:30 UTC reads earlier than 09:00, but 09:00 Stockholm summer time is 07:00 UTC."""
    stockholm_nine = make(1, registration_id=9)
    utc = Request(
        line_id=2,
        registration_id=1,
        trainee_id=1,
        requested_at=dt.datetime(2026, 9, 15, 7, 30, tzinfo=dt.UTC),
        late=False,
        planned_completion=dt.date(2029, 1, 1),
    )
    ordered = order_requests([utc, stockholm_nine], policy=DEFAULT_POLICY, week_start=WEEK_START)
    assert ids(ordered) == [1, 2]


def test_planned_completion_already_passed_counts_as_shortest():
    """C9: a completion date before the week is a negative remaining time: first in line."""
    requests = [make(1, completion=dt.date(2027, 4, 1)), make(2, completion=dt.date(2027, 1, 1))]
    result = allocate_course(requests, capacity=1, week_start=WEEK_START)
    assert result.confirmed == (2,)


def test_seats_already_taken_are_not_given_again():
    """C8: seats taken (confirmed + offered) count against capacity."""
    requests = [make(i, completion=dt.date(2028, 1, i)) for i in range(1, 5)]
    result = allocate_course(requests, capacity=5, seats_taken_already=3, week_start=WEEK_START)
    assert result.confirmed == (1, 2)
    assert result.waitlisted == (3, 4)


def test_overbooked_course_gets_no_new_seat():
    """C13: a course already over capacity (never by our hand) is not made worse."""
    result = allocate_course([make(1)], capacity=2, seats_taken_already=3, week_start=WEEK_START)
    assert result.confirmed == ()
    assert result.waitlisted == (1,)


def test_zero_capacity_puts_everyone_on_the_waiting_list():
    """C9: no seats: everyone waits in priority order."""
    requests = [make(1, completion=dt.date(2030, 1, 1)), make(2)]
    result = allocate_course(requests, capacity=0, week_start=WEEK_START)
    assert result.confirmed == ()
    assert result.waitlisted == (2, 1)


def test_positions_continue_after_lines_already_waiting():
    """C10: lines placed when others already wait join the end of the waiting list."""
    result = allocate_course(
        [make(1), make(2, minutes=1)],
        capacity=4,
        seats_taken_already=4,
        waiting_already=3,
        week_start=WEEK_START,
    )
    assert [p.position for p in result.placements] == [4, 5]


def test_free_seats_while_lines_wait_is_refused():
    """C11: a freed seat goes to the waiting list at once, so free seats with waiters is a bug."""
    with pytest.raises(ValueError, match="promote"):
        allocate_course([make(1)], capacity=4, waiting_already=1, week_start=WEEK_START)


# --- examples: late lines (C10) ------------------------------------------------------------------


def test_late_line_comes_after_every_on_time_line_whatever_its_priority():
    """C10: a late line with the shortest remaining time still waits behind on-time lines."""
    requests = [
        make(1, late=True, minutes=-500, completion=dt.date(2027, 4, 1)),
        make(2, completion=dt.date(2031, 1, 1)),
        make(3, completion=dt.date(2032, 1, 1)),
    ]
    result = allocate_course(requests, capacity=2, week_start=WEEK_START)
    assert result.confirmed == (2, 3)
    assert result.waitlisted == (1,)
    placement = result.placements_by_line()[1]
    assert placement.reason_code == "late_wait"
    assert placement.reason_text == "Reservlista: sen anmälan, efter alla anmälningar i tid"


def test_late_lines_are_ordered_by_registration_time_then_registration_id():
    """C10: among late lines the registration time decides, then the registration id."""
    requests = [
        make(1, registration_id=30, late=True, minutes=5),
        make(2, registration_id=20, late=True, minutes=1),
        make(3, registration_id=10, late=True, minutes=5),
    ]
    for policy in Policy:
        assert ids(order_requests(requests, policy=policy, week_start=WEEK_START)) == [2, 3, 1]


def test_late_line_takes_a_seat_left_over_by_on_time_lines():
    """C10: seats no on-time line wanted go to late lines, space permitting."""
    requests = [make(1), make(2, late=True), make(3, late=True, minutes=1)]
    result = allocate_course(requests, capacity=2, week_start=WEEK_START)
    assert result.confirmed == (1, 2)
    assert result.waitlisted == (3,)
    codes = {p.line_id: p.reason_code for p in result.placements}
    assert codes == {1: "within_capacity", 2: "late_seat", 3: "late_wait"}


def test_priority_key_puts_late_after_on_time():
    """C10: the key itself ranks any late line after any on-time line."""
    on_time = make(1, completion=dt.date(2040, 1, 1), minutes=9999)
    late = make(2, late=True, completion=dt.date(2027, 3, 23), minutes=-9999)
    for policy in Policy:
        a = priority_key(on_time, policy=policy, week_start=WEEK_START)
        b = priority_key(late, policy=policy, week_start=WEEK_START)
        assert a < b


# --- examples: the alternative policies (Appendix B, C9 last sentence) ---------------------------


def test_months_served_scales_by_employment_and_adds_credited_months():
    """Appendix B: time served from ST start, scaled by employment percent, plus credit (P9)."""
    r = make(1, st_start=WEEK_START - dt.timedelta(days=730), employment_percent=50)
    assert round(float(months_served(r, week_start=WEEK_START)), 2) == 11.99
    r2 = make(2, st_start=None, credited_months=7)
    assert months_served(r2, week_start=WEEK_START) == 7
    future = make(3, st_start=WEEK_START + dt.timedelta(days=30))
    assert months_served(future, week_start=WEEK_START) == 0


def test_longest_served_policy_seats_longest_time_served_first():
    """Appendix B: SK-course rule: longest time served in ST first."""
    requests = [
        make(1, st_start=dt.date(2024, 1, 1), employment_percent=100),
        make(2, st_start=dt.date(2022, 1, 1), employment_percent=50),  # ≈ 2.6 years
        make(3, st_start=dt.date(2025, 1, 1), credited_months=24),  # ≈ 4.2 years
    ]
    result = allocate_course(requests, capacity=2, policy="longest_served", week_start=WEEK_START)
    assert result.confirmed == (3, 1)
    assert result.waitlisted == (2,)
    assert result.placements_by_line()[3].reason_text == ("Plats: längst tjänstgöringstid i ST")


def test_longest_served_ties_by_earliest_application():
    """Appendix B: equal time served: the earliest application wins."""
    requests = [
        make(1, st_start=dt.date(2024, 1, 1), minutes=5),
        make(2, st_start=dt.date(2024, 1, 1), minutes=1),
    ]
    ordered = order_requests(requests, policy="longest_served", week_start=WEEK_START)
    assert ids(ordered) == [2, 1]


def test_months_served_policy_ties_by_fewest_courses_taken():
    """Appendix B: most whole months served first; equal months: fewest courses taken first,
    even over an earlier application."""
    requests = [
        make(1, st_start=dt.date(2024, 1, 10), courses_taken=3, minutes=0),
        make(2, st_start=dt.date(2024, 1, 20), courses_taken=1, minutes=10),  # same 38 months
        make(3, st_start=dt.date(2023, 1, 1), courses_taken=9),  # more months
    ]
    ordered = order_requests(requests, policy="months_served_fewest_courses", week_start=WEEK_START)
    assert ids(ordered) == [3, 2, 1]


def test_unknown_policy_is_refused():
    """C9: the policy is a series setting; an unknown word is an error, not a silent default."""
    with pytest.raises(CoreError) as error:
        allocate_course([make(1)], capacity=1, policy="first_come", week_start=WEEK_START)
    assert error.value.code == "unknown_policy"


def test_reason_texts_name_the_policy_and_rule():
    """C9: the reason tells the trainee which rule placed the line."""
    for policy in Policy:
        assert reason_text("priority_seat", policy=policy).startswith("Plats:")
        assert reason_text("priority_wait", policy=policy).startswith("Reservlista:")
    assert reason_text("late_wait").startswith("Reservlista: sen anmälan")
    assert "(C" not in reason_text("late_wait")


# --- examples: input checks ----------------------------------------------------------------------


def test_naive_registration_time_is_refused():
    """Only timezone-aware instants enter the rules."""
    with pytest.raises(ValueError, match="aware"):
        Request(
            line_id=1,
            registration_id=1,
            trainee_id=1,
            requested_at=dt.datetime(2026, 9, 15, 9, 0),
            late=False,
            planned_completion=dt.date(2029, 1, 1),
        )


def test_week_start_must_be_a_date_not_an_instant():
    with pytest.raises(TypeError):
        order_requests([make(1)], policy=DEFAULT_POLICY, week_start=REGISTERED)  # type: ignore[arg-type]


def test_duplicate_line_is_refused_not_seated_twice():
    """C13: never a registration duplicated."""
    with pytest.raises(ValueError, match="more than once"):
        allocate_course([make(1), make(1, minutes=3)], capacity=5, week_start=WEEK_START)


def test_line_under_two_courses_is_refused():
    """C13: a line belongs to one course."""
    with pytest.raises(ValueError, match="another course"):
        allocate_week({1: (5, 0, [make(1)]), 2: (5, 0, [make(1)])}, week_start=WEEK_START)


def test_allocate_week_shuffled_big_input_is_stable():
    """C8: a larger random week allocates identically in any input order."""
    rnd = random.Random(7)
    requests = [
        make(
            i,
            minutes=rnd.randint(0, 50),
            late=rnd.random() < 0.1,
            completion=WEEK_START + dt.timedelta(days=rnd.randint(0, 900)),
        )
        for i in range(1, 501)
    ]
    shuffled = list(requests)
    rnd.shuffle(shuffled)
    a = allocate_week({1: (60, 0, requests)}, week_start=WEEK_START)
    b = allocate_week({1: (60, 0, shuffled)}, week_start=WEEK_START)
    assert a == b
    assert len(a[1].confirmed) == 60
