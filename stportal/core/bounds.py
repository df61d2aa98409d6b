"""The bounds every input is held to, defined once (security review finding 8).

The API's schemas (stportal.api.types), the web forms, the models and the URL converter for
ids all read their limits from here, so that no value reaches the database that SQLite or
PostgreSQL would refuse with an error (a 500) instead of the person being told: an integer past
the 64-bit range, a date of year 1 whose arithmetic overflows, text longer than its column, or
a NUL byte, which PostgreSQL cannot store in text at all.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# Ids are 64-bit signed integers in both databases (BigAutoField).
MAX_ID = 2**63 - 1

# Dates any rule of the programme can mean: course weeks, deadlines, ST start and completion.
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)

# Seats of a course week or course, and money in whole SEK (fees, prices).
MAX_CAPACITY = 10_000
MAX_AMOUNT = 1_000_000

# Free text kept in TextFields, which neither database limits on its own.
NOTE_MAX_LENGTH = 2_000  # notes, reasons, dietary needs, addresses
DESCRIPTION_MAX_LENGTH = 10_000  # course descriptions, information pages

NUL = "\x00"


def nul_message() -> str:
    return _("The text contains a character that is not allowed (a NUL byte).")


def refuse_nul(value: str) -> str:
    """For pydantic validators: the value unchanged, or ValueError with a sentence to show."""
    if NUL in value:
        raise ValueError(nul_message())
    return value


def date_message() -> str:
    return _("Enter a date between %(first)s and %(last)s.") % {
        "first": MIN_DATE.isoformat(),
        "last": MAX_DATE.isoformat(),
    }


def refuse_date_out_of_range(value: dt.date) -> dt.date:
    """For pydantic validators: a date inside MIN_DATE..MAX_DATE, or ValueError."""
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(date_message())
    return value


@deconstructible
class DateInRangeValidator:
    """For model and form fields: the same date range as the API."""

    def __call__(self, value: dt.date | None) -> None:
        if value is not None and not MIN_DATE <= value <= MAX_DATE:
            raise ValidationError(date_message(), code="date_out_of_range")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateInRangeValidator)

    def __hash__(self) -> int:
        return hash(DateInRangeValidator)


validate_date_in_range = DateInRangeValidator()

# Model and form validators for the integer ranges above.
CAPACITY_VALIDATORS = [MaxValueValidator(MAX_CAPACITY)]
AMOUNT_VALIDATORS = [MaxValueValidator(MAX_AMOUNT)]
