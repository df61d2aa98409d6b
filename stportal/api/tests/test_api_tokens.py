"""Personal API tokens and `stportal apitoken USERNAME` (Appendix A, command line)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

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
