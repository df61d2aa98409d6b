"""Study time in the browser (SPEC 5 P6): `stlakare` opens "Min studietid", sees this
quarter's weeks with the hours they give, the weeks without study time with their reason, and
the demo's logged hours; logs more time (first with a mistake), is warned when a week's hours
pass what it gives, removes an entry, and steps to the previous quarter; `handledare` follows
the link on the record's overview and reads the same page without the form. Every page is
checked with axe-core, on a desktop and on a phone."""

from __future__ import annotations

import re

from django.utils import timezone

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.core.dates import local_date
from stportal.studytime.rules import quarter_of

NOTE = "Läste om handläggning av förmaksflimmer."


def test_trainee_logs_study_time_and_the_supervisor_reads_it(page, phone_page):
    today = local_date(timezone.now())
    start, _end = quarter_of(today)

    # 1. stlakare opens "Min studietid".
    log_in(page, "stlakare")
    page.goto("/studietid/")
    assert page.locator("h1").inner_text() == "Min studietid"
    main = page.locator("main").inner_text()
    assert f"Kvartal {(start.month - 1) // 3 + 1} {start.year}" in main
    weeks = page.locator("table.studytime-weeks tbody tr")
    assert weeks.count() >= 13
    # The demo has logged study time this quarter.
    assert page.locator("table.studytime-log tbody tr").count() >= 1
    assert_accessible(page)
    screenshot(page, "studytime-trainee")

    # 2. A mistake first: too many hours, no activity; the input stays.
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Timmar").fill("12")
    page.get_by_label("Anteckning").fill(NOTE)
    page.get_by_role("button", name="Logga tiden").click()
    page.wait_for_load_state()
    assert "Något behöver rättas" in page.locator("main").inner_text()
    assert page.get_by_label("Anteckning").input_value() == NOTE
    assert_accessible(page)
    screenshot(page, "studytime-error")

    # 3. Then right: five hours in one go pass any week's study time: logged, with a warning.
    page.get_by_label("Timmar").fill("5")
    page.get_by_label("Använd till").select_option(label="Fördjupning och läsning")
    page.get_by_role("button", name="Logga tiden").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert f"Studietid loggad: 5 tim den {today.isoformat()}." in main
    assert "mer än de" in main
    row = page.locator("table.studytime-log tbody tr").filter(has_text=NOTE)
    assert row.count() == 1
    assert_accessible(page)

    # 4. It was a mistake after all: removed.
    row.get_by_role("button", name=re.compile("^Ta bort")).click()
    page.wait_for_load_state()
    assert "är borttagen" in page.locator("main").inner_text()
    assert page.locator("table.studytime-log tbody tr").filter(has_text=NOTE).count() == 0

    # 5. The previous quarter, and back.
    page.get_by_role("link", name="Föregående kvartal").click()
    page.wait_for_load_state()
    assert page.locator("h2#quarter-heading").inner_text() != ""
    assert_accessible(page)
    page.get_by_role("link", name="Nästa kvartal").click()
    page.wait_for_load_state()
    assert f"{start.year}" in page.locator("h2#quarter-heading").inner_text()

    # 6. handledare reads stlakare's study time on a phone from the record's overview,
    # without the form.
    log_in(phone_page, "handledare")
    phone_page.goto("/")
    phone_page.get_by_role("link", name="Mina ST-läkare").first.click()
    phone_page.wait_for_load_state()
    phone_page.locator("tbody tr").filter(has_text="Sara Berglund").get_by_role(
        "link"
    ).first.click()
    phone_page.wait_for_load_state()
    phone_page.get_by_role("link", name="Studietid", exact=True).click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("h1").inner_text() == "Studietid för Sara Berglund"
    assert phone_page.locator("table.studytime-weeks tbody tr").count() >= 13
    assert phone_page.get_by_role("button", name="Logga tiden").count() == 0
    assert_accessible(phone_page)
    screenshot(phone_page, "studytime-supervisor-phone")
