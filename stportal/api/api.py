"""The HTTP API under /api/v1/ (SPEC 6, Appendix A): OpenAPI at /api/v1/openapi.json, browsable
docs at /api/v1/docs."""

from __future__ import annotations

import inspect
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, re_path
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from stportal.api.errors import install_exception_handlers, json_method_not_allowed, not_found_view
from stportal.api.routers import add_routers
from stportal.api.schemas import ErrorOut
from stportal.core.bounds import MAX_ID

ERROR_REF = "#/components/schemas/ErrorOut"


def api_index(request: HttpRequest, **kwargs: Any) -> JsonResponse:
    """`/api/v1/`: where the schema and the docs are (django-ninja's own root answers 404)."""
    return JsonResponse({"openapi": f"{request.path}openapi.json", "docs": f"{request.path}docs"})


class StPortalAPI(NinjaAPI):
    """NinjaAPI whose every answer, even for a wrong method or an unknown path, is JSON."""

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[Any] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and not inspect.iscoroutinefunction(
                pattern.callback
            ):
                # The root keeps its name: django-ninja reverses it to find the API's prefix.
                view = api_index if pattern.name == "api-root" else pattern.callback
                pattern = URLPattern(
                    pattern.pattern,
                    json_method_not_allowed(view),
                    pattern.default_args,
                    pattern.name,
                )
            wrapped.append(pattern)
        wrapped.append(re_path(r"^.*$", not_found_view, name="not-found"))
        return wrapped, app_name, namespace

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """Document Appendix A's error body as every operation's default response."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.json_schema())
        error = {
            "description": "Error: `{code, message, fields}` (Appendix A).",
            "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault("default", error)
                    _bound_path_ids(operation)
        return schema


def _bound_path_ids(operation: dict[str, Any]) -> None:
    """Ids in paths go through the `id` converter (1..2^63-1, anything else is 404): say so in
    the schema, so clients and the fuzz test know the range."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "path" and schema.get("type") == "integer":
            schema.update({"minimum": 1, "maximum": MAX_ID})


api = StPortalAPI(
    title="ST-portalen API",
    version="1",
    urls_namespace="api",
    description=(
        "Authentication: the browser session (with the CSRF token for changes) or "
        "`Authorization: Bearer <token>` (`stportal apitoken USERNAME`). Every error answers "
        '`{"code", "message", "fields"}`.'
    ),
)
install_exception_handlers(api)
add_routers(api)
