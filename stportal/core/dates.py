"""Dates and instants (SPEC 4: deadlines are instants, end of day Europe/Stockholm)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant a date-deadline ends: the start of the next day in Stockholm."""
    next_day = day + dt.timedelta(days=1)
    return dt.datetime.combine(next_day, dt.time.min, tzinfo=STOCKHOLM)


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=STOCKHOLM)


def local_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(STOCKHOLM).date()
