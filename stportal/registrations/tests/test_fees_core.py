"""The pure fee core: late cancellation (C14), the 24-hour window (C11), no-show (C17).

No database: the "existing fee" is passed in, as the service reads it under its lock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.registrations.fees import (
    CoreError,
    FeeDecision,
    LineToCancel,
    cancel_many,
    cancellation_fee,
    is_no_show,
    no_show_fee,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Week starting Monday 2027-03-22; cancellation deadline 2027-03-08, ending at midnight.
DEADLINE = dt.datetime(2027, 3, 9, 0, 0, tzinfo=STOCKHOLM)
HOUR = dt.timedelta(hours=1)
FEE = 1500


def fee_for(status="confirmed", *, confirmed_at=None, now, existing_fee=False, **kwargs):
    if status == "confirmed" and confirmed_at is None:
        confirmed_at = DEADLINE - dt.timedelta(days=60)
    return cancellation_fee(
        line_status=status,
        confirmed_at=confirmed_at,
        now=now,
        cancellation_deadline_instant=DEADLINE,
        existing_fee=existing_fee,
        fee_amount=FEE,
        **kwargs,
    )


# --- one line (C14, C11) ------------------------------------------------------------------------


def test_cancelling_a_confirmed_seat_before_the_deadline_is_free():
    """C14: before the cancellation deadline instant, free."""
    decision = fee_for(now=DEADLINE - dt.timedelta(seconds=1))
    assert decision.status is None and decision.charge is None
    assert decision.reason_code == "before_deadline"


def test_cancelling_a_confirmed_seat_after_the_deadline_charges_the_weeks_fee():
    """C14: inside the cancellation period a confirmed seat costs the week's fee."""
    decision = fee_for(now=DEADLINE + dt.timedelta(days=3))
    assert decision.status == "charged"
    assert decision.charge == FEE
    assert decision.cause == "late_cancellation"
    assert decision.reason_code == "late_cancellation"
    assert decision.reason_text.startswith("Utbildningskostnad:")
    assert "(C" not in decision.reason_text


def test_the_deadline_instant_itself_is_inside_the_cancellation_period():
    """SPEC 4: "deadline 8 March" ends at midnight; cancelling at 00:00 on 9 March charges."""
    assert fee_for(now=DEADLINE).charge == FEE


def test_seat_confirmed_after_the_deadline_is_free_to_cancel_for_24_hours():
    """C11: a seat confirmed after the deadline instant (accepted offer, late seat, late run)
    may be cancelled free within 24 hours of its confirmation; after that it is charged."""
    confirmed_at = DEADLINE + dt.timedelta(days=2, hours=5)
    inside = fee_for(
        confirmed_at=confirmed_at, now=confirmed_at + dt.timedelta(hours=23, minutes=59)
    )
    assert inside.charge is None
    assert inside.reason_code == "free_window"
    assert "24 timmar" in inside.reason_text
    at_end = fee_for(confirmed_at=confirmed_at, now=confirmed_at + 24 * HOUR)
    assert at_end.charge == FEE


def test_seat_confirmed_at_the_deadline_instant_gets_the_24_hour_window():
    """C11: confirmed at the instant the period starts counts as confirmed after it."""
    assert fee_for(confirmed_at=DEADLINE, now=DEADLINE + HOUR).charge is None


def test_seat_confirmed_before_the_deadline_has_no_24_hour_window():
    """C11: a seat confirmed before the deadline instant has no such window."""
    decision = fee_for(confirmed_at=DEADLINE - HOUR, now=DEADLINE + HOUR)
    assert decision.charge == FEE


def test_free_window_length_is_configurable():
    confirmed_at = DEADLINE + HOUR
    assert (
        fee_for(
            confirmed_at=confirmed_at, now=confirmed_at + 30 * HOUR, free_window_hours=48
        ).charge
        is None
    )


@pytest.mark.parametrize("status", ["pending", "waitlisted", "offered"])
def test_cancelling_pending_waiting_or_offered_lines_is_always_free(status):
    """C14 and C11: leaving the waiting list or declining an offer is free, at any time."""
    decision = fee_for(status, now=DEADLINE + dt.timedelta(days=10))
    assert decision.status is None
    assert decision.reason_code == "not_confirmed"


def test_organiser_cancellation_never_charges():
    """C4/C14: anything the organiser cancels is free."""
    decision = fee_for(now=DEADLINE + dt.timedelta(days=10), organiser=True)
    assert decision.status is None
    assert decision.reason_code == "organiser_cancellation"


def test_registration_with_a_fee_gets_no_second_fee():
    """C14: one fee per registration; cancelling more courses later adds nothing."""
    decision = fee_for(now=DEADLINE + dt.timedelta(days=1), existing_fee=True)
    assert decision.status is None
    assert decision.reason_code == "fee_exists"


