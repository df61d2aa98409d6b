"""Errors that services raise and every interface (API, pages, admin, commands) shows.

The API turns them into Appendix A's body `{code, message, fields}` with the status below.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A rule said no. `code` is the machine code of Appendix A; `message` is for people."""

    status = 409

    def __init__(
        self,
        code: str,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}
        if status is not None:
            self.status = status


class ValidationFailed(ServiceError):
    """Bad input: 422 with the fields named."""

    status = 422

    def __init__(self, fields: dict[str, list[str]], message: str | None = None) -> None:
        super().__init__(
            "validation_error",
            message or "Uppgifterna innehåller fel. / The data contains errors.",
            fields=fields,
        )


class PermissionDenied(ServiceError):
    status = 403

    def __init__(self, message: str = "Du saknar behörighet. / You are not allowed.") -> None:
        super().__init__("forbidden", message)


class NotFound(ServiceError):
    status = 404

    def __init__(self, message: str = "Hittades inte. / Not found.") -> None:
        super().__init__("not_found", message)


class Busy(ServiceError):
    """What the caller wanted is waiting for others (a lock held past the lock timeout):
    503, to be tried again in a moment. Nothing was changed."""

    status = 503
    retry_after_seconds = 2

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            "busy",
            message
            or _(
                "Many people are doing the same thing right now. Nothing was saved: "
                "try again in a moment."
            ),
        )


class Unavailable(ServiceError):
    """The database could not be reached (restarted, failed over, the connection dropped):
    503, to be tried again in a moment. A transaction cut off is rolled back whole; an answer
    lost after its commit shows when the request is sent again (a registration answers that
    it exists)."""

    status = 503
    retry_after_seconds = 5

    def __init__(self) -> None:
        super().__init__(
            "unavailable",
            _("The service cannot reach its database right now. Try again in a moment."),
        )
