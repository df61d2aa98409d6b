"""Shared pieces of the pure registration rules (allocation, offers, fees).

No Django here: the rule modules are plain functions on frozen dataclasses, time is passed in,
and a rule that says no raises `CoreError`, which the service layer turns into the API's
`{code, message}` body (Appendix A).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class CoreError(Exception):
    """A rule said no. `code` is the machine code (Appendix A); `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"CoreError(code={self.code!r}, message={self.message!r})"


class LineState(StrEnum):
    """The status words of a registration line (SPEC 6); equal to the plain strings."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    OFFERED = "offered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    NOT_SEATED = "not_seated"
    NO_SHOW = "no_show"
    PASSED = "passed"
    NOT_PASSED = "not_passed"
    INCOMPLETE = "incomplete"


def require_aware(name: str, value: dt.datetime) -> None:
    """Only timezone-aware instants enter the rules (STYLE 9): a naive one is a caller's bug."""
    if not isinstance(value, dt.datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def require_date(name: str, value: dt.date) -> None:
    # datetime is a subclass of date: reject it, a day and an instant are different things.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name} must be a date, not {type(value).__name__}")


def require_non_negative(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative (got {value})")
