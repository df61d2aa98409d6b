"""Erasure by anonymisation (GDPR art. 17 and 5(1)(e); docs/privacy.md "Retention and
erasure").

Each app that keeps personal data registers an anonymiser in its `AppConfig.ready()`, next to
its export source (`core.personal_data`): it knows its own hiding places. An anonymiser is
`fn(person) -> {model label: [primary keys]}`: it clears what it holds about the person (names,
numbers, free text, stored files) in the caller's transaction and answers which rows of the
person it changed. The rows themselves stay (registrations, results, fees, certificates):
statistics and the fee ledger count them.

What no single app owns is cleared here, after the apps: the audit trail (events about the
person's rows lose their personal and free-text fields; any event naming the person loses the
name), the history tables of the rows the apps changed, and the admin's log.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stportal.core.models import AuditEvent
from stportal.core.retention import RetentionPeriods

# The audit event of an anonymisation (it holds no personal data).
ANONYMISED_ACTION = "person.anonymised"

# What stands where a name, a number or a text was.
ANONYMISED = "[anonymiserad]"

# Keys and fields that hold who a person is, wherever they are.
PERSONAL_KEYS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "username",
        "personal_id",
        "new_personal_id",
        "to_email",
        "assessor_name",
        "assessor_email",
        "dietary_needs",
        "filename",
        "certificate_filename",
        "trainee_name",
    }
)


@dataclass(frozen=True)
class Person:
    """Whom to anonymise, with what identifies them, read before anything changes.

    `needles` are distinctive enough to be removed wherever they are found (the whole name,
    the e-mail address, the user name, the personal identity number in every written form);
    `names` (first and last name alone) only in rows that are about the person."""

    user_id: int
    trainee_id: int | None
    needles: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def all_needles(self) -> tuple[str, ...]:
        return self.needles + self.names


Erased = dict[str, list[Any]]
Anonymiser = Callable[[Person], Erased]

# When something of the person's last changed, by app: `fn(user_id, trainee_id)`.
ActivitySource = Callable[[int, "int | None"], "dt.datetime | dt.date | None"]

# What expires for everyone after its own period: `fn(today, apply) -> rows cleared` (or,
# without `apply`, rows that would be).
Expiry = Callable[[dt.date, bool], int]

_ANONYMISERS: dict[str, Anonymiser] = {}
_ACTIVITY: dict[str, ActivitySource] = {}
_EXPIRIES: dict[str, Expiry] = {}


def retention_periods() -> RetentionPeriods:
    """The installation's retention periods (`STPORTAL_RETENTION_*`)."""
    return RetentionPeriods(
        person_years=settings.RETENTION_PERSON_YEARS,
        outbox_days=settings.RETENTION_OUTBOX_DAYS,
    )


def register_expiry(name: str, expiry: Expiry) -> None:
    """Register (or replace) what the app clears for everyone after its own period."""
    _EXPIRIES[name] = expiry


def expire(today: dt.date, *, apply: bool) -> dict[str, int]:
    """Every registered expiry: rows cleared (with `apply`; the caller holds the transaction)
    or that would be (without), by name."""
    return {name: _EXPIRIES[name](today, apply) for name in sorted(_EXPIRIES)}


def register_anonymiser(
    name: str, anonymiser: Anonymiser, last_change: ActivitySource | None = None
) -> None:
    """Register (or replace) the anonymiser called `name`, and the app's answer to "when did
    anything of this person's last change?" (for the retention rule)."""
    _ANONYMISERS[name] = anonymiser
    if last_change is not None:
        _ACTIVITY[name] = last_change


