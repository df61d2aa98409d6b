"""Properties of the one function every export cell goes through (security review finding 5)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from stportal.core.spreadsheets import CONTROL_CHARACTERS, FORMULA_STARTS, csv_text, safe_cell

# Text that tries hard to start a formula: any text, and text led by a formula character.
texts = st.text() | st.builds(
    lambda lead, rest: lead + rest,
    st.sampled_from([*FORMULA_STARTS, "\x01", "\x00=", " ="]),
    st.text(),
)


@given(texts)
def test_no_text_cell_starts_a_formula(text):
    """Security review finding 5: whatever a person typed, the cell does not start with `=`,
    `+`, `-`, `@`, tab or carriage return, and nothing but the leading quote is added."""
    cell = safe_cell(text)
    assert isinstance(cell, str)
    assert not cell.startswith(FORMULA_STARTS)
    cleaned = CONTROL_CHARACTERS.sub("", text)
    assert cell in (cleaned, "'" + cleaned)
    assert cell == cleaned or cleaned.startswith(FORMULA_STARTS)


def xml_lines(text: str) -> str:
    """XML reads every line ending as LF: the workbook gives back CR as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@given(texts)
def test_openpyxl_stores_every_text_cell_as_a_string(text):
    """Security review finding 5: the neutralised text is written as a string cell, never a
    formula, and survives the round trip."""
    book = openpyxl.Workbook()
    book.active.append([safe_cell(text)])
    buffer = io.BytesIO()
    book.save(buffer)
    cell = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    if cell.value is not None:  # an empty text is an empty cell
        assert cell.data_type != "f"
        assert cell.value == xml_lines(safe_cell(text))


@given(st.integers() | st.floats(allow_nan=False) | st.decimals(allow_nan=False))
def test_numbers_stay_numbers(number):
    """A negative amount is a number, not text that could be a formula."""
    assert safe_cell(number) == number
    assert type(safe_cell(number)) is type(number)


def test_dates_and_empty_values_keep_their_type():
    day = dt.date(2027, 3, 22)
    assert safe_cell(day) is day
    assert safe_cell(None) is None
    assert safe_cell(Decimal("-3000")) == Decimal("-3000")


def test_csv_quotes_the_formula_and_keeps_negative_numbers():
    text = csv_text([["=1+1", -3000, "+46 90 123", "vegetarisk"]])
    assert text == "'=1+1;-3000;'+46 90 123;vegetarisk\r\n"


def test_the_one_writer_makes_csv_and_excel_of_the_same_table():
    """Issue 9: every export is written by `Table` and the two writers: a bold frozen header,
    typed numbers and dates in Excel, the footer after a blank row, every cell made safe."""
    from stportal.core.spreadsheets import Table, table_csv, table_response, xlsx_bytes

    table = Table(
        title="Avgifter och mycket mer än trettioen tecken",
        header=["Namn", "Belopp", "Dag"],
        rows=[["=HYPERLINK(1)", 3000, dt.date(2027, 3, 22)]],
        widths=[30, 10, 12],
        footer=[["Summa", 3000, ""]],
    )
    assert table_csv(table).splitlines() == [
        "Namn;Belopp;Dag",
        "'=HYPERLINK(1);3000;2027-03-22",
        "",
        "Summa;3000;",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table))).active
    assert sheet.title == "Avgifter och mycket mer än tret"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "'=HYPERLINK(1)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3000
    assert sheet["A4"].value == "Summa" and sheet["B4"].value == 3000
    assert sheet.column_dimensions["A"].width == 30
    response = table_response(table, stem="avgifter", kind="xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="avgifter.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
