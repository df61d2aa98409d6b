"""Who is calling (Appendix A): a personal token (`Authorization: Bearer …`) or the browser
session. No credentials, or a bad token, answer 401.

Staff endpoints use `STAFF_AUTH`, which also refuses (403) a caller who is course admin or
regional study director nowhere, before the request body is even read: a trainee gets 403 on
every staff endpoint whatever they send. Which region's objects staff may touch is decided
per object by the selectors (404 for another region's).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from stportal.accounts.models import User
from stportal.accounts.roles import is_staff_anywhere
from stportal.accounts.tokens import user_for_token
from stportal.core.errors import PermissionDenied, ServiceError


def _check_role(user: User, staff_only: bool) -> User:
    if staff_only and not is_staff_anywhere(user):
        raise PermissionDenied(_("Only course administrators and study directors may do this."))
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. A token that is given but not valid is refused even if a
    session cookie comes along: a script must learn its token is wrong."""

    def __init__(self, *, staff_only: bool = False) -> None:
        self.staff_only = staff_only
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(token.strip())
        if user is None:
            raise AuthenticationError()
        # The audit history of reference data (simple_history) reads the user from the request.
        request.user = user
        return _check_role(user, self.staff_only)


class SessionAuth(APIKeyCookie):
    """The browser's Django session. Unsafe methods need the CSRF token (the cookie alone is an
    ambient credential); an anonymous request is simply not authenticated (401), not a CSRF
    failure."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, *, staff_only: bool = False) -> None:
        self.staff_only = staff_only
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ServiceError(
                "csrf_failed",
                _("The form has expired or lacks its security token. Reload the page."),
                status=403,
            )
        return request.COOKIES.get(self.param_name, "")

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None or not request.user.is_authenticated:
            return None
        return _check_role(request.user, self.staff_only)  # type: ignore[arg-type]


AUTH = [TokenAuth(), SessionAuth()]
STAFF_AUTH = [TokenAuth(staff_only=True), SessionAuth(staff_only=True)]


def caller(request: HttpRequest) -> User:
    """The authenticated person (set by the auth classes above)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
