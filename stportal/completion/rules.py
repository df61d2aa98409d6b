"""The ST completion pack (SPEC 5 P14, Appendix B): which certificates the application for the
specialist certificate takes under the trainee's regulation, in the application's order,
numbered *Bilaga nr*, and what is still missing. Plain data in, plain data out; no Django.

- Order: each kind has its place, as Socialstyrelsen's application lists them.
  SOSFS 2015:8: specialist competence (bilaga 2, once), auskultation (3), clinical service
  (4), courses (5), quality work (6), written work (7).
  HSLF-FS 2021:8: service completed (6, once), specialist competence (7, once), auskultation
  (8), clinical service (9), courses (10), development work (11), STa3 medical science (12);
  then the BT certificates: BT goals, BT completed (once), basic competence (once).
  Within a kind: by start, end, title, source and id, so the order never depends on the
  order the certificates came in. Kinds the regulation does not take are left out.
- A once-only kind keeps one certificate: a present one before one still to come, then the
  latest. Every once-only kind has its line even before anything is there (not present), so
  its number is kept for it.
- Numbers: 1, 2, 3 … in that order, with no gap. The application itself carries no number
  (it is the regulation's bilaga 1 or 5, not one of the applicant's attachments).
- Missing: each mandatory subject not covered by a course certificate (decided by the
  coverage rule, given here as names); each once-only certificate not present; no quality or
  development work; no written work (2015) or STa3 certificate (2021); for 2021 no BT goal
  certificate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The kinds, as `stportal.curricula.attachments` names them (repeated: this module imports
# nothing of the product's).
COURSE = "course"
CLINICAL_SERVICE = "clinical_service"
AUSKULTATION = "auskultation"
QUALITY_WORK = "quality_work"
WRITTEN_WORK = "written_work"
SCIENCE = "science"
SPECIALIST_COMPETENCE = "specialist_competence"
SERVICE_COMPLETED = "service_completed"
BT_GOAL = "bt_goal"
BT_COMPLETED = "bt_completed"
BT_COMPETENCE = "bt_competence"

ORDER_2015 = (
    SPECIALIST_COMPETENCE,
    AUSKULTATION,
    CLINICAL_SERVICE,
    COURSE,
    QUALITY_WORK,
    WRITTEN_WORK,
)
ORDER_2021 = (
    SERVICE_COMPLETED,
    SPECIALIST_COMPETENCE,
    AUSKULTATION,
    CLINICAL_SERVICE,
    COURSE,
    QUALITY_WORK,
    SCIENCE,
)
ORDER_BT = (BT_GOAL, BT_COMPLETED, BT_COMPETENCE)
ONCE = frozenset({SPECIALIST_COMPETENCE, SERVICE_COMPLETED, BT_COMPLETED, BT_COMPETENCE})

# The regulation's own number of each kind's form (the application lists them by it).
FORM_NUMBERS_2015 = {
    SPECIALIST_COMPETENCE: "2",
    AUSKULTATION: "3",
    CLINICAL_SERVICE: "4",
    COURSE: "5",
    QUALITY_WORK: "6",
    WRITTEN_WORK: "7",
}
FORM_NUMBERS_2021 = {
    SERVICE_COMPLETED: "6",
    SPECIALIST_COMPETENCE: "7",
    AUSKULTATION: "8",
    CLINICAL_SERVICE: "9",
    COURSE: "10",
    QUALITY_WORK: "11",
    SCIENCE: "12",
    BT_GOAL: "BT 2",
    BT_COMPLETED: "BT 3",
    BT_COMPETENCE: "BT 4",
}

# Reasons something is missing (API words).
MISSING_SUBJECT = "mandatory_subject"
MISSING_CERTIFICATE = "certificate"  # a once-only certificate not present
MISSING_KIND = "kind"  # no certificate of a kind the application needs at least one of


@dataclass(frozen=True)
class Item:
    """A certificate as the pack sees it. `has_document`: the product holds its PDF."""

    kind: str
    title: str
    goals: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = ""
    source_id: int = 0
    present: bool = True
    has_document: bool = False


@dataclass(frozen=True)
class Attachment:
    number: int
    item: Item


@dataclass(frozen=True)
class Missing:
    """Something the application still lacks: `code` says what, `kind` the certificate's kind
    and `subject` the mandatory subject's name (for `mandatory_subject`)."""

    code: str
    kind: str
    subject: str = ""


