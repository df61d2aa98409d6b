"""Reading a trainee's ST record (SPEC 5 P1): coverage of the goals and mandatory subjects of
the trainee's curriculum, one trainee at a time or a whole table at once, and the record's
overview. Every read asks `stportal.portfolio.permissions`; a trainee outside the caller's
reach answers 404.

Coverage is decided by the pure rule `stportal.curricula.coverage.cover`, from
- the goals of the trainee's curriculum version: the general goals (no specialty) and the
  goals of the trainee's specialty (BT goals only in the 2021 version),
- the mandatory subjects of the trainee's specialty and version, with their goals,
- what covers something, from every registered coverage source
  (`stportal.curricula.sources.coverage_items`).
A table of any number of trainees costs a constant number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import (
    may_decide_planned_completion,
    may_direct_record,
    may_export,
    supervises,
)
from stportal.accounts.selectors import member_region_ids
from stportal.core import bounds
from stportal.core.errors import NotFound
from stportal.core.permissions import staff_region_ids
from stportal.courses.models import Course
from stportal.curricula.coverage import (
    CERTIFICATE,
    COURSE,
    EXTERNAL_COURSE,
    PLAN_AUSKULTATION,
    PLAN_BT,
    PLAN_COURSE,
    PLAN_OTHER,
    PLAN_PLACEMENT,
    PLAN_QUALITY_WORK,
    PLAN_RESEARCH,
    PLAN_SUPERVISION,
    PLAN_WRITTEN_WORK,
    ST_DAY,
    Coverage,
    Covering,
    GoalRef,
    SubjectRef,
    cover,
)
from stportal.curricula.models import Goal, GoalKind, MandatorySubject
from stportal.curricula.sources import coverage_items
from stportal.plan.permissions import may_read_plan
from stportal.portfolio import permissions

# What covers a goal, in words a person reads (API word -> label).
KIND_LABELS: dict[str, Promise] = {
    COURSE: _("Course of the region's programme"),
    CERTIFICATE: _("Course certificate"),
    EXTERNAL_COURSE: _("External course"),
    ST_DAY: _("ST day"),
    PLAN_PLACEMENT: _("Clinical service"),
    PLAN_AUSKULTATION: _("Auskultation"),
    PLAN_COURSE: _("Course in the education plan"),
    PLAN_RESEARCH: _("Research"),
    PLAN_QUALITY_WORK: _("Quality-improvement work"),
    PLAN_WRITTEN_WORK: _("Written scientific work"),
    PLAN_SUPERVISION: _("Supervision meeting"),
    PLAN_BT: _("BT (basic training)"),
    PLAN_OTHER: _("Other item of the education plan"),
}

BT_VERSION = "2021"  # the only curriculum version with BT goals

_PROFILE_RELATED = (
    "user",
    "home_unit",
    "home_unit__region",
    "specialty",
    "curriculum_version",
    "supervisor",
    "study_director",
)


# --- One trainee -------------------------------------------------------------------------------


def get_readable_trainee(actor: User | None, trainee_id: int) -> TraineeProfile:
    """The trainee whose record `actor` may read; 404 for anyone else's and unknown ones."""
    if not 1 <= trainee_id <= bounds.MAX_ID:
        raise NotFound()
    profile = TraineeProfile.objects.select_related(*_PROFILE_RELATED).filter(pk=trainee_id).first()
    if profile is None:
        raise NotFound()
    permissions.check_may_read_record(actor, profile)
    return profile


def coverage_for(profile: TraineeProfile) -> Coverage:
    """Per goal and mandatory subject of the trainee's curriculum, what covers it."""
    return coverages([profile])[profile.pk]


# --- Many trainees -----------------------------------------------------------------------------


Curriculum = tuple[list[GoalRef], list[SubjectRef]]


def _curricula(profiles: Sequence[TraineeProfile]) -> dict[tuple[int, int], Curriculum]:
    """(version id, specialty id) -> its goals and mandatory subjects, in three queries."""
    versions = {p.curriculum_version_id for p in profiles}
    specialties = {p.specialty_id for p in profiles}
    goals = list(
        Goal.objects.filter(version_id__in=versions)
        .filter(Q(specialty__isnull=True) | Q(specialty_id__in=specialties))
        .exclude(Q(kind=GoalKind.BT) & ~Q(version__code=BT_VERSION))
        .order_by("version_id", "specialty_id", "position", "code")
        .values_list("version_id", "specialty_id", "code", "title")
    )
    subjects = list(
        MandatorySubject.objects.filter(version_id__in=versions, specialty_id__in=specialties)
        .order_by("position", "name", "pk")
        .values_list("pk", "version_id", "specialty_id", "name")
    )
    subject_goals: dict[int, set[str]] = defaultdict(set)
    for subject_id, code in MandatorySubject.goals.through.objects.filter(
        mandatorysubject_id__in=[row[0] for row in subjects]
    ).values_list("mandatorysubject_id", "goal__code"):
        subject_goals[subject_id].add(code)
    found: dict[tuple[int, int], Curriculum] = {}
    for version_id, specialty_id in {(p.curriculum_version_id, p.specialty_id) for p in profiles}:
        general = [GoalRef(c, t) for v, s, c, t in goals if v == version_id and s is None]
        own = [GoalRef(c, t) for v, s, c, t in goals if v == version_id and s == specialty_id]
        found[(version_id, specialty_id)] = (
            general + own,
            [
                SubjectRef(pk, name, frozenset(subject_goals.get(pk, ())))
                for pk, v, s, name in subjects
                if v == version_id and s == specialty_id
            ],
        )
    return found