def test_acceptable_reason_waives_the_fee_but_records_it():
    """C14: a course admin's acceptable reason (illness) waives it; the fee row says waived."""
    decision = fee_for(now=DEADLINE + dt.timedelta(days=1), acceptable_reason=True)
    assert decision.status == "waived"
    assert decision.amount == FEE
    assert decision.charge is None
    assert decision.creates_fee


def test_week_without_a_fee_amount_charges_nothing():
    decision = cancellation_fee(
        line_status="confirmed",
        confirmed_at=DEADLINE - dt.timedelta(days=30),
        now=DEADLINE + HOUR,
        cancellation_deadline_instant=DEADLINE,
        existing_fee=False,
        fee_amount=0,
    )
    assert decision.status is None


@pytest.mark.parametrize("status", ["cancelled", "passed", "not_seated", "no_show"])
def test_a_line_that_cannot_be_cancelled_is_refused(status):
    """Section 4, line states: only pending, waiting, offered and confirmed lines cancel."""
    with pytest.raises(CoreError) as error:
        fee_for(status, now=DEADLINE + HOUR)
    assert error.value.code == "invalid_transition"


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        fee_for(now=dt.datetime(2027, 3, 10, 12, 0))


# --- several lines in one call (C14, last sentence) -----------------------------------------------


def test_one_call_cancelling_several_confirmed_lines_reports_the_same_single_fee_on_each():
    """C14: the cancel answer carries the same single fee on each confirmed line it cancelled
    and None on the other lines."""
    decision = cancel_many(
        lines=[
            LineToCancel(3, "confirmed", DEADLINE - dt.timedelta(days=40)),
            LineToCancel(1, "waitlisted"),
            LineToCancel(2, "confirmed", DEADLINE - dt.timedelta(days=40)),
            LineToCancel(4, "offered"),
        ],
        now=DEADLINE + dt.timedelta(days=2),
        cancellation_deadline_instant=DEADLINE,
        existing_fee=False,
        fee_amount=FEE,
    )
    assert decision.fee.charge == FEE
    assert [line.line_id for line in decision.lines] == [1, 2, 3, 4]
    assert decision.fee_for(2) is decision.fee_for(3) is decision.fee
    assert decision.fee_for(1) is None and decision.fee_for(4) is None
    assert decision.lines[0].reason_code == "not_confirmed"


def test_one_call_reports_the_fee_even_on_a_line_inside_its_free_window():
    """C14: one fee per registration, reported on each confirmed line the call cancelled."""
    decision = cancel_many(
        lines=[
            LineToCancel(1, "confirmed", DEADLINE - dt.timedelta(days=40)),
            LineToCancel(2, "confirmed", DEADLINE + dt.timedelta(days=2)),
        ],
        now=DEADLINE + dt.timedelta(days=2, hours=1),
        cancellation_deadline_instant=DEADLINE,
        existing_fee=False,
        fee_amount=FEE,
    )
    assert decision.fee_for(1) == decision.fee_for(2) == decision.fee
    assert decision.lines[1].reason_code == "free_window"


def test_cancelling_everything_before_the_deadline_reports_no_fee():
    """C14: before the deadline nothing is charged, on any line."""
    decision = cancel_many(
        lines=[LineToCancel(1, "confirmed", DEADLINE - dt.timedelta(days=40))],
        now=DEADLINE - HOUR,
        cancellation_deadline_instant=DEADLINE,
        existing_fee=False,
        fee_amount=FEE,
    )
    assert decision.fee.status is None
    assert decision.fee.reason_code == "before_deadline"
    assert decision.fee_for(1) is None


def test_cancel_many_refuses_duplicates_and_empty_calls():
    common = {
        "now": DEADLINE,
        "cancellation_deadline_instant": DEADLINE,
        "existing_fee": False,
        "fee_amount": FEE,
    }
    with pytest.raises(ValueError):
        cancel_many(lines=[], **common)
    with pytest.raises(ValueError):
        cancel_many(lines=[LineToCancel(1, "pending"), LineToCancel(1, "pending")], **common)


# --- no-show (C17) --------------------------------------------------------------------------------


def test_confirmed_participant_absent_every_day_is_a_no_show_and_charged():
    """C17 + C14: absent on every day and never cancelled: one fee to the home unit."""
    decision = no_show_fee(
        line_status="confirmed",
        attendance=[False, False, False],
        existing_fee=False,
        fee_amount=FEE,
    )
    assert decision.charge == FEE
    assert decision.cause == "no_show"


def test_present_on_one_day_is_not_a_no_show():
    """C17: partial attendance is for the course leader to judge, not a no-show."""
    assert not is_no_show(line_status="confirmed", attendance=[False, True])
    decision = no_show_fee(
        line_status="confirmed", attendance=[False, True], existing_fee=False, fee_amount=FEE
    )
    assert decision.status is None


