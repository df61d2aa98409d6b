"""Logs operations can ship: one JSON object per line, every line of a request carrying that
request's id, and never a personal identity number.

- `RequestIdMiddleware` gives each request an id (the proxy's `X-Request-ID` when it sends a
  sane one, else a new one), answers it in `X-Request-ID`, and logs one line per request
  (method, path, status, time, user id) on the `stportal.request` logger.
- `RequestIdFilter` puts the current request's id on every log record, whoever logs it.
- `PersonalIdFilter` masks anything shaped like a personal identity number in the message
  and in the text of an exception, before any handler sees it.
- `JsonFormatter` writes the record as one line of JSON (`STPORTAL_LOG_FORMAT=json`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# What a proxy may hand us as an id: letters, digits and a few separators, not too long.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# YYMMDD-NNNC or YYYYMMDDNNNC and the forms between (day + 60 for samordningsnummer): digits
# that could be a personal identity number, standing alone.
_PERSONAL_ID = re.compile(r"(?<![\d-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d-])")
MASK = "[personnummer]"

access_log = logging.getLogger("stportal.request")


def mask_personal_ids(text: str) -> str:
    return _PERSONAL_ID.sub(MASK, text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class PersonalIdFilter(logging.Filter):
    """Mask personal identity numbers in the message, its arguments and the exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_ids(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_ids(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, and the
    request's fields on the access log line."""

    FIELDS = ("method", "path", "status", "duration_ms", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """First in the chain: every log line of the request carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            path = mask_personal_ids(request.path)
            access_log.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)


def _user_id(request: HttpRequest) -> int | None:
    """Who made the request, if the request already knows: the API token's user, or the
    session's user when something read it (never a query of its own)."""
    for candidate in (getattr(request, "auth", None), getattr(request, "user", None)):
        wrapped = getattr(candidate, "_wrapped", candidate)
        if wrapped is not None and wrapped is not empty:
            pk = getattr(wrapped, "pk", None)
            if isinstance(pk, int):
                return pk
    return None
