"""The trainee's confirmed courses as an iCalendar file (RFC 5545), made with `icalendar`.

One all-day event per course day: the product records course days, not hours, so an event
with invented times would mislead. The calendar names Europe/Stockholm as its time zone, the
timestamps are UTC. Each event's UID is stable per line and day, so a calendar that imports
the file again updates its events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from stportal.registrations.models import RegistrationLine

PRODID = "-//ST-portalen//Kursprogrammet//SV"
TIME_ZONE = "Europe/Stockholm"


def event_uid(line: RegistrationLine, day: dt.date, domain: str) -> str:
    return f"stportal-line-{line.pk}-{day:%Y%m%d}@{domain}"


def build_calendar(
    lines: Iterable[RegistrationLine],
    *,
    now: dt.datetime,
    domain: str,
    name: str,
    registration_url: Callable[[RegistrationLine], str],
) -> bytes:
    """`lines` are confirmed lines with `course.days`, `course.week` and `registration`
    fetched; `registration_url` gives the absolute address of a line's registration."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIME_ZONE)
    stamp = now.astimezone(dt.UTC)
    for line in lines:
        course = line.course
        week = course.week
        days = sorted(d.date for d in course.days.all()) or [week.start_date]
        url = registration_url(line)
        for day in days:
            event = Event()
            event.add("uid", event_uid(line, day, domain))
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
            event.add("summary", course.title)
            description = week.title
            if course.description:
                description = f"{week.title}\n\n{course.description}"
            event.add("description", f"{description}\n\n{url}")
            if week.place:
                event.add("location", week.place)
            event.add("url", url)
            event.add("categories", [week.title])
            event.add("transp", "OPAQUE")
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
    return calendar.to_ical()
