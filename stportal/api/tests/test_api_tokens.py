"""Personal API tokens and `stportal apitoken USERNAME` (Appendix A, command line)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from stportal.accounts.models import ApiToken
from stportal.accounts.tokens import digest_of, issue_api_token, user_for_token
from stportal.core.models import AuditEvent


def run_apitoken(username: str) -> list[str]:
    out = io.StringIO()
    call_command("apitoken", username, stdout=out)
    return out.getvalue().strip().splitlines()


def test_apitoken_prints_a_token_alone_on_the_last_line_that_authenticates(api, course_admin):
    lines = run_apitoken(course_admin.username)
    token = lines[-1]
    assert token == token.strip() and " " not in token
    response = api.get("me", token=token)
    assert response.status_code == 200
    assert response.json()["username"] == course_admin.username


def test_apitoken_stores_only_a_digest_and_audits_the_issue(course_admin):
    token = run_apitoken(course_admin.username)[-1]
    stored = ApiToken.objects.get(user=course_admin)
    assert stored.digest == digest_of(token)
    assert not ApiToken.objects.filter(digest=token).exists()
    assert AuditEvent.objects.filter(action="api_token.issued", object_id=str(stored.pk)).exists()


def test_each_run_gives_a_new_token_and_both_work(course_admin):
    first, second = run_apitoken(course_admin.username)[-1], run_apitoken(course_admin.username)[-1]
    assert first != second
    assert user_for_token(first) == course_admin == user_for_token(second)


def test_apitoken_for_an_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError):
        run_apitoken("nobody")


def test_token_use_is_recorded_at_most_once_a_minute(course_admin, frozen_time):
    token = issue_api_token(actor=None, user=course_admin)
    user_for_token(token)
    first = ApiToken.objects.get(user=course_admin).last_used_at
    frozen_time.shift(30)
    user_for_token(token)
    assert ApiToken.objects.get(user=course_admin).last_used_at == first
    frozen_time.shift(60)
    user_for_token(token)
    assert ApiToken.objects.get(user=course_admin).last_used_at > first


def test_a_token_expires_after_its_lifetime_and_then_answers_401(
    api, course_admin, frozen_time, settings
):
    """Security review (API tokens): a token works for STPORTAL_API_TOKEN_DAYS days only."""
    settings.API_TOKEN_DAYS = 90
    token = issue_api_token(actor=None, user=course_admin)
    stored = ApiToken.objects.get(user=course_admin)
    assert stored.expires_at - stored.created_at == dt.timedelta(days=90)
    frozen_time.shift(dt.timedelta(days=89))
    assert api.get("me", token=token).status_code == 200
    frozen_time.shift(dt.timedelta(days=2))
    response = api.get("me", token=token)
    assert response.status_code == 401


def test_token_lifetime_follows_the_setting(course_admin, settings):
    settings.API_TOKEN_DAYS = 7
    issue_api_token(actor=None, user=course_admin)
    stored = ApiToken.objects.get(user=course_admin)
    assert stored.expires_at - stored.created_at == dt.timedelta(days=7)


def test_changing_the_password_on_the_password_page_revokes_every_token(api, client, course_admin):
    """Security review (API tokens): a password change ends every script's access."""
    course_admin.set_password("gammalt lösenord 1")
    course_admin.save()
    token = issue_api_token(actor=None, user=course_admin)
    client.force_login(course_admin)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "gammalt lösenord 1",
            "password1": "ett helt nytt lösenord 2",
            "password2": "ett helt nytt lösenord 2",
        },
    )
    assert response.status_code == 302
    assert api.get("me", token=token).status_code == 401
    revoked = AuditEvent.objects.get(action="api_token.revoked")
    assert revoked.reason == "password_changed"


def test_a_password_reset_revokes_every_token(api, course_admin):
    """Every path that sets a password (allauth's reset saves through `set_password`)."""
    token = issue_api_token(actor=None, user=course_admin)
    course_admin.set_password("återställt lösenord 3")
    course_admin.save()
    assert api.get("me", token=token).status_code == 401


def test_removing_a_role_revokes_the_persons_tokens(api, course_admin, region):
    from stportal.accounts import services
    from stportal.accounts.models import Role, RoleAssignment
    from stportal.testing import factories

    person = factories.user_with_role(Role.COURSE_LEADER, region=region, username="ledare")
    token = issue_api_token(actor=None, user=person)
    assert api.get("me", token=token).status_code == 200
    services.revoke_role(actor=course_admin, assignment=RoleAssignment.objects.get(user=person))
    assert api.get("me", token=token).status_code == 401
