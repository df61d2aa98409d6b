"""The trainee's journey through the course programme in the browser (C5–C7, C9–C11, C14):
find the week open for registration, register for two of its courses, follow the waiting
list of the allocated week, accept the offered seat, cancel a confirmed seat inside the
cancellation period after seeing what it costs, and take the courses into a calendar.

The demo gives `stlakare` (the only trainee who can log in) an offer on the first course of
the allocated week, first place on the waiting list of the second, and seats on the others,
confirmed before the cancellation deadline. No other browser test changes those lines.
`stlakare`'s registration for the open week is also made by the keyboard test, so each of
the two starts by cancelling an active one (free: its lines are pending) and then registers
again, which reopens it (C6).
"""

from __future__ import annotations

import re

from icalendar import Calendar

from stportal.browser_tests.helpers import assert_accessible, log_in, screenshot

FEE = "3 000 kr"
EARLIER_COURSES = "De tre sista delkurserna gick jag på LEKA A förra året."


def words(locator) -> str:
    """The visible text with non-breaking and thin spaces as plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", locator.inner_text())


def open_week_card(page):
    """The catalogue's card of the week open for registration: published, with registration
    open (or, when already registered, the notice that says so)."""
    page.goto("/kurser/")
    cards = page.locator("article.week-card:has(.badge--published):has(.notice--open)")
    assert cards.count() == 1, "the demo has one week open for registration"
    return cards.first


def cancel_whole_registration(page, reason: str) -> None:
    """On a registration page: cancel every course, checking the cancellation is free."""
    page.get_by_role("link", name="Avboka delkurser eller lämna reservlistan").click()
    page.get_by_label("Skäl till avbokningen").fill(reason)
    page.get_by_role("button", name="Fortsätt: se vad det kostar").click()
    assert "Avbokningen är kostnadsfri" in words(page.locator("main"))
    page.get_by_role("button", name="Bekräfta avbokning").click()
    page.wait_for_load_state()
    assert "kostnadsfri" in words(page.locator(".messages"))


def make_open_week_free_for_stlakare(page) -> None:
    """Cancel `stlakare`'s registration for the open week if it is active. Registering again
    afterwards reopens the same registration (C6)."""
    card = open_week_card(page)
    if card.get_by_role("link", name="Visa din anmälan").count():
        card.get_by_role("link", name="Visa din anmälan").click()
        cancel_whole_registration(page, "Gör om anmälan i ett test.")


def course_title(row) -> str:
    """The course's title in a row of a registration's lines (without its days)."""
    return row.locator("th").evaluate("th => th.firstChild.textContent.trim()")


def active_lines(page):
    """The rows of a registration's courses that are not cancelled."""
    return page.locator("table.lines-table tbody tr").filter(
        has_not=page.locator(".line-status--cancelled")
    )


def registration_card(page, week_title: str):
    """A card on "Mina anmälningar" by its week's title."""
    return page.locator("article.registration").filter(
        has=page.get_by_role("heading", name=week_title, exact=True)
    )


