"""Single sign-on in the browser (SPEC 7): the demo served with a region's OpenID Connect
provider configured from the environment, the provider being oidc-provider-mock in a thread.
A known trainee lands on their own start page; an unknown person is told why not and stays
logged out."""

from __future__ import annotations

import json
import urllib.request

import pytest

from stportal.browser_tests.conftest import _journey_page, serving
from stportal.browser_tests.helpers import assert_accessible, screenshot

pytestmark = pytest.mark.browser

PROVIDER_NAME = "Region Exempels inloggning"


@pytest.fixture(scope="module")
def identity_provider():
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        url = f"http://localhost:{server.server_port}"
        # The demo's trainee, as the region's provider knows her, and someone it knows that
        # ST-portalen does not.
        person(url, "sara-berglund", email="stlakare@example.org", email_verified=True)
        person(url, "okand-person", email="okand@example.org", email_verified=True)
        yield url


def person(provider: str, sub: str, **claims) -> None:
    request = urllib.request.Request(  # noqa: S310 - the test's own provider
        f"{provider}/users/{sub}",
        data=json.dumps(claims).encode(),
        headers={"Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        assert answer.status == 204


@pytest.fixture(scope="module")
def sso_server(demo_env, identity_provider):
    """The same demo data, served with single sign-on switched on."""
    env = {
        **demo_env,
        "STPORTAL_OIDC_SERVER_URL": identity_provider,
        "STPORTAL_OIDC_CLIENT_ID": "st-portalen",
        "STPORTAL_OIDC_CLIENT_SECRET": "browser-tests",
        "STPORTAL_OIDC_NAME": PROVIDER_NAME,
    }
    with serving(env) as url:
        yield url


@pytest.fixture
def sso_page(browser, sso_server):
    yield from _journey_page(browser, sso_server, {"width": 1280, "height": 900})


def log_in_at_provider(page, sub: str) -> None:
    page.goto("/accounts/login/")
    assert page.get_by_label("Lösenord").count() == 1  # password log-in stays
    assert_accessible(page)
    screenshot(page, "login-sso")
    page.get_by_role("button", name=f"Logga in med {PROVIDER_NAME}").click()
    page.wait_for_load_state()
    # The provider's own page: who the person is.
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()


def test_the_demo_trainee_logs_in_with_sso_and_lands_on_her_start_page(sso_page, sso_server):
    """The issue's 'must show': log-in through the identity provider lands a known user on
    their start page."""
    log_in_at_provider(sso_page, "sara-berglund")
    assert sso_page.url == f"{sso_server}/"
    main = sso_page.locator("main").inner_text()
    assert "Välkommen, Sara Berglund" in main
    assert "st-läkare" in main.lower()
    assert_accessible(sso_page)
    screenshot(sso_page, "sso-start-page")


def test_an_unknown_person_is_told_why_and_stays_logged_out(sso_page, sso_server):
    log_in_at_provider(sso_page, "okand-person")
    main = sso_page.locator("main").inner_text()
    assert "Du kunde inte loggas in" in main
    assert f"Det finns inget aktivt konto i ST-portalen för identiteten från {PROVIDER_NAME}" in (
        main
    )
    assert_accessible(sso_page)
    sso_page.goto("/")
    assert "/accounts/login/" in sso_page.url
