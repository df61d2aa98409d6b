"""Competence assessments in the browser (SPEC 5 P12): `stlakare` starts a Mini-CEX on "Mina
bedömningar" and names an assessor; the assessor opens the link from the e-mail in the outbox
(on a phone, without an account), completes the assessment, and the link then no longer opens
the form; `stlakare` sees the assessment completed and tagged with its goals. Every page is
checked with axe-core."""

from __future__ import annotations

import re
import sqlite3

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot

ASSESSOR = "Erik Ekström"
ASSESSOR_EMAIL = "erik.ekstrom@example.org"


def _link_from_outbox(tmp_path_factory) -> str:
    """The demo server's outbox, read from its own SQLite file (read-only)."""
    databases = sorted(tmp_path_factory.getbasetemp().glob("demo-data*/stportal.sqlite3"))
    assert databases, "the demo server's database was not found"
    with sqlite3.connect(f"file:{databases[-1]}?mode=ro", uri=True) as connection:
        row = connection.execute(
            "SELECT body FROM notifications_outboxmessage WHERE to_email = ? "
            "AND kind = 'assessment_requested' ORDER BY id DESC LIMIT 1",
            (ASSESSOR_EMAIL,),
        ).fetchone()
    assert row is not None, "no e-mail to the assessor in the outbox"
    found = re.search(r"/bedomningar/bedom/[^/\s]+/", row[0])
    assert found, row[0]
    return found.group(0)


def test_a_trainee_starts_a_mini_cex_and_the_assessor_completes_it_once(
    page, phone_page, demo_server, tmp_path_factory
):
    # 1. stlakare's assessments: this year's count and the demo's two.
    log_in(page, "stlakare")
    page.goto("/bedomningar/")
    assert page.locator("h1").inner_text() == "Mina bedömningar"
    main = page.locator("main").inner_text()
    assert re.search(r"\d+ av 4 i år", main)
    assert "CBD" in main and "Väntar på bedömaren" in main
    assert_accessible(page)
    screenshot(page, "assessments-trainee")

    # 2. She starts a Mini-CEX for goal a1 and names the assessor.
    page.get_by_role("link", name="Starta en bedömning").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Starta en bedömning"
    assert_accessible(page)
    page.get_by_label("Typ av bedömning").select_option("mini_cex")
    page.get_by_label(re.compile(r"^a1 ")).check()
    page.get_by_label("Bedömarens namn").fill(ASSESSOR)
    page.get_by_label("Bedömarens e-postadress").fill(ASSESSOR_EMAIL)
    page.get_by_label("Situation eller sammanhang").fill("Teamarbete på akutmottagningen.")
    page.get_by_role("button", name="Skicka till bedömaren").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Mini-CEX"
    assert "Väntar på bedömaren" in page.locator("main").inner_text()
    assert_accessible(page)

    # 3. The assessor opens the link from the e-mail, on a phone, without logging in.
    link = _link_from_outbox(tmp_path_factory)
    answer = phone_page.goto(link)
    assert answer is not None and answer.status == 200
    text = phone_page.locator("main").inner_text()
    assert "Sara Berglund" in text and "Mini-CEX" in text and "a1" in text
    assert not re.search(r"\d{6}[-+]?\d{4}", text)  # no personal identity number
    assert_accessible(phone_page)
    screenshot(phone_page, "assessments-assessor-phone")
    phone_page.get_by_label("Självständigt").check()
    phone_page.get_by_label("Återkoppling till ST-läkaren").fill(
        "Tydlig kommunikation i teamet och trygg prioritering."
    )
    phone_page.get_by_role("button", name="Skicka bedömningen").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("h1").inner_text() == "Tack"
    assert_accessible(phone_page)

    # 4. The link then no longer opens the form.
    again = phone_page.goto(link)
    assert again is not None and again.status == 410
    assert "redan ifylld" in phone_page.locator("main").inner_text()
    assert phone_page.locator("main form").count() == 0
    assert_accessible(phone_page)

    # 5. stlakare sees it completed, tagged with its goal.
    page.goto("/bedomningar/")
    row = page.locator("tbody tr").filter(has_text=ASSESSOR)
    assert row.count() == 1
    assert "Genomförd" in row.inner_text() and "a1" in row.inner_text()
    assert "Självständigt" in row.inner_text()
