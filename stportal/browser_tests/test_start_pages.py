"""Log-in and the start page of every demo account, in the browser, checked by axe-core."""

from __future__ import annotations

import pytest

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot

ACCOUNTS = {
    "kursadmin": "kursadministratör",
    "studierektor": "övergripande studierektor",
    "kursledare": "kursledare",
    "handledare": "handledare",
    "stlakare": "ST-läkare",
    "enhetschef": "verksamhetschef",
}


def test_log_in_page_is_swedish_and_accessible(page):
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_label("Lösenord").count() == 1
    assert_accessible(page)
    screenshot(page, "login")


@pytest.mark.parametrize(("username", "role"), ACCOUNTS.items())
def test_each_demo_account_logs_in_and_sees_its_role(page, username, role):
    log_in(page, username)
    assert role.lower() in page.locator("main").inner_text().lower()
    assert_accessible(page)
    screenshot(page, f"start-{username}")


def test_language_switch_to_english_and_back(page):
    log_in(page, "stlakare")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "st trainee" in page.locator("main").inner_text().lower()
    assert_accessible(page)
    page.get_by_role("button", name="Svenska").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"


def test_start_page_on_a_phone(phone_page):
    log_in(phone_page, "stlakare")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    screenshot(phone_page, "start-stlakare-phone")
