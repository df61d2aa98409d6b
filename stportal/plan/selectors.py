"""Reads of the education plan and the timeline (SPEC 5 P11), through `plan.permissions`:
what a caller may not see answers 404. Also the plan's sources for the record's registries:
coverage (P1), periods of the ST, certificates for the specialist application (P14), and the
annual report's section (P13). Each answers in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.accounts.models import TraineeProfile, User
from stportal.core import bounds, periods
from stportal.core.errors import NotFound
from stportal.core.periods import Period
from stportal.core.yearly import YearSection
from stportal.curricula import attachments, coverage
from stportal.curricula.attachments import Evidence
from stportal.curricula.coverage import Covering
from stportal.curricula.models import Goal
from stportal.plan import layout, permissions
from stportal.plan.models import BT_VERSION, ItemKind, ItemStatus, PlanItem

# --- The plan --------------------------------------------------------------------------------

# The order of the plan's sections and of an item's kind in words.
KIND_ORDER = [
    ItemKind.PLACEMENT,
    ItemKind.BT,
    ItemKind.AUSKULTATION,
    ItemKind.COURSE,
    ItemKind.RESEARCH,
    ItemKind.QUALITY_WORK,
    ItemKind.WRITTEN_WORK,
    ItemKind.SUPERVISION,
    ItemKind.LEAVE,
    ItemKind.ABSENCE,
    ItemKind.OTHER,
]


def kinds_for(profile: TraineeProfile) -> list[str]:
    """The kinds of item this trainee's plan holds (BT only under HSLF-FS 2021:8)."""
    version = profile.curriculum_version.code
    return [kind for kind in KIND_ORDER if kind != ItemKind.BT or version == BT_VERSION]


def get_trainee_for_user(user: User | None, trainee_id: int) -> TraineeProfile:
    """The trainee whose plan `user` may read, else 404 (unknown ids alike)."""
    if not 1 <= trainee_id <= bounds.MAX_ID:
        raise NotFound()
    profile = (
        TraineeProfile.objects.select_related(
            "user", "home_unit", "specialty", "curriculum_version", "supervisor"
        )
        .filter(pk=trainee_id)
        .first()
    )
    if profile is None:
        raise NotFound()
    permissions.check_may_read_plan(user, profile)
    return profile


def _items() -> QuerySet[PlanItem]:
    return (
        PlanItem.objects.defer("certificate_pdf")
        .select_related("trainee__user", "trainee__home_unit", "created_by")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position", "code")))
    )


def items_of(profile: TraineeProfile) -> QuerySet[PlanItem]:
    """The trainee's plan, by start (two queries whatever its length)."""
    return _items().filter(trainee=profile).order_by("start_date", "end_date", "pk")


def get_item_for_user(user: User | None, item_id: int) -> PlanItem:
    if not 1 <= item_id <= bounds.MAX_ID:
        raise NotFound()
    item = _items().filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    permissions.check_may_read_plan(user, item.trainee)
    return item


def certificate_bytes(item: PlanItem) -> bytes | None:
    data = PlanItem.objects.filter(pk=item.pk).values_list("certificate_pdf", flat=True).first()
    return bytes(data) if data is not None else None


def goal_choices(profile: TraineeProfile) -> QuerySet[Goal]:
    """The goals an item may serve: those of the trainee's curriculum version, general ones and
    the trainee's specialty's own."""
    return Goal.objects.filter(
        Q(specialty__isnull=True) | Q(specialty_id=profile.specialty_id),
        version_id=profile.curriculum_version_id,
    ).order_by("position", "code")


@dataclass(frozen=True)
class Section:
    kind: str
    label: str
    items: list[PlanItem]


def sections(profile: TraineeProfile, items: list[PlanItem]) -> list[Section]:
    """The plan by kind, in the plan's order (empty kinds too, so each can be added to)."""
    found: dict[str, list[PlanItem]] = defaultdict(list)
    for item in items:
        found[item.kind].append(item)
    kinds = kinds_for(profile)
    kinds += [kind for kind in found if kind not in kinds]
    return [Section(kind, str(ItemKind(kind).label), found.get(kind, [])) for kind in kinds]


