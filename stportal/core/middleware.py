"""The project's own middleware: Swedish first, no NUL byte past the door, the security
headers, two-factor set-up for staff."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stportal.core import bounds
from stportal.core.errors import Busy, Unavailable
from stportal.core.locks import as_service_error


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


def content_security_policy(form_origins: tuple[str, ...] = ()) -> str:
    """The policy, with the other origins a form may lead to: the region's identity provider
    when single sign-on is on (its button posts here, and the answer redirects there; browsers
    hold a form's redirects to `form-action` as well)."""
    if not form_origins:
        return CONTENT_SECURITY_POLICY
    extra = " ".join(form_origins)
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {extra}")


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
            response.headers.setdefault(
                "Content-Security-Policy",
                content_security_policy(tuple(settings.CSP_FORM_ACTION_ORIGINS)),
            )
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
            return _api_error(403, "mfa_required", message)
        messages.warning(request, message)
        return redirect("mfa_activate_totp")


class ActiveRegionMiddleware:
    """Staff holding roles in several regions work in the one they switched to (SPEC 2); the
    choice is kept in the session, so an API call with a personal token acts in all of them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from stportal.core.permissions import ACTIVE_REGION_SESSION_KEY, work_in_region

        session = getattr(request, "session", None)
        chosen = session.get(ACTIVE_REGION_SESSION_KEY) if session is not None else None
        if isinstance(chosen, int) and request.user.is_authenticated:
            work_in_region(request.user, chosen)
        return self.get_response(request)


class RefuseNulMiddleware:
    """Security review finding 8: a NUL byte anywhere a client can put text is refused.

    PostgreSQL cannot hold a NUL in text: a NUL in a search field, a form or the path reached
    the database and answered 500. The API's schemas refuse a NUL in a JSON body field by field
    (stportal.api.types); this covers what no schema sees: the path, the query string, form
    fields, uploaded file names and cookies. Web pages answer 400, the API 422 with the field
    named. A form body that cannot be parsed at all is a 400 too, never a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path_info.startswith("/api/")
        try:
            field = _field_with_nul(request)
        except (SuspiciousOperation, MultiPartParserError) as exc:
            if not api:
                raise BadRequest(str(exc)) from exc
            if isinstance(exc, RequestDataTooBig):
                return _api_error(413, "too_large", _("The request is too large."))
            return _api_error(400, "bad_request", _("The request could not be read."))
        if field is None:
            return self.get_response(request)
        if not api:
            raise BadRequest(f"NUL byte in {field}")
        return _api_error(
            422, "validation_error", _("The data contains errors."), {field: [bounds.nul_message()]}
        )


def _api_error(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> JsonResponse:
    """Appendix A's error body, as the API's own handlers answer it (`api.errors` sits above
    core in the import layers, so the middleware writes the same body here)."""
    return JsonResponse({"code": code, "message": message, "fields": fields or {}}, status=status)


def _field_with_nul(request: HttpRequest) -> str | None:
    """The first place of the request holding a NUL byte, named as the client wrote it."""
    if bounds.NUL in request.path:
        return "path"
    sources = [request.GET, request.COOKIES]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists() if hasattr(source, "lists") else _pairs(source):
            if bounds.NUL in key or any(bounds.NUL in value for value in values):
                return key.replace(bounds.NUL, "")
    if request.method == "POST" and request.content_type == "multipart/form-data":
        for key, upload in request.FILES.items():
            if bounds.NUL in (upload.name or ""):
                return key
    return None


def _pairs(mapping: dict[str, str]) -> list[tuple[str, list[str]]]:
    return [(key, [value]) for key, value in mapping.items()]


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BusyMiddleware:
    """A page whose write waited too long for a lock, or whose database could not be reached
    (`core.locks.as_service_error`), answers 503 "try again in a moment" instead of the error
    page; the browser's back button keeps what the person typed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        told = exception if isinstance(exception, Busy) else as_service_error(exception)
        if not isinstance(told, (Busy, Unavailable)):
            return None
        response = render(request, "core/busy.html", {"message": told.message}, status=503)
        response["Retry-After"] = str(told.retry_after_seconds)
        return response
