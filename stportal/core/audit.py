"""Writing audit events. Services call `record` inside their transaction.

What the audit trail must not hold is removed here, in one place, whatever a caller passes
(SPEC 7): personal identity numbers are masked to the birth date, dietary needs (health data)
are replaced by a marker that still says whether they changed, and password and token hashes
are never stored.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from stportal.core import personnummer
from stportal.core.models import AuditEvent

# Keys whose value is a personal identity number: kept as the birth date only.
PERSONAL_ID_KEYS = frozenset({"personal_id", "new_personal_id"})
# Keys whose value is health data: only whether it is empty and whether it changed is kept.
HEALTH_KEYS = frozenset({"dietary_needs"})
# Keys never stored at all (a hash is as good as a password to an offline attacker).
SECRET_KEYS = frozenset({"password", "digest", "token"})

# Markers stored instead of health data, and how they read on a page.
HIDDEN = "[hidden]"
CHANGED = "[changed]"
MARKER_LABELS = {HIDDEN: _("(hidden)"), CHANGED: _("(changed)")}


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def _mask_personal_id(value: Any) -> Any:
    if value in (None, ""):
        return value
    text = str(value)
    if text.endswith("-****"):
        return text  # already masked
    try:
        return personnummer.mask(personnummer.normalise(text))
    except personnummer.InvalidPersonnummer:
        return personnummer.mask(text)


def _hidden(value: Any) -> Any:
    return value if value in (None, "") else HIDDEN


def _clean(value: Any, other: Any = None) -> Any:
    """`value` without secrets; `other` is the matching other side (before for after), so
    that a hidden health field still shows whether it changed."""
    if isinstance(value, dict):
        other_dict = other if isinstance(other, dict) else {}
        cleaned = {}
        for key, item in value.items():
            if key in SECRET_KEYS:
                continue
            if key in PERSONAL_ID_KEYS:
                cleaned[key] = _mask_personal_id(item)
            elif key in HEALTH_KEYS:
                changed = key in other_dict and other_dict[key] != item
                cleaned[key] = CHANGED if changed and item not in (None, "") else _hidden(item)
            else:
                cleaned[key] = _clean(item, other_dict.get(key))
        return cleaned
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def masked(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Before and after as the audit trail stores them (see the module docstring)."""
    before_json = jsonable(before) if before is not None else None
    after_json = jsonable(after) if after is not None else None
    return (
        _clean(before_json) if before_json is not None else None,
        _clean(after_json, before_json) if after_json is not None else None,
    )


def marker_label(value: Any) -> str | None:
    """How a stored marker reads on a page, or None when `value` is not a marker."""
    if isinstance(value, str) and value in MARKER_LABELS:
        return str(MARKER_LABELS[value])
    return None


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-ready picture of the concrete fields of a model instance."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: jsonable(getattr(obj, name)) for name in names}


def event(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any,
    object_repr: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """An audit event built but not saved, cleaned like every stored event: services that
    change many rows at once save theirs together with `record_many`."""
    stored_before, stored_after = masked(before, after)
    return AuditEvent(
        actor_id=getattr(actor, "pk", None) if actor is not None else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:300],
        before=stored_before,
        after=stored_after,
        reason=reason,
    )


def record_many(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Save events built with `event` in one statement, in the caller's transaction."""
    return AuditEvent.objects.bulk_create(list(events))


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    built = event(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        object_repr=str(obj),
        before=before,
        after=after,
        reason=reason,
    )
    built.save()
    return built
