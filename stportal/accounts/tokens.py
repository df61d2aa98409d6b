"""Personal API tokens (SPEC 6: `Authorization: Bearer …` for scripts).

Only the SHA-256 digest of a token is stored, so a copy of the database does not hand out
working tokens; the token itself is shown once, when it is issued. A token is looked up by
its digest, which is unique and indexed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from stportal.accounts.models import ApiToken, User
from stportal.core import audit

TOKEN_PREFIX = "stp_"
# Recording every use would make each API read a write (on SQLite a queued IMMEDIATE
# transaction); once a minute is precise enough to see which tokens are in use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(*, actor: User | None, user: User) -> str:
    """Create a personal token for `user` and return it; it cannot be shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user, digest=digest_of(token), prefix=token[len(TOKEN_PREFIX) :][:8]
        )
        audit.record(
            actor=actor,
            action="api_token.issued",
            obj=record,
            after={"user": user.pk, "prefix": record.prefix},
        )
    return token


def revoke_api_token(
    *, actor: User | None, token: ApiToken, now: dt.datetime | None = None
) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        # Compare-and-swap: revoking twice is not an error, and changes nothing the second time.
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if changed:
            audit.record(
                actor=actor,
                action="api_token.revoked",
                obj=token,
                after={"revoked_at": now},
            )


def user_for_token(token: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user a token belongs to, or None for an unknown, revoked or foreign token."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(token), revoked_at__isnull=True)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    now = now or timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        # A plain update, not save(): the token row carries no rule, and this must not race
        # with a revocation (it never touches revoked_at).
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
