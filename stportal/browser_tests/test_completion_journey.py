"""The completion pack in the browser (SPEC 5 P14): `stlakare` opens "Ansökan om
specialistbevis" from her record, sees her course certificates and her ST-day certificate with
their Bilaga nr and what is missing, downloads the whole pack as one PDF, and uploads the
signed certificate of specialist competence; her supervisor reads the page on a phone. Every
page is checked with axe-core."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot

HEADING = "Ansökan om specialistbevis"


def pdf_text(path: str | Path) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    return len(reader.pages), text


def signed_copy(tmp_path: Path) -> Path:
    path = tmp_path / "specialistkompetens.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Intyg om uppnådd specialistkompetens (signerat)")
    canvas.showPage()
    canvas.save()
    return path


def test_the_trainee_prepares_the_specialist_application(page, phone_page, tmp_path):
    # 1. From her record's overview to the pack.
    log_in(page, "stlakare")
    page.goto("/api/v1/me")
    trainee_id = json.loads(page.locator("body").inner_text())["trainee_id"]
    page.goto(f"/st/{trainee_id}/")
    page.get_by_role("link", name=HEADING).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == HEADING
    assert_accessible(page)
    screenshot(page, "completion-pack")

    # 2. What is there, numbered, and what is missing.
    rows = page.locator("table.completion-table tbody tr")
    numbers = [int(rows.nth(i).locator("td").first.inner_text()) for i in range(rows.count())]
    assert numbers == list(range(1, rows.count() + 1))
    first = rows.nth(0).inner_text()
    assert "Uppnådd specialistkompetens" in first and "Finns inte ännu" in first
    courses = rows.filter(has_text="Kursintyg")
    assert courses.count() >= 2
    assert rows.filter(has_text="Barnhälsovård").count() == 1  # the demo's ST-day
    missing = page.locator("section", has=page.locator("#missing-heading")).inner_text()
    assert "kvalitets- och utvecklingsarbete" in missing
    assert "självständigt skriftligt arbete" in missing
    assert "Inget kursintyg täcker det obligatoriska kursämnet" in missing

    # 3. One PDF of the pack: the list, then each Bilaga nr and its copy.
    with page.expect_download() as download:
        page.get_by_role("link", name="Hela ansökan som en PDF").click()
    pages, text = pdf_text(download.value.path())
    assert pages > 1 + 2 * courses.count()
    assert text.index("Bilaga nr 1") < text.index("Bilaga nr 2") < text.index("Bilaga nr 3")
    assert "Berglund" in text

    # 4. She uploads the signed certificate of specialist competence.
    page.get_by_label("Vilket intyg").select_option(label="Uppnådd specialistkompetens")
    page.get_by_label("Ladda upp en kopia av det signerade intyget").check()
    page.get_by_label("Kopia av det signerade intyget (PDF)").set_input_files(
        str(signed_copy(tmp_path))
    )
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "Kopian av det signerade intyget" in page.locator("main").inner_text()
    first = page.locator("table.completion-table tbody tr").nth(0).inner_text()
    assert "Kopia ingår" in first
    assert_accessible(page)

    # 5. Her supervisor reads the pack on a phone, without the upload form.
    log_in(phone_page, "handledare")
    phone_page.goto(f"/specialistansokan/st-lakare/{trainee_id}/")
    assert phone_page.locator("h1").inner_text() == HEADING
    assert phone_page.locator("form[enctype='multipart/form-data']").count() == 0
    assert_accessible(phone_page)
    screenshot(phone_page, "completion-pack-supervisor-phone")
