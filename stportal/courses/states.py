"""The states and time windows of a course week (C4, C7, C11, C14) as pure functions over
dates and an instant.

Staff move a week between draft, published, allocated and cancelled; dates move it forward
on their own (closed after the deadline, running from the first day, finished after the last).
Every "has the deadline passed", "has the week started" and "may it still be edited" asks
`week_windows`: the instants are written here once (SPEC 4: a date deadline lasts to the end
of its day in Europe/Stockholm; a first day starts at midnight there).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

from stportal.core.dates import end_of_day, start_of_day


class StoredState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ALLOCATED = "allocated", _("allocated")
    CANCELLED = "cancelled", _("cancelled")


class WeekState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")
    ALLOCATED = "allocated", _("allocated")
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")
    CANCELLED = "cancelled", _("cancelled")


class WeekDates(Protocol):
    """What the windows are computed from: a `CourseWeek`, or anything with its dates."""

    invitation_date: dt.date
    registration_deadline: dt.date
    cancellation_deadline: dt.date
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class WeekWindows:
    """The instants of one course week's calendar and the questions asked of them."""

    opens: dt.datetime  # C7: trainees register from the start of the invitation date
    registration_closes: dt.datetime  # C7, C8: after it a registration is late
    cancellation_closes: dt.datetime  # C11, C14: the cancellation deadline instant
    starts: dt.datetime  # C7, C11: the first day begins
    ends: dt.datetime  # the last day is over

    def registration_not_yet_open(self, now: dt.datetime) -> bool:
        return now < self.opens

    def is_late(self, now: dt.datetime) -> bool:
        """C7: a registration (or a course added) from this instant on is late, and kept so."""
        return now >= self.registration_closes

    def cancellation_deadline_passed(self, now: dt.datetime) -> bool:
        """C11, C14: from this instant a freed seat is offered, and a confirmed seat cancelled
        costs the fee (unless confirmed after it, within the free window)."""
        return now >= self.cancellation_closes

    def has_started(self, now: dt.datetime) -> bool:
        return now >= self.starts

    def has_ended(self, now: dt.datetime) -> bool:
        return now >= self.ends

    def editable(self, now: dt.datetime, *, staff: bool) -> bool:
        """C6, C7: a trainee changes their registration (courses and details) until the week
        starts; staff change it at any time (records entered after the fact)."""
        return staff or not self.has_started(now)


def week_windows(week: WeekDates) -> WeekWindows:
    return WeekWindows(
        opens=start_of_day(week.invitation_date),
        registration_closes=end_of_day(week.registration_deadline),
        cancellation_closes=end_of_day(week.cancellation_deadline),
        starts=start_of_day(week.start_date),
        ends=end_of_day(week.end_date),
    )


class Opening(StrEnum):
    """Whether a registration for a week may be made now (C6, C7), and if not why."""

    OPEN = "open"
    LATE = "late"  # after the deadline: handled space permitting (C10)
    NOT_YET = "not_yet"  # before the invitation date
    STARTED = "started"
    CANCELLED = "cancelled"
    DRAFT = "draft"


def registration_opening(
    *, stored_state: str, windows: WeekWindows, now: dt.datetime, staff: bool
) -> Opening:
    """May a registration for this week be made now (C7)? Trainees register for themselves
    from the invitation date until the week starts; staff register anyone at any time
    (records entered after the fact); nobody registers for a draft or a cancelled week.
    The register service refuses by this answer and the pages show it."""
    if stored_state == StoredState.CANCELLED:
        return Opening.CANCELLED
    if stored_state == StoredState.DRAFT:
        return Opening.DRAFT
    if not staff:
        if windows.has_started(now):
            return Opening.STARTED
        if windows.registration_not_yet_open(now):
            return Opening.NOT_YET
    return Opening.LATE if windows.is_late(now) else Opening.OPEN


def effective_state(
    *,
    stored: str,
    registration_deadline: dt.date,
    start_date: dt.date,
    end_date: dt.date,
    now: dt.datetime,
) -> str:
    if stored == StoredState.CANCELLED:
        return WeekState.CANCELLED
    if stored == StoredState.DRAFT:
        return WeekState.DRAFT
    if now >= end_of_day(end_date):
        return WeekState.FINISHED
    if now >= start_of_day(start_date):
        return WeekState.RUNNING
    if stored == StoredState.ALLOCATED:
        return WeekState.ALLOCATED
    if now >= end_of_day(registration_deadline):
        return WeekState.CLOSED
    return WeekState.PUBLISHED


class TransitionError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check_publish(state: str) -> None:
    if state != WeekState.DRAFT:
        raise TransitionError("invalid_state", f"Only a draft can be published (state: {state}).")


def check_allocate(state: str) -> None:
    """C8: allocation after the deadline; C7: staff may allocate after the fact."""
    if state in (WeekState.DRAFT, WeekState.CANCELLED):
        raise TransitionError("invalid_state", f"A {state} week cannot be allocated.")
    if state == WeekState.PUBLISHED:
        raise TransitionError(
            "deadline_not_passed", "Allocation can run only after the registration deadline."
        )


def check_cancel(state: str) -> None:
    if state in (WeekState.CANCELLED, WeekState.FINISHED):
        raise TransitionError("invalid_state", f"A {state} week cannot be cancelled.")