def last_activity(user_id: int, trainee_id: int | None) -> dt.date | None:
    """The latest day anything of the person's changed, by every app's answer (and the audit
    trail's: an event about their account or record, or one they did)."""
    found: list[dt.date] = []
    answers = [source(user_id, trainee_id) for source in _ACTIVITY.values()]
    own = Q(actor_id=user_id) | Q(object_type="accounts.user", object_id=str(user_id))
    if trainee_id is not None:
        own |= Q(object_type="accounts.traineeprofile", object_id=str(trainee_id))
    latest_event = (
        AuditEvent.objects.filter(own).exclude(action=ANONYMISED_ACTION).order_by("-at").first()
    )
    answers.append(latest_event.at if latest_event is not None else None)
    for answer in answers:
        if isinstance(answer, dt.datetime):
            found.append(timezone.localdate(answer))
        elif isinstance(answer, dt.date):
            found.append(answer)
    return max(found) if found else None


def clear(queryset: models.QuerySet, **values: Any) -> Erased:
    """Set `values` on every row of `queryset` (no history row, no signal: the history tables
    are cleared after the apps) and answer {the model's label: the rows' keys}."""
    pks = list(queryset.values_list("pk", flat=True))
    if pks and values:
        queryset.model._default_manager.filter(pk__in=pks).update(**values)
    return {queryset.model._meta.label_lower: pks} if pks else {}


def merged(*parts: Erased) -> Erased:
    found: Erased = {}
    for part in parts:
        for label, pks in part.items():
            found.setdefault(label, []).extend(pks)
    return found


def personal_id_forms(stored: str) -> list[str]:
    """A 12-digit stored number as people write it: 12 and 10 digits, with and without the
    dash (and the plus of a centenarian)."""
    if not (len(stored) == 12 and stored.isdigit()):
        return [stored] if stored else []
    short = stored[2:]
    return [
        stored,
        f"{stored[:8]}-{stored[8:]}",
        short,
        f"{short[:6]}-{short[6:]}",
        f"{short[:6]}+{short[6:]}",
    ]


