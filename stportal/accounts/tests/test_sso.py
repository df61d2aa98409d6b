"""Single sign-on through an OpenID Connect identity provider (SPEC 7), the whole round trip
without a browser: the product served by the test server, a real provider (oidc-provider-mock)
in a thread, and a person's HTTP session going back and forth between the two as a browser
would. No self sign-up: only an identity that matches an existing active account by a verified
attribute logs in, and allauth's second factor still applies."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.socialaccount.models import SocialAccount
from django.test import override_settings
from oidc_provider_mock import run_server_in_thread

from stportal.accounts.models import User
from stportal.core.models import AuditEvent
from stportal.curricula.seed import load_seed
from stportal.testing import factories

pytestmark = pytest.mark.django_db(transaction=True)

PROVIDER_NAME = "Region Testlands inloggning"


def sso_settings(server_url: str, match_claim: str = "email") -> dict:
    """SOCIALACCOUNT_PROVIDERS as settings.py builds it from the STPORTAL_OIDC_* variables."""
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "region",
                    "name": PROVIDER_NAME,
                    "client_id": "st-portalen",
                    "secret": "test-secret",
                    "settings": {"server_url": server_url, "match_claim": match_claim},
                }
            ],
        }
    }


@pytest.fixture(scope="module")
def provider():
    """The identity provider, for the whole module; each test adds the people it needs."""
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(provider, transactional_db):
    # A transactional test before this one emptied the tables, the migration's seed with them.
    load_seed()
    with override_settings(
        SOCIALACCOUNT_PROVIDERS=sso_settings(provider), CSP_FORM_ACTION_ORIGINS=[provider]
    ):
        yield provider


def person_at_provider(provider: str, sub: str, **claims) -> None:
    answer = requests.put(f"{provider}/users/{sub}", json=claims, timeout=10)
    assert answer.status_code == 204


def trainee_named(first: str, last: str, email: str) -> User:
    profile = factories.TraineeFactory(
        user__username=email.split("@")[0],
        user__email=email,
        user__first_name=first,
        user__last_name=last,
    )
    return profile.user


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def log_in_with_sso(site: str, sub: str) -> tuple[requests.Session, requests.Response]:
    """As a person does: the log-in page, its single sign-on button, the provider's page
    (where they say who they are), and back; the last answer and the session."""
    session = requests.Session()
    page = session.get(f"{site}/accounts/login/", timeout=10)
    button = re.search(
        r'<form class="form" method="post" action="([^"]+)">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)">\s*<button[^>]*>([^<]+)</button>',
        page.text,
    )
    assert button, "the log-in page shows no single sign-on button"
    assert button.group(3).strip() == f"Logga in med {PROVIDER_NAME}"
    at_provider = session.post(
        site + unescape(button.group(1)),
        data={"csrfmiddlewaretoken": button.group(2)},
        timeout=10,
    )
    assert "Authorize" in at_provider.text, at_provider.text[:500]
    back = session.post(at_provider.url, data={"sub": sub}, timeout=20)
    return session, back


def test_a_known_trainee_logs_in_with_sso_and_lands_on_their_start_page(live_server, sso):
    """The issue's 'must show': a known trainee, by their verified e-mail address, lands on
    their own start page; the identity is linked to the account, and the log-in recorded."""
    sara = trainee_named("Sara", "Berglund", "sara.berglund@region.example")
    person_at_provider(sso, "sara-sub", email="Sara.Berglund@Region.Example", email_verified=True)
    session, start = log_in_with_sso(live_server.url, "sara-sub")
    assert start.url == f"{live_server.url}/"
    assert "Välkommen, Sara Berglund" in start.text
    assert "ST-läkare" in start.text
    link = SocialAccount.objects.get(provider="region", uid="sara-sub")
    assert link.user == sara
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(sara.pk))
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions[-2:] == [("user.sso_linked", sara.pk), ("user.sso_logged_in", sara.pk)]
    assert User.objects.count() == 1


def test_later_log_ins_find_the_account_by_the_providers_subject(live_server, sso):
    """Once linked, the subject finds the account even if the address at the provider
    changes."""
    sara = trainee_named("Sara", "Berglund", "sara@region.example")
    person_at_provider(sso, "sara-2", email="sara@region.example", email_verified=True)
    log_in_with_sso(live_server.url, "sara-2")
    person_at_provider(sso, "sara-2", email="sara.new@region.example", email_verified=True)
    _session, start = log_in_with_sso(live_server.url, "sara-2")
    assert "Välkommen, Sara Berglund" in start.text
    assert SocialAccount.objects.filter(user=sara).count() == 1


def test_an_unknown_person_is_refused_not_logged_in_and_nothing_is_made(live_server, sso):
    trainee_named("Sara", "Berglund", "sara@region.example")
    person_at_provider(sso, "stranger", email="nobody@region.example", email_verified=True)
    session, answer = log_in_with_sso(live_server.url, "stranger")
    assert answer.status_code == 403
    assert "Du kunde inte loggas in" in answer.text
    assert f"Det finns inget aktivt konto i ST-portalen för identiteten från {PROVIDER_NAME}" in (
        answer.text
    )
    assert session.get(f"{live_server.url}/", timeout=10).url.startswith(
        f"{live_server.url}/accounts/login/"
    )
    assert User.objects.count() == 1
    assert not SocialAccount.objects.exists()
    refusal = AuditEvent.objects.get(action="sso.refused")
    assert refusal.object_id == "region"
    assert refusal.after == {
        "reason": "unknown",
        "claim": "email",
        "value": "nobody@region.example",
        "subject": "stranger",
    }


def test_an_address_the_provider_does_not_vouch_for_is_refused(live_server, sso):
    trainee_named("Sara", "Berglund", "sara@region.example")
    person_at_provider(sso, "typed-in", email="sara@region.example", email_verified=False)
    session, answer = log_in_with_sso(live_server.url, "typed-in")
    assert answer.status_code == 403
    assert "bekräftade inte den e-postadress" in answer.text
    assert not SocialAccount.objects.exists()
    assert AuditEvent.objects.get(action="sso.refused").after["reason"] == "unverified"


def test_a_switched_off_account_is_refused_even_once_linked(live_server, sso):
    sara = trainee_named("Sara", "Berglund", "sara@region.example")
    person_at_provider(sso, "sara-3", email="sara@region.example", email_verified=True)
    log_in_with_sso(live_server.url, "sara-3")
    User.objects.filter(pk=sara.pk).update(is_active=False)
    session, answer = log_in_with_sso(live_server.url, "sara-3")
    assert answer.status_code == 403
    assert "Det finns inget aktivt konto" in answer.text
    assert AuditEvent.objects.get(action="sso.refused").after["reason"] == "inactive"


def test_no_personal_identity_number_reaches_the_audit_trail(live_server, sso):
    """A provider whose subject is a personal identity number: the refusal keeps it masked."""
    person_at_provider(sso, "19900101-1234", email="x@region.example", email_verified=True)
    log_in_with_sso(live_server.url, "19900101-1234")
    refusal = AuditEvent.objects.get(action="sso.refused")
    assert "19900101" not in str(refusal.after)
    assert refusal.after["subject"] == "[personnummer]"


def test_a_person_with_two_factor_log_in_still_gives_their_code(live_server, sso):
    """allauth's second factor applies to single sign-on as to the password: the person is
    not logged in until they give the authenticator app's code."""
    sara = trainee_named("Sara", "Berglund", "sara@region.example")
    secret = generate_totp_secret()
    TOTP.activate(sara, secret)
    assert Authenticator.objects.filter(user=sara).exists()
    person_at_provider(sso, "sara-mfa", email="sara@region.example", email_verified=True)
    session, answer = log_in_with_sso(live_server.url, "sara-mfa")
    assert answer.url == f"{live_server.url}/accounts/2fa/authenticate/"
    # Not logged in yet: the start page sends them back to give the code.
    home = session.get(f"{live_server.url}/", timeout=10)
    assert home.url == f"{live_server.url}/accounts/2fa/authenticate/"
    assert "Välkommen" not in home.text
    assert not AuditEvent.objects.filter(action="user.sso_logged_in").exists()
    page = session.get(f"{live_server.url}/accounts/2fa/authenticate/", timeout=10)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    start = session.post(
        f"{live_server.url}/accounts/2fa/authenticate/",
        data={"csrfmiddlewaretoken": _csrf(page.text), "code": code},
        timeout=10,
    )
    assert start.url == f"{live_server.url}/"
    assert "Välkommen, Sara Berglund" in start.text
    assert AuditEvent.objects.filter(action="user.sso_logged_in", actor=sara).exists()


