"""Every change to the course catalogue (SPEC 5 P2): providers and their external courses.

Each service checks on its own that the actor is staff of the region (`permissions`), checks
the values against the model's bounds, writes, and records the audit event in the same
transaction. The admin, the API and the demo call these; none of them saves a row itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from stportal.accounts.models import Region, User
from stportal.catalogue import permissions
from stportal.catalogue.models import ExternalCourse, Provider, ProviderKind
from stportal.core import audit, bounds
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.curricula.models import Goal, MandatorySubject

PROVIDER_FIELDS = ("name", "kind", "url", "description")
COURSE_FIELDS = (
    "title",
    "url",
    "start_date",
    "end_date",
    "place",
    "cost",
    "certified",
    "description",
)
# Snapshot names for the audit trail (the foreign key by id, the many-to-many by their ids).
_PROVIDER_AUDIT = ("region_id", *PROVIDER_FIELDS)
_COURSE_AUDIT = ("provider_id", *COURSE_FIELDS)


def _max_length(model: Any, name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", None) or 200)


def _text(values: dict[str, Any], errors: dict[str, list[str]], name: str, max_length: int):
    if name not in values:
        return
    value = values[name]
    text = "" if value is None else str(value).strip()
    if bounds.NUL in text:
        errors.setdefault(name, []).append(bounds.nul_message())
    elif len(text) > max_length:
        errors.setdefault(name, []).append(
            _("Write at most %(count)d characters.") % {"count": max_length}
        )
    values[name] = text


def _url(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if values.get("url"):
        try:
            URLValidator(schemes=["http", "https"])(values["url"])
        except ValidationError:
            errors.setdefault("url", []).append(_("Enter a web address starting with https://."))


def _clean_provider(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for name in ("name", "url"):
        _text(values, errors, name, _max_length(Provider, name))
    _text(values, errors, "description", bounds.DESCRIPTION_MAX_LENGTH)
    if "name" in values and not values["name"] and "name" not in errors:
        errors["name"] = [_("Write the provider's name.")]
    if "kind" in values and values["kind"] not in ProviderKind.values:
        errors["kind"] = [_("Choose preferred or other.")]
    _url(values, errors)
    if errors:
        raise ValidationFailed(errors)
    return values


def _clean_course(values: dict[str, Any], current: ExternalCourse | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for name in ("title", "url", "place"):
        _text(values, errors, name, _max_length(ExternalCourse, name))
    _text(values, errors, "description", bounds.DESCRIPTION_MAX_LENGTH)
    if "title" in values and not values["title"] and "title" not in errors:
        errors["title"] = [_("Write the course's title.")]
    _url(values, errors)
    for name in ("start_date", "end_date"):
        day = values.get(name)
        if day is not None and not (
            isinstance(day, dt.date) and bounds.MIN_DATE <= day <= bounds.MAX_DATE
        ):
            errors[name] = [bounds.date_message()]
    cost = values.get("cost")
    if cost is not None and not (
        isinstance(cost, int) and not isinstance(cost, bool) and 0 <= cost <= bounds.MAX_AMOUNT
    ):
        errors["cost"] = [
            _("Enter a whole amount in SEK between 0 and %(max)d.") % {"max": bounds.MAX_AMOUNT}
        ]
    if "certified" in values:
        values["certified"] = bool(values["certified"])
    start = values.get("start_date", current.start_date if current else None)
    end = values.get("end_date", current.end_date if current else None)
    if not errors and start is not None and end is not None and end < start:
        errors["end_date"] = [_("The last day cannot be before the first day.")]
    if errors:
        raise ValidationFailed(errors)
    return values


def _name_taken(region_id: int, name: str, *, other_than: int | None = None) -> bool:
    taken = Provider.objects.filter(region_id=region_id, name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    return taken.exists()


def _name_conflict() -> ValidationFailed:
    return ValidationFailed({"name": [_("The region already has a provider of this name.")]})


# --- Providers ---------------------------------------------------------------------------------


def create_provider(
    *,
    actor: User | None,
    region: Region,
    name: str,
    kind: str = ProviderKind.OTHER,
    url: str = "",
    description: str = "",
) -> Provider:
    """Add a provider to a region's catalogue.

    1. Only staff of the region may (404 for staff of another region, 403 for anyone else).
    2. The name is unique in the region, whatever its case.
    3. Created and audited in one transaction.
    """
    permissions.check_manage_catalogue(actor, region.pk)
    values = _clean_provider({"name": name, "kind": kind, "url": url, "description": description})
    if _name_taken(region.pk, values["name"]):
        raise _name_conflict()
    try:
        with transaction.atomic():
            provider = Provider.objects.create(region=region, **values)
            audit.record(
                actor=actor,
                action="provider.created",
                obj=provider,
                after=audit.snapshot(provider, _PROVIDER_AUDIT),
            )
    except IntegrityError as exc:  # a concurrent request took the name first
        raise _name_conflict() from exc
    return provider


def update_provider(
    *, actor: User | None, provider: Provider, changes: Mapping[str, Any]
) -> Provider:
    """Change a provider's name, kind (preferred or other), address or description."""
    unknown = sorted(set(changes) - set(PROVIDER_FIELDS))
    if unknown:
        raise ValueError(f"not fields of a provider: {', '.join(unknown)}")
    permissions.check_manage_catalogue(actor, provider.region_id)
    values = _clean_provider(dict(changes))
    try:
        with transaction.atomic():
            locked = Provider.objects.select_for_update().get(pk=provider.pk)
            if "name" in values and _name_taken(
                locked.region_id, values["name"], other_than=locked.pk
            ):
                raise _name_conflict()
            before = audit.snapshot(locked, _PROVIDER_AUDIT)
            for name, value in values.items():
                setattr(locked, name, value)
            locked.save()
            after = audit.snapshot(locked, _PROVIDER_AUDIT)
            changed = [name for name in _PROVIDER_AUDIT if before[name] != after[name]]
            if changed:
                audit.record(
                    actor=actor,
                    action="provider.changed",
                    obj=locked,
                    before={name: before[name] for name in changed},
                    after={name: after[name] for name in changed},
                )
    except IntegrityError as exc:
        raise _name_conflict() from exc
    return locked


