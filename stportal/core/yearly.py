"""The sections of a trainee's annual report (SPEC 5 P13): what happened in the trainee's ST
during a period (placements, courses, certificates, assessments, statements, study time).

Each app that holds part of the year registers a section source in its `AppConfig.ready()`;
the annual report asks them all and freezes what they say when the report is assembled.
Core sits below every app, so the apps come to it.

A source is `fn(trainee_id, start, end) -> YearSection | None` (None when the app has nothing
to say for that trainee) and answers in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class YearSection:
    """One part of the report: a heading and its lines, already in the active language.
    `order` places it among the others (lower first); `empty_text` is said when there are no
    lines (for example "No assessments this year.")."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    order: int = 50
    empty_text: str = ""


YearSectionSource = Callable[[int, dt.date, dt.date], "YearSection | None"]

_SOURCES: dict[str, YearSectionSource] = {}


def register_year_section(name: str, source: YearSectionSource) -> None:
    """Register (or replace) the section source called `name`."""
    _SOURCES[name] = source


def year_sections(trainee_id: int, start: dt.date, end: dt.date) -> list[YearSection]:
    """Every section for the trainee's period `start`..`end` (both included), in order."""
    found = []
    for name in sorted(_SOURCES):
        section = _SOURCES[name](trainee_id, start, end)
        if section is not None:
            found.append(section)
    return sorted(found, key=lambda s: (s.order, s.key))
