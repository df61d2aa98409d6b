"""The one writer of every CSV and Excel export, and `safe_cell` on every cell of them
(security review finding 5).

An export is a `Table` (a header row, the rows, optional footer rows after a blank line);
`csv_text` and `xlsx_bytes` write it, and `file_response` sends either as a download.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab
or carriage return can smuggle one past a naive check): a trainee's dietary note
`=HYPERLINK(...)` became a live link in the staff participant list. Text starting so is
prefixed with a single quote, which the programs show as text (OWASP's advice on CSV
injection); openpyxl then stores it as a string, never a formula. Numbers stay numbers: a
negative amount is a number, not text that could be a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Control characters no spreadsheet cell can hold (openpyxl refuses them with an error, and
# they may hide a formula's first character): everything below space but tab, LF and CR.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet may hold it: text never starts a formula."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value  # numbers, dates, None: the writers keep their type
    text = CONTROL_CHARACTERS.sub("", value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Semicolon-separated, as Swedish spreadsheet programs expect; every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def append_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """One row of an Excel sheet, every cell made safe."""
    sheet.append([safe_cell(value) for value in values])


@dataclass(frozen=True)
class Table:
    """An export: `title` names the Excel sheet; `widths` are the columns' widths in Excel
    (one number for all, or one per column); `footer` rows follow a blank row (totals)."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    widths: int | Sequence[int] = 16
    footer: Sequence[Sequence[Any]] = field(default_factory=tuple)


def table_csv(table: Table) -> str:
    """The table as CSV (the footer after a blank row, as in Excel)."""
    footer = [[], *table.footer] if table.footer else []
    return csv_text([table.header, *table.rows, *footer])


def xlsx_bytes(table: Table) -> bytes:
    """The table as an Excel workbook: a bold, frozen header row and every cell made safe."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(table.title)[:31]
    append_row(sheet, table.header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        append_row(sheet, row)
    if table.footer:
        sheet.append([])
        for row in table.footer:
            append_row(sheet, row)
    count = len(table.header)
    widths = [table.widths] * count if isinstance(table.widths, int) else list(table.widths)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_response(content: str | bytes, *, filename: str) -> HttpResponse:
    """A download of an export; the type follows the file name's ending (.csv or .xlsx)."""
    content_type = XLSX_TYPE if filename.endswith(".xlsx") else CSV_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(table: Table, *, stem: str, kind: str) -> HttpResponse:
    """The table as a `kind` ("csv" or "xlsx") download named `stem`.`kind`."""
    if kind == "xlsx":
        return file_response(xlsx_bytes(table), filename=f"{stem}.xlsx")
    return file_response(table_csv(table), filename=f"{stem}.csv")
