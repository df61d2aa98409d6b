"""The browser-side guards on every answer and the deploy check (SPEC 7; issue 8, headers)."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from stportal.core.middleware import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[3]


def assert_guarded(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/accounts/login/", 200),
        ("/accounts/password/reset/", 200),
        ("/admin/login/", 302),  # to the one log-in page
        ("/api/v1/openapi.json", 200),
        ("/api/v1/docs", 200),
        ("/api/v1/course-weeks", 401),
        ("/intyg/verifiera/OKAND-KOD/", 404),
        ("/sidan-finns-inte/", 404),
        ("/healthz", 200),
    ],
)
def test_every_kind_of_page_carries_the_security_headers(client, db, path, status):
    """Issue 8 (headers): log-in, admin, API, docs, public and error pages all carry
    Content-Security-Policy without inline scripts, Permissions-Policy and Referrer-Policy."""
    response = client.get(path)
    assert response.status_code == status
    assert_guarded(response)


def test_logged_in_pages_carry_the_headers_and_are_never_stored(client, trainee, course_admin):
    """Issue 8 (log-in): personal pages and exports answer `Cache-Control: no-store`."""
    client.force_login(trainee.user)
    for path in ("/", "/intyg/mina/", "/api/v1/course-weeks"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_guarded(response)
        assert "no-store" in response["Cache-Control"], path


def test_every_api_answer_is_never_stored(client, db):
    """Issue 8 (log-in): the API's answers, errors included, are not kept in caches."""
    for path in ("/api/v1/openapi.json", "/api/v1/course-weeks", "/api/v1/finns-inte"):
        assert client.get(path)["Cache-Control"] == "no-store", path


def test_public_pages_for_anonymous_visitors_may_be_cached(client, db):
    """Issue 8 (log-in): no-store is for personal answers; an anonymous page keeps its own."""
    response = client.get("/healthz")
    assert "Cache-Control" not in response


def test_an_error_page_carries_the_headers(client, db, settings):
    """Issue 8 (headers): a 500 page too (the handler answers through the middleware)."""
    from django.urls import path

    from stportal import urls

    def broken(request):
        raise RuntimeError("broken on purpose")

    class ErrorUrls:
        urlpatterns = [path("trasig/", broken), *urls.urlpatterns]

    settings.ROOT_URLCONF = ErrorUrls
    client.raise_request_exception = False
    response = client.get("/trasig/")
    assert response.status_code == 500
    assert_guarded(response)


def test_templates_hold_no_inline_script_or_style():
    """Issue 8 (headers): the policy forbids inline scripts and styles, so no template of the
    product may hold one (a `<script>` without `src`, a `<style>` or a `style=` attribute, an
    `on…=` handler)."""
    import re

    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>")
    offending = []
    for template in ROOT.joinpath("stportal").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if (
            inline_script.search(text)
            or "<style" in text
            or re.search(r"\sstyle=", text)
            or re.search(r"\son[a-z]+=", text)
        ):
            offending.append(str(template.relative_to(ROOT)))
    assert offending == []


def test_the_policy_allows_only_the_products_own_origin():
    """Issue 8 (headers): nothing from another origin, not even for the API docs."""
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!#%&()*+,-./:;<=>?@[]^_{|}~"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STPORTAL_", "DJANGO_")) and key not in {"DEBUG", "SECURE"}
    }
    env.update(
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        DEBUG="false",
        SECURE="true",
        ALLOWED_HOSTS="st.example.se",
        STPORTAL_DATA_DIR=str(tmp_path),
        **extra,
    )
    env.pop("DATABASE_URL", None)
    return env


def _stportal(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "stportal.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    """Issue 8 (must show 3): `stportal check --deploy` with production settings reports no
    issue, warnings included."""
    result = _stportal(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "31536000 False False"),
        (
            {"STPORTAL_HSTS_INCLUDE_SUBDOMAINS": "true", "STPORTAL_HSTS_PRELOAD": "true"},
            "31536000 True True",
        ),
    ],
)
def test_hsts_subdomains_and_preload_only_by_their_own_settings(tmp_path, extra, expected):
    """Issue 8 (headers): HSTS stays on with SECURE; includeSubDomains and preload follow
    their own settings (default off), and the deploy check stays clean either way."""
    env = _production_env(tmp_path, **extra)
    result = _stportal(
        env,
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)",
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr
    check = _stportal(env, "check", "--deploy", "--fail-level", "WARNING")
    assert check.returncode == 0, check.stdout + check.stderr


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=False,
    SECURE_HSTS_PRELOAD=False,
)
def test_the_hsts_header_names_no_subdomains_by_default(client, db):
    """Issue 8 (headers): over HTTPS the header is sent, without includeSubDomains/preload."""
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
