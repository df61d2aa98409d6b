"""Training funds in the browser (SPEC 5 P3; issue 10, must show 1): `stlakare` applies for
funds for an external course, `studierektor` (the study director of stlakare's area) approves
it with the exception an other provider needs, and the invoicing details of stlakare's area
appear on the application; the staff's spending page shows the approved money."""

from __future__ import annotations

import datetime as dt
import re

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.core.dates import local_date

COURSE = "Motiverande samtal i primärvården"
PROVIDER = "Kompetenscentrum Motivera AB"


def test_trainee_applies_director_approves_and_the_invoicing_details_appear(page):
    # 1. The trainee applies for an external course, written in.
    log_in(page, "stlakare")
    page.goto("/")
    page.get_by_role("link", name="ST-medel", exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ST-medel"
    assert "Palliativ vård i livets slutskede" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Ny ansökan").click()
    page.wait_for_load_state()
    start = local_date(dt.datetime.now(dt.UTC)) + dt.timedelta(days=70)
    page.get_by_label("Kurs", exact=True).fill(COURSE)
    page.get_by_label("Kursgivare", exact=True).fill(PROVIDER)
    page.get_by_label("Första kursdag", exact=True).fill(start.isoformat())
    page.get_by_label(re.compile("^Kursort")).fill("Stockholm")
    page.get_by_label(re.compile(r"^Kursavgift \(kr\)")).fill("5400")
    page.get_by_label(re.compile(r"^Resor \(kr\)")).fill("2100")
    page.get_by_label("b1 Kommunikation med patienter och närstående").check()
    assert_accessible(page)
    screenshot(page, "funding-new-application")
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "skickad till din studierektor" in main
    assert "Väntar på beslut" in main
    assert page.locator("#funding-total").inner_text().strip() == "7500"
    assert "Fakturauppgifter" not in main
    application_url = page.url

    # 2. The study director of stlakare's area approves it, with the exception's reason.
    page.context.clear_cookies()
    log_in(page, "studierektor")
    page.goto("/")
    page.get_by_role("link", name="Ansökningar om ST-medel").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    screenshot(page, "funding-to-decide")
    page.locator("tbody tr").filter(has_text=COURSE).get_by_role("link", name=COURSE).click()
    page.wait_for_load_state()
    assert "inte en av regionens förstahandsval" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Bevilja", exact=True).check()
    page.get_by_label(re.compile("^Kommentar")).fill("Bra komplement till LEKA.")
    page.get_by_role("button", name="Spara beslutet").click()
    page.wait_for_load_state()
    # Without the exception's reason the approval is refused, the comment kept.
    assert "ange skälet för undantaget" in page.locator("main").inner_text()
    assert page.get_by_label(re.compile("^Kommentar")).input_value() == "Bra komplement till LEKA."
    page.get_by_label("Bevilja", exact=True).check()
    page.get_by_label(re.compile("^Skäl för undantaget")).fill("Ges inte av regionen i år.")
    page.get_by_role("button", name="Spara beslutet").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Ansökan är beviljad" in main
    assert "Fakturauppgifter till kursgivaren" in main
    assert "B12345" in main

    # 3. The trainee sees the invoicing details of their area for the provider.
    page.context.clear_cookies()
    log_in(page, "stlakare")
    page.goto(application_url)
    invoice = page.locator("#invoice").inner_text()
    assert "Beställar-id" in invoice and "B12345" in invoice
    assert "7350099000011" in invoice and "I70411" in invoice
    assert "Beviljad" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "funding-approved-invoice")

    # 4. Staff see the approved money per area and year, as a table and a chart.
    page.context.clear_cookies()
    log_in(page, "studierektor")
    page.goto("/st-medel/utgifter/")
    table = page.locator("#spending-table").inner_text()
    assert "Umeå" in table
    assert page.locator(".funding-chart__row").count() >= 1
    assert_accessible(page)
    screenshot(page, "funding-spending")
