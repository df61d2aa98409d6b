"""Late-cancellation and no-show fees (C11, C14, C17): the pure decision core.

No Django, no clock: `now` and the week's cancellation deadline instant are passed in, always
timezone-aware ("inside the cancellation period" means from that instant on). The service layer
knows whether the registration already has a fee row and writes the decision back; the database
backs "one fee per registration" with a one-to-one constraint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from stportal.registrations.offers import check_transition
from stportal.registrations.rules import CoreError, LineState, require_aware, require_non_negative

__all__ = [
    "CORRECTION_WAIVER_TEXT",
    "DEFAULT_FREE_WINDOW_HOURS",
    "CancelDecision",
    "CoreError",
    "ExistingFee",
    "FeeDecision",
    "FeeReason",
    "LineCancellation",
    "LineToCancel",
    "NoShowAtClosing",
    "NoShowSettlement",
    "SettlementAction",
    "cancel_many",
    "cancellation_fee",
    "is_no_show",
    "no_show_fee",
    "settle_no_shows",
]

DEFAULT_FREE_WINDOW_HOURS = 24  # C11: a seat confirmed late may be cancelled free for 24 h


class FeeReason(StrEnum):
    """Why a fee was or was not charged; the service may translate by code."""

    ORGANISER_CANCELLATION = "organiser_cancellation"  # C4, C14
    NOT_CONFIRMED = "not_confirmed"  # C14: pending, waiting or offered lines
    BEFORE_DEADLINE = "before_deadline"  # C14
    CHANGED_BEFORE_DEADLINE = "changed_before_deadline"  # C6: an edit before the deadline
    FREE_WINDOW = "free_window"  # C11: within 24 h of a confirmation after the deadline
    FEE_EXISTS = "fee_exists"  # C14: one fee per registration
    NO_FEE_SET = "no_fee_set"  # the week's fee amount is 0
    LATE_CANCELLATION = "late_cancellation"  # C14: charged
    WAIVED = "waived_acceptable_reason"  # C14: an acceptable reason recorded by staff
    NO_SHOW = "no_show"  # C17: charged
    NOT_NO_SHOW = "not_no_show"  # C17
    CORRECTED = "corrected_not_no_show"  # C17: the corrected register shows no no-show


_TEXT = {
    FeeReason.ORGANISER_CANCELLATION: "Avgiftsfritt: avbokat av arrangören",
    FeeReason.NOT_CONFIRMED: "Avgiftsfritt: raden hade ingen bekräftad plats",
    FeeReason.BEFORE_DEADLINE: "Avgiftsfritt: avbokat före sista avbokningsdag",
    FeeReason.CHANGED_BEFORE_DEADLINE: (
        "Avgiftsfritt: kursen togs bort ur anmälan före sista anmälningsdag"
    ),
    FeeReason.FREE_WINDOW: (
        "Avgiftsfritt: avbokat inom {hours} timmar från en bekräftelse efter sista avbokningsdag"
    ),
    FeeReason.FEE_EXISTS: "Ingen ny avgift: anmälan har redan en avgift",
    FeeReason.NO_FEE_SET: "Avgiftsfritt: kursveckan har ingen avgift för sen avbokning",
    FeeReason.LATE_CANCELLATION: (
        "Utbildningskostnad: bekräftad plats avbokad efter sista avbokningsdag"
    ),
    FeeReason.WAIVED: "Avgiften efterges: godtagbart skäl",
    FeeReason.NO_SHOW: "Utbildningskostnad: uteblev från kursen utan att avboka",
    FeeReason.NOT_NO_SHOW: "Ingen avgift för uteblivande",
    FeeReason.CORRECTED: (
        "Avgiften efterges: närvaron rättades efter att registret öppnats igen, "
        "deltagaren uteblev inte"
    ),
}

# The reason stored on a no-show fee waived after a correction: text people read, never
# compared to tell the fee's state (the fee row's `waived_by_correction` flag says that).
CORRECTION_WAIVER_TEXT = _TEXT[FeeReason.CORRECTED]


@dataclass(frozen=True, slots=True)
class FeeDecision:
    """Whether a fee row is created, with what status and amount, and why.

    `status` None means no fee; "charged" and "waived" both create the registration's one fee
    row (C14: a waived fee is still recorded and reported, C16).
    """

    status: Literal["charged", "waived"] | None
    amount: int | None
    cause: Literal["late_cancellation", "no_show"] | None
    reason_code: str
    reason_text: str

    @property
    def charge(self) -> int | None:
        """The amount charged to the home unit, or None."""
        return self.amount if self.status == "charged" else None

    @property
    def creates_fee(self) -> bool:
        return self.status is not None


def _free(reason: FeeReason, *, hours: int = DEFAULT_FREE_WINDOW_HOURS) -> FeeDecision:
    return FeeDecision(None, None, None, reason, _TEXT[reason].format(hours=hours))


def _due(
    *, cause: Literal["late_cancellation", "no_show"], fee_amount: int, acceptable_reason: bool
) -> FeeDecision:
    if acceptable_reason:
        return FeeDecision("waived", fee_amount, cause, FeeReason.WAIVED, _TEXT[FeeReason.WAIVED])
    reason = FeeReason.LATE_CANCELLATION if cause == "late_cancellation" else FeeReason.NO_SHOW
    return FeeDecision("charged", fee_amount, cause, reason, _TEXT[reason])


def cancellation_fee(
    *,
    line_status: str,
    confirmed_at: dt.datetime | None,
    now: dt.datetime,
    cancellation_deadline_instant: dt.datetime,
    free_window_hours: int = DEFAULT_FREE_WINDOW_HOURS,
    organiser: bool = False,
    existing_fee: bool,
    fee_amount: int,
    acceptable_reason: bool = False,
    free_edit_until: dt.datetime | None = None,
) -> FeeDecision:
    """The fee for cancelling one line at `now` (C14, C11).

    1. The line must be cancellable (`invalid_transition` otherwise).
    2. Free when the organiser cancels (C4, C14), and for pending, waiting or offered lines.
    3. A confirmed seat is free before the cancellation deadline instant, and, when it is
       given up by editing the registration, before `free_edit_until` (the registration
       deadline instant: C6, changing courses is an edit, free before the deadline).
    4. From that instant on it is charged, except within `free_window_hours` of its
       confirmation when it was confirmed at or after the deadline instant (C11).
    5. At most one fee per registration: none when `existing_fee`; none when the week's
       amount is 0; `waived` instead of `charged` when staff record an acceptable reason.
    """
    check_transition(line_status, LineState.CANCELLED)
    require_aware("now", now)
    require_aware("cancellation_deadline_instant", cancellation_deadline_instant)
    require_non_negative("free_window_hours", free_window_hours)
    require_non_negative("fee_amount", fee_amount)
    if organiser:
        return _free(FeeReason.ORGANISER_CANCELLATION)
    if line_status != LineState.CONFIRMED:
        return _free(FeeReason.NOT_CONFIRMED)
    if confirmed_at is None:
        raise ValueError("a confirmed line needs confirmed_at")
    require_aware("confirmed_at", confirmed_at)
    if now < cancellation_deadline_instant:
        return _free(FeeReason.BEFORE_DEADLINE)
    if free_edit_until is not None:
        require_aware("free_edit_until", free_edit_until)
        if now < free_edit_until:
            return _free(FeeReason.CHANGED_BEFORE_DEADLINE)
    window_end = confirmed_at + dt.timedelta(hours=free_window_hours)
    if confirmed_at >= cancellation_deadline_instant and now < window_end:
        return _free(FeeReason.FREE_WINDOW, hours=free_window_hours)
    if existing_fee:
        return _free(FeeReason.FEE_EXISTS)
    if fee_amount == 0:
        return _free(FeeReason.NO_FEE_SET)
    return _due(
        cause="late_cancellation", fee_amount=fee_amount, acceptable_reason=acceptable_reason
    )


@dataclass(frozen=True, slots=True)
class LineToCancel:
    """A line of one registration that a cancel call asks to cancel."""

    line_id: int
    status: str
    confirmed_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class LineCancellation:
    """One cancelled line: the fee to report on it (or None) and the line's own reason."""

    line_id: int
    fee: FeeDecision | None
    reason_code: str
    reason_text: str


