"""Spending per area and year as a CSV or Excel download (P3), through `core.spreadsheets`."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from stportal.core.spreadsheets import Table
from stportal.funding.rules import COST_KINDS, SpendingRow


def spending_table(rows: Sequence[SpendingRow]) -> Table:
    return Table(
        title=_("Training funds"),
        header=[
            _("Year"),
            _("Area"),
            _("Applications"),
            _("Course fees (SEK)"),
            _("Travel (SEK)"),
            _("Lodging (SEK)"),
            _("Other (SEK)"),
            _("Total (SEK)"),
        ],
        rows=[
            [row.year, row.area, row.applications, *(row.by_kind[k] for k in COST_KINDS), row.total]
            for row in rows
        ],
        widths=[8, 28, 14, 18, 14, 14, 14, 14],
    )
