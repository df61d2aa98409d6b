"""Secondments and the training allowance in the browser (SPEC 5 P7–P9): `stlakare` opens
"Sidotjänstgöring och ST-ersättning" from the record, sees the demo's internal-medicine
secondment, the psychiatry secondment missing, the allowance and the credit decision; plans
psychiatry without an end date and is told the usual 12 weeks set it; `studierektor` records
the allowance on a phone. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.core.dates import local_date

TITLE = "Sidotjänstgöring och ST-ersättning"


def test_trainee_plans_psychiatry_and_the_study_director_records_the_allowance(page, phone_page):
    today = local_date(timezone.now())
    later = today + dt.timedelta(days=250)
    start = later + dt.timedelta(days=(7 - later.weekday()) % 7)
    end = start + dt.timedelta(days=12 * 7 - 1)

    # 1. stlakare's page: the demo's secondment, psychiatry missing, allowance and credit.
    log_in(page, "stlakare")
    page.goto("/sidotjanstgoring/")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == TITLE
    trainee_url = page.url
    main = page.locator("main")
    assert "Internmedicin" in page.locator("#secondments tbody").inner_text()
    assert "Psykiatri" in page.locator("#missing-psychiatry").inner_text()
    facts = page.locator("#allowance-facts").inner_text()
    assert "44 av 60" in facts and "10 av 18" in facts
    assert "Vikariat som underläkare" in page.locator("#credits").inner_text()
    assert "Registrera ST-ersättning" not in main.inner_text()
    assert_accessible(page)
    screenshot(page, "secondments-trainee")

    # 2. A mistake first (no place), then psychiatry without an end date.
    page.get_by_text("Planera sidotjänstgöring").first.click()
    page.get_by_label("Typ av sidotjänstgöring").select_option(label="Psykiatri (12 veckor)")
    page.get_by_label("Startdatum").fill(start.isoformat())
    page.get_by_role("button", name="Lägg till i planen").click()
    page.wait_for_load_state()
    assert "Något behöver rättas" in page.locator("main").inner_text()
    assert page.get_by_label("Startdatum").input_value() == start.isoformat()
    assert_accessible(page)
    page.get_by_label("Plats").fill("Psykiatriska kliniken, Norrlands universitetssjukhus")
    page.get_by_role("button", name="Lägg till i planen").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "vanliga 12 veckorna" in main
    row = page.locator("#secondments tbody tr").filter(has_text="Psykiatri")
    assert row.count() == 1 and end.isoformat() in row.inner_text()
    assert page.locator("#missing-psychiatry").count() == 0
    assert_accessible(page)

    # 3. studierektor records the allowance on a phone.
    log_in(phone_page, "studierektor")
    phone_page.goto(trainee_url)
    assert phone_page.locator("h1").inner_text() == TITLE
    phone_page.get_by_text("Registrera ST-ersättning").first.click()
    phone_page.get_by_label("Utbetalda månader", exact=True).fill("45")
    phone_page.get_by_role("button", name="Spara ST-ersättningen").click()
    phone_page.wait_for_load_state()
    assert "ST-ersättningen är registrerad" in phone_page.locator("main").inner_text()
    assert re.search(r"45 av 60", phone_page.locator("#allowance-facts").inner_text())
    assert_accessible(phone_page)
    screenshot(phone_page, "secondments-study-director-phone")
