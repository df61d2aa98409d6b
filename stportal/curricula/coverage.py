"""Coverage of a trainee's curriculum (SPEC 5 P1): which goals and mandatory subjects are
covered, by what, and what remains. Plain data in, decisions out; no Django.

What covers something is a `Covering`: a passed course of the programme, an issued course
certificate, an approved external course with its certificate attached, an ST-day certificate.
Each names the goals it serves and, where it says so itself, the mandatory subjects.

- A goal is covered by every item that names its code.
- A mandatory subject is covered by every item that names the subject, and by every item that
  serves all of the subject's goals (a subject whose goals are not numbered, such as a
  specialty's "c" subjects, is covered only by naming it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The kinds of what covers a goal or subject (API word -> meaning).
COURSE = "course"  # a passed course of the region's programme
CERTIFICATE = "certificate"  # an issued (not revoked) course certificate
EXTERNAL_COURSE = "external_course"  # an approved funding application with its certificate
ST_DAY = "st_day"  # an ST-day certificate issued by the supervisor
# Done items of the trainee's education plan (P11), by the item's kind.
PLAN_PLACEMENT = "placement"  # klinisk tjänstgöring
PLAN_AUSKULTATION = "auskultation"
PLAN_COURSE = "plan_course"  # a course outside the programme, not a funded external course
PLAN_RESEARCH = "research"
PLAN_QUALITY_WORK = "quality_work"
PLAN_WRITTEN_WORK = "written_work"
PLAN_SUPERVISION = "supervision_meeting"
PLAN_BT = "bt_period"
PLAN_OTHER = "plan_other"
PLAN_KINDS = (
    PLAN_PLACEMENT,
    PLAN_AUSKULTATION,
    PLAN_COURSE,
    PLAN_RESEARCH,
    PLAN_QUALITY_WORK,
    PLAN_WRITTEN_WORK,
    PLAN_SUPERVISION,
    PLAN_BT,
    PLAN_OTHER,
)
KINDS = (COURSE, CERTIFICATE, EXTERNAL_COURSE, ST_DAY, *PLAN_KINDS)
# What may cover a mandatory *course* subject: a course or a certificate of one (a placement or
# a piece of work serving the same goals covers the goals, not the course subject).
SUBJECT_KINDS = frozenset({COURSE, CERTIFICATE, EXTERNAL_COURSE, ST_DAY, PLAN_COURSE})


@dataclass(frozen=True)
class GoalRef:
    code: str
    title: str


@dataclass(frozen=True)
class SubjectRef:
    id: int
    name: str
    goal_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Covering:
    kind: str
    id: int
    title: str
    goal_codes: frozenset[str] = frozenset()
    subject_ids: frozenset[int] = frozenset()
    on: dt.date | None = None  # when it was passed or issued; None sorts last


@dataclass(frozen=True)
class GoalCoverage:
    goal: GoalRef
    covered_by: tuple[Covering, ...]

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)


@dataclass(frozen=True)
class SubjectCoverage:
    subject: SubjectRef
    covered_by: tuple[Covering, ...]

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)


@dataclass(frozen=True)
class Coverage:
    goals: tuple[GoalCoverage, ...]
    subjects: tuple[SubjectCoverage, ...]

    @property
    def remaining_goals(self) -> tuple[GoalRef, ...]:
        return tuple(row.goal for row in self.goals if not row.covered)

    @property
    def remaining_subjects(self) -> tuple[SubjectRef, ...]:
        return tuple(row.subject for row in self.subjects if not row.covered)


def _order(
    item: Covering,
) -> tuple[bool, dt.date, int, int, str, tuple[str, ...], tuple[int, ...]]:
    """Oldest first, then kind and id; the rest of the item breaks any tie that is left, so
    the order never depends on the order the items came in."""
    return (
        item.on is None,
        item.on or dt.date.min,
        KINDS.index(item.kind),
        item.id,
        item.title,
        tuple(sorted(item.goal_codes)),
        tuple(sorted(item.subject_ids)),
    )


def covers_subject(item: Covering, subject: SubjectRef) -> bool:
    if item.kind not in SUBJECT_KINDS:
        return False
    if subject.id in item.subject_ids:
        return True
    return bool(subject.goal_codes) and subject.goal_codes <= item.goal_codes


def cover(
    goals: Sequence[GoalRef], subjects: Sequence[SubjectRef], items: Iterable[Covering]
) -> Coverage:
    """Per goal and per mandatory subject, in the order given, what covers it (oldest first,
    then by kind and id: the same answer whatever order the items come in)."""
    ordered = sorted(set(items), key=_order)
    return Coverage(
        goals=tuple(
            GoalCoverage(goal, tuple(item for item in ordered if goal.code in item.goal_codes))
            for goal in goals
        ),
        subjects=tuple(
            SubjectCoverage(
                subject, tuple(item for item in ordered if covers_subject(item, subject))
            )
            for subject in subjects
        ),
    )
