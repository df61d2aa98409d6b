"""Registering with the keyboard alone (SPEC 7: WCAG 2.1 AA, keyboard usable): log in,
skip to the content, reach the open week, tick and untick courses, recover from an error
and send the registration with Tab, Space and Enter, and never a mouse click. Every element
that takes focus on the way shows it.

Only `stlakare` can log in as a trainee (the demo's generated trainees have no password), and
the trainee journey registers `stlakare` for the open week too. So this test first cancels an
active registration there, by keyboard as well (free: its lines are pending), and registers
again, which reopens it (C6). Either test can run first.
"""

from __future__ import annotations

from stportal.browser_tests.helpers import DEMO_PASSWORD, assert_accessible
from stportal.browser_tests.test_trainee_journey import active_lines, open_week_card, words

# What the focused element is and whether its focus can be seen: an outline or a box shadow.
FOCUSED = """(selector) => {
    const el = document.activeElement;
    if (!el || el === document.body) {
        return {tag: "body", matches: false, visible: false, text: ""};
    }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "none";
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        text: (el.innerText || el.value || el.name || "").trim().slice(0, 80),
        matches: selector ? el.matches(selector) : false,
        visible: outline || shadow,
    };
}"""


class Keyboard:
    """Tab, Space and Enter on one page, checking focus is visible wherever it lands."""

    def __init__(self, page) -> None:
        self.page = page
        self.unseen: list[str] = []

    def focused(self, selector: str = "") -> dict:
        return self.page.evaluate(FOCUSED, selector)

    def tab(self) -> dict:
        self.page.keyboard.press("Tab")
        info = self.focused()
        if not info["visible"]:
            self.unseen.append(f"{self.page.url}: <{info['tag']} id={info['id']}> {info['text']}")
        return info

    def tab_to(self, selector: str, *, limit: int = 60) -> int:
        """Tab until the element matching `selector` has focus; return the number of presses."""
        for presses in range(1, limit + 1):
            self.tab()
            if self.focused(selector)["matches"]:
                return presses
        raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")

    def next_is(self, selector: str) -> None:
        """One Tab moves focus to `selector` (a logical focus order)."""
        self.tab()
        assert self.focused(selector)["matches"], f"after one Tab expected {selector}, got " + str(
            self.focused()
        )

    def enter(self) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def first_is_skip_link(self) -> None:
        """The first Tab on a page lands on the skip link, which is then shown on screen."""
        self.page.keyboard.press("Tab")
        first = self.focused("a.skip-link")
        assert first["matches"], f"the first focusable element is {first}, not the skip link"
        assert first["visible"]
        assert first["text"] == "Hoppa till huvudinnehållet"
        box = self.page.locator("a.skip-link").bounding_box()
        assert box is not None and box["y"] >= 0, "the focused skip link is on screen"

    def skip_to_content(self) -> None:
        """Enter on the skip link moves focus to the main content."""
        self.first_is_skip_link()
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main"


def keyboard_log_in(keys: Keyboard, username: str) -> None:
    page = keys.page
    page.goto("/accounts/login/")
    keys.skip_to_content()
    keys.tab_to("input[name=login]")
    page.keyboard.type(username)
    keys.next_is("input[name=password]")
    page.keyboard.type(DEMO_PASSWORD)
    keys.enter()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def keyboard_cancel_registration(keys: Keyboard, link_selector: str) -> None:
    """From the catalogue: open the registration and cancel every course of it."""
    page = keys.page
    keys.skip_to_content()
    keys.tab_to(link_selector)
    keys.enter()
    keys.tab_to("a[href$='/avboka/']")
    keys.enter()
    keys.tab_to("textarea[name=reason]")
    page.keyboard.type("Gör om anmälan med tangentbordet.")
    keys.next_is("main form button[type=submit]")
    keys.enter()
    assert "Avbokningen är kostnadsfri" in words(page.locator("main"))
    keys.tab_to("button[name=confirm]")
    keys.enter()
    assert "kostnadsfri" in words(page.locator(".messages"))


def test_register_for_the_open_week_with_the_keyboard_only(page):
    keys = Keyboard(page)
    keyboard_log_in(keys, "stlakare")

    card = open_week_card(page)
    week_href = card.locator("h2 a").get_attribute("href")
    week_title = card.locator("h2").inner_text()
    registered = card.locator("a[href^='/anmalningar/']")
    if registered.count():
        keyboard_cancel_registration(keys, f"a[href='{registered.get_attribute('href')}']")
        open_week_card(page)

    # Catalogue → the open week → its registration form.
    keys.skip_to_content()
    keys.tab_to(f"main a[href='{week_href}']")
    keys.enter()
    assert page.get_by_role("heading", level=1).inner_text() == week_title
    keys.skip_to_content()
    keys.tab_to("main a[href$='/anmalan/']")
    keys.enter()
    assert page.get_by_role("heading", level=1).inner_text() == f"Anmäl dig till {week_title}"

    # The form in its natural order: five course boxes, then the fields. Keep the first and
    # the third course; Space unticks the others. (The skip link is not followed here: the
    # form posts to the page's address, and with "#main" in it the answer's focus would go
    # to the main content instead of the error summary.)
    keys.first_is_skip_link()
    keys.tab_to("input[name=courses]")
    boxes = page.locator("input[type=checkbox][name=courses]")
    titles = [
        page.locator(f"label[for='{boxes.nth(i).get_attribute('id')}']")
        .inner_text()
        .split("\n")[0]
        .strip()
        for i in range(boxes.count())
    ]
    assert len(titles) == 5
    for index in range(5):
        if index:
            keys.next_is(f"#{boxes.nth(index).get_attribute('id')}")
        if index not in (0, 2):
            page.keyboard.press("Space")
    assert [boxes.nth(i).is_checked() for i in range(5)] == [True, False, True, False, False]
    # Unticking shows the question about earlier courses; leave it empty for now.
    keys.next_is("textarea[name=earlier_courses_note]")
    keys.next_is("input[name=needs_lodging]")
    page.keyboard.press("Space")
    keys.next_is("input[name=dietary_needs]")
    page.keyboard.type("Vegetarisk")
    keys.next_is("textarea[name=note]")
    page.keyboard.type("Anmäld med tangentbordet.")
    keys.next_is("main form button[type=submit]")
    keys.enter()

    # The error summary takes focus; its link leads to the field with the problem.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Du har inte valt alla delkurser" in words(page.locator("#error-summary"))
    assert_accessible(page)
    keys.next_is("#error-summary a")
    page.keyboard.press("Enter")
    assert keys.focused("textarea[name=earlier_courses_note]")["matches"]
    page.keyboard.type("De övriga delkurserna gick jag på LEKA A förra året.")
    assert [boxes.nth(i).is_checked() for i in range(5)] == [True, False, True, False, False]
    keys.tab_to("main form button[type=submit]")
    keys.enter()

    # The registration: the two courses, lodging and the diet, as typed.
    assert "Din anmälan till" in words(page.locator(".messages"))
    lines = active_lines(page)
    assert lines.count() == 2
    assert titles[0] in lines.nth(0).inner_text()
    assert titles[2] in lines.nth(1).inner_text()
    details = words(page.locator("main"))
    lodging = page.locator("dl.facts div").filter(has=page.locator("dt", has_text="Logi"))
    assert lodging.locator("dd").inner_text() == "Önskas"
    assert "Vegetarisk" in details
    assert "De övriga delkurserna gick jag på LEKA A förra året." in details

    assert keys.unseen == [], "focus was not visible on:\n" + "\n".join(keys.unseen)