def test_a_logged_in_person_cannot_link_another_identity_by_hand(live_server, sso):
    """An identity is linked only by matching it at log-in: allauth's own "connect" is
    refused, so nobody ties a colleague's identity to their account."""
    trainee_named("Sara", "Berglund", "sara@region.example")
    person_at_provider(sso, "sara-4", email="sara@region.example", email_verified=True)
    person_at_provider(sso, "colleague", email="olle@region.example", email_verified=True)
    session, _start = log_in_with_sso(live_server.url, "sara-4")
    page = session.get(f"{live_server.url}/accounts/3rdparty/", timeout=10)
    at_provider = session.post(
        f"{live_server.url}/accounts/oidc/region/login/",
        data={"csrfmiddlewaretoken": _csrf(page.text), "process": "connect"},
        timeout=10,
    )
    answer = session.post(at_provider.url, data={"sub": "colleague"}, timeout=20)
    assert answer.status_code == 403
    assert "kopplas till ditt konto första gången du loggar in" in answer.text
    assert not SocialAccount.objects.filter(uid="colleague").exists()
    assert AuditEvent.objects.get(action="sso.refused").after["reason"] == "link_on_log_in"


def test_the_log_in_page_has_no_sso_button_when_it_is_not_configured(client, db):
    with override_settings(SOCIALACCOUNT_PROVIDERS={}, CSP_FORM_ACTION_ORIGINS=[]):
        answer = client.get("/accounts/login/")
    page = answer.content.decode()
    assert "Logga in med" in page  # the password form's own lead
    assert "/accounts/oidc/" not in page
    assert "form-action 'self';" in answer["Content-Security-Policy"]


def test_the_pages_let_a_form_lead_to_the_identity_provider_and_nowhere_else(client, db):
    """The button posts to the product, whose answer redirects to the provider: browsers hold
    that redirect to the policy's form-action too."""
    with override_settings(CSP_FORM_ACTION_ORIGINS=["https://login.region.example"]):
        policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "form-action 'self' https://login.region.example;" in policy
    assert "default-src 'self';" in policy
