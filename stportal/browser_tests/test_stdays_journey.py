"""ST-day certificates in the browser (SPEC 5 P4): `handledare` records an examined ST-day
for `stlakare` that corresponds to the mandatory subject "Allmänmedicinskt arbetssätt",
downloads the original on Socialstyrelsen's course form with *Handledare* ticked, and
`stlakare` sees the certificate beside the demo's one and downloads a copy. Every page is
checked with axe-core, on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from django.utils import timezone
from pypdf import PdfReader

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.core.dates import local_date

NAME = "Sara Berglund"
TITLE = "ST-dag: Konsultationsteknik i allmänmedicin"


def pdf_text(path: str | Path) -> str:
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_supervisor_records_an_st_day_and_the_trainee_sees_it(page, phone_page):
    today = local_date(timezone.now())
    day = today - dt.timedelta(days=3)

    # 1. handledare opens the menu entry, sees stlakare and the form.
    log_in(page, "handledare")
    page.goto("/")
    page.get_by_role("link", name="ST-dagsintyg").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ST-dagsintyg"
    row = page.locator("tbody tr").filter(has_text=NAME).first
    assert_accessible(page)
    row.get_by_role("link", name=re.compile("^Registrera en examinerad ST-dag")).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Registrera en examinerad ST-dag"
    assert_accessible(page)

    # 2. A mistake first: the examination is left out; the input stays.
    page.get_by_label("Obligatoriskt kursämne").select_option(label="Allmänmedicinskt arbetssätt")
    page.get_by_label("Ämne (i rubrikform)").fill(TITLE)
    page.get_by_label("Datum för ST-dagen").fill(day.isoformat())
    page.get_by_label("Plats").fill("Folkets hus, Umeå")
    page.get_by_label("Beskrivning av dagen").fill("Konsultationens faser och patientcentrering.")
    page.get_by_label("Delmål").fill("c1, c2")
    page.get_by_label("Datum för examinationen").fill(today.isoformat())
    page.get_by_role("button", name="Utfärda intyget").click()
    page.wait_for_load_state()
    assert "Något behöver rättas" in page.locator("main").inner_text()
    assert page.get_by_label("Ämne (i rubrikform)").input_value() == TITLE
    assert_accessible(page)
    screenshot(page, "stdays-record-error")
    page.get_by_label("Hur ST-läkaren examinerades").fill("Videoinspelad konsultation.")
    page.get_by_role("button", name="Utfärda intyget").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert f"ST-dagsintyget för {NAME} är utfärdat" in main
    issued = page.locator("tbody tr").filter(has_text=TITLE)
    assert issued.count() == 1 and "c1, c2" in issued.inner_text()
    assert_accessible(page)
    screenshot(page, "stdays-supervisor")

    # 3. The original, on the course form with the supervisor's block.
    with page.expect_download() as download:
        issued.get_by_role("link", name=re.compile("^Ladda ned originalet")).click()
    text = pdf_text(download.value.path())
    assert TITLE in text and "Berglund" in text and "c1, c2" in text
    assert "Per Nordin" in text
    assert "KOPIA" not in text

    # 4. stlakare sees it (and the demo's BVC certificate) and downloads a copy.
    log_in(phone_page, "stlakare")
    phone_page.goto("/st-dagar/")
    mine = phone_page.locator("tbody tr").filter(has_text=TITLE)
    assert mine.count() == 1
    assert phone_page.locator("tbody tr").filter(has_text="BVC, barnmedicin").count() == 1
    assert_accessible(phone_page)
    screenshot(phone_page, "stdays-trainee-phone")
    with phone_page.expect_download() as copy:
        mine.get_by_role("link", name=re.compile("^Ladda ned kopia")).click()
    assert "KOPIA" in pdf_text(copy.value.path())