@dataclass(frozen=True)
class Pack:
    version: str
    bt: bool
    attachments: tuple[Attachment, ...]
    missing: tuple[Missing, ...]


def kind_order(version: str, bt: bool) -> tuple[str, ...]:
    """The kinds the application takes, in its order."""
    if version == "2021":
        return ORDER_2021 + (ORDER_BT if bt else ())
    return ORDER_2015


def form_number(version: str, kind: str) -> str:
    """The regulation's number of the kind's form ("5", "10", "BT 2"), or "" if none."""
    numbers = FORM_NUMBERS_2021 if version == "2021" else FORM_NUMBERS_2015
    return numbers.get(kind, "")


def _within(item: Item) -> tuple[dt.date, dt.date, str, str, int, bool, tuple[str, ...]]:
    return (
        item.start or dt.date.min,
        item.end or dt.date.min,
        item.title,
        item.source,
        item.source_id,
        item.present,
        item.goals,
    )


def _the_one(items: Sequence[Item]) -> Item:
    """Of several once-only certificates, a present one, then the latest."""
    return max(items, key=lambda item: (item.present, _within(item)))


def placeholder(kind: str) -> Item:
    """The line of a once-only certificate not there yet (its title is given by the app)."""
    return Item(kind=kind, title="", present=False)


def order(items: Iterable[Item], version: str, bt: bool) -> list[Item]:
    """The certificates the application takes, in its order (see the module's docstring)."""
    kinds = kind_order(version, bt)
    by_kind: dict[str, list[Item]] = {kind: [] for kind in kinds}
    for item in items:
        if item.kind in by_kind:
            by_kind[item.kind].append(item)
    ordered: list[Item] = []
    for kind in kinds:
        found = sorted(set(by_kind[kind]), key=_within)
        if kind in ONCE:
            ordered.append(_the_one(found) if found else placeholder(kind))
        else:
            ordered.extend(found)
    return ordered


def number(items: Sequence[Item]) -> tuple[Attachment, ...]:
    """Bilaga nr 1, 2, 3 … in the order given."""
    return tuple(Attachment(index, item) for index, item in enumerate(items, start=1))


def missing(
    items: Sequence[Item], version: str, bt: bool, uncovered_subjects: Sequence[str]
) -> tuple[Missing, ...]:
    """What the application still lacks, in the application's order: the mandatory subjects
    first (in the curriculum's order), then by kind."""
    found: list[Missing] = [Missing(MISSING_SUBJECT, COURSE, name) for name in uncovered_subjects]
    present = {item.kind for item in items if item.present}
    needs_one = {QUALITY_WORK, WRITTEN_WORK if version != "2021" else SCIENCE}
    if version == "2021" and bt:
        needs_one.add(BT_GOAL)
    for kind in kind_order(version, bt):
        if kind in present:
            continue
        if kind in ONCE:
            found.append(Missing(MISSING_CERTIFICATE, kind))
        elif kind in needs_one:
            found.append(Missing(MISSING_KIND, kind))
    return tuple(found)


def pack(
    items: Iterable[Item], version: str, bt: bool, uncovered_subjects: Sequence[str] = ()
) -> Pack:
    """The whole pack: the numbered attachments and what is missing."""
    ordered = order(items, version, bt)
    return Pack(
        version=version,
        bt=version == "2021" and bt,
        attachments=number(ordered),
        missing=missing(ordered, version, bt, uncovered_subjects),
    )
