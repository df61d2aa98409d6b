"""The page where a person lists, makes and revokes their own API tokens (security review:
API tokens)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stportal.accounts.models import ApiToken
from stportal.accounts.tokens import issue_api_token, user_for_token
from stportal.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PAGE = "accounts:api_tokens"


def test_the_page_lists_only_ones_own_tokens(client, trainee, course_admin):
    issue_api_token(actor=None, user=trainee.user)
    issue_api_token(actor=None, user=course_admin)
    mine = ApiToken.objects.get(user=trainee.user)
    theirs = ApiToken.objects.get(user=course_admin)
    client.force_login(trainee.user)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mina API-nycklar" in html
    assert f"stp_{mine.prefix}" in html and f"stp_{theirs.prefix}" not in html
    assert "no-store" in response["Cache-Control"]
    assert reverse(PAGE) in client.get("/").content.decode()  # in the menu


def test_a_new_token_is_shown_once_and_works(client, trainee):
    client.force_login(trainee.user)
    response = client.post(reverse(PAGE))
    assert response.status_code == 200
    token = response.context["new_token"]
    assert token in response.content.decode()
    assert user_for_token(token) == trainee.user
    assert token not in client.get(reverse(PAGE)).content.decode()
    assert AuditEvent.objects.filter(action="api_token.issued", actor=trainee.user).exists()


def test_revoking_ones_own_token(client, trainee):
    token = issue_api_token(actor=None, user=trainee.user)
    stored = ApiToken.objects.get(user=trainee.user)
    client.force_login(trainee.user)
    url = reverse("accounts:revoke_api_token", args=[stored.pk])
    assert client.get(url).status_code == 405  # a change is posted
    response = client.post(url)
    assert response.status_code == 302
    assert user_for_token(token) is None
    stored.refresh_from_db()
    assert stored.revoked_at is not None


def test_another_persons_token_answers_404_and_stays_valid(client, trainee, course_admin):
    """Own tokens only: another person's token id answers as if it did not exist."""
    token = issue_api_token(actor=None, user=course_admin)
    theirs = ApiToken.objects.get(user=course_admin)
    client.force_login(trainee.user)
    url = reverse("accounts:revoke_api_token", args=[theirs.pk])
    assert client.post(url).status_code == 404
    assert client.post(reverse("accounts:revoke_api_token", args=[99999])).status_code == 404
    assert user_for_token(token) == course_admin


def test_the_page_needs_a_log_in(client, db):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
