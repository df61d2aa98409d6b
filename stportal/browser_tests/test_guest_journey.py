"""A trainee of the demo's second region on the first region's open LEKA week (C23): `stlakare2`
finds the week, registers like anyone and is told she will be seated after the host region's
own; the first region's course admin sees her registration, and it is on the report of what her
region owes, but nothing else of her record.

Uses both pages of the test (the guest's and the course admin's) side by side.
"""

from __future__ import annotations

import re

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot


def words(locator) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", locator.inner_text())


def test_stlakare2_registers_and_the_host_sees_the_registration_only(page, phone_page):
    guest, admin = page, phone_page
    log_in(guest, "stlakare2")
    guest.goto("/kurser/")
    cards = guest.locator("article.week-card:has(.badge--published)")
    assert cards.count() == 1, "the one week the first region opened to hers"
    title = cards.first.locator("h2").inner_text()
    cards.first.get_by_role("link", name=title, exact=True).click()
    guest.wait_for_load_state()
    guest.get_by_role("link", name=f"Anmäl dig till {title}").click()
    guest.wait_for_load_state()
    assert_accessible(guest)
    guest.get_by_role("button", name="Skicka anmälan").click()
    guest.wait_for_load_state()
    assert "Din anmälan till" in words(guest.locator(".messages"))
    main = words(guest.locator("main"))
    assert "annan region" in main, "where she would land, and why"
    assert_accessible(guest)
    screenshot(guest, "guest-registration")
    registration_id = int(re.search(r"/(\d+)/?$", guest.url.rstrip("/") + "/").group(1))
    me = guest.request.get("/api/v1/me").json()

    log_in(admin, "kursadmin")
    assert admin.request.get(f"/api/v1/registrations/{registration_id}").status == 200
    owed = admin.request.get("/api/v1/region-invoices").json()
    assert any(
        row["registration_id"] == registration_id and row["region"] == "Västra Götalandsregionen"
        for row in owed
    )
    assert admin.request.get(f"/api/v1/trainees/{me['trainee_id']}").status == 404
    response = admin.goto(f"/st/{me['trainee_id']}/")
    assert response.status == 404
