"""The education plan and timeline in the browser (SPEC 5 P11): `stlakare` opens their
education plan, adds a done placement with its goals (a mistake first), sees it on the
server-drawn timeline beside the demo's placements, research and leave, prints the timeline,
and finds the placement in the coverage of the goal; `handledare` reads the plan and the
timeline on a phone. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot
from stportal.core.dates import local_date

TITLE = "Akutmottagningen"
PLACE = "Skellefteå lasarett"


def test_trainee_adds_a_placement_and_sees_it_on_the_timeline_and_in_coverage(page, phone_page):
    today = local_date(timezone.now())

    # 1. stlakare opens their plan: the demo's items, by kind.
    log_in(page, "stlakare")
    page.goto("/utbildningsplan/")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Min utbildningsplan"
    assert page.locator("#section-placement + ul li").count() >= 2
    assert "Föräldraledighet" in page.locator("#section-leave").locator("..").inner_text()
    assert_accessible(page)
    screenshot(page, "plan-trainee")

    # 2. A new placement: marked done before it has ended first; the input stays.
    page.get_by_role("link", name="Lägg till klinisk tjänstgöring").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Lägg till i utbildningsplanen"
    assert page.get_by_label("Typ").input_value() == "placement"
    page.get_by_label(re.compile("^Titel")).fill(TITLE)
    page.get_by_label("Plats (klinik eller enhet)").fill(PLACE)
    page.get_by_label("Start (för ett samtal: dess datum)").fill(
        (today - dt.timedelta(days=100)).isoformat()
    )
    page.get_by_label(re.compile("^Slut")).fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Genomförd").check()
    page.get_by_label("Omfattning i procent av heltid").fill("50")
    page.get_by_label(re.compile("^a3 ")).check()
    page.get_by_label(re.compile("^b2 ")).check()
    page.get_by_role("button", name="Lägg till i planen").click()
    page.wait_for_load_state()
    assert "Något behöver rättas" in page.locator("main").inner_text()
    assert page.get_by_label(re.compile("^Titel")).input_value() == TITLE
    assert page.get_by_label(re.compile("^a3 ")).is_checked()
    assert_accessible(page)
    page.get_by_label(re.compile("^Slut")).fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Lägg till i planen").click()
    page.wait_for_load_state()
    assert f"Tillagt i utbildningsplanen: {TITLE}." in page.locator("main").inner_text()
    added = page.locator("li.plan-item").filter(has_text=TITLE)
    assert "a3" in added.inner_text() and "50 % av heltid" in added.inner_text()

    # 3. The timeline: drawn by the server, the new placement beside the demo's periods.
    page.get_by_role("link", name="Tidslinje över ST").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Min tidslinje"
    svg = page.locator("svg.timeline__svg")
    assert svg.locator("text", has_text="Klinisk tjänstgöring").count() == 1
    assert svg.locator("text", has_text="Föräldraledighet").count() >= 1
    assert svg.locator("text", has_text="Forskning").count() >= 1
    assert svg.locator(".timeline__bar--planned").count() >= 1
    assert svg.locator(".timeline__marker--today").count() == 1
    assert svg.locator("title", has_text=TITLE).count() == 1
    row = page.locator(".timeline-table tbody tr").filter(has_text=TITLE)
    assert "Genomförd" in row.inner_text()
    assert_accessible(page)
    screenshot(page, "plan-timeline")
    page.emulate_media(media="print")
    assert not page.locator(".timeline-table").is_visible()
    assert svg.is_visible()
    screenshot(page, "plan-timeline-print")
    page.emulate_media(media="screen")

    # 4. Coverage: the done placement covers a3.
    page.get_by_role("link", name=re.compile("^Min utbildningsplan")).click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Täckning av delmål och obligatoriska kursämnen").click()
    page.wait_for_load_state()
    goal = page.locator("tbody tr").filter(has=page.locator("th", has_text=re.compile("^a3 ")))
    assert f"Klinisk tjänstgöring: {TITLE}" in goal.inner_text()

    # 5. handledare reads the plan and the timeline on a phone.
    log_in(phone_page, "handledare")
    phone_page.goto("/utbildningsplan/")
    phone_page.wait_for_load_state()
    phone_page.get_by_role("link", name="Utbildningsplan för Sara Berglund").click()
    phone_page.wait_for_load_state()
    assert TITLE in phone_page.locator("main").inner_text()
    assert phone_page.get_by_role("link", name="Registrera ett handledarsamtal").count() == 1
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Tidslinje över ST").click()
    phone_page.wait_for_load_state()
    assert phone_page.locator("svg.timeline__svg title", has_text=TITLE).count() == 1
    assert_accessible(phone_page)
    screenshot(phone_page, "plan-timeline-phone")
