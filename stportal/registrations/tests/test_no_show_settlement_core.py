"""The pure rule for no-show fees at closing, again after a corrected register (C14, C17).

Issue 9, "one home for each rule": the decision is plain data in, decisions out; whether a
fee was waived because of a correction is a state of the fee, never read from its text.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.registrations.fees import (
    ExistingFee,
    FeeReason,
    NoShowAtClosing,
    NoShowSettlement,
    SettlementAction,
    settle_no_shows,
)

FEE = 1500

existing_fees = st.none() | st.builds(
    ExistingFee,
    status=st.sampled_from(["charged", "waived"]),
    cause=st.sampled_from(["late_cancellation", "no_show"]),
    waived_by_correction=st.booleans(),
).filter(
    # Only a waived no-show fee can have been waived by a correction.
    lambda fee: not fee.waived_by_correction or (fee.status, fee.cause) == ("waived", "no_show")
)


@st.composite
def registrations(draw):
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=8))
    items = []
    for registration_id in ids:
        fee = draw(existing_fees)
        items.append(
            NoShowAtClosing(
                registration_id=registration_id,
                no_show_here=draw(st.booleans()),
                no_show_elsewhere=draw(st.booleans()),
                fee=fee,
                fee_on_this_line=fee is not None and draw(st.booleans()),
            )
        )
    return items


amounts = st.sampled_from([0, 1, FEE])


def apply(item: NoShowAtClosing, settlement: NoShowSettlement) -> NoShowAtClosing:
    """What the service writes, as the next closing would read it back."""
    if settlement.action == SettlementAction.LEAVE:
        return item
    assert settlement.fee is not None
    corrected = settlement.action == SettlementAction.WAIVE_CORRECTED
    fee = ExistingFee(
        status=settlement.fee.status,  # type: ignore[arg-type]
        cause="no_show",
        waived_by_correction=corrected,
    )
    # A charge (new or again) is carried by this course's line; a waiver keeps the line's.
    return replace(item, fee=fee, fee_on_this_line=item.fee_on_this_line or not corrected)


@given(registrations(), amounts)
def test_every_registration_gets_exactly_one_decision_in_order(items, amount):
    """Issue 9: one decision per registration, none invented."""
    decisions = settle_no_shows(items, fee_amount=amount)
    assert [d.registration_id for d in decisions] == [i.registration_id for i in items]


@given(registrations(), amounts)
def test_at_most_one_fee_per_registration(items, amount):
    """C14: a new fee is only created for a registration without one."""
    for item, decision in zip(items, settle_no_shows(items, fee_amount=amount), strict=True):
        if decision.action == SettlementAction.CHARGE:
            assert item.fee is None
        if decision.action in (SettlementAction.RECHARGE, SettlementAction.WAIVE_CORRECTED):
            assert item.fee is not None


@given(registrations())
def test_a_no_show_is_charged_unless_the_registration_has_a_fee(items):
    """C17 + C14: a no-show here with no fee is charged the week's fee."""
    for item, decision in zip(items, settle_no_shows(items, fee_amount=FEE), strict=True):
        if item.no_show_here and item.fee is None:
            assert decision.action == SettlementAction.CHARGE
            assert decision.fee is not None
            assert (decision.fee.status, decision.fee.amount, decision.fee.cause) == (
                "charged",
                FEE,
                "no_show",
            )


@given(registrations())
def test_no_fee_is_charged_when_the_week_has_none(items):
    """C14: a week whose fee is 0 charges nothing new."""
    for decision in settle_no_shows(items, fee_amount=0):
        assert decision.action != SettlementAction.CHARGE


@given(registrations(), amounts)
def test_a_correction_never_deletes_it_only_waives_a_charged_no_show_fee(items, amount):
    """C15, C17: fees follow the corrected record by being waived, with the reason."""
    for item, decision in zip(items, settle_no_shows(items, fee_amount=amount), strict=True):
        assert decision.action in set(SettlementAction)
        if decision.action == SettlementAction.WAIVE_CORRECTED:
            assert item.fee is not None
            assert (item.fee.status, item.fee.cause) == ("charged", "no_show")
            assert not item.no_show_here and not item.no_show_elsewhere
            assert item.fee_on_this_line
            assert decision.fee is not None
            assert decision.fee.status == "waived"
            assert decision.fee.reason_code == FeeReason.CORRECTED


@given(registrations(), amounts)
def test_a_fee_waived_by_staff_is_never_charged_again(items, amount):
    """C14: an acceptable reason recorded by staff stands; only a correction's waiver lapses."""
    for item, decision in zip(items, settle_no_shows(items, fee_amount=amount), strict=True):
        if item.fee is not None and item.fee.status == "waived":
            if not item.fee.waived_by_correction:
                assert decision.action == SettlementAction.LEAVE
        if decision.action == SettlementAction.RECHARGE:
            assert item.fee is not None and item.fee.waived_by_correction
            assert item.no_show_here


@given(registrations(), amounts)
def test_a_late_cancellation_fee_is_left_alone(items, amount):
    """C14: closing a register only settles no-show fees."""
    for item, decision in zip(items, settle_no_shows(items, fee_amount=amount), strict=True):
        if item.fee is not None and item.fee.cause == "late_cancellation":
            assert decision.action == SettlementAction.LEAVE


@given(registrations(), amounts)
def test_deciding_again_on_the_result_changes_nothing(items, amount):
    """Issue 9: closing twice on the same record is idempotent."""
    first = settle_no_shows(items, fee_amount=amount)
    after = [apply(item, decision) for item, decision in zip(items, first, strict=True)]
    again = settle_no_shows(after, fee_amount=amount)
    assert all(decision.action == SettlementAction.LEAVE for decision in again)


def test_a_correction_waiver_is_charged_again_when_the_no_show_comes_back():
    """C17: corrected back to a no-show, the fee a correction waived is charged again."""
    item = NoShowAtClosing(
        registration_id=1,
        no_show_here=True,
        no_show_elsewhere=False,
        fee=ExistingFee("waived", "no_show", waived_by_correction=True),
        fee_on_this_line=True,
    )
    (decision,) = settle_no_shows([item], fee_amount=FEE)
    assert decision.action == SettlementAction.RECHARGE
    assert decision.fee is not None and decision.fee.status == "charged"


def test_a_no_show_elsewhere_in_the_week_keeps_the_fee_charged():
    """C14 + C17: the registration is still a no-show in another course; its fee stands."""
    item = NoShowAtClosing(
        registration_id=1,
        no_show_here=False,
        no_show_elsewhere=True,
        fee=ExistingFee("charged", "no_show"),
        fee_on_this_line=True,
    )
    (decision,) = settle_no_shows([item], fee_amount=FEE)
    assert decision.action == SettlementAction.LEAVE


def test_a_registration_listed_twice_or_a_negative_fee_is_refused():
    item = NoShowAtClosing(1, no_show_here=True, no_show_elsewhere=False, fee=None)
    with pytest.raises(ValueError):
        settle_no_shows([item, item], fee_amount=FEE)
    with pytest.raises(ValueError):
        settle_no_shows([item], fee_amount=-1)
