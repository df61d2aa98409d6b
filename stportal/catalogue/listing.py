"""What the catalogue lists and how a search narrows it (SPEC 5 P2). Plain data in, decisions
out; no Django.

An entry is a course of the region's own programme or an external course. Searching narrows by
free text (every word somewhere in the title, description, provider or place), by goal (its
code), by mandatory subject (the courses that serve it, by the coverage rule: the course names
the subject, or serves every goal of the subject) and by kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from stportal.core.textsearch import matches, terms
from stportal.curricula.coverage import (
    COURSE,
    EXTERNAL_COURSE,
    Covering,
    SubjectRef,
    covers_subject,
)

PROGRAMME = "programme"  # a course of the region's own programme
EXTERNAL = "external"  # a course of a provider in the catalogue
PREFERRED = "preferred"
OTHER = "other"
KINDS = (PROGRAMME, EXTERNAL, PREFERRED, OTHER)


@dataclass(frozen=True)
class GoalTag:
    version: str
    code: str
    title: str


@dataclass(frozen=True)
class SubjectTag:
    id: int
    name: str


@dataclass(frozen=True)
class Entry:
    kind: str  # PROGRAMME or EXTERNAL
    id: int
    region_id: int
    title: str
    provider: str
    preferred: bool
    provider_id: int | None = None
    description: str = ""
    url: str = ""
    week_id: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    place: str = ""
    cost: int | None = None
    certified: bool = False
    goals: tuple[GoalTag, ...] = ()
    subjects: tuple[SubjectTag, ...] = ()

    @property
    def needs_exception(self) -> bool:
        """A course of an *other* provider needs the study director's exception (P2)."""
        return not self.preferred

    @property
    def covering(self) -> Covering:
        return Covering(
            kind=COURSE if self.kind == PROGRAMME else EXTERNAL_COURSE,
            id=self.id,
            title=self.title,
            goal_codes=frozenset(goal.code for goal in self.goals),
            subject_ids=frozenset(subject.id for subject in self.subjects),
            on=self.start_date,
        )


def _of_kind(entry: Entry, kind: str) -> bool:
    if kind == PROGRAMME:
        return entry.kind == PROGRAMME
    if kind == EXTERNAL:
        return entry.kind == EXTERNAL
    if kind == PREFERRED:
        return entry.preferred
    if kind == OTHER:
        return not entry.preferred
    return True


def order_key(entry: Entry) -> tuple[bool, dt.date, str, int, int]:
    day = entry.start_date or dt.date.max
    return (
        entry.start_date is None,
        day,
        entry.title.casefold(),
        KINDS.index(entry.kind),
        entry.id,
    )


def search(
    entries: Iterable[Entry],
    *,
    query: str = "",
    goal: str = "",
    subject: SubjectRef | None = None,
    kind: str = "",
) -> list[Entry]:
    """The entries that match every criterion given, soonest first (undated last), then by
    title: the same answer whatever order the entries come in."""
    words = terms(query)
    goal_code = goal.strip().casefold()
    found = []
    for entry in entries:
        if kind and not _of_kind(entry, kind):
            continue
        if goal_code and not any(g.code.casefold() == goal_code for g in entry.goals):
            continue
        if subject is not None and not covers_subject(entry.covering, subject):
            continue
        texts = (entry.title, entry.description, entry.provider, entry.place)
        if words and not matches(words, texts):
            continue
        found.append(entry)
    return sorted(found, key=order_key)