def coverages(profiles: Sequence[TraineeProfile]) -> dict[int, Coverage]:
    """Each trainee's coverage, in a constant number of queries."""
    if not profiles:
        return {}
    curricula = _curricula(profiles)
    items = coverage_items([p.pk for p in profiles])
    result = {}
    for profile in profiles:
        goals, subjects = curricula[(profile.curriculum_version_id, profile.specialty_id)]
        result[profile.pk] = cover(goals, subjects, items.get(profile.pk, ()))
    return result


@dataclass(frozen=True)
class CoverageRow:
    """One trainee of the table with their coverage."""

    profile: TraineeProfile
    coverage: Coverage

    @property
    def name(self) -> str:
        return self.profile.user.display_name

    @property
    def missing_subjects(self) -> list[str]:
        return [subject.name for subject in self.coverage.remaining_subjects]

    @property
    def lacks_every_subject(self) -> bool:
        return bool(self.coverage.subjects) and not any(s.covered for s in self.coverage.subjects)

    @property
    def remaining_subject_count(self) -> int:
        return len(self.coverage.remaining_subjects)

    @property
    def remaining_goal_count(self) -> int:
        return len(self.coverage.remaining_goals)


# Sort keys of the table (query word -> key of a row).
SORTS: dict[str, Callable[[CoverageRow], tuple]] = {
    "name": lambda r: (r.profile.user.last_name.casefold(), r.profile.user.first_name.casefold()),
    "unit": lambda r: (r.profile.home_unit.name.casefold(),),
    "version": lambda r: (r.profile.curriculum_version.code,),
    "completion": lambda r: (r.profile.planned_completion,),
    "subjects": lambda r: (r.remaining_subject_count,),
    "goals": lambda r: (r.remaining_goal_count,),
    "missing": lambda r: (", ".join(r.missing_subjects).casefold(),),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class CoverageTable:
    rows: list[CoverageRow]
    sort: str
    descending: bool
    missing_subject: str
    subject_names: list[str]  # every mandatory subject of the listed trainees' curricula
    total: int  # trainees before the filter


def coverage_table(
    actor: User | None,
    *,
    sort: str = DEFAULT_SORT,
    descending: bool = False,
    missing_subject: str = "",
) -> CoverageTable:
    """The trainees the actor supervises or directs, with what each still lacks; sorted by
    `sort` (a key of `SORTS`, else by name) and kept to those lacking `missing_subject` when
    one is named. A constant number of queries for any number of trainees."""
    if sort not in SORTS:
        sort = DEFAULT_SORT
    profiles = list(
        permissions.listed_trainees(actor)
        .select_related(*_PROFILE_RELATED)
        .order_by("user__last_name", "user__first_name", "pk")
    )
    found = coverages(profiles)
    rows = [CoverageRow(profile, found[profile.pk]) for profile in profiles]
    subject_names = sorted(
        {subject.subject.name for row in rows for subject in row.coverage.subjects},
        key=str.casefold,
    )
    total = len(rows)
    if missing_subject:
        rows = [row for row in rows if missing_subject in row.missing_subjects]
    key = SORTS[sort]
    by_name = SORTS[DEFAULT_SORT]
    rows.sort(key=lambda r: (key(r), by_name(r), r.profile.pk), reverse=descending)
    return CoverageTable(rows, sort, descending, missing_subject, subject_names, total)


# --- Links -------------------------------------------------------------------------------------


def covering_links(
    actor: User | None, profile: TraineeProfile, items: Iterable[Covering]
) -> dict[tuple[str, int], str]:
    """(kind, id) -> the page the reader may follow for it, in at most three queries:
    a course to its course week (for members of the week's region), a certificate to the
    trainee's copy (the trainee) or its tracking page (staff of the region)."""
    items = list(items)
    links: dict[tuple[str, int], str] = {}
    course_ids = {item.id for item in items if item.kind == COURSE}
    if course_ids and actor is not None:
        regions = member_region_ids(actor) | staff_region_ids(actor)
        for course_id, week_id, region_id in Course.objects.filter(pk__in=course_ids).values_list(
            "pk", "week_id", "week__series__region_id"
        ):
            if region_id in regions:
                links[(COURSE, course_id)] = reverse("courses:week", args=[week_id])
    certificate_ids = {item.id for item in items if item.kind == CERTIFICATE}
    if certificate_ids and actor is not None:
        if actor.pk == profile.user_id:
            for pk in certificate_ids:
                links[(CERTIFICATE, pk)] = reverse("certificates:copy_pdf", args=[pk])
        elif profile.home_unit.region_id in staff_region_ids(actor):
            for pk in certificate_ids:
                links[(CERTIFICATE, pk)] = reverse("certificates:certificate", args=[pk])
    return links


@dataclass(frozen=True)
class RecordPart:
    """A part of the record, linked from its overview for those it is shown to."""

    label: Promise
    url: Callable[[TraineeProfile], str]
    shown_to: Callable[[User | None, TraineeProfile], bool]


def _own(actor: User | None, profile: TraineeProfile) -> bool:
    return actor is not None and actor.pk == profile.user_id


def _anyone(actor: User | None, profile: TraineeProfile) -> bool:
    return True


# The parts of the record its overview links to. The record's other apps (funding
# applications, supervisor statements, ST-days) add their parts to this list.
RECORD_PARTS: list[RecordPart] = [
    RecordPart(
        _("Coverage of goals and mandatory subjects"),
        lambda p: reverse("portfolio:coverage", args=[p.pk]),
        _anyone,
    ),
    RecordPart(
        _("Education plan and service portfolio"),
        lambda p: reverse("plan:trainee", args=[p.pk]),
        may_read_plan,
    ),
    RecordPart(
        _("Timeline of the ST"),
        lambda p: reverse("plan:timeline", args=[p.pk]),
        may_read_plan,
    ),
    RecordPart(
        _("Planned completion date and its history"),
        lambda p: reverse("accounts:my_st"),
        _own,
    ),
    RecordPart(
        _("Planned completion date and its history"),
        lambda p: reverse("accounts:trainee", args=[p.pk]),
        lambda actor, p: not _own(actor, p) and may_decide_planned_completion(actor, p),
    ),
    RecordPart(_("Registrations"), lambda p: reverse("registrations:mine"), _own),
    RecordPart(
        _("Everything held about the trainee (personal data)"),
        lambda p: reverse("accounts:trainee_personal_data", args=[p.pk]),
        lambda actor, p: not _own(actor, p) and actor is not None and may_export(actor, p),
    ),
    RecordPart(_("Course certificates"), lambda p: reverse("certificates:mine"), _own),
    RecordPart(_("Funding applications (ST-medel)"), lambda p: reverse("funding:mine"), _own),
    RecordPart(
        _("Funding applications to decide"),
        lambda p: reverse("funding:to_decide"),
        may_direct_record,
    ),
    RecordPart(
        _("Supervisor statements"),
        lambda p: reverse("statements:index"),
        lambda actor, p: _own(actor, p) or supervises(actor, p) or may_direct_record(actor, p),
    ),
    RecordPart(
        _("ST-day certificates"),
        lambda p: reverse("stdays:trainee", args=[p.pk]),
        _anyone,
    ),
    RecordPart(
        _("Record an examined ST-day"),
        lambda p: reverse("stdays:record", args=[p.pk]),
        supervises,
    ),
    RecordPart(
        _("Write a supervisor statement"),
        lambda p: reverse("statements:new", args=[p.pk]),
        supervises,
    ),
    RecordPart(_("My assessments"), lambda p: reverse("assessments:index"), _own),
    RecordPart(
        _("Competence assessments"),
        lambda p: reverse("assessments:trainee", args=[p.pk]),
        lambda actor, p: not _own(actor, p),
    ),
    RecordPart(
        _("Annual reports"),
        lambda p: reverse("annualreport:trainee", args=[p.pk]),
        _anyone,
    ),
    RecordPart(
        _("Secondments and training allowance"),
        lambda p: reverse("secondments:trainee", args=[p.pk]),
        _anyone,
    ),
    RecordPart(_("My study time"), lambda p: reverse("studytime:index"), _own),
    RecordPart(
        _("Study time"),
        lambda p: reverse("studytime:trainee", args=[p.pk]),
        lambda actor, p: not _own(actor, p) and _anyone(actor, p),
    ),
    RecordPart(
        _("Application for a specialist certificate"),
        lambda p: reverse("completion:pack", args=[p.pk]),
        _anyone,
    ),
]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def record_parts(actor: User | None, profile: TraineeProfile) -> list[Link]:
    return [
        Link(str(part.label), part.url(profile))
        for part in RECORD_PARTS
        if part.shown_to(actor, profile)
    ]