def needles_of(
    *, first_name: str, last_name: str, email: str, username: str, personal_id: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(needles, names) of a person, longest first, none shorter than two characters."""
    full = " ".join(part for part in (first_name.strip(), last_name.strip()) if part)
    reverse = " ".join(part for part in (last_name.strip(), first_name.strip()) if part)
    distinctive = {full, reverse, f"{last_name.strip()}, {first_name.strip()}", email.strip()}
    distinctive |= {username.strip()} if not username.startswith("anonym-") else set()
    distinctive |= set(personal_id_forms(personal_id.strip()))
    names = {name for part in (first_name, last_name) for name in part.split() if name}
    names |= {first_name.strip(), last_name.strip()}

    def tidy(found: Iterable[str]) -> tuple[str, ...]:
        kept = {item for item in found if len(item.strip(" ,")) >= 2}
        return tuple(sorted(kept, key=lambda item: (-len(item), item)))

    return tidy(distinctive), tidy(names - distinctive)


def scrub_text(text: str, needles: Iterable[str]) -> str:
    """`text` with every needle (any case) replaced by the marker."""
    for needle in needles:
        if needle and needle.lower() in text.lower():
            text = re.sub(re.escape(needle), ANONYMISED, text, flags=re.IGNORECASE)
    return text


def scrub_value(value: Any, needles: Iterable[str], keys: frozenset[str] = frozenset()) -> Any:
    """A JSON value with the needles replaced in every string, and the values of `keys`
    replaced by the marker (empty values stay empty)."""
    needles = tuple(needles)
    if isinstance(value, dict):
        return {
            key: (
                (ANONYMISED if item not in (None, "", [], {}) else item)
                if key in keys
                else scrub_value(item, needles, keys)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub_value(item, needles, keys) for item in value]
    if isinstance(value, str):
        return scrub_text(value, needles)
    return value


def _text_fields(model: type[models.Model]) -> frozenset[str]:
    """The free text and personal fields of a model (as in its audit snapshots)."""
    found = {
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.TextField | models.EmailField) or f.name in PERSONAL_KEYS
    }
    return frozenset(found)


def _mentions(needles: Iterable[str], *fields: str, json_fields: Iterable[str] = ()) -> Q:
    """Rows with any needle in any of the fields (JSON fields also as JSON escapes them)."""
    found = Q(pk__in=[])
    for needle in needles:
        for name in fields:
            found |= Q(**{f"{name}__icontains": needle})
        escaped = json.dumps(needle)[1:-1]
        for name in json_fields:
            found |= Q(**{f"{name}__icontains": needle})
            if escaped != needle:
                found |= Q(**{f"{name}__icontains": escaped})
    return found


def _scrub_audit(person: Person, erased: Erased) -> int:
    own = Q(pk__in=[])
    keys_by_type: dict[str, frozenset[str]] = {}
    for label, pks in erased.items():
        if not pks:
            continue
        own |= Q(object_type=label, object_id__in=[str(pk) for pk in pks])
        keys_by_type[label] = _text_fields(apps.get_model(label)) | PERSONAL_KEYS
    mentions = _mentions(person.needles, "object_repr", "reason", json_fields=("before", "after"))
    changed = []
    for event in AuditEvent.objects.filter(own | mentions).iterator():
        keys = keys_by_type.get(event.object_type, frozenset())
        is_own = bool(keys) and _is_own(event, erased)
        needles = person.all_needles if is_own else person.needles
        keys = keys if is_own else frozenset()
        new = (
            scrub_text(event.object_repr, needles),
            scrub_text(event.reason, needles),
            scrub_value(event.before, needles, keys),
            scrub_value(event.after, needles, keys),
        )
        if is_own:
            new = (f"{event.object_type} {event.object_id} ({ANONYMISED})", *new[1:])
        if new != (event.object_repr, event.reason, event.before, event.after):
            event.object_repr, event.reason, event.before, event.after = new
            changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["object_repr", "reason", "before", "after"])
    return len(changed)


def _is_own(event: AuditEvent, erased: Erased) -> bool:
    return event.object_id in {str(pk) for pk in erased.get(event.object_type, [])}


def _scrub_history(person: Person, erased: Erased) -> int:
    """The history tables (django-simple-history) of the rows the apps anonymised: every
    historical version loses the same fields the row lost."""
    count = 0
    for label, pks in erased.items():
        model = apps.get_model(label)
        history = getattr(model, "history", None)
        if history is None or not pks:
            continue
        historical = history.model
        current = model._default_manager.filter(pk__in=pks)
        fields = [name for name in _text_fields(model) if _has_field(historical, name)]
        for row in current:
            values = {name: getattr(row, name) for name in fields}
            count += historical.objects.filter(**{model._meta.pk.attname: row.pk}).update(**values)
        reasons = historical.objects.filter(_mentions(person.needles, "history_change_reason"))
        for version in reasons:
            version.history_change_reason = scrub_text(
                version.history_change_reason or "", person.needles
            )
            version.save(update_fields=["history_change_reason"])
            count += 1
    return count


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist, by attname or name
        return False
    return True


def _scrub_admin_log(person: Person, erased: Erased) -> int:
    own = Q(pk__in=[])
    for label, pks in erased.items():
        if pks:
            content_type = ContentType.objects.get_for_model(apps.get_model(label))
            own |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    found = LogEntry.objects.filter(
        own | _mentions(person.needles, "object_repr", "change_message")
    )
    count = 0
    for entry in found:
        entry.object_repr = scrub_text(entry.object_repr, person.all_needles)[:200]
        entry.change_message = scrub_text(entry.change_message, person.all_needles)
        entry.save(update_fields=["object_repr", "change_message"])
        count += 1
    return count


@dataclass
class Report:
    """Rows changed, by part."""

    parts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.parts.values())


def anonymise(person: Person) -> Report:
    """Run every app's anonymiser, then clear the audit trail, the history tables and the
    admin's log. The caller holds the transaction."""
    erased: Erased = {}
    report = Report()
    for name in sorted(_ANONYMISERS):
        for label, pks in _ANONYMISERS[name](person).items():
            erased.setdefault(label, []).extend(pks)
            report.parts[label] = report.parts.get(label, 0) + len(pks)
    report.parts["history"] = _scrub_history(person, erased)
    report.parts["audit"] = _scrub_audit(person, erased)
    report.parts["admin_log"] = _scrub_admin_log(person, erased)
    return report
