"""Single sign-on is configured from the environment only (STYLE rule 7), off unless
STPORTAL_OIDC_SERVER_URL is set, and a wrong value stops the start instead of half working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.SOCIALACCOUNT_PROVIDERS, settings.CSP_FORM_ACTION_ORIGINS]))"
)


def settings_with(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("STPORTAL_OIDC_")}
    base.update(DJANGO_SETTINGS_MODULE="stportal.settings", SECRET_KEY="settings-test")
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", READ],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_single_sign_on_is_off_without_a_provider_address():
    answer = settings_with()
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout) == [{}, []]


def test_the_providers_settings_come_from_the_environment():
    answer = settings_with(
        STPORTAL_OIDC_SERVER_URL="https://login.region.example/realms/vard/",
        STPORTAL_OIDC_CLIENT_ID="st-portalen",
        STPORTAL_OIDC_CLIENT_SECRET="s3cret",
        STPORTAL_OIDC_NAME="Region Exempels inloggning",
    )
    assert answer.returncode == 0, answer.stderr
    providers, form_origins = json.loads(answer.stdout)
    (app,) = providers["openid_connect"]["APPS"]
    assert app == {
        "provider_id": "region",
        "name": "Region Exempels inloggning",
        "client_id": "st-portalen",
        "secret": "s3cret",
        "settings": {
            "server_url": "https://login.region.example/realms/vard",
            "match_claim": "email",
        },
    }
    # The log-in button's form leads to the provider: the page's policy lets it.
    assert form_origins == ["https://login.region.example"]


def test_a_provider_without_tls_or_without_a_client_id_stops_the_start():
    plain = settings_with(
        STPORTAL_OIDC_SERVER_URL="http://login.region.example", STPORTAL_OIDC_CLIENT_ID="x"
    )
    assert plain.returncode != 0
    assert "STPORTAL_OIDC_SERVER_URL must be an https:// address" in plain.stderr
    nameless = settings_with(STPORTAL_OIDC_SERVER_URL="https://login.region.example")
    assert nameless.returncode != 0
    assert "STPORTAL_OIDC_CLIENT_ID must be set" in nameless.stderr
