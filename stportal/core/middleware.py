"""Middleware of the whole product: Swedish first, and no NUL byte past the door.

Swedish first: the product answers in Swedish unless the person chose English. Django's
LocaleMiddleware would follow the browser's Accept-Language, so an English browser on a
hospital computer would get English pages nobody asked for. The language switch sets
the language cookie, which LocaleMiddleware still honours. Scripts calling the API ask for
their language explicitly with Accept-Language, so the API keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from stportal.core import bounds


class SwedishFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
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
    """Appendix A's error body, as the API's own handlers answer it."""
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
