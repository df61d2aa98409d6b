"""The public verification page of a course certificate (C19): no log-in needed.

It answers valid, revoked or not found, with the trainee's name, the course and the date of
issue, and nothing more. An unknown code answers 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stportal.certificates import selectors


def verify(request: HttpRequest, code: str) -> HttpResponse:
    verification = selectors.verify(code)
    response = render(
        request,
        "certificates/verify.html",
        {"verification": verification, "code": code},
        status=200 if verification is not None else 404,
    )
    # Nothing here for search engines, and nothing to keep in shared caches.
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
