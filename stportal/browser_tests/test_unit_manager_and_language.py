"""The unit manager's read-only view of own home units (SPEC 2, C16), and the trainee's pages
in English and back in Swedish (SPEC 7).

The demo charges no fee to the units `enhetschef` manages, so the unit manager's test first
has the course administration cancel a confirmed seat of one of their trainees inside the
cancellation period (not `stlakare`'s): one fee, charged to that unit.
"""

from __future__ import annotations

import csv
import io

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.browser_tests.test_admin_journey import (
    charge_a_fee,
    demo_allocated_week_id,
    fee_rows,
)
from stportal.browser_tests.test_trainee_journey import words

OWN_UNITS = ("Hälsocentralen Ersboda", "Hälsocentralen Ålidhem")


def log_out(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()


def test_unit_manager_sees_own_units_registrations_seats_and_fees_and_nothing_else(page):
    log_in(page, "kursadmin")
    trainee, unit = charge_a_fee(page, demo_allocated_week_id(page), units=OWN_UNITS)
    log_out(page)

    log_in(page, "enhetschef")
    page.goto("/kursadmin/enhet/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mina basenheter"
    sections = page.locator("main section[aria-labelledby^='unit-']")
    assert sorted(s.get_by_role("heading", level=2).inner_text() for s in sections.all()) == sorted(
        OWN_UNITS
    )
    totals = words(page.locator("section[aria-labelledby=all-heading]"))
    assert "Bekräftade platser" in totals
    assert "Debiterade avgifter" in totals
    own = sections.filter(has=page.get_by_role("heading", name=unit, exact=True))
    row = own.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=trainee))
    assert row.count() >= 1
    assert "3 000 kr" in words(row.first)
    assert "Sara Berglund" in words(page.locator("main")), "stlakare's unit is Ersboda"
    assert "Avbokad" in words(row.first)
    assert_accessible(page)
    screenshot(page, "unit-manager")

    # The fee report holds the own units' fees only, and names no one's registration page.
    page.get_by_role("link", name="Avgiftsrapporten, för fakturering").click()
    options = page.locator("select[name=home_unit] option").all_inner_texts()
    assert sorted(o for o in options if o != "Alla basenheter") == sorted(OWN_UNITS)
    rows = fee_rows(page)
    assert rows.count() >= 1
    for fee in rows.all():
        assert fee.locator("td").nth(1).inner_text().split("\n")[0] in OWN_UNITS
    assert rows.filter(has_text=trainee).count() == 1
    assert page.locator("main a[href^='/kursadmin/anmalningar/']").count() == 0
    assert_accessible(page)
    answer = page.request.get("/kursadmin/avgifter/?format=csv")
    assert answer.status == 200
    header, *lines = csv.reader(io.StringIO(answer.text()), delimiter=";")
    unit_column = header.index("Basenhet")
    assert lines and all(line[unit_column] in OWN_UNITS for line in lines)
    assert any(line[header.index("ST-läkare")] == trainee for line in lines)

    # The course administration itself is closed to a unit manager.
    assert page.goto("/kursadmin/").status == 403
    assert page.goto("/kursadmin/information/").status == 403


def test_the_catalogue_and_the_cancel_page_in_english_and_back(page):
    log_in(page, "stlakare")
    page.goto("/kurser/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kursveckor"
    try:
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", level=1).inner_text() == "Course weeks"
        catalogue = words(page.locator("main"))
        assert "Registration deadline" in catalogue
        assert "Last day to cancel free of charge" in catalogue
        assert_accessible(page)

        # The cancel page of the allocated week's registration: read, nothing is cancelled.
        page.get_by_role("link", name="My registrations").first.click()
        card = page.locator("article.registration").filter(has=page.locator(".badge--allocated"))
        card.first.locator("h2 a").click()
        page.get_by_role("link", name="Cancel courses or leave the waiting list").click()
        assert page.get_by_role("heading", level=1).inner_text().startswith("Cancel courses in")
        cancel = words(page.locator("main"))
        assert "Courses to cancel" in cancel
        assert "Reason for cancelling" in cancel
        assert page.get_by_role("button", name="Continue: see what it costs").count() == 1
        assert_accessible(page)
    finally:
        page.get_by_role("button", name="Svenska").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Avboka delkurser i")
    assert page.get_by_role("button", name="Fortsätt: se vad det kostar").count() == 1


def test_a_refused_page_is_swedish_and_leads_back(page):
    try:
        log_in(page, "enhetschef")
        answer = page.goto("/kursadmin/")
        assert answer.status == 403
    except AssertionError as exc:  # the set-up must not pass for the expected failure
        raise RuntimeError(f"set-up failed: {exc}") from exc
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("main").count() == 1
    assert page.get_by_role("link", name="Start").count() >= 1
