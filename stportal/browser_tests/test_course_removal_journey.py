"""Removing a course from a published week in the browser (C4, C14; issue 9, must show 2): the
course administrator removes one course of the demo's closed week with a reason, and `stlakare`,
registered for the whole week, finds that course cancelled by the organiser, free of charge.

The planned completion journey reads the same week's preview afterwards: the removed course
leaves stlakare's other courses of the week pending, so the preview still lists stlakare.
"""

from __future__ import annotations

import re

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.browser_tests.test_planned_completion_journey import closed_week_ids

NAME = "Sara Berglund"
REASON = "Kursledaren är sjuk och ingen ersättare finns."


def test_a_removed_course_is_cancelled_free_of_charge_for_its_participants(page):
    log_in(page, "kursadmin")
    week_id = course_title = None
    for candidate in closed_week_ids(page):
        page.goto(f"/kursadmin/veckor/{candidate}/anmalningar/")
        if NAME in page.locator("main").inner_text():
            week_id = candidate
            break
    assert week_id is not None, "stlakare is registered in a closed week of the demo"

    page.goto(f"/kursadmin/veckor/{week_id}/")
    edit = page.locator("main a[href*='/kursadmin/kurser/'][href$='/andra/']").first
    course_id = int(re.search(r"/kurser/(\d+)/", edit.get_attribute("href")).group(1))
    page.goto(f"/kursadmin/kurser/{course_id}/ta-bort/")
    course_title = (
        page.locator("h1").inner_text().removeprefix("Ta bort ").split(" från ")[0].strip()
    )
    assert "utan avgift" in page.locator("main .card").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Ta bort delkursen").click()
    page.wait_for_load_state()
    assert "Varför tas delkursen bort?" in page.locator("main").inner_text()
    page.get_by_label("Varför tas delkursen bort?").fill(REASON)
    page.get_by_role("button", name="Ta bort delkursen").click()
    page.wait_for_load_state()
    assert "avbokades utan avgift" in page.locator(".message--success").inner_text()
    screenshot(page, "course-removed")

    page.context.clear_cookies()
    log_in(page, "stlakare")
    page.goto("/mina-anmalningar/")
    card = page.locator("main article, main section").filter(has_text=course_title).first
    text = card.inner_text()
    assert_accessible(page)
    screenshot(page, "course-removed-trainee")
    line = next(row for row in text.splitlines() if course_title in row)
    assert "avbokad" in text.lower(), text
    assert "kr" not in line, line
    assert re.search(r"arrangören|avgiftsfri|kostnadsfri", text, re.IGNORECASE), text
