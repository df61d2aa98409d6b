"""Bounded field types for every API schema and parameter (security review finding 8).

Each carries the limit of the model field it lands in (stportal.core.bounds), so that a value
the database would refuse answers 422 with the field named, and the OpenAPI schema tells
clients the limits (`maxLength`, `minimum`, `maximum`, `format: date` within bounds).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db.models import Model
from pydantic import AfterValidator, Field, StringConstraints

from stportal.core import bounds


def Text(max_length: int) -> type[str]:  # noqa: N802 - used like a type: `title: Text(160)`
    """A string of at most `max_length` characters without NUL bytes."""
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(max_length=max_length),
        AfterValidator(bounds.refuse_nul),
    ]


# Any short string with no model column of its own behind it (codes, names looked up).
ShortText = Text(200)
# Notes, reasons, dietary needs and other TextFields capped by bounds.NOTE_MAX_LENGTH.
NoteText = Text(bounds.NOTE_MAX_LENGTH)

Id = Annotated[int, Field(ge=1, le=bounds.MAX_ID)]
Capacity = Annotated[int, Field(ge=0, le=bounds.MAX_CAPACITY)]
Amount = Annotated[int, Field(ge=0, le=bounds.MAX_AMOUNT)]
Percent = Annotated[int, Field(ge=0, le=100)]
# C23: the other regions a course week is opened to: "all", or at most 100 region ids.
OpenToRegions = Literal["all"] | Annotated[list[Id], Field(max_length=100)]

# Dates between bounds.MIN_DATE and bounds.MAX_DATE: a year 1 or 9999 overflows date arithmetic.
Day = Annotated[dt.date, AfterValidator(bounds.refuse_date_out_of_range)]


def TextOf(model: type[Model], field_name: str) -> type[str]:  # noqa: N802 - a type
    """A string bounded by a model field's own `max_length` (CharFields, and the TextFields
    that declare one), so the API and the database never disagree."""
    max_length = model._meta.get_field(field_name).max_length
    if max_length is None:
        raise TypeError(f"{model.__name__}.{field_name} declares no max_length")
    return Text(max_length)
