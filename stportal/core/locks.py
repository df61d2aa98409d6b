"""Row locks that cannot hang (C13, SPEC 7).

Every lock a write takes is taken inside a transaction and waits a bounded time: on
PostgreSQL the connection's `lock_timeout` (`STPORTAL_LOCK_TIMEOUT`, set in the settings),
on SQLite the busy timeout. A wait that runs out becomes `Busy`, which every interface shows
as "busy, try again" (503 with Retry-After in the API), with nothing changed, instead of a
worker process held until the lock comes free and the requests behind it piling up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import InterfaceError, OperationalError, connection

from stportal.core.errors import Busy, ServiceError, Unavailable

# PostgreSQL's SQLSTATE for a lock wait ended by lock_timeout (or NOWAIT).
LOCK_NOT_AVAILABLE = "55P03"


class LockOutsideTransaction(RuntimeError):
    """A programming error: a row lock taken in autocommit is released at once, so it
    protects nothing."""


def require_transaction() -> None:
    """Refuse to lock outside `transaction.atomic()` (on every database, SQLite too, where
    Django's own check does not run)."""
    if not connection.in_atomic_block:
        raise LockOutsideTransaction("Row locks must be taken inside transaction.atomic().")


def is_lock_timeout(exc: BaseException) -> bool:
    """Whether `exc` is a lock wait that ran out: PostgreSQL's lock timeout, or SQLite's
    "database is locked" after its busy timeout."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    return "database is locked" in str(exc)


@contextmanager
def bounded_wait() -> Iterator[None]:
    """Run the statements that take locks; a wait that runs out raises `Busy`."""
    require_transaction()
    try:
        yield
    except OperationalError as exc:
        if is_lock_timeout(exc):
            raise Busy() from exc
        raise


def as_service_error(exc: BaseException) -> ServiceError | None:
    """What a database error means to the person who caused it: `Busy` for a lock wait that
    ran out, `Unavailable` for a database that cannot be reached (or a connection it
    dropped); None for anything else (a programming error: 500)."""
    if is_lock_timeout(exc):
        return Busy()
    if isinstance(exc, (OperationalError, InterfaceError)):
        return Unavailable()
    return None
