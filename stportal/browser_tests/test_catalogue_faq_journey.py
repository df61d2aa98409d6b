"""The course catalogue and the questions and answers in the browser (SPEC 5 P2, P10):
`stlakare` searches the catalogue by goal and sees which providers are preferred and which
need the study director's exception; `kursadmin` changes an answer on the product's own pages,
and `stlakare` then finds it by searching."""

from __future__ import annotations

import datetime as dt

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.core.dates import local_date

ADDITION = "Har fakturan fått ett felaktigt beställar-id, kontakta ditt områdes ST-kansli."


def test_trainee_searches_the_catalogue_by_goal_and_sees_preferred_and_other(page):
    log_in(page, "stlakare")
    page.goto("/")
    page.get_by_role("link", name="Kurskatalog").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Kurskatalog"
    assert_accessible(page)

    # A goal served by a course of a preferred provider.
    page.get_by_label("Delmål", exact=True).select_option("b5")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    entries = page.locator("article.catalogue-entry")
    assert entries.count() >= 1
    palliative = entries.filter(has_text="Palliativ vård i livets slutskede för ST-läkare")
    assert palliative.count() == 1
    assert "Prefererad kursgivare" in palliative.inner_text()
    assert "Kräver undantag" not in palliative.inner_text()
    for text in (e.inner_text() for e in entries.all()):
        assert "b5" in text
    screenshot(page, "catalogue-by-goal-preferred")

    # A goal served by a course of an other provider, which needs the exception.
    page.get_by_label("Delmål", exact=True).select_option("b1")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    entries = page.locator("article.catalogue-entry")
    own = entries.filter(has_text="Regionens eget kursprogram")
    other = entries.filter(has_text="Allmänläkarkurser")
    assert own.count() >= 1 and other.count() == 1
    text = other.inner_text()
    assert "Kommunikation med patienter och närstående" in text
    assert "Annan kursgivare" in text and "Kräver undantag av din studierektor" in text
    assert "Kräver undantag" not in own.first.inner_text()
    assert_accessible(page)
    screenshot(page, "catalogue-by-goal-other")


def test_course_admin_edits_an_answer_and_the_trainee_finds_it(page):
    log_in(page, "kursadmin")
    page.goto("/")
    page.get_by_role("link", name="Frågor och svar").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Redigera frågor och svar").click()
    page.wait_for_load_state()
    assert_accessible(page)
    row = page.locator("tbody tr").filter(has_text="Vad är fakturaadressen?")
    row.get_by_role("link", name="Ändra").click()
    page.wait_for_load_state()
    answer = page.get_by_label("Svar på svenska", exact=True)
    answer.fill(answer.input_value() + "\n\n" + ADDITION)
    assert_accessible(page)
    screenshot(page, "faq-edit")
    page.get_by_role("button", name="Spara frågan").click()
    page.wait_for_load_state()
    assert "Frågan är sparad." in page.locator("main").inner_text()

    page.context.clear_cookies()
    log_in(page, "stlakare")
    page.goto("/fragor/")
    assert_accessible(page)
    page.get_by_label("Sök bland frågorna", exact=True).fill("felaktigt beställar-id")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    found = page.locator("article.faq-question")
    assert found.count() == 1
    text = found.inner_text()
    assert "Vad är fakturaadressen?" in text and ADDITION in text
    assert f"Senast uppdaterad {local_date(dt.datetime.now(dt.UTC)).isoformat()}" in text
    assert_accessible(page)
    screenshot(page, "faq-search")


def test_catalogue_and_questions_work_at_phone_width(phone_page):
    page = phone_page
    log_in(page, "stlakare")
    page.goto("/kurskatalog/?kind=other")
    entries = page.locator("article.catalogue-entry")
    assert entries.count() >= 1
    assert all("Annan kursgivare" in e.inner_text() for e in entries.all())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    screenshot(page, "catalogue-phone")
    page.goto("/fragor/?topic=Kompetensutvecklingstid")
    assert page.locator("section.faq-topic").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    screenshot(page, "faq-phone")
