"""Attendance, results and closing a course's register (C17): the pure decision core.

No Django and no clock: the service layer reads the course days, each participant's line
status and attendance records, asks these functions, and writes the answer. A participant's
attendance is a mapping from course day to present (True) / absent (False); a day without a
record is simply missing from the mapping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from stportal.registrations.offers import can_transition
from stportal.registrations.rules import LineState

__all__ = [
    "PARTICIPANT_STATES",
    "RESULTS",
    "Attendance",
    "ClosingPlan",
    "Missing",
    "Participant",
    "ResultProblem",
    "attendance_of",
    "check_result",
    "plan_closing",
    "result_path",
]

S = LineState

# Lines that are (or were) seated in the course when it ran: the register lists these.
PARTICIPANT_STATES: frozenset[str] = frozenset(
    {S.CONFIRMED, S.PASSED, S.NOT_PASSED, S.INCOMPLETE, S.NO_SHOW}
)
# Lines whose attendance and result the leader may record while the register is open.
RECORDABLE_STATES: frozenset[str] = frozenset({S.CONFIRMED, S.PASSED, S.NOT_PASSED, S.INCOMPLETE})
RESULTS: tuple[str, ...] = (S.PASSED, S.NOT_PASSED, S.INCOMPLETE)

Result = Literal["passed", "not_passed", "incomplete"]


class Attendance(StrEnum):
    """How much of the course a participant attended, by the records so far."""

    FULL = "full"  # present on every course day
    NONE = "none"  # absent on every course day
    PARTIAL = "partial"  # present on some days, absent on others
    MISSING = "missing"  # some course day has no record yet


def attendance_of(days: Iterable[dt.date], records: Mapping[dt.date, bool]) -> Attendance:
    """C17: full attendance is a present record on every course day."""
    wanted = list(days)
    if not wanted or any(day not in records for day in wanted):
        return Attendance.MISSING
    present = [records[day] for day in wanted]
    if all(present):
        return Attendance.FULL
    if not any(present):
        return Attendance.NONE
    return Attendance.PARTIAL


class ResultProblem(StrEnum):
    """Why a result cannot be recorded; the service turns it into a message."""

    REASON_REQUIRED = "reason_required"  # passing without full attendance (C17)
    MAKEUP_REQUIRED = "makeup_required"  # incomplete without what must be made up (C17)
    LOCKED = "locked"  # the register is closed and the line is not incomplete
    NOT_A_PARTICIPANT = "not_a_participant"
    UNKNOWN_RESULT = "unknown_result"


def result_path(current: str, target: str, *, register_open: bool) -> tuple[str, ...] | None:
    """The line states to pass through to record `target` on a line in `current`, or None.

    1. The section 4 transitions as they stand: confirmed → a result, incomplete → passed or
       not passed (the make-up done, C17), also after the register was closed.
    2. While the register is open, the leader may correct a result already recorded: the line
       goes back to confirmed (the reopening transitions of C17) and on to the new result.
    3. The same result again changes no state (only its reason): an empty path.
    """
    if current == target:
        return ()
    if can_transition(current, target):
        return (target,)
    if register_open and can_transition(current, S.CONFIRMED, reopening=True):
        if can_transition(S.CONFIRMED, target):
            return (S.CONFIRMED, target)
    return None


def check_result(
    *,
    result: str,
    current: str,
    days: Sequence[dt.date],
    records: Mapping[dt.date, bool],
    reason: str,
    register_open: bool,
) -> ResultProblem | None:
    """Whether the leader may record `result` for a participant (C17), or what stops it.

    - Passing needs full attendance, or a written reason. A participant completing what they
      had to make up (incomplete → passed) needs none: the make-up was written down before.
    - Incomplete needs the text of what must be made up (komplettering).
    - Once the register is closed only an incomplete participant can still get a result.
    """
    if result not in RESULTS:
        return ResultProblem.UNKNOWN_RESULT
    if current not in RECORDABLE_STATES:
        return ResultProblem.LOCKED if current == S.NO_SHOW else ResultProblem.NOT_A_PARTICIPANT
    if not register_open and current != S.INCOMPLETE:
        return ResultProblem.LOCKED
    if result_path(current, result, register_open=register_open) is None:
        return ResultProblem.LOCKED
    if result == S.INCOMPLETE and not reason.strip():
        return ResultProblem.MAKEUP_REQUIRED
    if (
        result == S.PASSED
        and current != S.INCOMPLETE
        and attendance_of(days, records) != Attendance.FULL
        and not reason.strip()
    ):
        return ResultProblem.REASON_REQUIRED
    return None


@dataclass(frozen=True)
class Participant:
    """One participant of the register as the rules see it."""

    registration_id: int
    name: str
    status: str
    records: Mapping[dt.date, bool]
    result_reason: str = ""


@dataclass(frozen=True)
class Missing:
    """What stops the register from closing for one participant (409 `register_incomplete`)."""

    registration_id: int
    name: str
    dates: tuple[dt.date, ...]  # course days without a record
    needs_result: bool  # a partial attender without a result (or passed without a reason)

    def as_dict(self) -> dict[str, object]:
        return {
            "registration_id": self.registration_id,
            "name": self.name,
            "dates": [day.isoformat() for day in self.dates],
            "needs_result": self.needs_result,
        }


@dataclass(frozen=True)
class ClosingPlan:
    """What closing the register does: refused while `missing`; otherwise full attenders
    without a result pass and participants absent on every day are no-shows, whatever result
    was recorded for them (`overruled` names those whose recorded result is set aside)."""

    missing: tuple[Missing, ...]
    passed: tuple[int, ...] = field(default=())  # registration ids
    no_shows: tuple[int, ...] = field(default=())
    overruled: tuple[int, ...] = field(default=())  # a subset of no_shows

    @property
    def can_close(self) -> bool:
        return not self.missing


def _needs_result(participant: Participant, kind: Attendance) -> bool:
    if kind != Attendance.PARTIAL:
        return False
    if participant.status == S.CONFIRMED:
        return True
    # A pass with less than full attendance needs its written reason (C17); attendance may have
    # been corrected after the result was recorded.
    return participant.status == S.PASSED and not participant.result_reason.strip()


def plan_closing(days: Sequence[dt.date], participants: Iterable[Participant]) -> ClosingPlan:
    """C17: closing the register.

    1. Every participant needs a record for every course day, and every partial attender a
       result; otherwise the plan lists what is missing, per participant, and nothing closes.
    2. A confirmed participant present on every day passes (full attendance passes).
    3. A participant absent on every day who never cancelled is a no-show (C14 fee), whatever
       the leader recorded before closing: a pass, a fail or a make-up for someone who never
       came is set aside (`overruled`), so no result can keep a no-show from its fee.
    Other participants already resulted (passed, not passed, incomplete) keep their result.
    """
    ordered = sorted(participants, key=lambda p: (p.name, p.registration_id))
    missing: list[Missing] = []
    passed: list[int] = []
    no_shows: list[int] = []
    overruled: list[int] = []
    for participant in ordered:
        if participant.status not in RECORDABLE_STATES:
            continue  # a no-show of an earlier closing waits for a reopening
        kind = attendance_of(days, participant.records)
        absent_days = tuple(day for day in days if day not in participant.records)
        needs_result = _needs_result(participant, kind)
        if absent_days or needs_result:
            missing.append(
                Missing(participant.registration_id, participant.name, absent_days, needs_result)
            )
            continue
        if kind == Attendance.NONE:
            no_shows.append(participant.registration_id)
            if participant.status != S.CONFIRMED:
                overruled.append(participant.registration_id)
        elif kind == Attendance.FULL and participant.status == S.CONFIRMED:
            passed.append(participant.registration_id)
    if missing:
        return ClosingPlan(missing=tuple(missing))
    return ClosingPlan(
        missing=(),
        passed=tuple(passed),
        no_shows=tuple(no_shows),
        overruled=tuple(overruled),
    )