@dataclass(frozen=True, slots=True)
class CancelDecision:
    """A cancel call on one registration: its single fee decision and each line's report."""

    fee: FeeDecision
    lines: tuple[LineCancellation, ...]  # in line id order

    def fee_for(self, line_id: int) -> FeeDecision | None:
        for line in self.lines:
            if line.line_id == line_id:
                return line.fee
        raise KeyError(line_id)


def cancel_many(
    *,
    lines: Sequence[LineToCancel],
    now: dt.datetime,
    cancellation_deadline_instant: dt.datetime,
    free_window_hours: int = DEFAULT_FREE_WINDOW_HOURS,
    organiser: bool = False,
    existing_fee: bool,
    fee_amount: int,
    acceptable_reason: bool = False,
    free_edit_until: dt.datetime | None = None,
) -> CancelDecision:
    """Cancel several lines of one registration in one call (C14).

    Each line is judged as by `cancellation_fee`. If any line makes a fee due, the registration
    gets that one fee, and it is reported on every confirmed line this call cancels (C14, last
    sentence: "the same single fee on each"); pending, waiting and offered lines report None.
    """
    if not lines:
        raise ValueError("nothing to cancel")
    if len({line.line_id for line in lines}) != len(lines):
        raise ValueError("a line id appears more than once")
    ordered = sorted(lines, key=lambda line: line.line_id)
    decisions = [
        cancellation_fee(
            line_status=line.status,
            confirmed_at=line.confirmed_at,
            now=now,
            cancellation_deadline_instant=cancellation_deadline_instant,
            free_window_hours=free_window_hours,
            organiser=organiser,
            existing_fee=existing_fee,
            fee_amount=fee_amount,
            acceptable_reason=acceptable_reason,
            free_edit_until=free_edit_until,
        )
        for line in ordered
    ]
    due = next((d for d in decisions if d.creates_fee), None)
    if due is None:
        # No fee: summarise by the first confirmed line's reason (the one people ask about).
        confirmed = [
            d for line, d in zip(ordered, decisions, strict=True) if line.status == "confirmed"
        ]
        fee = confirmed[0] if confirmed else decisions[0]
    else:
        fee = due
    return CancelDecision(
        fee=fee,
        lines=tuple(
            LineCancellation(
                line_id=line.line_id,
                fee=due if due is not None and line.status == LineState.CONFIRMED else None,
                reason_code=d.reason_code,
                reason_text=d.reason_text,
            )
            for line, d in zip(ordered, decisions, strict=True)
        ),
    )