# --- Coverage (P1) ---------------------------------------------------------------------------

COVERAGE_KINDS = {
    ItemKind.PLACEMENT: coverage.PLAN_PLACEMENT,
    ItemKind.AUSKULTATION: coverage.PLAN_AUSKULTATION,
    ItemKind.COURSE: coverage.PLAN_COURSE,
    ItemKind.RESEARCH: coverage.PLAN_RESEARCH,
    ItemKind.QUALITY_WORK: coverage.PLAN_QUALITY_WORK,
    ItemKind.WRITTEN_WORK: coverage.PLAN_WRITTEN_WORK,
    ItemKind.SUPERVISION: coverage.PLAN_SUPERVISION,
    ItemKind.BT: coverage.PLAN_BT,
    ItemKind.OTHER: coverage.PLAN_OTHER,
}


def coverage_source(trainee_ids: Collection[int]) -> dict[int, list[Covering]]:
    """P1, P11: every done item of the plan covers the goals it names (on the day it ended);
    an item without goals covers nothing. One query whatever the number of trainees."""
    rows = (
        PlanItem.goals.through.objects.filter(
            planitem__trainee_id__in=list(trainee_ids), planitem__status=ItemStatus.DONE
        )
        .exclude(planitem__kind__in=[ItemKind.LEAVE, ItemKind.ABSENCE])
        .values_list(
            "planitem_id",
            "planitem__trainee_id",
            "planitem__kind",
            "planitem__title",
            "planitem__end_date",
            "goal__code",
        )
        .order_by("planitem_id", "goal__code")
    )
    items: dict[int, tuple[int, str, str, dt.date]] = {}
    codes: dict[int, set[str]] = defaultdict(set)
    for pk, trainee_id, kind, title, end, code in rows:
        if kind in COVERAGE_KINDS:
            items[pk] = (trainee_id, kind, title, end)
            codes[pk].add(code)
    found: dict[int, list[Covering]] = defaultdict(list)
    for pk, (trainee_id, kind, title, end) in items.items():
        found[trainee_id].append(
            Covering(
                kind=COVERAGE_KINDS[ItemKind(kind)],
                id=pk,
                title=title,
                goal_codes=frozenset(codes[pk]),
                on=end,
            )
        )
    return dict(found)


# --- Periods of the ST -----------------------------------------------------------------------

PERIOD_KINDS = {
    ItemKind.PLACEMENT: periods.PLACEMENT,
    ItemKind.AUSKULTATION: periods.OTHER,
    ItemKind.COURSE: periods.COURSE,
    ItemKind.RESEARCH: periods.RESEARCH,
    ItemKind.QUALITY_WORK: periods.QUALITY_WORK,
    ItemKind.WRITTEN_WORK: periods.OTHER,
    ItemKind.LEAVE: periods.LEAVE,
    ItemKind.ABSENCE: periods.ABSENCE,
    ItemKind.BT: periods.BT,
    ItemKind.OTHER: periods.OTHER,
}
SOURCE = "plan"


def period_title(kind: str, title: str, place: str, extent: int | None) -> str:
    """How a period of the plan reads: its title (the kind first where the lane does not say
    it), the place, a placement's extent when it is not full time."""
    text = title
    if kind in (ItemKind.AUSKULTATION, ItemKind.WRITTEN_WORK):
        text = f"{ItemKind(kind).label}: {title}"
    if place and place != title:
        text = f"{text}, {place}"
    if extent is not None and extent != 100:
        text = f"{text} ({extent} %)"
    return text


def period_source(trainee_id: int) -> list[Period]:
    """Every item of the plan but the supervision meetings, as a period (one query)."""
    rows = (
        PlanItem.objects.filter(trainee_id=trainee_id)
        .exclude(kind=ItemKind.SUPERVISION)
        .values_list(
            "pk", "kind", "status", "title", "place", "extent_percent", "start_date", "end_date"
        )
        .order_by("start_date", "pk")
    )
    return [
        Period(
            kind=PERIOD_KINDS[ItemKind(kind)],
            start=start,
            end=end,
            title=period_title(kind, title, place, extent),
            source=SOURCE,
            source_id=pk,
            planned=status != ItemStatus.DONE,
        )
        for pk, kind, status, title, place, extent, start, end in rows
        if kind in PERIOD_KINDS
    ]


