from __future__ import annotations

from typing import Any, NoReturn

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stportal.accounts import sso, sso_rules
from stportal.accounts.models import User


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """People are created by staff or an HR import, never by self sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def post_login(self, request: HttpRequest, user, **kwargs: Any) -> HttpResponse:
        """A log-in through single sign-on is recorded once it is complete: after the
        second factor, where the person has one."""
        response = super().post_login(request, user, **kwargs)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None:
            sso.record_sso_login(
                actor=user, provider=sociallogin.account.provider, uid=sociallogin.account.uid
            )
        return response

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


# The page that tells a person why single sign-on did not log them in (one text per reason).
REFUSAL_PAGE = "accounts/sso_refused.html"
# The reason beside `sso_rules.Refusal`: linking an identity by hand, which nobody may.
LINK_ON_LOG_IN = "link_on_log_in"


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    """Single sign-on through the region's OpenID Connect provider (SPEC 7).

    1. An identity already linked to an account logs in as that account, found by the
       provider's subject; allauth then asks for the second factor where the account has one.
    2. Otherwise the identity must match exactly one active account by a verified attribute
       (`sso_rules.match_identity`); it is linked to that account and logs in as it.
    3. Anything else is refused with a page that says why; nothing is created, and the
       refusal is recorded in the audit trail.
    """

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        app = sociallogin.provider.app
        match_claim = (app.settings if app else {}).get("match_claim", sso_rules.EMAIL_CLAIM)
        claims = sso.claims_of(sociallogin.account.extra_data)
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # An identity is linked only by matching it at log-in, never by hand.
            self._refuse(request, sociallogin, claims, match_claim, LINK_ON_LOG_IN)
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                self._refuse(request, sociallogin, claims, match_claim, sso_rules.Refusal.INACTIVE)
            return
        match = sso.find_account(claims, match_claim=match_claim)
        if match.user_id is None:
            self._refuse(request, sociallogin, claims, match_claim, str(match.refusal))
        user = User.objects.get(pk=match.user_id)
        sso.link_identity(
            actor=user,
            request=request,
            sociallogin=sociallogin,
            claims=claims,
            match_claim=match_claim,
        )

    def _refuse(self, request, sociallogin, claims, match_claim: str, reason: str) -> NoReturn:
        provider = sociallogin.provider
        sso.record_sso_refused(
            provider=sociallogin.account.provider,
            provider_name=provider.name,
            claims=claims,
            match_claim=match_claim,
            uid=str(sociallogin.account.uid),
            refusal=reason,
        )
        page = render(
            request,
            REFUSAL_PAGE,
            {"reason": reason, "provider_name": provider.name},
            status=403,
        )
        raise ImmediateHttpResponse(page)
