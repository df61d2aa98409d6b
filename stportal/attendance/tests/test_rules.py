"""The pure rules of the register (C17): no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stportal.attendance import rules
from stportal.attendance.rules import Attendance, Participant, ResultProblem

DAYS = (dt.date(2027, 3, 22), dt.date(2027, 3, 23), dt.date(2027, 3, 24))


def marks(pattern: str) -> dict[dt.date, bool]:
    return {day: mark == "P" for day, mark in zip(DAYS, pattern, strict=False) if mark != "-"}


def test_attendance_kinds_c17():
    assert rules.attendance_of(DAYS, marks("PPP")) == Attendance.FULL
    assert rules.attendance_of(DAYS, marks("AAA")) == Attendance.NONE
    assert rules.attendance_of(DAYS, marks("PAP")) == Attendance.PARTIAL
    assert rules.attendance_of(DAYS, marks("PP-")) == Attendance.MISSING
    assert rules.attendance_of((), {}) == Attendance.MISSING


def check(result, current="confirmed", pattern="PPP", reason="", register_open=True):
    return rules.check_result(
        result=result,
        current=current,
        days=DAYS,
        records=marks(pattern),
        reason=reason,
        register_open=register_open,
    )


def test_passing_without_full_attendance_needs_a_reason_c17():
    assert check("passed") is None
    assert check("passed", pattern="PAP") == ResultProblem.REASON_REQUIRED
    assert check("passed", pattern="PP-") == ResultProblem.REASON_REQUIRED
    assert check("passed", pattern="PAP", reason="Ersättningsuppgift") is None
    assert check("not_passed", pattern="AAA") is None


def test_incomplete_needs_what_must_be_made_up_and_passes_later_c17():
    assert check("incomplete", pattern="PAA") == ResultProblem.MAKEUP_REQUIRED
    assert check("incomplete", pattern="PAA", reason="Onsdagens seminarium") is None
    # Completed after the register closed: no new reason needed.
    assert check("passed", current="incomplete", pattern="PAA", register_open=False) is None
    assert check("not_passed", current="incomplete", register_open=False) is None


def test_a_closed_register_accepts_only_results_for_incomplete_participants_c17():
    assert check("not_passed", current="passed", register_open=False) == ResultProblem.LOCKED
    assert check("passed", current="confirmed", register_open=False) == ResultProblem.LOCKED
    assert check("passed", current="no_show") == ResultProblem.LOCKED
    assert check("passed", current="cancelled") == ResultProblem.NOT_A_PARTICIPANT
    assert check("excellent") == ResultProblem.UNKNOWN_RESULT


def test_result_paths_follow_the_line_states():
    assert rules.result_path("confirmed", "passed", register_open=True) == ("passed",)
    assert rules.result_path("passed", "passed", register_open=False) == ()
    assert rules.result_path("passed", "not_passed", register_open=True) == (
        "confirmed",
        "not_passed",
    )
    assert rules.result_path("passed", "not_passed", register_open=False) is None
    assert rules.result_path("incomplete", "passed", register_open=False) == ("passed",)


def participant(rid, pattern, status="confirmed", name=None, reason=""):
    return Participant(rid, name or f"P{rid}", status, marks(pattern), reason)


def test_plan_closing_lists_missing_days_and_results_c17():
    plan = rules.plan_closing(
        DAYS,
        [
            participant(1, "PPP"),
            participant(2, "P--"),
            participant(3, "PAP"),
            participant(4, "PAP", status="passed"),  # passed without a reason
            participant(5, "PAP", status="passed", reason="Ersättningsuppgift"),
        ],
    )
    assert not plan.can_close
    assert [(m.registration_id, m.dates, m.needs_result) for m in plan.missing] == [
        (2, DAYS[1:], False),
        (3, (), True),
        (4, (), True),
    ]
    assert plan.passed == () and plan.no_shows == ()


def test_plan_closing_passes_full_attenders_and_finds_no_shows_c17():
    plan = rules.plan_closing(
        DAYS,
        [
            participant(1, "PPP"),
            participant(2, "AAA"),
            participant(3, "AAA", status="not_passed"),
            participant(4, "PAA", status="incomplete", reason="x"),
            participant(5, "PPP", status="no_show"),
        ],
    )
    assert plan.can_close
    assert plan.passed == (1,)
    assert plan.no_shows == (2, 3)
    assert plan.overruled == (3,)


def test_absent_every_day_is_a_no_show_whatever_the_leader_recorded_c17():
    """C17, issue 9: a result recorded before closing for someone who never came (a pass with
    a reason, a fail, a make-up) cannot keep them from being a no-show, with its fee."""
    plan = rules.plan_closing(
        DAYS,
        [
            participant(1, "AAA", status="passed", reason="Godkänd ändå"),
            participant(2, "AAA", status="incomplete", reason="Hela kursen"),
            participant(3, "AAA", status="not_passed"),
            participant(4, "PAA", status="passed", reason="Ersättningsuppgift"),
        ],
    )
    assert plan.can_close
    assert plan.no_shows == (1, 2, 3)
    assert plan.overruled == (1, 2, 3)
    assert plan.passed == ()


patterns = st.lists(st.sampled_from("PA-"), min_size=3, max_size=3).map("".join)
statuses = st.sampled_from(["confirmed", "passed", "not_passed", "incomplete"])


@given(st.lists(st.tuples(patterns, statuses, st.booleans()), max_size=12))
def test_plan_closing_is_all_or_nothing_and_never_double_counts(people):
    """Property: a plan either lists what is missing and decides nothing, or decides each
    participant at most once; passes need full attendance and a confirmed line, no-shows no
    attendance at all, and every participant absent on every day is a no-show (C17)."""
    participants = [
        participant(index, pattern, status, reason="r" if has_reason else "")
        for index, (pattern, status, has_reason) in enumerate(people)
    ]
    plan = rules.plan_closing(DAYS, participants)
    if plan.missing:
        assert plan.passed == () and plan.no_shows == ()
        return
    assert not set(plan.passed) & set(plan.no_shows)
    by_id = {p.registration_id: p for p in participants}
    for rid in plan.passed:
        assert by_id[rid].status == "confirmed"
        assert rules.attendance_of(DAYS, by_id[rid].records) == Attendance.FULL
    for rid in plan.no_shows:
        assert rules.attendance_of(DAYS, by_id[rid].records) == Attendance.NONE
    assert set(plan.overruled) == {r for r in plan.no_shows if by_id[r].status != "confirmed"}
    for p in participants:
        kind = rules.attendance_of(DAYS, p.records)
        assert kind != Attendance.MISSING
        assert (p.registration_id in plan.no_shows) == (kind == Attendance.NONE)