# --- Certificates for the specialist application (P14) ---------------------------------------


def _evidence_kind(kind: str, version: str) -> str | None:
    if kind == ItemKind.PLACEMENT:
        return attachments.CLINICAL_SERVICE
    if kind == ItemKind.AUSKULTATION:
        return attachments.AUSKULTATION
    if kind == ItemKind.QUALITY_WORK:
        return attachments.QUALITY_WORK
    if kind == ItemKind.WRITTEN_WORK:
        return attachments.SCIENCE if version == "2021" else attachments.WRITTEN_WORK
    return None


def _pdf_of(item_id: int) -> Callable[[], bytes]:
    def read() -> bytes:
        data = PlanItem.objects.filter(pk=item_id).values_list("certificate_pdf", flat=True).first()
        return bytes(data) if data is not None else b""

    return read


EVIDENCE_KINDS = (
    ItemKind.PLACEMENT,
    ItemKind.AUSKULTATION,
    ItemKind.QUALITY_WORK,
    ItemKind.WRITTEN_WORK,
)


def evidence_source(trainee_id: int) -> list[Evidence]:
    """The items whose certificate the application needs (a placement: klinisk tjänstgöring;
    auskultation; quality work; written work, or medical science under 2021), done or planned;
    `present` once the signed certificate is attached. Three queries."""
    version = (
        TraineeProfile.objects.filter(pk=trainee_id)
        .values_list("curriculum_version__code", flat=True)
        .first()
    )
    if version is None:
        return []
    rows = list(
        PlanItem.objects.filter(trainee_id=trainee_id, kind__in=EVIDENCE_KINDS)
        .values_list(
            "pk", "kind", "title", "place", "start_date", "end_date", "certificate_uploaded_at"
        )
        .order_by("start_date", "pk")
    )
    codes: dict[int, list[str]] = defaultdict(list)
    for item_id, code in (
        PlanItem.goals.through.objects.filter(planitem_id__in=[row[0] for row in rows])
        .order_by("goal__position", "goal__code")
        .values_list("planitem_id", "goal__code")
    ):
        codes[item_id].append(code)
    found = []
    for pk, kind, title, place, start, end, uploaded in rows:
        evidence_kind = _evidence_kind(kind, version)
        if evidence_kind is None:
            continue
        present = uploaded is not None
        found.append(
            Evidence(
                kind=evidence_kind,
                title=f"{title}, {place}" if place and place != title else title,
                goals=tuple(codes.get(pk, ())),
                start=start,
                end=end,
                source=SOURCE,
                source_id=pk,
                present=present,
                pdf=_pdf_of(pk) if present else None,
            )
        )
    return found


# --- The annual report's section (P13) -------------------------------------------------------


