"""Reading the completion pack (SPEC 5 P14), through `completion.permissions`: a trainee
outside the caller's reach answers 404.

The pack is decided by the pure rule `completion.rules.pack` from
- every certificate of the trainee (`stportal.curricula.attachments.evidence_of`: the course
  certificates, ST-day certificates and external courses, placements, auskultation, quality and
  written work from the plan, and the summary certificates this app keeps),
- the mandatory subjects of the trainee's specialty that no course certificate covers, decided
  by the coverage rule (`curricula.coverage.cover`) over the registered coverage sources, only
  those that are certificates (an issued course certificate, an external course with its
  certificate, an ST-day certificate; a passed course without a certificate is not one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.accounts.models import TraineeProfile, User
from stportal.completion import permissions, rules
from stportal.completion.models import ApplicationForm, SummaryCertificate
from stportal.completion.services import regulation, summary_kinds
from stportal.core import bounds
from stportal.core.errors import NotFound
from stportal.core.periods import PLACEMENT, SECONDMENT, periods_of
from stportal.curricula import attachments, coverage
from stportal.curricula.attachments import Evidence, evidence_of
from stportal.curricula.models import Goal, MandatorySubject
from stportal.curricula.sources import coverage_items

SOURCE = "summary"

KIND_LABELS: dict[str, Promise] = {
    attachments.COURSE: gettext_lazy("Course certificate"),
    attachments.CLINICAL_SERVICE: gettext_lazy("Clinical service under supervision"),
    attachments.AUSKULTATION: gettext_lazy("Auskultation"),
    attachments.QUALITY_WORK: gettext_lazy("Quality and development work"),
    attachments.WRITTEN_WORK: gettext_lazy("Independent written work"),
    attachments.SCIENCE: gettext_lazy("Medical science (STa3)"),
    attachments.SPECIALIST_COMPETENCE: gettext_lazy("Specialist competence attained"),
    attachments.SERVICE_COMPLETED: gettext_lazy("Specialist service completed"),
    attachments.BT_GOAL: gettext_lazy("Goal of the basic service (BT)"),
    attachments.BT_COMPLETED: gettext_lazy("Basic service (BT) completed"),
    attachments.BT_COMPETENCE: gettext_lazy("Basic competence attained"),
}

# What certifies a mandatory subject for the application: certificates, not passed courses.
CERTIFYING = frozenset({coverage.CERTIFICATE, coverage.EXTERNAL_COURSE, coverage.ST_DAY})

_PROFILE_RELATED = ("user", "home_unit", "specialty", "curriculum_version", "supervisor")


def get_trainee_for_user(actor: User | None, trainee_id: int) -> TraineeProfile:
    """The trainee whose pack `actor` may read; 404 for anyone else's and unknown ones."""
    if not 1 <= trainee_id <= bounds.MAX_ID:
        raise NotFound()
    profile = TraineeProfile.objects.select_related(*_PROFILE_RELATED).filter(pk=trainee_id).first()
    if profile is None:
        raise NotFound()
    permissions.check_may_read(actor, profile)
    return profile


def summary_evidence(trainee_id: int) -> list[Evidence]:
    """The evidence source of this app: the summary certificates uploaded (present, with the
    signed copy as their document) or marked as to come (not present)."""
    rows = SummaryCertificate.objects.filter(trainee_id=trainee_id).values_list(
        "pk", "kind", "size", "updated_at"
    )
    return [
        Evidence(
            kind=kind,
            title=str(KIND_LABELS[kind]),
            goals=(),
            start=None,
            end=None,
            source=SOURCE,
            source_id=pk,
            present=size is not None,
            pdf=_summary_pdf(pk) if size is not None else None,
        )
        for pk, kind, size, _updated in rows
    ]


def _summary_pdf(pk: int) -> Callable[[], bytes]:
    def pdf() -> bytes:
        raw = SummaryCertificate.objects.filter(pk=pk).values_list("pdf", flat=True).first()
        return bytes(raw or b"")

    return pdf


def uncovered_subjects(profile: TraineeProfile) -> list[str]:
    """The mandatory subjects of the trainee's specialty and version that no certificate
    covers, in the curriculum's order (the coverage rule decides)."""
    subjects = [
        coverage.SubjectRef(
            subject.pk, subject.name, frozenset(goal.code for goal in subject.goals.all())
        )
        for subject in MandatorySubject.objects.filter(
            specialty_id=profile.specialty_id, version_id=profile.curriculum_version_id
        )
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.only("pk", "code")))
        .order_by("position", "name", "pk")
    ]
    items = [
        item for item in coverage_items([profile.pk]).get(profile.pk, []) if item.kind in CERTIFYING
    ]
    return [subject.name for subject in coverage.cover([], subjects, items).remaining_subjects]


