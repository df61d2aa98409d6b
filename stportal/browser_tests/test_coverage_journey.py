"""Coverage of the trainee's curriculum in the browser (SPEC 5 P1; issue 10, must show 1):
`stlakare` opens "Min ST", follows the link to their coverage and sees what remains and a
passed course of the programme; `studierektor` opens "Mina ST-läkare", sorts the table by
what remains, filters who lacks a subject, and opens stlakare's record and coverage.
"""

from __future__ import annotations

import re

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot

NAME = "Sara Berglund"


def test_trainee_sees_coverage_and_study_director_scans_the_table(page):
    # 1. The trainee: "Min ST" -> coverage.
    log_in(page, "stlakare")
    page.goto("/")
    page.get_by_role("link", name="Min ST", exact=True).first.click()
    page.wait_for_load_state()
    summary = page.locator("#coverage-summary").inner_text()
    assert re.search(r"\d+ av 12 obligatoriska kursämnen återstår\.", summary), summary
    page.get_by_role("link", name=re.compile("^Se vad som täcker varje delmål")).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Min täckning"
    main = page.locator("main")
    remaining = main.locator("section.coverage-remaining")
    assert "Vad som återstår" in remaining.inner_text()
    assert "Allmänmedicinskt arbetssätt" in remaining.inner_text()
    passed = main.locator("li").filter(has_text="Kurs i regionens kursprogram:")
    assert passed.count() >= 1, "the demo gives stlakare a passed course of the programme"
    assert main.get_by_text("Täckt", exact=True).count() >= 1
    assert main.get_by_text("Inte täckt", exact=True).count() >= 1
    assert main.locator("li").filter(has_text="Kursintyg:").count() >= 1
    assert_accessible(page)
    screenshot(page, "coverage-trainee")

    # 2. The study director: "Mina ST-läkare", sorted and filtered.
    page.context.clear_cookies()
    log_in(page, "studierektor")
    page.goto("/")
    page.get_by_role("link", name="Mina ST-läkare").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Mina ST-läkare"
    assert page.locator("tbody tr").filter(has_text=NAME).count() == 1
    assert_accessible(page)
    header = page.locator("th", has_text="Obligatoriska kursämnen kvar")
    header.get_by_role("link").click()
    page.wait_for_load_state()
    header = page.locator("th", has_text="Obligatoriska kursämnen kvar")
    assert header.get_attribute("aria-sort") == "ascending"
    counts = [int(t) for t in page.locator("tbody tr td:nth-child(5)").all_inner_texts()]
    assert counts == sorted(counts)
    header.get_by_role("link").click()
    page.wait_for_load_state()
    header = page.locator("th", has_text="Obligatoriska kursämnen kvar")
    assert header.get_attribute("aria-sort") == "descending"
    counts = [int(t) for t in page.locator("tbody tr td:nth-child(5)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    screenshot(page, "coverage-table-sorted")
    page.get_by_label("Vem saknar det obligatoriska kursämnet").select_option(
        "Allmänmedicinskt arbetssätt"
    )
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state()
    assert "saknar Allmänmedicinskt arbetssätt" in page.locator("caption").inner_text()
    for row in page.locator("tbody tr td:nth-child(7)").all_inner_texts():
        assert row == "Alla" or "Allmänmedicinskt arbetssätt" in row
    assert page.locator("th[aria-sort='descending']").count() == 1  # the sort is kept
    assert_accessible(page)

    # 3. stlakare's record, then coverage.
    page.locator("tbody").get_by_role("link", name=NAME).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"ST-dokumentation för {NAME}"
    # The regional study director is staff of the region: the number in full.
    assert re.search(r"\d{8}-\d{4}", page.locator("dl.facts").inner_text())
    assert_accessible(page)
    screenshot(page, "coverage-record")
    page.get_by_role("link", name="Täckning av delmål och obligatoriska kursämnen").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Täckning: {NAME}"
    assert page.locator("main li").filter(has_text="Kurs i regionens kursprogram:").count() >= 1
    assert_accessible(page)
    screenshot(page, "coverage-study-director")


def test_coverage_fits_a_phone(phone_page):
    page = phone_page
    log_in(page, "stlakare")
    page.goto("/st/min-tackning/")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Min täckning"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1
    assert_accessible(page)
    screenshot(page, "coverage-phone")
