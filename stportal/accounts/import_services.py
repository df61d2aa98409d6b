"""The HR import of trainees and their planned completion dates (C5a): the transactional shell
around the pure `hr_import` plan.

1. Only staff of a region import, and only into their own regions' home units; an existing
   trainee outside those regions is refused, never changed.
2. The plan is made from the file and plain lookups; a dry run writes nothing and reports
   every row: create, change, unchanged or refuse, and why.
3. A real import writes every create and change row in one transaction: new trainees through
   `create_trainee`, new dates as confirmed changes with history (reason "HR import"), each
   audited. Refused rows change nothing. Trainees are not e-mailed about imported dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stportal.accounts import completion_services, hr_import, permissions, services
from stportal.accounts.models import (
    HomeUnit,
    PlannedCompletionSource,
    Region,
    TraineeProfile,
    User,
)
from stportal.core import audit
from stportal.core.dates import STOCKHOLM
from stportal.core.errors import PermissionDenied, ValidationFailed
from stportal.core.permissions import staff_region_ids
from stportal.curricula.models import CurriculumVersion, Specialty


@dataclass(frozen=True)
class ImportReport:
    filename: str
    dry_run: bool
    rows: list[hr_import.RowPlan]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(hr_import.CREATE)

    @property
    def changed(self) -> int:
        return self.count(hr_import.CHANGE)

    @property
    def unchanged(self) -> int:
        return self.count(hr_import.UNCHANGED)

    @property
    def refused(self) -> int:
        return self.count(hr_import.REFUSE)


def describe_row(row: hr_import.RowPlan, *, dry_run: bool) -> str:
    """What the import does (or would do) with a row, in words (the page and the command)."""
    if row.action == hr_import.CREATE:
        date = row.data["planned_completion"].isoformat()
        if dry_run:
            return _("Would be created, planned completion %(date)s.") % {"date": date}
        return _("Created, planned completion %(date)s.") % {"date": date}
    if row.action == hr_import.CHANGE:
        values = {
            "old": row.old_date.isoformat() if row.old_date else "",
            "new": row.data["planned_completion"].isoformat(),
        }
        if dry_run:
            return _("Planned completion would change from %(old)s to %(new)s.") % values
        return _("Planned completion changed from %(old)s to %(new)s.") % values
    if row.action == hr_import.UNCHANGED:
        return _("Already up to date; nothing to change.")
    return _("Refused: %(problems)s") % {"problems": " ".join(row.problems)}


def summary(report: ImportReport) -> str:
    """The counts of a report in one line (labels and numbers, no plural nouns)."""
    values = {
        "created": report.created,
        "changed": report.changed,
        "unchanged": report.unchanged,
        "refused": report.refused,
    }
    if report.dry_run:
        text = _(
            "To create: %(created)d. To change: %(changed)d. Unchanged: %(unchanged)d. "
            "Refused: %(refused)d."
        )
    else:
        text = _(
            "Created: %(created)d. Changed: %(changed)d. Unchanged: %(unchanged)d. "
            "Refused: %(refused)d."
        )
    return text % values


def import_regions(actor: User | None, region: Region | None = None) -> list[int]:
    """The regions an import by `actor` may write to (narrowed to `region` when given)."""
    if actor is None:
        ids = list(Region.objects.values_list("pk", flat=True))
    else:
        ids = sorted(staff_region_ids(actor))
    if region is not None:
        ids = [pk for pk in ids if pk == region.pk]
    if not ids or not all(permissions.may_import_trainees(actor, pk) for pk in ids):
        raise PermissionDenied(_("Only course administrators and study directors may do this."))
    return ids


def _lookups(
    region_ids: list[int], rows: list[hr_import.SourceRow], today: dt.date
) -> hr_import.Lookups:
    units: dict[str, int | None] = {}
    for unit in HomeUnit.objects.filter(region_id__in=region_ids).only("pk", "name", "cost_centre"):
        for word in {hr_import.key(unit.name), hr_import.key(unit.cost_centre)} - {""}:
            units[word] = unit.pk if units.get(word, unit.pk) == unit.pk else None
    specialties: dict[str, int] = {}
    for specialty in Specialty.objects.only("pk", "code", "name"):
        specialties[hr_import.key(specialty.code)] = specialty.pk
        specialties[hr_import.key(specialty.name)] = specialty.pk
    versions = dict(CurriculumVersion.objects.values_list("code", "pk"))
    ids = hr_import.normalised_personal_ids(rows, today=today)
    existing = {
        profile.personal_id: hr_import.ExistingTrainee(
            trainee_id=profile.pk,
            in_importer_regions=profile.home_unit.region_id in region_ids,
            planned_completion=profile.planned_completion,
            st_start=profile.st_start,
        )
        for profile in TraineeProfile.objects.filter(personal_id__in=ids).select_related(
            "home_unit"
        )
    }
    emails = {
        str(row.values.get("email") or "").strip().lower()
        for row in rows
        if row.values.get("email")
    }
    taken = frozenset(
        User.objects.filter(Q(username__in=emails)).values_list("username", flat=True)
    )
    return hr_import.Lookups(
        units=units,
        specialties=specialties,
        versions=versions,
        existing=existing,
        taken_logins=taken,
    )


def import_trainees(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    dry_run: bool,
    region: Region | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import the HR system's export (see the module docstring). Raises `ValidationFailed`
    (field `file`) when the file as a whole cannot be read."""
    now = now or timezone.now()
    today = now.astimezone(STOCKHOLM).date()
    region_ids = import_regions(actor, region)
    try:
        rows = hr_import.read_rows(data, filename)
    except hr_import.ImportFileError as exc:
        raise ValidationFailed({"file": [str(exc)]}) from exc
    plan = hr_import.plan_import(rows, _lookups(region_ids, rows, today), today=today)
    report = ImportReport(filename=filename, dry_run=dry_run, rows=plan)
    if dry_run:
        return report
    with translation.override("sv"):
        reason = _("HR import (%(file)s)") % {"file": filename[:200]}
    units = HomeUnit.objects.in_bulk(
        [row.data["home_unit_id"] for row in plan if row.action == hr_import.CREATE]
    )
    specialties = Specialty.objects.in_bulk()
    versions = CurriculumVersion.objects.in_bulk()
    with transaction.atomic():
        for row in plan:
            if row.action == hr_import.CREATE:
                services.create_trainee(
                    actor=actor,
                    first_name=row.data["first_name"],
                    last_name=row.data["last_name"],
                    email=row.data["email"],
                    personal_id=row.personal_id,
                    specialty=specialties[row.data["specialty_id"]],
                    curriculum_version=versions[row.data["curriculum_version_id"]],
                    planned_completion=row.data["planned_completion"],
                    home_unit=units[row.data["home_unit_id"]],
                    employment_percent=row.data["employment_percent"],
                    st_start=row.data["st_start"],
                    today=today,
                )
            elif row.action == hr_import.CHANGE:
                profile = TraineeProfile.objects.select_related("home_unit").get(pk=row.trainee_id)
                completion_services.set_planned_completion(
                    actor=actor,
                    trainee=profile,
                    planned_completion=row.data["planned_completion"],
                    reason=reason,
                    source=PlannedCompletionSource.HR_IMPORT,
                    tell_trainee=False,
                    now=now,
                )
        if report.created or report.changed:
            first_region = Region.objects.get(pk=region_ids[0])
            audit.record(
                actor=actor,
                action="trainees.imported",
                obj=first_region,
                after={
                    "file": filename[:200],
                    "created": report.created,
                    "changed": report.changed,
                    "unchanged": report.unchanged,
                    "refused": report.refused,
                },
            )
    return report
