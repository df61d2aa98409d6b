"""Swedish first: the product answers in Swedish unless the person chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an English browser
on a hospital computer would get English pages nobody asked for. The language switch sets
the language cookie, which LocaleMiddleware still honours. Scripts calling the API ask for
their language explicitly with Accept-Language, so the API keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SwedishFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
