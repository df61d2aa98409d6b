"""Personal API tokens (SPEC 6: `Authorization: Bearer …` for scripts).

Only the SHA-256 digest of a token is stored, so a copy of the database does not hand out
working tokens; the token itself is shown once, when it is issued. A token is looked up by
its digest, which is unique and indexed.

A token expires after `STPORTAL_API_TOKEN_DAYS` days (90 by default) and answers 401 after
that. Tokens are revoked when their owner's password changes (by any path: the password
change and reset pages, the admin, `changepassword`) and when one of the owner's roles is
removed, so that a script never outlives the trust its owner had when it was made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import ApiToken, User
from stportal.core import audit
from stportal.core.errors import NotFound, PermissionDenied

TOKEN_PREFIX = "stp_"
# Recording every use would make each API read a write (on SQLite a queued IMMEDIATE
# transaction); once a minute is precise enough to see which tokens are in use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
DEFAULT_LIFETIME_DAYS = 90


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "API_TOKEN_DAYS", DEFAULT_LIFETIME_DAYS))


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(*, actor: User | None, user: User, now: dt.datetime | None = None) -> str:
    """Create a personal token for `user` and return it; it cannot be shown again."""
    if actor is not None and actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("You may only make API tokens for yourself."))
    now = now or timezone.now()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user,
            digest=digest_of(token),
            prefix=token[len(TOKEN_PREFIX) :][:8],
            expires_at=now + token_lifetime(),
        )
        audit.record(
            actor=actor,
            action="api_token.issued",
            obj=record,
            after={"user": user.pk, "prefix": record.prefix, "expires_at": record.expires_at},
        )
    return token


def revoke_api_token(
    *, actor: User | None, token: ApiToken, now: dt.datetime | None = None, reason: str = ""
) -> None:
    """Revoke one token: its owner, a superuser or a command (`actor=None`) may."""
    if actor is not None and actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied(_("You may only revoke your own API tokens."))
    _revoke(actor=actor, token=token, now=now or timezone.now(), reason=reason)


def _revoke(*, actor: User | None, token: ApiToken, now: dt.datetime, reason: str) -> None:
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
                reason=reason,
            )


def revoke_all_api_tokens(
    *, actor: User | None, user: User, reason: str, now: dt.datetime | None = None
) -> int:
    """Revoke every live token of `user` (a password change, a role removed); the number
    revoked. Called by the services that make those changes, inside their transaction, after
    they have decided that `actor` may make them."""
    now = now or timezone.now()
    with transaction.atomic():
        live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
        for token in live:
            _revoke(actor=actor, token=token, now=now, reason=reason)
    return len(live)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A person's own tokens, newest first (the token page lists only these)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def get_own_token(user: User, token_id: int) -> ApiToken:
    """One of the person's own tokens; another person's token answers like an unknown one."""
    found = tokens_of(user).filter(pk=token_id).first()
    if found is None:
        raise NotFound()
    return found


def user_for_token(token: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user a token belongs to, or None for an unknown, revoked, expired or foreign
    token."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    now = now or timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        # A plain update, not save(): the token row carries no rule, and this must not race
        # with a revocation (it never touches revoked_at).
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
