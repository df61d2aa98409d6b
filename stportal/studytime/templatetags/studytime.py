"""`{{ value|hours }}`: hours as a person reads them in the active language ("3", "2,5",
"0,25"), without trailing zeros."""

from __future__ import annotations

from decimal import Decimal

from django import template

from stportal.studytime.selectors import hours_text

register = template.Library()


@register.filter
def hours(value: float | Decimal) -> str:
    return hours_text(value)
