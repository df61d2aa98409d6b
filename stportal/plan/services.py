"""The education plan: every write (SPEC 5 P11).

1. `add_plan_item`: the trainee adds an item of any kind to their plan; the supervisor or
   study director may record a supervision meeting.
2. `change_plan_item`: the trainee changes any item (whoever recorded a meeting, that meeting).
3. `remove_plan_item`: the same people remove it (the audit keeps what it was).
4. `attach_plan_certificate` / `remove_plan_certificate`: the signed certificate of an item as
   a PDF, checked and capped exactly as funding checks its course certificates.

Each locks the trainee's profile first (the record's parent row), decides who may on its own
(`plan.permissions`), and audits in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.core import audit, bounds
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ValidationFailed
from stportal.curricula.models import Goal
from stportal.funding import uploads
from stportal.plan import permissions
from stportal.plan.models import (
    BT_VERSION,
    FILENAME_MAX_LENGTH,
    MAX_GOALS,
    ONE_DAY,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    WITHOUT_GOALS,
    BtPart,
    ItemKind,
    ItemStatus,
    PlanItem,
)

FIELDS = (
    "trainee_id",
    "kind",
    "status",
    "title",
    "place",
    "start_date",
    "end_date",
    "extent_percent",
    "bt_part",
    "note",
    "certificate_filename",
    "certificate_size",
    "certificate_sha256",
    "certificate_uploaded_at",
    "created_by_id",
)
# What an item is made of (the arguments of add and change).
EDITABLE = (
    "kind",
    "status",
    "title",
    "place",
    "start_date",
    "end_date",
    "extent_percent",
    "bt_part",
    "goal_codes",
    "note",
)


def _snapshot(item: PlanItem, goal_codes: Iterable[str]) -> dict[str, Any]:
    found = audit.snapshot(item, FIELDS)
    found["goal_codes"] = sorted(goal_codes)
    return found


def _text_problem(value: str, limit: int) -> str | None:
    if bounds.NUL in value:
        return bounds.nul_message()
    if len(value) > limit:
        return _("Write at most %(limit)s characters.") % {"limit": limit}
    return None


def resolve_goals(profile: TraineeProfile, codes: Iterable[str]) -> tuple[list[Goal], list[str]]:
    """The goals named by code in the trainee's curriculum version (the general goals and the
    trainee's specialty's own), and the codes that are not there."""
    wanted = sorted({str(code).strip() for code in codes if str(code).strip()})
    if not wanted:
        return [], []
    found = list(
        Goal.objects.filter(
            Q(specialty__isnull=True) | Q(specialty_id=profile.specialty_id),
            version_id=profile.curriculum_version_id,
            code__in=wanted,
        ).order_by("position", "code")
    )
    known = {goal.code for goal in found}
    return found, [code for code in wanted if code not in known]


def _clean(
    profile: TraineeProfile, values: dict[str, Any], today: dt.date
) -> tuple[dict[str, Any], list[Goal]]:
    """The item's fields checked together (422 naming each field with a problem)."""
    errors: dict[str, list[str]] = {}
    kind = values.get("kind")
    if kind not in ItemKind.values:
        errors["kind"] = [_("Choose what kind of item it is.")]
    version = profile.curriculum_version.code
    if kind == ItemKind.BT and version != BT_VERSION:
        errors["kind"] = [_("BT belongs to trainees under HSLF-FS 2021:8 only.")]
    status = values.get("status") or ItemStatus.PLANNED
    if status not in ItemStatus.values:
        errors["status"] = [_("Choose planned or done.")]
    title = str(values.get("title") or "").strip()
    place = str(values.get("place") or "").strip()
    note = str(values.get("note") or "").strip()
    if not title and kind == ItemKind.SUPERVISION:
        title = _("Supervision meeting")
    for name, value, limit in (
        ("title", title, TITLE_MAX_LENGTH),
        ("place", place, PLACE_MAX_LENGTH),
        ("note", note, bounds.NOTE_MAX_LENGTH),
    ):
        problem = _text_problem(value, limit)
        if problem:
            errors[name] = [problem]
    if not title and "title" not in errors:
        errors["title"] = [_("Give the item a title.")]
    start: Any = values.get("start_date")
    end: Any = values.get("end_date")
    if kind in ONE_DAY:
        end = start
    for name, day in (("start_date", start), ("end_date", end)):
        if day is None:
            errors.setdefault(name, [_("Enter a date.")])
        elif not isinstance(day, dt.date) or not bounds.MIN_DATE <= day <= bounds.MAX_DATE:
            errors.setdefault(name, [bounds.date_message()])
    if not errors.keys() & {"start_date", "end_date"} and end < start:
        errors["end_date"] = [_("The end is before the start.")]
    if (
        status == ItemStatus.DONE
        and not errors.keys() & {"start_date", "end_date", "status"}
        and end > today
    ):
        errors["status"] = [_("An item that ends after today cannot be marked done yet.")]
    extent = values.get("extent_percent")
    if kind == ItemKind.PLACEMENT:
        if extent is None:
            extent = 100
        elif not isinstance(extent, int) or not 1 <= extent <= 100:
            errors["extent_percent"] = [_("Give the extent in percent of full time, 1 to 100.")]
    else:
        extent = None
    bt_part = values.get("bt_part") or BtPart.NONE
    if bt_part not in BtPart.values:
        errors["bt_part"] = [_("Choose primary care or acute care.")]
    elif bt_part and (kind != ItemKind.PLACEMENT or version != BT_VERSION):
        errors["bt_part"] = [
            _("Only a placement of a trainee under HSLF-FS 2021:8 can be part of BT.")
        ]
    codes = [str(code) for code in values.get("goal_codes") or ()]
    goals: list[Goal] = []
    if codes and kind in WITHOUT_GOALS:
        errors["goal_codes"] = [_("Leave and absence serve no goals.")]
    elif len(codes) > MAX_GOALS:
        errors["goal_codes"] = [_("Name at most %(count)d goals.") % {"count": MAX_GOALS}]
    elif codes:
        goals, unknown = resolve_goals(profile, codes)
        if unknown:
            errors["goal_codes"] = [
                _("Not goals of the trainee's curriculum: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            ]
    if errors:
        raise ValidationFailed(errors)
    return (
        {
            "kind": kind,
            "status": status,
            "title": title,
            "place": place,
            "start_date": start,
            "end_date": end,
            "extent_percent": extent,
            "bt_part": bt_part,
            "note": note,
        },
        goals,
    )


def _locked_profile(trainee: TraineeProfile) -> TraineeProfile:
    return (
        TraineeProfile.objects.select_for_update()
        .select_related("user", "home_unit", "curriculum_version", "specialty")
        .get(pk=trainee.pk)
    )


def add_plan_item(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    kind: str,
    title: str = "",
    start_date: dt.date | None,
    end_date: dt.date | None = None,
    status: str = ItemStatus.PLANNED,
    place: str = "",
    extent_percent: int | None = None,
    bt_part: str = "",
    goal_codes: Iterable[str] = (),
    note: str = "",
    now: dt.datetime | None = None,
) -> PlanItem:
    """Add an item to the trainee's plan (P11).

    1. The trainee any kind; the supervisor and study director a supervision meeting only
       (403 for other kinds; 404 for anyone who may not read the plan).
    2. The fields checked together: dates within bounds, the end not before the start (a
       meeting is one day), done only once it has ended, a placement's extent 1-100 %,
       BT only under HSLF-FS 2021:8, goals only of the trainee's curriculum version (422).
    3. Audited in the same transaction.
    """
    today = local_date(now or timezone.now())
    permissions.check_may_add(actor, trainee, kind)
    with transaction.atomic():
        profile = _locked_profile(trainee)
        permissions.check_may_add(actor, profile, kind)
        values, goals = _clean(
            profile,
            {
                "kind": kind,
                "status": status,
                "title": title,
                "place": place,
                "start_date": start_date,
                "end_date": end_date,
                "extent_percent": extent_percent,
                "bt_part": bt_part,
                "goal_codes": list(goal_codes),
                "note": note,
            },
            today,
        )
        item = PlanItem.objects.create(trainee=profile, created_by=actor, **values)
        item.goals.set(goals)
        audit.record(
            actor=actor,
            action="plan_item.added",
            obj=item,
            after=_snapshot(item, [g.code for g in goals]),
        )
    return item


def _current(item: PlanItem) -> PlanItem:
    current = (
        PlanItem.objects.select_related("trainee__user", "trainee__home_unit", "created_by")
        .prefetch_related("goals")
        .filter(pk=item.pk)
        .first()
    )
    if current is None:
        raise NotFound()
    return current


def change_plan_item(
    *,
    actor: User | None,
    item: PlanItem,
    now: dt.datetime | None = None,
    **changes: Any,
) -> PlanItem:
    """Change some fields of an item (the others stay): the trainee any item, whoever recorded
    a meeting that meeting; checked as when it was added; a meeting stays a meeting unless the
    trainee changes it. Audited with before and after."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    today = local_date(now or timezone.now())
    with transaction.atomic():
        profile = _locked_profile(item.trainee)
        current = _current(item)
        permissions.check_may_change(actor, current)
        new_kind = changes.get("kind", current.kind)
        if new_kind != current.kind:
            permissions.check_may_add(actor, profile, new_kind)
        old_codes = [goal.code for goal in current.goals.all()]
        values = {
            "kind": current.kind,
            "status": current.status,
            "title": current.title,
            "place": current.place,
            "start_date": current.start_date,
            "end_date": current.end_date,
            "extent_percent": current.extent_percent,
            "bt_part": current.bt_part,
            "goal_codes": old_codes,
            "note": current.note,
        }
        values.update(changes)
        if "kind" in changes and changes["kind"] in ONE_DAY and "end_date" not in changes:
            values["end_date"] = values["start_date"]
        cleaned, goals = _clean(profile, values, today)
        before = _snapshot(current, old_codes)
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.save(update_fields=[*cleaned, "updated_at"])
        current.goals.set(goals)
        audit.record(
            actor=actor,
            action="plan_item.changed",
            obj=current,
            before=before,
            after=_snapshot(current, [g.code for g in goals]),
        )
    return _current(current)


def remove_plan_item(*, actor: User | None, item: PlanItem) -> None:
    """Remove an item from the plan (its certificate with it); the audit keeps what it was."""
    with transaction.atomic():
        _locked_profile(item.trainee)
        current = _current(item)
        permissions.check_may_change(actor, current)
        before = _snapshot(current, [goal.code for goal in current.goals.all()])
        audit.record(actor=actor, action="plan_item.removed", obj=current, before=before)
        current.goals.clear()
        current.delete()


def attach_plan_certificate(
    *,
    actor: User | None,
    item: PlanItem,
    data: bytes,
    filename: str = "",
    now: dt.datetime | None = None,
) -> PlanItem:
    """Attach the item's signed certificate: a PDF checked, capped and stripped of anything
    active by funding's own check (`funding.uploads.checked_pdf`). A new one replaces the
    old; audited."""
    now = now or timezone.now()
    permissions.check_may_change(actor, item)
    kept = uploads.checked_pdf(data)
    name = filename.replace(bounds.NUL, "").strip()[:FILENAME_MAX_LENGTH]
    with transaction.atomic():
        _locked_profile(item.trainee)
        current = _current(item)
        permissions.check_may_change(actor, current)
        codes = [goal.code for goal in current.goals.all()]
        before = _snapshot(current, codes)
        current.certificate_pdf = kept
        current.certificate_filename = name
        current.certificate_size = len(kept)
        current.certificate_sha256 = hashlib.sha256(data).hexdigest()
        current.certificate_uploaded_at = now
        current.save(
            update_fields=[
                "certificate_pdf",
                "certificate_filename",
                "certificate_size",
                "certificate_sha256",
                "certificate_uploaded_at",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action="plan_item.certificate_attached",
            obj=current,
            before=before,
            after=_snapshot(current, codes),
        )
    return _current(current)


def remove_plan_certificate(*, actor: User | None, item: PlanItem) -> PlanItem:
    """Take the certificate off an item (a wrong file); audited."""
    with transaction.atomic():
        _locked_profile(item.trainee)
        current = _current(item)
        permissions.check_may_change(actor, current)
        codes = [goal.code for goal in current.goals.all()]
        before = _snapshot(current, codes)
        current.certificate_pdf = None
        current.certificate_filename = ""
        current.certificate_size = None
        current.certificate_sha256 = ""
        current.certificate_uploaded_at = None
        current.save(
            update_fields=[
                "certificate_pdf",
                "certificate_filename",
                "certificate_size",
                "certificate_sha256",
                "certificate_uploaded_at",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action="plan_item.certificate_removed",
            obj=current,
            before=before,
            after=_snapshot(current, codes),
        )
    return _current(current)
