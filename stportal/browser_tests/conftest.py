"""Browser tests: the demo served by the production server, driven in Debian's Chromium by
Playwright, with axe-core checking every page (SPEC 7).

They skip with a clear message where Chromium, Playwright or axe-core is missing; `.ci/run`
installs them and sets STPORTAL_REQUIRE_BROWSER=1, which turns a skip into a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("STPORTAL_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
STPORTAL = [sys.executable, "-m", "stportal.cli"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not AXE.exists():
        return "axe-core is not installed (npm install)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("STPORTAL_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"browser tests are required but cannot run: {reason}")
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if "browser_tests" in str(item.fspath):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory) -> dict[str, str]:
    """The demo as a new user gets it: `stportal demo` data in a folder of its own, and the
    environment that serves it.

    It runs on its own SQLite file, whatever database the rest of the suite uses.
    """
    data = tmp_path_factory.mktemp("demo-data")
    env = {
        **os.environ,
        "STPORTAL_DATA_DIR": str(data),
        "DEBUG": "true",
        "SECRET_KEY": "browser-tests",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DATABASE_URL", None)
    env = {key: value for key, value in env.items() if not key.startswith("STPORTAL_OIDC_")}
    subprocess.run(  # noqa: S603 - our own command line
        [*STPORTAL, "demo", "--no-serve"], env=env, check=True, capture_output=True, cwd=ROOT
    )
    return env


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """The product served by `stportal serve` with `env`, until the block ends; its address."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [*STPORTAL, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError("the demo server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="session")
def demo_server(demo_env):
    """The demo served by the production server."""
    with serving(demo_env) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _journey_page(browser, demo_server, viewport: dict[str, int]):
    """A fresh browser context; the journey fails if the Content-Security-Policy blocked
    anything the page needed."""
    context = browser.new_context(base_url=demo_server, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert blocked == [], blocked


@pytest.fixture
def page(browser, demo_server):
    yield from _journey_page(browser, demo_server, {"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser, demo_server):
    yield from _journey_page(browser, demo_server, {"width": 390, "height": 844})


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder():
    """Screenshots of the main pages land in screenshots/ (the README shows a few)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    yield
