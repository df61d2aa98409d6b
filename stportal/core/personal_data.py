"""Everything the product holds about a person, for their export (GDPR art. 15 and 20;
Appendix A: `GET /api/v1/me/export`, `GET /api/v1/trainees/{id}/export`).

Each app that keeps personal data registers a source in its `AppConfig.ready()`; the export
asks them all. Core sits below every app, so the apps come to it. A source is
`fn(user_id, trainee_id | None) -> dict[str, list[dict]]` (its parts by name, each a list
of rows) and answers in a fixed number of queries. `rows` turns model objects into plain
JSON: every stored field, files by name, dates in ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

PersonalDataSource = Callable[[int, "int | None"], dict[str, list[dict[str, Any]]]]

_SOURCES: dict[str, PersonalDataSource] = {}


def register_personal_data(name: str, source: PersonalDataSource) -> None:
    """Register (or replace) the source called `name`."""
    _SOURCES[name] = source


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return None  # binary content (a stored PDF) is exported as a document, not as bytes
    if hasattr(value, "name") and isinstance(getattr(value, "name", None), str):
        return value.name  # a stored file: its name
    return value


# Secrets are not personal data to hand out: password hashes, the digests of API tokens and
# of assessors' links.
SECRET_FIELDS = frozenset({"password", "digest", "token_digest"})


class Rows(list[dict[str, Any]]):
    """A part of the export: plain JSON rows (it is a list), which also knows the model they
    came from, so that the readable summary can name the part and its columns in the reader's
    language. `model` is None for an empty part whose model is not known."""

    model: type[models.Model] | None = None
    fields: tuple[models.Field, ...] = ()


def rows(objects: Iterable[models.Model], *, leave_out: Iterable[str] = ()) -> Rows:
    """Every stored field of each object, as plain JSON values, but its secrets
    (`SECRET_FIELDS`, and the fields named in `leave_out`)."""
    skipped = SECRET_FIELDS | set(leave_out)
    found = Rows()
    found.model = getattr(objects, "model", None)
    for obj in objects:
        if found.model is None:
            found.model = type(obj)
        found.append(
            {
                field.attname: _plain(getattr(obj, field.attname))
                for field in obj._meta.concrete_fields
                if field.attname not in skipped and field.name not in skipped
            }
        )
    if found.model is not None:
        found.fields = tuple(
            field
            for field in found.model._meta.concrete_fields
            if field.attname not in skipped and field.name not in skipped
        )
    return found


def export(user_id: int, trainee_id: int | None) -> dict[str, dict[str, list[dict]]]:
    """Every source's parts for the person, by source name, in name order."""
    return {name: _SOURCES[name](user_id, trainee_id) for name in sorted(_SOURCES)}
