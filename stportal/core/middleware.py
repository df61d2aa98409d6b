"""The project's own middleware: Swedish first, the security headers, two-factor set-up for
staff."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class SwedishFirstMiddleware:
    """Swedish first: the product answers in Swedish unless the person chose English.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English browser
    on a hospital computer would get English pages nobody asked for. The language switch sets
    the language cookie, which LocaleMiddleware still honours. Scripts calling the API ask for
    their language explicitly with Accept-Language, so the API keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# Everything the pages load comes from the product itself: no inline script or style, no other
# origin (the API docs serve Swagger UI's files from the static files too), no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
# Pages anyone may keep in a cache: the static files and the public verification page.
CACHEABLE_VIEWS = frozenset({"certificates:verify"})


class SecurityHeadersMiddleware:
    """The browser-side guards on every answer (SPEC 7): Content-Security-Policy,
    Permissions-Policy and Referrer-Policy, and `Cache-Control: no-store` on everything personal
    (every answer to a logged-in person, every API answer) unless the view chose otherwise.

    Django's SecurityMiddleware adds HSTS, nosniff and the opener policy; this one sits just
    inside it, so static files and error pages get the headers as well.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not (settings.DEBUG and response.status_code in (404, 500)):
            # DEBUG's technical error pages carry their own inline styles and scripts.
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if "Cache-Control" not in response.headers and self._personal(request):
            response.headers["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _personal(request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return False
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in CACHEABLE_VIEWS:
            return False
        if request.path.startswith("/api/"):
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)


# While a staff member has no authenticator app, only these stay reachable: setting one up
# (and the re-authentication it may ask for), logging out, the language switch.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "set_language",
        "healthz",
    }
)


def needs_two_factor_setup(user) -> bool:
    """True when the settings require two-factor log-in of this person and they lack it."""
    if not settings.REQUIRE_MFA_FOR_STAFF or not user.is_authenticated:
        return False
    from allauth.mfa.models import Authenticator

    from stportal.accounts.models import STAFF_ROLES
    from stportal.accounts.roles import roles_of

    if not (user.is_superuser or roles_of(user) & {str(role) for role in STAFF_ROLES}):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    """With STPORTAL_REQUIRE_MFA_FOR_STAFF, course admins, regional study directors and
    superusers set up an authenticator app before anything else: pages send them to the
    set-up page, the API (with the browser session) answers 403 `mfa_required`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.path.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in MFA_SETUP_URL_NAMES:
            return None
        if not needs_two_factor_setup(request.user):
            return None
        message = _("Set up two-factor log-in with an authenticator app before you continue.")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "mfa_required", "message": str(message), "fields": {}}, status=403
            )
        messages.warning(request, message)
        return redirect("mfa_activate_totp")