def test_trainee_registers_follows_the_waiting_list_accepts_cancels_and_exports(page):
    log_in(page, "stlakare")
    make_open_week_free_for_stlakare(page)

    # The catalogue: the open week says so, with its deadline.
    card = open_week_card(page)
    assert "Anmälan är öppen till och med" in words(card)
    week_title = card.locator("h2").inner_text()
    assert_accessible(page)
    screenshot(page, "catalogue")

    # The week: courses, goals of the trainee's curriculum, the fee, a way to register.
    card.get_by_role("link", name=week_title, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == week_title
    main = words(page.locator("main"))
    assert "Delmål i din målbeskrivning (SOSFS 2015:8)" in main
    assert FEE in main
    assert_accessible(page)
    screenshot(page, "week")

    # Register for two courses: untick the rest and say which earlier courses cover them.
    page.get_by_role("link", name=f"Anmäl dig till {week_title}").click()
    boxes = page.locator("input[type=checkbox][name=courses]")
    assert boxes.count() == 5
    assert all(boxes.nth(i).is_checked() for i in range(5)), "the whole week is chosen"
    chosen = [
        page.locator(f"label[for='{boxes.nth(i).get_attribute('id')}']")
        .inner_text()
        .split("\n")[0]
        .strip()
        for i in (0, 1)
    ]
    note = page.get_by_label("Vilka tidigare kurser täcker resten?")
    for index in (2, 3, 4):
        boxes.nth(index).uncheck()
    note.fill(EARLIER_COURSES)
    page.get_by_label("Specialkost").fill("Glutenfri")
    assert_accessible(page)
    screenshot(page, "register")
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_load_state()

    # The confirmation and the registration page: two courses, pending, with the note.
    # (Lines of an earlier, cancelled registration stay on the page, as cancelled, C15.)
    assert "Din anmälan till" in words(page.locator(".messages"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Anmälan till {week_title}"
    lines = active_lines(page)
    assert lines.count() == 2
    for index, title in enumerate(chosen):
        assert title in lines.nth(index).inner_text()
        assert "Anmäld" in lines.nth(index).inner_text()
    assert EARLIER_COURSES in words(page.locator("main"))
    assert_accessible(page)
    screenshot(page, "registration")

    # My registrations: the waiting-list place in the allocated week and the offer.
    page.get_by_role("link", name="Mina anmälningar").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mina anmälningar"
    allocated = page.locator("article.registration").filter(has=page.locator("section.offer"))
    assert allocated.count() == 1, "the allocated week's registration with its offer"
    allocated_title = allocated.locator("h2").inner_text()
    allocated = registration_card(page, allocated_title)
    rows = allocated.locator("tbody tr")
    assert rows.count() == 5
    # The courses in their order: an offer on the first, waiting first in line for the
    # second, seats on the others (the series of the week, and so the titles, follow the
    # season the demo was loaded in).
    offered, waiting, cancelled, kept, _last = (course_title(row) for row in rows.all())
    assert "Erbjuden plats" in words(rows.nth(0))
    assert "Reservlista, plats 1" in words(rows.nth(1))
    for index in (2, 3, 4):
        assert "Bekräftad plats" in words(rows.nth(index))
    assert f"Du erbjuds en plats: {offered}" in words(allocated)
    assert registration_card(page, week_title).count() == 1
    assert_accessible(page)
    screenshot(page, "my-registrations")

    # Accept the offered seat (a POST form): it is confirmed.
    accept = re.compile(rf"^Tacka ja till platsen\s*: {re.escape(offered)}$")
    allocated.get_by_role("button", name=accept).click()
    page.wait_for_load_state()
    assert f"Du har tackat ja till platsen på {offered}" in words(page.locator(".messages"))
    allocated = registration_card(page, allocated_title)
    assert "Bekräftad plats" in words(allocated.locator("tbody tr").nth(0))
    assert "Reservlista, plats 1" in words(allocated.locator("tbody tr").nth(1))
    assert allocated.locator("section.offer").count() == 0

    # Cancel one seat confirmed before the cancellation deadline: the cost comes first.
    allocated.locator("h2 a").click()
    page.get_by_role("link", name="Avboka delkurser eller lämna reservlistan").click()
    for box in page.locator("input[type=checkbox][name=courses]").all():
        label = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text()
        if label.startswith(cancelled):
            box.check()
        else:
            box.uncheck()
    page.get_by_label("Skäl till avbokningen").fill("Jourschemat har ändrats.")
    page.get_by_role("button", name="Fortsätt: se vad det kostar").click()
    warning = page.locator(".fee-box--charged")
    assert warning.count() == 1, "the fee is told before confirming"
    assert FEE in words(warning)
    assert "Hälsocentralen Ersboda" in words(warning)
    assert "Inget är avbokat ännu" in words(page.locator("main"))
    assert_accessible(page)
    screenshot(page, "cancel-fee-warning")
    page.get_by_role("button", name="Bekräfta avbokning").click()
    page.wait_for_load_state()
    assert f"Avbokat: {cancelled}" in words(page.locator(".messages"))
    assert FEE in words(page.locator(".messages"))
    row = page.locator("table.lines-table tbody tr").nth(2)
    assert course_title(row) == cancelled
    assert "Avbokad" in words(row)
    assert f"Utbildningskostnad: {FEE}" in words(row)

    # The calendar file holds the confirmed courses of the week, not the cancelled one.
    answer = page.request.get("/mina-anmalningar/kalender.ics")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert answer.text().startswith("BEGIN:VCALENDAR")
    events = {
        (str(event["SUMMARY"]), event["CATEGORIES"].to_ical().decode().replace("\\,", ","))
        for event in Calendar.from_ical(answer.body()).walk("VEVENT")
    }
    assert (offered, allocated_title) in events
    assert (kept, allocated_title) in events
    assert (cancelled, allocated_title) not in events
    assert (waiting, allocated_title) not in events
