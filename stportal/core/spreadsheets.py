"""Every cell of every CSV and Excel export goes through `safe_cell` (security review finding 5).

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
from typing import Any

from django.utils.functional import Promise
from openpyxl.worksheet.worksheet import Worksheet

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
