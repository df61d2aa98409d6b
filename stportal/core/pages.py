"""How the web pages answer a service's refusal, written once for every app.

The selectors and services raise `stportal.core.errors`; a page turns them into Django's
answers: `NotFound` into 404 (an object outside the caller's reach and an unknown one answer
alike), `PermissionDenied` into 403, and any other refusal a view did not handle itself
into a message for the person, never a server error. The API does the same in JSON
(`stportal.api.errors`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed

T = TypeVar("T")
View = Callable[..., HttpResponse]
# What a page answers when a view let a refusal through: (request, refusal, the URL's
# keyword arguments) -> the response.
OnRefusal = Callable[[HttpRequest, ServiceError, dict[str, Any]], HttpResponse]


def refusal_text(exc: ServiceError) -> str:
    """A refusal as one message: a validation failure's field messages, else its message."""
    if isinstance(exc, ValidationFailed) and exc.fields:
        return " ".join(str(m) for found in exc.fields.values() for m in found)
    return exc.message


def readable(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a permission-checking selector: 404 for what the caller may not see, 403 for what
    the caller may see but not change."""
    try:
        return call(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def service_page(on_refusal: OnRefusal) -> Callable[[View], View]:
    """A logged-in page whose refusals are answered as above; `on_refusal` answers the ones
    the view did not handle."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except ServiceError as exc:
                return on_refusal(request, exc, kwargs)

        return wrapper

    return decorate


def message_and_redirect(
    to: Callable[[HttpRequest, dict[str, Any]], HttpResponse],
    text: Callable[[ServiceError], str] = refusal_text,
) -> OnRefusal:
    """The common answer: the refusal as an error message, then `to` (a redirect)."""

    def answer(request: HttpRequest, exc: ServiceError, kwargs: dict[str, Any]) -> HttpResponse:
        messages.error(request, text(exc))
        return to(request, kwargs)

    return answer