def test_no_show_on_a_registration_with_a_fee_adds_nothing():
    """C14: at most one fee per registration, whatever the cause."""
    decision = no_show_fee(
        line_status="confirmed", attendance=[False], existing_fee=True, fee_amount=FEE
    )
    assert decision.status is None
    assert decision.reason_code == "fee_exists"


def test_cancelled_line_is_never_a_no_show():
    """C17: only a participant who never cancelled."""
    assert not is_no_show(line_status="cancelled", attendance=[False, False])


def test_no_show_needs_a_complete_register():
    """C17: a register with no records is incomplete, not "absent every day"."""
    with pytest.raises(ValueError, match="incomplete"):
        is_no_show(line_status="confirmed", attendance=[])


# --- properties -----------------------------------------------------------------------------------

cancellable = st.sampled_from(["pending", "waitlisted", "offered", "confirmed"])
offsets = st.integers(-60 * 24 * 30, 60 * 24 * 20).map(lambda m: dt.timedelta(minutes=m))


@st.composite
def registration_lines(draw: st.DrawFn) -> list[LineToCancel]:
    n = draw(st.integers(1, 6))
    lines = []
    for line_id in range(1, n + 1):
        status = draw(cancellable)
        confirmed_at = DEADLINE + draw(offsets) if status == "confirmed" else None
        lines.append(LineToCancel(line_id, status, confirmed_at))
    return lines


@given(
    lines=registration_lines(),
    data=st.data(),
    organiser=st.booleans(),
    acceptable=st.booleans(),
    no_show_attendance=st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_at_most_one_fee_per_registration_whatever_the_cancellations(
    lines, data, organiser, acceptable, no_show_attendance
):
    """C14: any sequence of cancel calls (then a no-show check, C17) creates at most one fee."""
    remaining = list(lines)
    now = DEADLINE + data.draw(offsets)
    fees: list[FeeDecision] = []
    while remaining:
        batch = data.draw(
            st.lists(st.sampled_from(remaining), min_size=1, unique_by=lambda line: line.line_id)
        )
        # A line confirmed in the future cannot be cancelled now: keep time consistent.
        now = max([now] + [line.confirmed_at for line in batch if line.confirmed_at])
        decision = cancel_many(
            lines=batch,
            now=now,
            cancellation_deadline_instant=DEADLINE,
            organiser=organiser,
            existing_fee=bool(fees),
            fee_amount=FEE,
            acceptable_reason=acceptable,
        )
        if decision.fee.creates_fee:
            fees.append(decision.fee)
        reported = {id(line.fee) for line in decision.lines if line.fee is not None}
        assert len(reported) <= 1
        for line, cancelled in zip(
            sorted(batch, key=lambda x: x.line_id), decision.lines, strict=True
        ):
            if cancelled.fee is not None:
                assert line.status == "confirmed"
        remaining = [line for line in remaining if line not in batch]
        now += data.draw(offsets.filter(lambda d: d >= dt.timedelta(0)))
    final = no_show_fee(
        line_status="confirmed",
        attendance=no_show_attendance,
        existing_fee=bool(fees),
        fee_amount=FEE,
    )
    if final.creates_fee:
        fees.append(final)
    assert len(fees) <= 1


@given(status=cancellable, offset=offsets, confirmed=offsets, existing=st.booleans())
def test_organiser_cancellation_never_charges_anything(status, offset, confirmed, existing):
    """C4/C14: whatever the line, time or history, organiser cancellations are free."""
    decision = fee_for(
        status,
        confirmed_at=DEADLINE + confirmed if status == "confirmed" else None,
        now=DEADLINE + offset,
        existing_fee=existing,
        organiser=True,
    )
    assert not decision.creates_fee


@given(status=cancellable, before=st.integers(1, 60 * 24 * 60), existing=st.booleans())
def test_cancelling_before_the_deadline_is_always_free(status, before, existing):
    """C14: before the cancellation deadline instant nothing is charged."""
    now = DEADLINE - dt.timedelta(minutes=before)
    decision = fee_for(
        status,
        confirmed_at=now - HOUR if status == "confirmed" else None,
        now=now,
        existing_fee=existing,
    )
    assert not decision.creates_fee


@given(status=cancellable, offset=offsets, confirmed=offsets)
def test_only_a_confirmed_seat_can_cost_a_fee(status, offset, confirmed):
    """C14: pending, waiting and offered lines are free, always."""
    decision = fee_for(
        status,
        confirmed_at=DEADLINE + confirmed if status == "confirmed" else None,
        now=DEADLINE + offset,
    )
    if decision.creates_fee:
        assert status == "confirmed"