def _key(evidence: Evidence) -> tuple[str, int, str]:
    return (evidence.source, evidence.source_id, evidence.kind)


@dataclass(frozen=True)
class Line:
    """One attachment as pages show it."""

    number: int
    kind: str
    kind_label: str
    form_number: str
    title: str
    goals: tuple[str, ...]
    present: bool
    source: str
    source_id: int
    start: dt.date | None
    end: dt.date | None
    pdf: Callable[[], bytes] | None

    @property
    def has_document(self) -> bool:
        return self.present and self.pdf is not None


@dataclass(frozen=True)
class MissingLine:
    code: str
    kind: str
    subject: str
    text: str


@dataclass(frozen=True)
class PackView:
    profile: TraineeProfile
    version: str
    bt: bool
    lines: tuple[Line, ...]
    missing: tuple[MissingLine, ...]
    form: ApplicationForm | None
    summaries: dict[str, SummaryCertificate]

    @property
    def regulation_text(self) -> str:
        return "HSLF-FS 2021:8" if self.version == "2021" else "SOSFS 2015:8"


def missing_text(missing: rules.Missing) -> str:
    if missing.code == rules.MISSING_SUBJECT:
        return _("No course certificate covers the mandatory subject %(subject)s.") % {
            "subject": missing.subject
        }
    if missing.code == rules.MISSING_CERTIFICATE:
        return _("The certificate “%(kind)s” is not there yet.") % {
            "kind": KIND_LABELS[missing.kind]
        }
    return _("No certificate of %(kind)s yet: the application needs at least one.") % {
        "kind": str(KIND_LABELS[missing.kind]).lower()
    }


def current_application_form(version: str, region_id: int | None) -> ApplicationForm | None:
    """The application form of `version` for the region, else the installation's (without its
    PDF bytes)."""
    forms = ApplicationForm.objects.filter(version=version).defer("pdf")
    if region_id is not None:
        own = forms.filter(region_id=region_id).order_by("-uploaded_at", "-id").first()
        if own is not None:
            return own
    return forms.filter(region__isnull=True).order_by("-uploaded_at", "-id").first()


def pack_for(profile: TraineeProfile) -> PackView:
    """The trainee's completion pack."""
    version, bt = regulation(profile)
    evidence = evidence_of(profile.pk)
    by_key = {_key(item): item for item in evidence}
    items = [
        rules.Item(
            kind=item.kind,
            title=item.title,
            goals=item.goals,
            start=item.start,
            end=item.end,
            source=item.source,
            source_id=item.source_id,
            present=item.present,
            has_document=item.pdf is not None,
        )
        for item in evidence
    ]
    pack = rules.pack(items, version, bt, uncovered_subjects(profile))
    lines = []
    for attachment in pack.attachments:
        item = attachment.item
        found = by_key.get((item.source, item.source_id, item.kind))
        lines.append(
            Line(
                number=attachment.number,
                kind=item.kind,
                kind_label=str(KIND_LABELS[item.kind]),
                form_number=rules.form_number(version, item.kind),
                title=item.title or str(KIND_LABELS[item.kind]),
                goals=item.goals,
                present=item.present,
                source=item.source,
                source_id=item.source_id,
                start=item.start,
                end=item.end,
                pdf=found.pdf if found is not None else None,
            )
        )
    summaries = {
        row.kind: row
        for row in SummaryCertificate.objects.filter(trainee=profile).defer("pdf")
        if row.kind in summary_kinds(profile)
    }
    return PackView(
        profile=profile,
        version=version,
        bt=pack.bt,
        lines=tuple(lines),
        missing=tuple(
            MissingLine(m.code, m.kind, m.subject, missing_text(m)) for m in pack.missing
        ),
        form=current_application_form(version, profile.home_unit.region_id),
        summaries=summaries,
    )


# --- The service list of the application ------------------------------------------------------


def _yymmdd(day: dt.date) -> str:
    return day.strftime("%y%m%d")


def full_time_months(start: dt.date, end: dt.date, percent: int) -> float:
    """The months of a period (both ends included) at full time, one decimal."""
    days = (end - start).days + 1
    return round(days / (365.25 / 12) * percent / 100, 1)


@dataclass(frozen=True)
class ServiceLine:
    place: str
    period: str
    percent: int
    months: float


def service_list(profile: TraineeProfile) -> list[ServiceLine]:
    """The placements and secondments of the ST that have happened (not only planned), at the
    trainee's employment percent."""
    percent = profile.employment_percent
    return [
        ServiceLine(
            place=period.title,
            period=f"{_yymmdd(period.start)} – {_yymmdd(period.end)}",
            percent=percent,
            months=full_time_months(period.start, period.end, percent),
        )
        for period in periods_of(profile.pk)
        if period.kind in (PLACEMENT, SECONDMENT) and not period.planned
    ]
