"""The pages a person uses to keep their own access and data safe (SPEC 7): their personal API
tokens (made, shown once, used, revoked), two-factor log-in with an authenticator app, and what
the product holds about them (GDPR), each accessible and in Swedish.

The journey sets up no authenticator for real: the demo's log-ins stay as they are for the
other browser tests.
"""

from __future__ import annotations

import json

from stportal.browser_tests.helpers import DEMO_PASSWORD, assert_accessible, log_in, screenshot


def test_a_person_makes_uses_and_revokes_an_api_token(page):
    log_in(page, "kursadmin")
    page.goto("/konto/api-nycklar/")
    assert page.locator("h1").inner_text() == "Mina API-nycklar"
    assert_accessible(page)

    page.get_by_role("button", name="Skapa en ny nyckel").click()
    token = page.get_by_label("Nyckel", exact=True).input_value()
    assert token.startswith("stp_")
    assert "den visas inte igen" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "api-tokens")

    me = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200
    assert me.json()["username"] == "kursadmin"

    row = page.locator("tr", has=page.locator(f"code:text-is('{token[:12]}…')"))
    row.get_by_role("button", name="Återkalla").click()
    page.wait_for_load_state()
    row = page.locator("tr", has=page.locator(f"code:text-is('{token[:12]}…')"))
    assert "Återkallad" in row.inner_text()
    again = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert again.status == 401


def test_two_factor_pages_are_in_swedish_and_accessible(page):
    log_in(page, "studierektor")
    page.goto("/accounts/2fa/")
    assert_accessible(page)
    screenshot(page, "two-factor-overview")

    page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        # allauth asks for the password again before an authenticator is added.
        assert_accessible(page)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("main form [type=submit]").click()
        page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in page.url
    main = page.locator("main").inner_text()
    assert "autentiseringsapp" in main.lower() or "autentiserare" in main.lower(), main
    assert page.locator("main img[alt]").count() >= 1, "the QR code has a text alternative"
    assert page.locator("main input[name=code]").count() == 1
    assert_accessible(page)
    screenshot(page, "two-factor-activate")


def test_a_trainee_reads_and_downloads_everything_held_about_them(page):
    log_in(page, "stlakare")
    page.get_by_role("link", name="Mina personuppgifter").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Det här har ST-portalen sparat om dig"
    main = page.locator("main").inner_text()
    assert "Personnummer" in main and "Anmälningar" in main
    assert_accessible(page)
    screenshot(page, "personal-data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som JSON").click()
    with open(download.value.path(), encoding="utf-8") as file:
        export = json.load(file)
    assert export["data"]["accounts"]["user"][0]["username"] == "stlakare"


def test_staff_reach_a_trainees_data_from_the_record(page):
    log_in(page, "kursadmin")
    trainees = page.request.get("/api/v1/trainees").json()
    (trainee,) = [t for t in trainees if t["username"] == "stlakare"]
    page.goto(f"/st/{trainee['id']}/")
    page.get_by_role("link", name="Allt som är sparat om ST-läkaren (personuppgifter)").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Det här har ST-portalen sparat om ")
    assert_accessible(page)
