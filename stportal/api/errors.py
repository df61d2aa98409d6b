"""Every error the API answers has Appendix A's body: `{"code", "message", "fields"}`.

Service errors (stportal.core.errors) carry their own status and code, and any `extra` keys
are merged into the body (`existing_registration_id`, the missing records of
`register_incomplete`). Validation of the request itself answers 422 with `fields` naming the
field as the client wrote it (`personal_id`, `goals.2015`). Authentication, permission,
unknown paths, wrong methods and unexpected failures answer the same JSON body: never an HTML
page or a stack trace (SPEC 6).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from stportal.core.errors import Busy, ServiceError, Unavailable
from stportal.core.locks import as_service_error

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("stportal.api")

STATUS_CODES: dict[int, tuple[str, Any]] = {
    400: ("bad_request", gettext_lazy("The request could not be read.")),
    401: ("not_authenticated", gettext_lazy("Log in or give a valid API token.")),
    403: ("forbidden", gettext_lazy("You are not allowed to do this.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    413: ("too_large", gettext_lazy("The request is too large.")),
    422: ("validation_error", gettext_lazy("The data contains errors.")),
    429: ("throttled", gettext_lazy("Too many requests. Try again later.")),
    500: ("server_error", gettext_lazy("Something went wrong on our side. Try again later.")),
}

# Pydantic's English messages for the commonest problems, as whole translatable sentences.
_FIELD_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("Unknown field."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_type": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "string_type": gettext_lazy("Enter a text."),
    "list_type": gettext_lazy("Enter a list."),
    "literal_error": gettext_lazy("Choose one of the allowed values."),
    "enum": gettext_lazy("Choose one of the allowed values."),
    "greater_than_equal": gettext_lazy("The value is too small."),
    "less_than_equal": gettext_lazy("The value is too large."),
}


def error_body(
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = dict(extra or {})
    body.update({"code": code, "message": str(message), "fields": fields or {}})
    return body


def status_body(status: int, message: str | None = None) -> dict[str, Any]:
    code, default = STATUS_CODES.get(status, ("error", STATUS_CODES[500][1]))
    return error_body(code, message or str(default))


# Pydantic names the member of a union that failed (`series.constrained-int`): not a field.
_UNION_MEMBER = re.compile(r"^(constrained-\w+|function-\w+\[.*\]|[\w-]+\[.*\])$")


def field_name(loc: Iterable[Any]) -> str:
    """`("body", "payload", "goals", "2015", 0)` → `goals.2015`: the field as the client wrote
    it, without the source, the handler's parameter name or list positions."""
    parts = list(loc)
    source = parts.pop(0) if parts and parts[0] in ("body", "query", "path", "header") else None
    if source == "body" and len(parts) > 1:
        parts.pop(0)  # the handler's parameter holding the whole body
    names = [str(p) for p in parts if not isinstance(p, int) and not _UNION_MEMBER.match(str(p))]
    return ".".join(names) or "body"


def _bounded_message(kind: str, ctx: dict[str, Any]) -> str | None:
    """The limits of finding 8 (text length, list length, number range), with the limit."""
    if kind == "string_too_long":
        limit = int(ctx["max_length"])
        return ngettext(
            "Enter at most %(limit)d character.", "Enter at most %(limit)d characters.", limit
        ) % {"limit": limit}
    if kind == "too_long":
        limit = int(ctx["max_length"])
        return ngettext("Give at most %(limit)d item.", "Give at most %(limit)d items.", limit) % {
            "limit": limit
        }
    if kind == "less_than_equal" and "le" in ctx:
        return _("Enter a number no larger than %(limit)s.") % {"limit": ctx["le"]}
    if kind == "greater_than_equal" and "ge" in ctx:
        return _("Enter a number no smaller than %(limit)s.") % {"limit": ctx["ge"]}
    return None


def fields_from_pydantic(errors: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        kind = error.get("type", "")
        ctx = error.get("ctx", {})
        if kind == "value_error" and "error" in ctx:
            message = str(ctx["error"])  # our own validators' translated text
        elif (bounded := _bounded_message(kind, ctx)) is not None:
            message = bounded
        elif kind in _FIELD_MESSAGES:
            message = str(_FIELD_MESSAGES[kind])
        else:
            message = str(error.get("msg", ""))
        problems = fields.setdefault(field_name(error.get("loc", ())), [])
        if message not in problems:
            problems.append(message)
    return fields


def _json(api: NinjaAPI, request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
    return api.create_response(request, body, status=status)


def install_exception_handlers(api: NinjaAPI) -> None:
    """Replace django-ninja's default handlers (which answer `{"detail": …}` or, outside
    DEBUG, re-raise into Django's HTML error page) with Appendix A's body."""

    def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        body = error_body(exc.code, exc.message, exc.fields, exc.extra)
        response = _json(api, request, body, exc.status)
        if isinstance(exc, (Busy, Unavailable)):
            response["Retry-After"] = str(exc.retry_after_seconds)
        return response

    def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        body = error_body(
            STATUS_CODES[422][0], str(STATUS_CODES[422][1]), fields_from_pydantic(exc.errors)
        )
        return _json(api, request, body, 422)

    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _json(api, request, status_body(401), 401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own messages (e.g. "Cannot parse request body") are English developer text;
        # the body carries our translated sentence for the status.
        return _json(api, request, status_body(exc.status_code), exc.status_code)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(api, request, status_body(404), 404)

    def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(api, request, status_body(403), 403)

    def on_bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A body past Django's size limits, or a form body that cannot be parsed: the client's
        # fault, told as such (finding 8: never a 500 for what a client sends).
        status = 413 if isinstance(exc, RequestDataTooBig) else 400
        return _json(api, request, status_body(status), status)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        told = as_service_error(exc)  # a lock that waited too long, the database gone
        if told is not None:
            logger.warning("%s %s answered %s: %s", request.method, request.path, told.code, exc)
            return on_service_error(request, told)
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return _json(api, request, status_body(500), 500)

    api.add_exception_handler(ServiceError, on_service_error)
    api.add_exception_handler(NinjaValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(DjangoPermissionDenied, on_permission_denied)
    api.add_exception_handler(SuspiciousOperation, on_bad_request)
    api.add_exception_handler(MultiPartParserError, on_bad_request)
    api.add_exception_handler(Exception, on_unexpected)


def json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a URL's view so that django-ninja's plain-text 405 becomes the JSON error body."""

    @functools.wraps(view)  # keeps csrf_exempt: ninja checks CSRF itself for session auth
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = JsonResponse(status_body(405), status=405)
            response["Allow"] = allowed
        return response

    return wrapper


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under the API that matches no endpoint."""
    return JsonResponse(status_body(404, _("There is no such address in the API.")), status=404)


not_found_view.csrf_exempt = True  # type: ignore[attr-defined]


def resolve_together(**lookups: Callable[[], Any]) -> dict[str, Any]:
    """Run several lookups of references named in one request and report every unknown one in
    a single 422, instead of one per round trip."""
    from stportal.core.errors import ValidationFailed

    found: dict[str, Any] = {}
    fields: dict[str, list[str]] = {}
    for name, lookup in lookups.items():
        try:
            found[name] = lookup()
        except ValidationFailed as exc:
            fields.update(exc.fields)
    if fields:
        raise ValidationFailed(fields)
    return found
