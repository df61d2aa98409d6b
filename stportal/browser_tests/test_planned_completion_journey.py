"""Planned ST completion in the browser (SPEC C5a; issue 9, must show 2): `stlakare` proposes a
later planned completion date on "Min ST", `studierektor` (the study director of stlakare's
area) confirms it, and the allocation preview of the demo's closed week (deadline passed, not
allocated, stlakare registered on time) flags the date as changed after the deadline.
"""

from __future__ import annotations

import datetime as dt
import re

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot

NAME = "Sara Berglund"
REASON = "Föräldraledighet i sex månader enligt reviderad IUP."


def closed_week_ids(page) -> list[int]:
    """The weeks the course administration shows as closed (deadline passed, not allocated)."""
    page.goto("/kursadmin/")
    ids = []
    for block in page.locator("section.week-block:has(.badge--closed)").all():
        href = block.locator("h2 a").first.get_attribute("href")
        ids.append(int(re.search(r"/veckor/(\d+)/", href).group(1)))
    return ids


def test_trainee_proposes_study_director_confirms_and_the_preview_flags_it(page):
    # 1. The trainee proposes a later date on their own page.
    log_in(page, "stlakare")
    page.goto("/")
    page.get_by_role("link", name="Min ST").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Min ST"
    current = dt.date.fromisoformat(page.locator("#planned-completion").inner_text().strip())
    later = current + dt.timedelta(days=183)
    assert_accessible(page)
    page.get_by_label("Nytt planerat slutdatum", exact=True).fill(later.isoformat())
    page.get_by_label("Skäl", exact=True).fill(REASON)
    page.get_by_role("button", name="Skicka förslaget").click()
    page.wait_for_load_state()
    assert "skickat till din studierektor" in page.locator("main").inner_text()
    assert page.locator("#planned-completion").inner_text().strip() == current.isoformat()
    history = page.locator("table").filter(has_text=REASON)
    assert history.count() == 1 and "Föreslagen" in history.inner_text()
    screenshot(page, "planned-completion-proposed")

    # 2. The study director of stlakare's area confirms it.
    page.context.clear_cookies()
    log_in(page, "studierektor")
    page.goto("/")
    page.get_by_role("link", name="Planerade slutdatum").first.click()
    page.wait_for_load_state()
    card = page.locator("section.card").filter(has_text=NAME)
    assert card.count() == 1
    assert later.isoformat() in card.inner_text() and REASON in card.inner_text()
    assert_accessible(page)
    screenshot(page, "planned-completion-proposals")
    card.locator("textarea").fill("Stämmer med den reviderade IUP:n.")
    card.get_by_role("button", name=re.compile("^Bekräfta")).click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert f"Planerat slutdatum för {NAME} är nu {later.isoformat()}" in main
    assert page.locator("section.card").filter(has_text=NAME).count() == 0

    # 3. The allocation preview of the closed week flags the change (as studierektor, staff).
    flagged = None
    for week_id in closed_week_ids(page):
        page.goto(f"/kursadmin/veckor/{week_id}/fordelning/")
        rows = page.locator("tbody tr").filter(has_text=NAME)
        if rows.count():
            flagged = rows.first
            break
    assert flagged is not None, "stlakare is registered in a closed week of the demo"
    assert "Ändrat efter sista anmälningsdag" in flagged.inner_text()
    assert "Förhandsvisning" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "planned-completion-preview-flag")

    # The trainee sees the confirmed date and its history.
    page.context.clear_cookies()
    log_in(page, "stlakare")
    page.goto("/konto/min-st/")
    assert page.locator("#planned-completion").inner_text().strip() == later.isoformat()
    assert "Godkänd" in page.locator("table").filter(has_text=REASON).inner_text()