def is_no_show(*, line_status: str, attendance: Sequence[bool]) -> bool:
    """C17: a confirmed participant (so never cancelled) recorded absent on every course day.

    `attendance` holds one present/absent record per course day; a register is closed only
    when every day has one, so an empty record is refused rather than read as "absent".
    """
    if not attendance:
        raise ValueError("no attendance records: the register is incomplete")
    return line_status == LineState.CONFIRMED and not any(attendance)


def no_show_fee(
    *,
    line_status: str,
    attendance: Sequence[bool],
    existing_fee: bool,
    fee_amount: int,
    acceptable_reason: bool = False,
) -> FeeDecision:
    """C17 + C14: a no-show is charged one fee, unless the registration already has one."""
    require_non_negative("fee_amount", fee_amount)
    if not is_no_show(line_status=line_status, attendance=attendance):
        return _free(FeeReason.NOT_NO_SHOW)
    if existing_fee:
        return _free(FeeReason.FEE_EXISTS)
    if fee_amount == 0:
        return _free(FeeReason.NO_FEE_SET)
    return _due(cause="no_show", fee_amount=fee_amount, acceptable_reason=acceptable_reason)


# --- no-show fees when a register is closed, again after a correction (C14, C17) ----------


class SettlementAction(StrEnum):
    """What closing a register does to one registration's fee."""

    CHARGE = "charge"  # a new no-show fee
    RECHARGE = "recharge"  # a no-show fee an earlier correction waived is charged again
    WAIVE_CORRECTED = "waive_corrected"  # the corrected register shows no no-show any more
    LEAVE = "leave"


