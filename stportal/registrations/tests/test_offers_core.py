"""The pure core after allocation: late lines (C10), promotion and offers (C11), capacity (C12),
and the line states of section 4. No database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.registrations.offers import (
    REOPEN_TRANSITIONS,
    TRANSITIONS,
    CoreError,
    LineState,
    can_transition,
    check_capacity_change,
    check_offer_acceptable,
    check_transition,
    lapsed_offers,
    lines_not_seated_at_start,
    offer_lapsed,
    place_late_request,
    promote,
    waitlist_positions,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIRST_DAY = dt.date(2027, 3, 22)
COURSE_START = dt.datetime(2027, 3, 22, 0, 0, tzinfo=STOCKHOLM)
# C3: cancellation deadline 14 days before the first day; a date deadline ends at midnight.
DEADLINE = dt.datetime.combine(
    FIRST_DAY - dt.timedelta(days=14) + dt.timedelta(days=1), dt.time.min, tzinfo=STOCKHOLM
)
HOUR = dt.timedelta(hours=1)


def do_promote(waitlist, free_seats, now, **kwargs):
    return promote(
        waitlist=waitlist,
        free_seats=free_seats,
        now=now,
        cancellation_deadline_instant=DEADLINE,
        course_start_instant=COURSE_START,
        **kwargs,
    )


# --- late lines after allocation (C10) ----------------------------------------------------------


def test_late_line_is_seated_at_once_when_a_seat_is_free_and_nobody_waits():
    """C10: after allocation a late line takes a free seat at once if nobody waits."""
    assert place_late_request(free_seats=1, waiting_count=0) == "confirmed"


@pytest.mark.parametrize(("free", "waiting"), [(0, 0), (0, 3), (2, 1)])
def test_late_line_joins_the_waiting_list_otherwise(free, waiting):
    """C10: no free seat, or someone already waits: the late line joins the end of the list."""
    assert place_late_request(free_seats=free, waiting_count=waiting) == "waitlisted"


# --- promotion (C11) ----------------------------------------------------------------------------


def test_freed_seat_before_the_cancellation_deadline_is_confirmed_at_once():
    """C11: before the cancellation deadline instant the first waiting line is confirmed."""
    now = DEADLINE - 3 * HOUR
    [promotion] = do_promote([7, 8, 9], 1, now)
    assert promotion.line_id == 7
    assert promotion.status == "confirmed"
    assert promotion.at == now
    assert promotion.offer_expires_at is None
    assert promotion.reason_code == "promoted_confirmed"


def test_freed_seat_inside_the_last_14_days_is_an_offer_lapsing_after_48_hours():
    """C11: inside the cancellation period (14 days before the first day) the promotion is an
    offer that holds the seat and lapses 48 hours after it was made."""
    now = dt.datetime(2027, 3, 12, 10, 15, tzinfo=STOCKHOLM)  # 10 days before the start
    [promotion] = do_promote([7, 8], 1, now)
    assert promotion.line_id == 7
    assert promotion.status == "offered"
    assert promotion.offer_expires_at == now + dt.timedelta(hours=48)
    assert promotion.reason_code == "promoted_offer"
    assert "2027-03-14 10:15" in promotion.reason_text


def test_promotion_at_the_deadline_instant_itself_is_an_offer():
    """SPEC 4: a date deadline ends at midnight; from that instant on, seats are offered."""
    [promotion] = do_promote([7], 1, DEADLINE)
    assert promotion.status == "offered"


def test_offer_expiry_is_capped_at_the_course_start():
    """C11: an offer lapses 48 h after it was made or when the course starts, whichever first."""
    now = COURSE_START - 20 * HOUR
    [promotion] = do_promote([7], 1, now)
    assert promotion.offer_expires_at == COURSE_START


def test_offer_hours_are_configurable():
    """C11: 48 hours is the default, not a constant."""
    now = COURSE_START - dt.timedelta(days=5)
    [promotion] = do_promote([7], 1, now, offer_hours=24)
    assert promotion.offer_expires_at == now + dt.timedelta(hours=24)


def test_several_free_seats_go_to_the_first_lines_in_waiting_list_order():
    """C11 and C12: a capacity raise moves the waiting list up in its order."""
    promotions = do_promote([4, 2, 9, 1], 2, DEADLINE - dt.timedelta(days=3))
    assert [p.line_id for p in promotions] == [4, 2]


def test_nobody_is_promoted_once_the_course_has_started():
    """C11: from the course start nobody moves up; the waiting lines become not seated."""
    assert do_promote([7, 8], 2, COURSE_START) == []
    assert lines_not_seated_at_start(
        waitlist=[7, 8], now=COURSE_START, course_start_instant=COURSE_START
    ) == [7, 8]
    assert (
        lines_not_seated_at_start(
            waitlist=[7, 8], now=COURSE_START - HOUR, course_start_instant=COURSE_START
        )
        == []
    )


def test_promote_refuses_naive_times_and_duplicates():
    with pytest.raises(ValueError, match="aware"):
        do_promote([1], 1, dt.datetime(2027, 3, 1, 12, 0))
    with pytest.raises(ValueError, match="more than once"):
        do_promote([1, 1], 1, DEADLINE - HOUR)


@given(
    waitlist=st.lists(st.integers(1, 1000), unique=True, max_size=20),
    free=st.integers(0, 25),
    minutes_before_start=st.integers(-600, 60 * 24 * 30),
    offer_hours=st.integers(1, 96),
)
def test_promotion_never_exceeds_free_seats_and_keeps_the_order(
    waitlist, free, minutes_before_start, offer_hours
):
    """C11/C13: at most `free` lines move up, the first ones, and every offer lapses after it is
    made and no later than the course start."""
    now = COURSE_START - dt.timedelta(minutes=minutes_before_start)
    promotions = do_promote(waitlist, free, now, offer_hours=offer_hours)
    if now >= COURSE_START:
        assert promotions == []
        return
    assert [p.line_id for p in promotions] == waitlist[:free]
    for p in promotions:
        if now < DEADLINE:
            assert p.status == "confirmed" and p.offer_expires_at is None
        else:
            assert p.status == "offered"
            assert p.offer_expires_at is not None
            assert now < p.offer_expires_at <= COURSE_START
            assert p.offer_expires_at <= now + dt.timedelta(hours=offer_hours)


def test_waitlist_positions_are_one_based_in_order():
    """C9: each waiting line shows its position."""
    assert waitlist_positions([9, 3, 5]) == {9: 1, 3: 2, 5: 3}


# --- offers lapse (C11) -------------------------------------------------------------------------


def test_offer_lapses_at_its_expiry_instant():
    """C11: an offer stands until its expiry instant and has lapsed from it on."""
    expires = COURSE_START - dt.timedelta(days=2)
    assert not offer_lapsed(expires, expires - dt.timedelta(seconds=1))
    assert offer_lapsed(expires, expires)


def test_lapsed_offers_are_passed_on_oldest_expiry_first():
    """C11: the expiry job passes seats on in a fixed order (expiry, then line id)."""
    now = COURSE_START - dt.timedelta(days=1)
    offers = [(5, now - HOUR), (3, now - HOUR), (8, now + HOUR), (1, now - 2 * HOUR)]
    assert lapsed_offers(offers, now=now) == [1, 3, 5]


def test_accepting_a_lapsed_offer_is_refused():
    """C11 / Appendix A: `offer_lapsed` once the offer has expired."""
    expires = COURSE_START - dt.timedelta(days=1)
    check_offer_acceptable(status="offered", offer_expires_at=expires, now=expires - HOUR)
    with pytest.raises(CoreError) as error:
        check_offer_acceptable(status="offered", offer_expires_at=expires, now=expires)
    assert error.value.code == "offer_lapsed"
    with pytest.raises(CoreError) as error:
        check_offer_acceptable(status="waitlisted", offer_expires_at=None, now=expires)
    assert error.value.code == "invalid_transition"


# --- capacity (C12) -----------------------------------------------------------------------------


def test_capacity_lowered_below_seats_taken_is_refused():
    """C12: capacity can be lowered only down to the seats taken."""
    with pytest.raises(CoreError) as error:
        check_capacity_change(new_capacity=9, seats_taken=10)
    assert error.value.code == "capacity_below_taken"
    assert "10" in error.value.message


def test_capacity_lowered_to_exactly_the_seats_taken_is_allowed():
    """C12: down to the seats taken is fine; no seat is free."""
    assert check_capacity_change(new_capacity=10, seats_taken=10) == 0


def test_capacity_raised_frees_seats_that_move_the_waiting_list_up():
    """C12: a raise frees seats, which go to the waiting list at once (C11)."""
    free = check_capacity_change(new_capacity=62, seats_taken=60)
    assert free == 2
    promotions = do_promote([11, 12, 13], free, DEADLINE - dt.timedelta(days=20))
    assert [(p.line_id, p.status) for p in promotions] == [(11, "confirmed"), (12, "confirmed")]


@given(st.integers(-5, 100), st.integers(0, 100))
def test_capacity_change_never_goes_below_seats_taken(new_capacity, seats_taken):
    """C12/C13: accepted exactly when the new capacity holds the seats taken."""
    if new_capacity >= seats_taken:
        assert check_capacity_change(new_capacity=new_capacity, seats_taken=seats_taken) == (
            new_capacity - seats_taken
        )
    else:
        with pytest.raises(CoreError):
            check_capacity_change(new_capacity=new_capacity, seats_taken=seats_taken)


# --- line states (section 4) ----------------------------------------------------------------


ALLOWED = [
    ("pending", "confirmed"),
    ("pending", "waitlisted"),
    ("pending", "cancelled"),
    ("waitlisted", "confirmed"),
    ("waitlisted", "offered"),
    ("waitlisted", "cancelled"),
    ("waitlisted", "not_seated"),
    ("offered", "confirmed"),
    ("offered", "cancelled"),
    ("confirmed", "cancelled"),
    ("confirmed", "no_show"),
    ("confirmed", "passed"),
    ("confirmed", "not_passed"),
    ("confirmed", "incomplete"),
    ("incomplete", "passed"),
    ("incomplete", "not_passed"),
]


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_the_line_state_changes_of_section_4_are_allowed(source, target):
    """Section 4, line states (plus pending → cancelled, C6/C14)."""
    check_transition(source, target)


def test_every_other_line_state_change_is_refused():
    """Section 4: anything not in the list is `invalid_transition`, including staying put."""
    allowed = set(ALLOWED)
    for source in LineState:
        for target in LineState:
            if (source, target) in allowed:
                continue
            with pytest.raises(CoreError) as error:
                check_transition(source, target)
            assert error.value.code == "invalid_transition"


@pytest.mark.parametrize("terminal", ["cancelled", "not_seated", "no_show", "passed", "not_passed"])
def test_terminal_states_have_no_way_out(terminal):
    """C15: a cancelled line stays cancelled; results are final unless a register reopens."""
    assert TRANSITIONS[terminal] == frozenset()
    assert not any(can_transition(terminal, target) for target in LineState)


def test_reopening_a_register_lets_a_result_go_back_to_confirmed():
    """C17: staff may reopen a closed register; fees and results follow the corrected record."""
    for source in REOPEN_TRANSITIONS:
        assert not can_transition(source, "confirmed")
        check_transition(source, "confirmed", reopening=True)
    with pytest.raises(CoreError):
        check_transition("cancelled", "confirmed", reopening=True)


def test_unknown_status_is_refused():
    with pytest.raises(CoreError):
        check_transition("deleted", "cancelled")
