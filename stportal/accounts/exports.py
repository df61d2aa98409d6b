"""A person's export of everything the product holds about them (GDPR art. 15 and 20;
Appendix A): by the person for themself, and by staff for a trainee of their regions. The
parts come from every app (`core.personal_data`); who may ask is decided here, and every
export is in the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import may_export
from stportal.core import audit, personal_data
from stportal.core.errors import NotFound


def export_personal_data(*, actor: User, profile: TraineeProfile | None = None) -> dict[str, Any]:
    """Everything held about `profile`'s person, or about `actor` when no profile is named.
    Anyone who may not export a trainee's data gets 404, as for an unknown trainee."""
    if profile is None:
        person = actor
        profile = TraineeProfile.objects.filter(user=actor).select_related("home_unit").first()
    else:
        if not may_export(actor, profile):
            raise NotFound()
        person = profile.user
    with transaction.atomic():
        data = personal_data.export(person.pk, profile.pk if profile else None)
        audit.record(
            actor=actor,
            action="personal_data.exported",
            obj=profile or person,
            after={"user_id": person.pk, "parts": sorted(data)},
        )
    return {
        "exported_at": timezone.now().isoformat(),
        "user_id": person.pk,
        "trainee_id": profile.pk if profile else None,
        "data": data,
    }


# The readable summary of an export (a page to read and print, beside the JSON).


@dataclass(frozen=True)
class SummaryRow:
    """One stored row: its fields as (label, readable value), the empty ones left out."""

    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SummaryPart:
    title: str
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True)
class SummarySection:
    """What one part of the product holds: its parts with rows, and the names of the parts
    that hold nothing."""

    title: str
    parts: tuple[SummaryPart, ...]
    empty: tuple[str, ...]


def _readable_value(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field is not None and field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = timezone.localtime(dt.datetime.fromisoformat(value))
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _part_title(name: str, part: list[dict]) -> str:
    model = getattr(part, "model", None)
    return str(model._meta.verbose_name_plural).capitalize() if model else name


def summarise(export: dict[str, Any]) -> list[SummarySection]:
    """The export's data as sections to read: each source under its app's name, each part
    under its model's name, each field under its label in the reader's language."""
    sections = []
    for source, parts in export["data"].items():
        try:
            title = str(apps.get_app_config(source).verbose_name)
        except LookupError:
            title = source
        filled, empty = [], []
        for name, part in parts.items():
            if not part:
                empty.append(_part_title(name, part))
                continue
            by_attname = {field.attname: field for field in getattr(part, "fields", ())}
            shown = []
            for row in part:
                values = []
                for attname, value in row.items():
                    field = by_attname.get(attname)
                    text = _readable_value(field, value)
                    if text:
                        label = str(field.verbose_name) if field is not None else attname
                        values.append((label[:1].upper() + label[1:], text))
                shown.append(SummaryRow(tuple(values)))
            filled.append(SummaryPart(_part_title(name, part), tuple(shown)))
        sections.append(SummarySection(title, tuple(filled), tuple(empty)))
    return sections
