"""The states of a course week (C4) as pure functions over dates and an instant.

Staff move a week between draft, published, allocated and cancelled; dates move it forward
on their own (closed after the deadline, running from the first day, finished after the last).
"""

from __future__ import annotations

import datetime as dt

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