def _span(start: dt.date, end: dt.date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"


def item_line(
    item_kind: str,
    status: str,
    title: str,
    place: str,
    start: dt.date,
    end: dt.date,
    extent: int | None,
    goals: list[str],
) -> str:
    """One line of the annual report for an item of the plan."""
    label = str(ItemKind(item_kind).label)
    state = _("done") if status == ItemStatus.DONE else _("planned")
    if item_kind == ItemKind.SUPERVISION:
        text = f"{label} {start.isoformat()}: {title}"
        return f"{text} ({state})"
    text = f"{label}: {title}"
    if place and place != title:
        text += f", {place}"
    text += f", {_span(start, end)}"
    if extent is not None:
        text += f", {extent} %"
    text += f" ({state})"
    if goals:
        text += " – " + _("goals %(codes)s") % {"codes": ", ".join(goals)}
    return text


YEAR_KIND_ORDER: dict[str, int] = {str(kind): number for number, kind in enumerate(KIND_ORDER)}


def year_section(trainee_id: int, start: dt.date, end: dt.date) -> YearSection | None:
    """The year's placements, work, leave and supervision meetings (every item that overlaps
    the period), placements first; two queries. None when the plan is empty."""
    rows = list(
        PlanItem.objects.filter(trainee_id=trainee_id, start_date__lte=end, end_date__gte=start)
        .values_list(
            "pk",
            "kind",
            "status",
            "title",
            "place",
            "start_date",
            "end_date",
            "extent_percent",
        )
        .order_by("start_date", "pk")
    )
    if not rows and not PlanItem.objects.filter(trainee_id=trainee_id).exists():
        return None
    codes: dict[int, list[str]] = defaultdict(list)
    for item_id, code in (
        PlanItem.goals.through.objects.filter(planitem_id__in=[row[0] for row in rows])
        .order_by("goal__position", "goal__code")
        .values_list("planitem_id", "goal__code")
    ):
        codes[item_id].append(code)
    rows.sort(key=lambda row: (YEAR_KIND_ORDER.get(row[1], 99), row[5], row[0]))
    return YearSection(
        key="plan",
        title=_("Placements, work and supervision meetings"),
        lines=[
            item_line(kind, status, title, place, first, last, extent, codes.get(pk, []))
            for pk, kind, status, title, place, first, last, extent in rows
        ],
        order=10,
        empty_text=_("Nothing in the education plan for this period."),
    )


# --- The timeline ----------------------------------------------------------------------------

# The lanes of the timeline, top to bottom, and what each is called.
LANE_LABELS: dict[str, Promise] = {
    periods.BT: gettext_lazy("BT"),
    periods.PLACEMENT: gettext_lazy("Clinical service"),
    periods.SECONDMENT: gettext_lazy("Secondments"),
    periods.COURSE_WEEK: gettext_lazy("Course weeks"),
    periods.ST_DAY: gettext_lazy("ST days"),
    periods.COURSE: gettext_lazy("Other courses"),
    periods.RESEARCH: gettext_lazy("Research"),
    periods.QUALITY_WORK: gettext_lazy("Quality-improvement work"),
    periods.LEAVE: gettext_lazy("Parental leave"),
    periods.ABSENCE: gettext_lazy("Other absence"),
    periods.OTHER: gettext_lazy("Other"),
}
LANE_ORDER = list(LANE_LABELS)

MARKER_LABELS: dict[str, Promise] = {
    layout.TODAY: gettext_lazy("Today"),
    layout.ST_START: gettext_lazy("ST start"),
    layout.PLANNED_COMPLETION: gettext_lazy("Planned completion"),
}


@dataclass(frozen=True)
class Timeline:
    profile: TraineeProfile
    periods: list[Period]
    drawing: layout.Layout
    lane_labels: dict[str, str]
    today: dt.date

    @property
    def lanes(self) -> list[tuple[layout.Lane, str]]:
        return [(lane, self.lane_labels[lane.kind]) for lane in self.drawing.lanes]

    @property
    def markers(self) -> list[tuple[layout.Marker, str]]:
        return [
            (marker, f"{MARKER_LABELS[marker.name]} {marker.day.isoformat()}")
            for marker in self.drawing.markers
        ]

    @property
    def rows(self) -> list[tuple[Period, str]]:
        """The table beside the drawing: each period with its lane's name."""
        return [(period, self.lane_labels[period.kind]) for period in self.periods]


def timeline_of(profile: TraineeProfile, today: dt.date) -> Timeline:
    """Every period of the trainee's ST from every app (`core.periods`), laid out."""
    found = periods.periods_of(profile.pk)
    drawing = layout.lay_out(
        [
            layout.Span(number, period.kind, period.start, period.end, period.planned, period.title)
            for number, period in enumerate(found)
        ],
        kinds=LANE_ORDER,
        today=today,
        st_start=profile.st_start,
        planned_completion=profile.planned_completion,
    )
    labels = {kind: str(label) for kind, label in LANE_LABELS.items()}
    for period in found:
        labels.setdefault(period.kind, period.kind)
    return Timeline(profile, found, drawing, labels, today)