def remove_provider(*, actor: User | None, provider: Provider) -> None:
    """Remove a provider that has no courses left in the catalogue (409 `provider_has_courses`
    otherwise: remove or move its courses first)."""
    permissions.check_manage_catalogue(actor, provider.region_id)
    with transaction.atomic():
        locked = Provider.objects.select_for_update().filter(pk=provider.pk).first()
        if locked is None:
            return
        if ExternalCourse.objects.filter(provider=locked).exists():
            raise ServiceError(
                "provider_has_courses",
                _("The provider still has courses in the catalogue: remove them first."),
            )
        audit.record(
            actor=actor,
            action="provider.removed",
            obj=locked,
            before=audit.snapshot(locked, _PROVIDER_AUDIT),
        )
        locked.delete()


# --- External courses --------------------------------------------------------------------------


def _links(course: ExternalCourse) -> dict[str, list[int]]:
    return {
        "goal_ids": sorted(g.pk for g in course.goals.all()),
        "subject_ids": sorted(s.pk for s in course.subjects.all()),
    }


def create_external_course(
    *,
    actor: User | None,
    provider: Provider,
    title: str,
    url: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    place: str = "",
    cost: int | None = None,
    certified: bool = False,
    description: str = "",
    goals: Iterable[Goal] = (),
    subjects: Iterable[MandatorySubject] = (),
) -> ExternalCourse:
    """Add a course of a provider to the catalogue, with the goals and mandatory subjects it
    serves.

    1. Only staff of the provider's region may.
    2. Dates in order and within bounds, the cost in whole SEK within bounds.
    3. Created with its goals and subjects and audited in one transaction.
    """
    permissions.check_manage_catalogue(actor, provider.region_id)
    values = _clean_course(
        {
            "title": title,
            "url": url,
            "start_date": start_date,
            "end_date": end_date,
            "place": place,
            "cost": cost,
            "certified": certified,
            "description": description,
        },
        None,
    )
    with transaction.atomic():
        course = ExternalCourse.objects.create(provider=provider, **values)
        course.goals.set(list(goals))
        course.subjects.set(list(subjects))
        audit.record(
            actor=actor,
            action="external_course.created",
            obj=course,
            after={**audit.snapshot(course, _COURSE_AUDIT), **_links(course)},
        )
    return course


def update_external_course(
    *,
    actor: User | None,
    course: ExternalCourse,
    changes: Mapping[str, Any],
) -> ExternalCourse:
    """Change an external course: any of its fields, its provider (within the region), its
    goals and subjects (`goals`, `subjects`: the new full lists)."""
    allowed = {*COURSE_FIELDS, "provider", "goals", "subjects"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValueError(f"not fields of an external course: {', '.join(unknown)}")
    region_id = Provider.objects.filter(pk=course.provider_id).values_list("region_id", flat=True)
    permissions.check_manage_catalogue(actor, region_id.first() or 0)
    new_provider = changes.get("provider")
    if new_provider is not None and new_provider.region_id != course.provider.region_id:
        raise ValidationFailed({"provider": [_("Choose a provider of the course's region.")]})
    values = _clean_course({k: v for k, v in changes.items() if k in COURSE_FIELDS}, course)
    with transaction.atomic():
        locked = ExternalCourse.objects.select_for_update().get(pk=course.pk)
        before = {**audit.snapshot(locked, _COURSE_AUDIT), **_links(locked)}
        for name, value in values.items():
            setattr(locked, name, value)
        if new_provider is not None:
            locked.provider = new_provider
        locked.save()
        if "goals" in changes:
            locked.goals.set(list(changes["goals"]))
        if "subjects" in changes:
            locked.subjects.set(list(changes["subjects"]))
        after = {**audit.snapshot(locked, _COURSE_AUDIT), **_links(locked)}
        changed = [name for name in after if before[name] != after[name]]
        if changed:
            audit.record(
                actor=actor,
                action="external_course.changed",
                obj=locked,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
            )
    return locked


def remove_external_course(*, actor: User | None, course: ExternalCourse) -> None:
    """Remove a course from the catalogue; one that something else refers to (an application
    for funding, say) is kept (409 `in_use`)."""
    region_id = Provider.objects.filter(pk=course.provider_id).values_list("region_id", flat=True)
    permissions.check_manage_catalogue(actor, region_id.first() or 0)
    try:
        with transaction.atomic():
            locked = ExternalCourse.objects.select_for_update().filter(pk=course.pk).first()
            if locked is None:
                return
            audit.record(
                actor=actor,
                action="external_course.removed",
                obj=locked,
                before={**audit.snapshot(locked, _COURSE_AUDIT), **_links(locked)},
            )
            locked.delete()
    except ProtectedError as exc:
        raise ServiceError(
            "in_use", _("The course is referred to elsewhere and cannot be removed.")
        ) from exc
