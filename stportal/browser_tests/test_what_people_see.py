"""What people see (issue 9), on a 390 px phone: the trainee's registration page says where
they would land if seats were allocated now, and the accessibility statement, reached from the
footer, takes a barrier report. Both pages pass axe-core and never scroll sideways."""

from __future__ import annotations

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.browser_tests.test_trainee_journey import (
    make_open_week_free_for_stlakare,
    open_week_card,
    words,
)

PHONE_WIDTH = 390


def assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide on a {PHONE_WIDTH} px phone"


def test_where_do_i_stand_and_the_accessibility_statement_on_a_phone(phone_page):
    page = phone_page
    log_in(page, "stlakare")
    make_open_week_free_for_stlakare(page)

    # Register for the whole open week.
    card = open_week_card(page)
    week_title = card.locator("h2").inner_text()
    card.get_by_role("link", name=week_title, exact=True).click()
    page.get_by_role("link", name=f"Anmäl dig till {week_title}").click()
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"Anmälan till {week_title}"

    # Where do I stand: every pending course with a seat or a waiting-list place and why.
    standing = page.locator("section.standing")
    assert standing.get_by_role("heading", name="Var står jag?").is_visible()
    items = standing.locator("li")
    assert items.count() == 5
    for index in range(items.count()):
        text = words(items.nth(index))
        assert "en plats" in text or "på reservlistan" in text, text
        assert "Plats:" in text or "Reservlista:" in text, text
    # Hyphenation follows the page's language on a phone.
    assert page.evaluate("() => document.documentElement.lang") == "sv"
    assert page.evaluate("() => getComputedStyle(document.body).hyphens") == "auto"
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, "where-do-i-stand-phone")

    # The accessibility statement from the footer, and a barrier report.
    page.locator("footer").get_by_role("link", name="Tillgänglighetsredogörelse").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Tillgänglighetsredogörelse för ST-portalen"
    )
    main = words(page.locator("main"))
    assert "WCAG" in main and "axe-core" in main and "Digg" in main
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label("Vad fungerade inte för dig?").fill(
        "Tabellen över delkurserna är svår att läsa i mobilen."
    )
    page.get_by_role("button", name="Skicka rapporten").click()
    page.wait_for_load_state()
    assert "Tack, din rapport har kommit in." in words(page.locator(".messages"))
    assert_accessible(page)
    screenshot(page, "accessibility-statement-phone")
