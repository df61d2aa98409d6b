from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db.models import Q
from django.http import HttpRequest

from stportal.accounts.models import User


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """People are created by staff or an HR import, never by self sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed log-ins count against the account, not against what was typed.

        A person can log in with the user name or the e-mail address, in any letter case; each
        spelling would otherwise have its own ten attempts. A name that matches no account
        keeps its own count, which locks nobody out.
        """
        login = str(credentials.get("email", credentials.get("username", ""))).strip()
        if login:
            match = (
                User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))
                .order_by("pk")
                .values_list("pk", flat=True)[:2]
            )
            if len(match) == 1:
                return f"account:{match[0]}"
        return f"login:{login.lower()}"
