"""The annual report in the browser (SPEC 5 P13; issue 11, must show 1): `stlakare` finds last
year's report reviewed and this year's in draft, and completes her reflection; `handledare`,
told on the start page, writes the assessment and marks the report ready for review, after
which it is locked; `studierektor`, told on the start page, tries to send it back without a
comment, is told one is needed, and marks it reviewed; the report downloads as a PDF with
both parts and the review. Every page is axe-clean, the trainee's also at phone width."""

from __future__ import annotations

import io
import re
from pathlib import Path

from django.utils import timezone
from pypdf import PdfReader

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.core.dates import local_date

NAME = "Sara Berglund"
REFLECTION = (
    "I år har jag börjat leda teamträffar och fått god återkoppling.\n"
    "Mål för nästa år: bli klar med det skriftliga arbetet."
)
ASSESSMENT = "Sara har tagit stora steg mot självständighet under året."


def pdf_text(path: str | Path) -> str:
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_the_annual_report_goes_from_draft_to_reviewed_and_downloads_as_pdf(page, phone_page):
    year = local_date(timezone.now()).year
    title = f"Årsrapport {year}"

    # 1. stlakare: last year's reviewed, this year's a draft; she completes her reflection.
    log_in(phone_page, "stlakare")
    phone_page.goto("/arsrapporter/")
    assert phone_page.locator("h1").inner_text() == "Årsrapporter"
    assert_accessible(phone_page)
    screenshot(phone_page, "annualreport-trainee-phone")
    last = phone_page.get_by_role("link", name=f"Årsrapport {year - 1}")
    assert "Granskad" in phone_page.locator("li").filter(has=last).inner_text()
    phone_page.get_by_role("link", name=title).first.click()
    phone_page.wait_for_load_state()
    assert "Kursveckor och resultat" in phone_page.locator("main").inner_text()
    assert phone_page.locator("#report-status").inner_text().strip() == "Utkast"
    phone_page.get_by_label("Din reflektion").fill(REFLECTION)
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="Spara", exact=True).click()
    phone_page.wait_for_load_state()
    assert "Din del av årsrapporten är sparad." in phone_page.locator("main").inner_text()
    report_url = phone_page.url

    # 2. handledare is told on the start page, writes the assessment and submits.
    log_in(page, "handledare")
    page.goto("/")
    page.get_by_role("link", name=re.compile("årsrapport väntar på din bedömning")).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=f"{title}, {NAME}").click()
    page.wait_for_load_state()
    assert "I år har jag börjat leda teamträffar" in page.locator("main").inner_text()
    page.get_by_label("Din bedömning").fill(ASSESSMENT)
    assert_accessible(page)
    screenshot(page, "annualreport-supervisor")
    page.get_by_role("button", name="Spara och markera som färdig för granskning").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "studierektorn och ST-läkaren får besked" in main
    assert "Årsrapporten är låst" in main
    assert page.locator("textarea[name=text]").count() == 0
    assert page.locator("#report-status").inner_text().strip() == "Färdig för granskning"

    # 3. studierektor: a send-back needs a comment; then reviewed.
    page.context.clear_cookies()
    log_in(page, "studierektor")
    page.goto("/")
    page.get_by_role("link", name=re.compile("årsrapport väntar på din granskning")).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=f"{title}, {NAME}").click()
    page.wait_for_load_state()
    assert page.url == report_url
    page.get_by_role("button", name="Tillbaka till utkast").click()
    page.wait_for_load_state()
    assert "Skriv varför årsrapporten skickas tillbaka" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Granskad").click()
    page.wait_for_load_state()
    assert "är granskad" in page.locator("main").inner_text()
    assert page.locator("#report-status").inner_text().strip() == "Granskad"
    assert_accessible(page)
    screenshot(page, "annualreport-reviewed")

    # 4. The PDF: header, sections, both parts, the review.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned som PDF").click()
    text = pdf_text(download.value.path())
    assert title in text and NAME in text and "Allmänmedicin" in text and "2015" in text
    assert "Kursveckor och resultat" in text and "Handledarutlåtanden" in text
    assert "I år har jag börjat leda teamträffar" in text and ASSESSMENT in text
    assert f"Granskad {local_date(timezone.now()).isoformat()}" in text
