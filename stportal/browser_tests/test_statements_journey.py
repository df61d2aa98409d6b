"""Supervisor statements in the browser (SPEC 5 P5; issue 10, must show 1): `handledare` writes
a statement for `stlakare`, saves it as a draft, edits it and marks it ready for review, after
which it can no longer be edited; two versions are compared side by side (also at phone
width); `studierektor` tries to send it back without a comment, is told a comment is needed,
and marks it reviewed. Every page is axe-clean.
"""

from __future__ import annotations

import re

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot

NAME = "Sara Berglund"
FIRST = (
    "Sara tar ett stort eget ansvar på mottagningen och handlägger akuta besök säkert.\n"
    "Hon behöver träna mer på samtal om levnadsvanor."
)
SECOND = (
    "Sara tar ett stort eget ansvar på mottagningen och handlägger akuta besök säkert.\n"
    "Hon har under våren tränat på samtal om levnadsvanor och gör det nu strukturerat."
)


def _statement_url(page) -> str:
    match = re.search(r"/handledarutlatanden/(\d+)/", page.url)
    assert match, page.url
    return match.group(0)


def test_supervisor_writes_and_submits_and_the_study_director_reviews(page, phone_page):
    # 1. The supervisor writes a statement for their trainee and saves a draft.
    log_in(page, "handledare")
    page.goto("/")
    page.get_by_role("link", name="Handledarutlåtanden").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Handledarutlåtanden"
    assert_accessible(page)
    screenshot(page, "statements-supervisor-list")
    page.get_by_role("link", name=f"Skriv ett utlåtande – {NAME}").click()
    page.wait_for_load_state()
    page.get_by_label("Perioden från").fill("2026-01-01")
    page.get_by_label("Perioden till").fill("2026-06-30")
    page.get_by_label("Utlåtande").fill(FIRST)
    assert_accessible(page)
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state()
    assert "Utlåtandet är sparat som utkast." in page.locator("main").inner_text()
    assert page.locator("#statement-status").inner_text().strip() == "Utkast"
    url = _statement_url(page)

    # 2. It is edited and marked ready for review; then it is locked.
    page.get_by_label("Utlåtande").fill(SECOND)
    page.get_by_role("button", name="Markera som färdig för granskning").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "studierektorn får besked" in main
    assert page.locator("#statement-status").inner_text().strip() == "Färdig för granskning"
    assert page.locator("textarea[name=text]").count() == 0
    assert "Utlåtandet är låst" in main
    assert_accessible(page)
    screenshot(page, "statements-locked")

    # 3. Two versions side by side, the differences marked.
    page.get_by_label("Jämför version").select_option("1")
    page.get_by_label("med version").select_option("2")
    page.get_by_role("button", name="Jämför").click()
    page.wait_for_load_state()
    assert page.locator(".diff ins").count() >= 1 and page.locator(".diff del").count() >= 1
    assert_accessible(page)
    screenshot(page, "statements-compare")
    compare_url = page.url.removeprefix(page.url.split("/handledarutlatanden/")[0])

    # 4. The study director sends it back without a comment: told one is needed; reviews it.
    page.context.clear_cookies()
    log_in(page, "studierektor")
    page.goto("/handledarutlatanden/granska/")
    card = page.locator("section.card").filter(has_text="gör det nu strukturerat")
    assert card.count() == 1 and NAME in card.inner_text()
    assert_accessible(page)
    screenshot(page, "statements-review-list")
    card.get_by_role("button", name=re.compile("^Tillbaka till utkast")).click()
    page.wait_for_load_state()
    assert "Skriv varför utlåtandet skickas tillbaka" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Granskad")).click()
    page.wait_for_load_state()
    assert f"Utlåtandet för {NAME} är granskat" in page.locator("main").inner_text()
    page.goto(url)
    assert page.locator("#statement-status").inner_text().strip() == "Granskad"
    history = page.locator("table").inner_text()
    assert "Granskad" in history and "Markerat som färdigt för granskning" in history
    assert_accessible(page)
    screenshot(page, "statements-reviewed")

    # 5. At phone width the two versions stack.
    log_in(phone_page, "handledare")
    phone_page.goto(compare_url)
    sides = phone_page.locator(".diff__row").first.locator(".diff__side")
    left, right = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert right["y"] >= left["y"] + left["height"] - 1
    assert phone_page.locator(".diff__label").first.is_visible()
    assert_accessible(phone_page)
    screenshot(phone_page, "statements-compare-phone")