@dataclass(frozen=True, slots=True)
class ExistingFee:
    """The registration's one fee row as the rule needs it.

    `waived_by_correction`: waived because a corrected register no longer showed a no-show
    (a state of the fee, never read from its text); a fee waived by staff for an acceptable
    reason has it False.
    """

    status: Literal["charged", "waived"]
    cause: Literal["late_cancellation", "no_show"]
    waived_by_correction: bool = False


@dataclass(frozen=True, slots=True)
class NoShowAtClosing:
    """One registration with a participant line in the course whose register is closed.

    `no_show_here`: its line of this course is a no-show now; `no_show_elsewhere`: another of
    its lines in the week is a no-show; `fee_on_this_line`: this course's line carries the
    registration's fee (the fee was charged for it).
    """

    registration_id: int
    no_show_here: bool
    no_show_elsewhere: bool
    fee: ExistingFee | None
    fee_on_this_line: bool = False


@dataclass(frozen=True, slots=True)
class NoShowSettlement:
    """The decision for one registration; `fee` is the fee row's new state (None: LEAVE)."""

    registration_id: int
    action: SettlementAction
    fee: FeeDecision | None = None


def _settle_one(item: NoShowAtClosing, fee_amount: int) -> NoShowSettlement:
    fee = item.fee
    if item.no_show_here:
        if fee is None:
            if fee_amount == 0:
                return NoShowSettlement(item.registration_id, SettlementAction.LEAVE)
            decision = _due(cause="no_show", fee_amount=fee_amount, acceptable_reason=False)
            return NoShowSettlement(item.registration_id, SettlementAction.CHARGE, decision)
        if fee.cause == "no_show" and fee.status == "waived" and fee.waived_by_correction:
            decision = FeeDecision(
                "charged", None, "no_show", FeeReason.NO_SHOW, _TEXT[FeeReason.NO_SHOW]
            )
            return NoShowSettlement(item.registration_id, SettlementAction.RECHARGE, decision)
        return NoShowSettlement(item.registration_id, SettlementAction.LEAVE)  # one fee (C14)
    if (
        fee is not None
        and item.fee_on_this_line
        and fee.cause == "no_show"
        and fee.status == "charged"
        and not item.no_show_elsewhere
    ):
        decision = FeeDecision(
            "waived", None, "no_show", FeeReason.CORRECTED, _TEXT[FeeReason.CORRECTED]
        )
        return NoShowSettlement(item.registration_id, SettlementAction.WAIVE_CORRECTED, decision)
    return NoShowSettlement(item.registration_id, SettlementAction.LEAVE)


def settle_no_shows(
    registrations: Sequence[NoShowAtClosing], *, fee_amount: int
) -> tuple[NoShowSettlement, ...]:
    """C14 + C17 when a course's register is closed: fees follow the corrected record.

    1. A registration whose line here is a no-show is charged the week's fee (`fee_amount`),
       unless it already has a fee (one fee per registration) or the amount is 0.
    2. A no-show fee an earlier correction waived is charged again when the registration is
       a no-show here again. A fee staff waived for an acceptable reason stays waived.
    3. A charged no-show fee carried by this course's line is waived, never deleted, when the
       registration holds no no-show line any more, here or elsewhere in the week.
    4. Anything else is left alone. Deciding again on the outcome changes nothing.

    A RECHARGE or WAIVE_CORRECTED decision keeps the fee's amount (its `amount` is None).
    """
    require_non_negative("fee_amount", fee_amount)
    if len({item.registration_id for item in registrations}) != len(registrations):
        raise ValueError("a registration appears more than once")
    return tuple(_settle_one(item, fee_amount) for item in registrations)
