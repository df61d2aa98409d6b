"""Small steps the browser journeys share: log in, check accessibility, take a screenshot."""

from __future__ import annotations

import json

from stportal.browser_tests.conftest import AXE, SCREENSHOTS

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's published password


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form[action$='/accounts/login/'] [type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def serious_accessibility_problems(page) -> list[dict]:
    """axe-core's serious and critical violations on the current page (WCAG 2.1 AA)."""
    # Evaluated through the browser's debugging protocol, which the product's
    # Content-Security-Policy (no inline scripts) does not govern, unlike an added <script>.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page) -> None:
    problems = serious_accessibility_problems(page)
    assert problems == [], json.dumps(problems, indent=2, ensure_ascii=False)


def screenshot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
