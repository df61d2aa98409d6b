"""Which account a single sign-on identity belongs to (SPEC 7: optional OpenID Connect log-in).

Plain data in, a decision out. The claims the region's identity provider sent about the person,
and the accounts whose log-in field holds the claimed value; the one account to log in, or why
there is none. Nobody signs themself up (people come from HR imports and staff): an identity
that matches no active account is refused, never created.

Only a verified attribute is trusted. With the default claim, `email`, the provider must also
say `email_verified: true` (an address a person typed in at the provider proves nothing). Any
other claim is matched against the user name, and is trusted as the provider states it unless
the provider itself says it is unverified (`<claim>_verified: false`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

EMAIL_CLAIM = "email"


class Refusal(StrEnum):
    MISSING = "missing"  # the provider did not send the claim
    UNVERIFIED = "unverified"  # the provider did not vouch for it
    UNKNOWN = "unknown"  # no account holds it
    INACTIVE = "inactive"  # only accounts that are switched off hold it
    AMBIGUOUS = "ambiguous"  # more than one active account holds it


@dataclass(frozen=True)
class Account:
    user_id: int
    value: str  # the account's e-mail address, or its user name
    active: bool


@dataclass(frozen=True)
class Match:
    user_id: int | None
    refusal: Refusal | None


def account_field(match_claim: str) -> str:
    """The field of the account that the claim is compared with."""
    return "email" if match_claim == EMAIL_CLAIM else "username"


def claimed_value(claims: Mapping[str, object], match_claim: str) -> str:
    """The value the identity claims ('' when the claim is missing or not text)."""
    value = claims.get(match_claim)
    return value.strip() if isinstance(value, str) else ""


def _is_true(value: object) -> bool:
    # Some providers send the flag as the text "true".
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def is_verified(claims: Mapping[str, object], match_claim: str) -> bool:
    flag = f"{match_claim}_verified"
    if match_claim == EMAIL_CLAIM:
        return _is_true(claims.get(flag))
    return flag not in claims or _is_true(claims.get(flag))


def match_identity(
    claims: Mapping[str, object], *, match_claim: str, accounts: Sequence[Account]
) -> Match:
    """The account the identity is: the one active account whose field equals the verified
    claimed value, ignoring letter case; otherwise no account and the reason."""
    value = claimed_value(claims, match_claim)
    if not value:
        return Match(None, Refusal.MISSING)
    if not is_verified(claims, match_claim):
        return Match(None, Refusal.UNVERIFIED)
    same = [account for account in accounts if account.value.strip().lower() == value.lower()]
    if not same:
        return Match(None, Refusal.UNKNOWN)
    active = [account for account in same if account.active]
    if not active:
        return Match(None, Refusal.INACTIVE)
    if len(active) > 1:
        return Match(None, Refusal.AMBIGUOUS)
    return Match(active[0].user_id, None)
