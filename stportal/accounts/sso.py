"""Single sign-on through the region's OpenID Connect provider (SPEC 7), around the pure rule
in `sso_rules`: finding the accounts a claimed value points at, linking an identity to its
account on its first log-in, and the audit events of log-ins and refusals.

django-allauth runs the protocol (discovery, PKCE, the signed ID token); `adapters` calls this.
No personal identity number reaches the audit trail: what an identity claims is stored with
any such number masked, whatever the region's provider sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from stportal.accounts import sso_rules
from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.requestlog import mask_personal_ids

# The object of a refusal's audit event: the provider, as no account is involved.
PROVIDER_OBJECT_TYPE = "sso.provider"


def claims_of(extra_data: Mapping[str, Any] | None) -> dict[str, object]:
    """The claims allauth received: the signed ID token's, overlaid with the user info
    endpoint's (allauth keeps both; the user info is the fuller)."""
    data = dict(extra_data or {})
    claims: dict[str, object] = {}
    for part in ("id_token", "userinfo"):
        if isinstance(data.get(part), Mapping):
            claims.update(data[part])
    return claims or data


def find_account(claims: Mapping[str, object], *, match_claim: str) -> sso_rules.Match:
    """The account the identity belongs to, or why none (`sso_rules.match_identity`)."""
    value = sso_rules.claimed_value(claims, match_claim)
    field = sso_rules.account_field(match_claim)
    accounts: list[sso_rules.Account] = []
    if value:
        rows = (
            User.objects.filter(**{f"{field}__iexact": value})
            .order_by("pk")
            .values_list("pk", field, "is_active")
        )
        accounts = [sso_rules.Account(pk, found or "", active) for pk, found, active in rows]
    return sso_rules.match_identity(claims, match_claim=match_claim, accounts=accounts)


def _identity(claims: Mapping[str, object], match_claim: str, uid: str) -> dict[str, str]:
    return {
        "claim": match_claim,
        "value": mask_personal_ids(sso_rules.claimed_value(claims, match_claim)),
        "subject": mask_personal_ids(uid),
    }


def link_identity(
    *, actor: User, request: Any, sociallogin: Any, claims: Mapping[str, object], match_claim: str
) -> None:
    """The identity's first log-in matched `actor`'s account: link the two, so that later
    log-ins find the account by the provider's subject (`sub`) alone."""
    with transaction.atomic():
        sociallogin.connect(request, actor)
        audit.record(
            actor=actor,
            action="user.sso_linked",
            obj=actor,
            after={
                "provider": sociallogin.account.provider,
                **_identity(claims, match_claim, str(sociallogin.account.uid)),
            },
        )


def record_sso_login(*, actor: User, provider: str, uid: str) -> None:
    """A completed log-in through single sign-on (after any second factor)."""
    audit.record(
        actor=actor,
        action="user.sso_logged_in",
        obj=actor,
        after={"provider": provider, "subject": mask_personal_ids(uid)},
    )


def record_sso_refused(
    *,
    provider: str,
    provider_name: str,
    claims: Mapping[str, object],
    match_claim: str,
    uid: str,
    refusal: str,
) -> None:
    """An identity the provider vouched for that no account here may be logged in as."""
    audit.record_many(
        [
            audit.event(
                actor=None,
                action="sso.refused",
                object_type=PROVIDER_OBJECT_TYPE,
                object_id=provider,
                object_repr=provider_name,
                after={"reason": refusal, **_identity(claims, match_claim, uid)},
            )
        ]
    )
