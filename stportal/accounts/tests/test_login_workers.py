"""Failed log-ins counted across worker processes (security review finding 6).

`stportal serve --workers 2` on its own SQLite file, attacked over fresh connections, two at a
time so both workers answer: the count must be one, shared by every worker.
"""

from __future__ import annotations

import html
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "ett-långt-lösenord-2026"  # noqa: S105


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stportal(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "stportal.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """The production server with two workers on a fresh SQLite database with one user."""
    data = tmp_path_factory.mktemp("two-workers")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STPORTAL_") and key not in {"DATABASE_URL", "DEBUG", "SECURE"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="false",
        STPORTAL_DATA_DIR=str(data),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    _stportal(env, "migrate", "--no-input")
    _stportal(
        env,
        "shell",
        "-c",
        "from stportal.accounts.models import User; "
        f"User.objects.create_user('anna', 'anna@example.org', {PASSWORD!r})",
    )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "stportal.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def attempt(url: str, login: str, password: str) -> tuple[str, str]:
    """One log-in as a browser makes it, over new connections: the form, then the post.
    Returns the address it ended on and the page."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(f"{url}/accounts/login/", timeout=60) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    assert token
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": login, "password": password}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - our own test server
        f"{url}/accounts/login/", data=body, headers={"Referer": f"{url}/accounts/login/"}
    )
    with opener.open(request, timeout=60) as answer:
        return answer.geturl(), html.unescape(answer.read().decode())


def test_the_eleventh_attempt_is_refused_whichever_worker_answers(two_workers):
    """Security review finding 6: with 2 workers the 11th wrong password went through again,
    as each worker counted in its own memory. Ten wrong passwords, two at a time so both
    workers answer; then the right password is refused, again and again."""
    with translation.override("sv"):
        locked = str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])
    login_url = f"{two_workers}/accounts/login/"
    with ThreadPoolExecutor(max_workers=2) as pool:
        wrong = list(pool.map(lambda n: attempt(two_workers, "anna", f"fel-{n}"), range(10)))
        for ended_on, page in wrong:
            assert ended_on == login_url
            assert locked not in page
        right = list(pool.map(lambda n: attempt(two_workers, "anna", PASSWORD), range(4)))
    for ended_on, page in right:
        assert ended_on == login_url  # not let in
        assert locked in page
