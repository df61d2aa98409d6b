"""The fee report (C16): charged and waived fees per home unit for a period, ready for invoicing.

Rows are plain dicts so the same data feeds the API (JSON), CSV and Excel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from stportal.accounts.models import User
from stportal.accounts.roles import managed_units, staff_regions
from stportal.core import spreadsheets
from stportal.core.dates import local_date
from stportal.registrations.models import Fee

CSV_TYPE = spreadsheets.CSV_TYPE
XLSX_TYPE = spreadsheets.XLSX_TYPE
# The files as the API's schema documents them, next to the JSON rows.
FILE_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
}

COLUMNS = [
    ("registration_id", N_("Registration")),
    ("trainee_name", N_("Trainee")),
    ("course_week_id", N_("Course week id")),
    ("course_week", N_("Course week")),
    ("course_week_start", N_("First day")),
    ("home_unit_id", N_("Home unit id")),
    ("home_unit", N_("Home unit")),
    ("cost_centre", N_("Cost centre")),
    ("invoice_address", N_("Invoice address")),
    ("area", N_("Area")),
    ("purchaser_id", N_("Purchaser id")),
    ("amount", N_("Amount (SEK)")),
    ("status", N_("Status")),
    ("cause", N_("Cause")),
    ("reason", N_("Reason")),
    ("charged_at", N_("Date")),
]
AMOUNT_INDEX = [key for key, _label in COLUMNS].index("amount")


def fees_visible_to(user: User) -> QuerySet[Fee]:
    """Staff see their regions' fees; a unit manager sees the fees of own home units."""
    if user.is_superuser:
        return Fee.objects.all()
    return Fee.objects.filter(
        registration__course_week__series__region__in=staff_regions(user)
    ) | Fee.objects.filter(home_unit__in=managed_units(user))


def fee_rows(
    fees: QuerySet[Fee],
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    home_unit_id: int | None = None,
) -> list[dict[str, Any]]:
    """One row per fee in the period (by the course week's first day), in a fixed order."""
    qs = fees.select_related(
        "registration__trainee__user",
        "registration__course_week",
        "home_unit__area",
    )
    if date_from:
        qs = qs.filter(registration__course_week__start_date__gte=date_from)
    if date_to:
        qs = qs.filter(registration__course_week__start_date__lte=date_to)
    if home_unit_id:
        qs = qs.filter(home_unit_id=home_unit_id)
    qs = qs.order_by("home_unit__name", "registration__course_week__start_date", "id").distinct()
    rows = []
    for fee in qs:
        unit = fee.home_unit
        week = fee.registration.course_week
        rows.append(
            {
                "registration_id": fee.registration_id,
                "trainee_name": fee.registration.trainee.user.display_name,
                "course_week_id": week.pk,
                "course_week": week.title,
                "course_week_start": week.start_date,
                "home_unit_id": unit.pk,
                "home_unit": unit.name,
                "cost_centre": unit.cost_centre,
                # A unit outside the region's own organisation (a private vårdcentral) is
                # invoiced at its own address; the region's units by cost centre.
                "invoice_address": unit.invoice_address
                or (unit.area.invoice_address if unit.area else ""),
                "area": unit.area.name if unit.area else "",
                "purchaser_id": unit.area.purchaser_id if unit.area else "",
                "amount": fee.amount,
                "status": fee.status,
                "cause": fee.cause,
                "reason": fee.reason,
                # The day in Stockholm: a fee charged at 00:30 on 1 April there is dated
                # 1 April, though UTC still says 31 March.
                "charged_at": local_date(fee.charged_at),
            }
        )
    return rows


def _headers() -> list[str]:
    return [_(label) for _key, label in COLUMNS]


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def rows_to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """CSV with a header row, semicolon-separated as Swedish spreadsheet programs expect."""
    return spreadsheets.csv_text(
        [_headers(), *([_cell(row[key]) for key, _label in COLUMNS] for row in rows)]
    )


def _total_row(total: int) -> list[Any]:
    row: list[Any] = [""] * len(COLUMNS)
    row[0] = _("Total charged")
    row[AMOUNT_INDEX] = total
    return row


def rows_to_xlsx(rows: Iterable[dict[str, Any]]) -> bytes:
    rows = list(rows)
    total = sum(row["amount"] for row in rows if row["status"] == "charged")
    return spreadsheets.xlsx_bytes(
        spreadsheets.Table(
            title=_("Fees"),
            header=_headers(),
            rows=([row[key] for key, _label in COLUMNS] for row in rows),
            widths=[40 if key in {"invoice_address", "reason"} else 16 for key, _l in COLUMNS],
            # The total sits under the amounts, in the amount column, its label in the first.
            footer=[_total_row(total)],
        )
    )
