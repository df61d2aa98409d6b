"""What one request on the rush path costs, one request at a time (SPEC 7, issue 12's query
counts): wall time, SQL statements, and how long the week's row lock is held.

It runs in `bench.rush`'s own process against the bench database after the server has
stopped, through Django's test client: the same middleware, authentication and views as the
server, no concurrency. Measured, each a median of `samples` requests by different trainees:

- the one-row view (the yardstick);
- a registration on an open week (before allocation: its line stays pending);
- a late registration on an allocated, full week (its line goes to the waiting list, C10);
- a cancellation of a confirmed seat after the cancellation deadline, which charges the fee
  (C14) and offers the seat to the first on the waiting list (C11);
- the acceptance of such an offer (C11).

Statements are counted with `connection.execute_wrapper` around each request (what
`CaptureQueriesContext` sees, savepoints included). The lock is timed from each call of the
registration services' `lock_week` to the commit; a request that takes no week lock shows
"-".
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bench import world as w

BODY = {"needs_lodging": False}


@dataclass
class Anatomy:
    what: str
    median_ms: float
    statements: float
    locked_ms: float | None = None
    locked_statements: float | None = None
    min_statements: int = 0
    max_statements: int = 0
    sql: list[str] = field(default_factory=list)  # the last sample's statements, in order


@dataclass(frozen=True)
class Call:
    """One API request: path, JSON body and the caller's token."""

    path: str
    body: dict[str, Any]
    token: str | None


class Counter:
    """SQL statements per request, and those run while a week lock is held."""

    def __init__(self) -> None:
        self.locked_at: float | None = None
        self.locked = 0.0
        self.locks = 0
        self.in_lock = 0
        self.all = 0
        self.sql: list[str] = []

    def reset(self) -> None:
        self.locked_at, self.locked, self.locks, self.in_lock, self.all = None, 0.0, 0, 0, 0
        self.sql = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.all += 1
        if self.locked_at is not None:
            self.in_lock += 1
        self.sql.append(f"{'L' if self.locked_at is not None else ' '} {' '.join(sql.split())}")
        return execute(sql, params, many, context)

    @contextmanager
    def timing_locks(self) -> Iterator[None]:
        """Wrap `lock_week` where each registration service module imported it."""
        from django.db import transaction

        modules = [
            module
            for name, module in list(sys.modules.items())
            if name.startswith("stportal.registrations.services") and hasattr(module, "lock_week")
        ]
        saved = {module: module.lock_week for module in modules}  # type: ignore[attr-defined]

        def wrap(lock_week: Any) -> Any:
            def timed(*args: Any, **kwargs: Any) -> Any:
                if self.locked_at is None:
                    self.locked_at = time.perf_counter()
                    self.locks += 1

                    def released() -> None:
                        if self.locked_at is not None:
                            self.locked += time.perf_counter() - self.locked_at
                        self.locked_at = None

                    transaction.on_commit(released)  # runs right after the COMMIT
                return lock_week(*args, **kwargs)

            return timed

        for module, lock_week in saved.items():
            setattr(module, "lock_week", wrap(lock_week))  # noqa: B010
        try:
            yield
        finally:
            for module, lock_week in saved.items():
                setattr(module, "lock_week", lock_week)  # noqa: B010


def measure(
    client: Any, counter: Counter, what: str, calls: Sequence[Call], status: int
) -> tuple[Anatomy, str | None]:
    """Send `calls` one after the other; the medians, and what went wrong if anything did."""
    times: list[float] = []
    statements: list[int] = []
    locked: list[float] = []
    in_lock: list[int] = []
    locks = 0
    for call in calls:
        counter.reset()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {call.token}"} if call.token else {}
        started = time.perf_counter()
        response = client.post(call.path, call.body, content_type="application/json", **headers)
        times.append(time.perf_counter() - started)
        if response.status_code != status:
            return _anatomy(what, times, statements, locked, in_lock, locks), (
                f"{what}: {response.status_code} {response.content[:200]!r}"
            )
        statements.append(counter.all)
        locked.append(counter.locked)
        in_lock.append(counter.in_lock)
        locks += counter.locks
    found = _anatomy(what, times, statements, locked, in_lock, locks)
    found.sql = list(counter.sql)  # the counter goes on counting after this
    return found, None


def _anatomy(
    what: str,
    times: list[float],
    statements: list[int],
    locked: list[float],
    in_lock: list[int],
    locks: int,
) -> Anatomy:
    if not statements:
        return Anatomy(what, 0.0, 0.0)
    return Anatomy(
        what,
        statistics.median(times) * 1000,
        statistics.median(statements),
        statistics.median(locked) * 1000 if locks else None,
        statistics.median(in_lock) if locks else None,
        min(statements),
        max(statements),
    )


def offer_week(world: w.World, *, samples: int, today: dt.date) -> tuple[list[Call], list[Any]]:
    """A full, allocated week whose cancellation deadline has passed: `samples` seated and
    `samples` waiting. Returns the seated trainees' cancellations, and the waiting lines
    (each is offered a seat when one of the seated cancels)."""
    from django.utils import timezone

    from stportal.registrations import services
    from stportal.registrations.models import LineStatus, RegistrationLine

    invitation = today - dt.timedelta(days=40)
    deadline = today - dt.timedelta(days=20)
    start = today + dt.timedelta(days=10)  # the cancellation deadline was 4 days ago (C3)
    week = w.make_week(
        world,
        title="LEKA C (erbjudanden)",
        invitation=invitation,
        deadline=deadline,
        start=start,
        capacity=samples,
        courses=1,
        publish_at=w.stockholm(invitation - dt.timedelta(days=5)),
    )
    trainees = w.make_trainees(world, 2 * samples, week_start=start)
    for n, trainee in enumerate(trainees):
        services.register_for_course_week(
            actor=trainee.user,
            week=week,
            trainee=trainee,
            now=w.stockholm(deadline - dt.timedelta(days=1), 8) + dt.timedelta(minutes=n),
        )
    services.run_allocation(actor=world.admin, week=week, dry_run=False, now=timezone.now())
    tokens = dict(zip((t.pk for t in trainees), w.issue_tokens(trainees), strict=True))
    lines = RegistrationLine.objects.filter(registration__course_week=week).select_related(
        "registration"
    )
    seated = lines.filter(status=LineStatus.CONFIRMED).order_by("pk")
    cancels = [
        Call(
            f"/api/v1/registrations/{ln.registration_id}/cancel",
            {},
            tokens[ln.registration.trainee_id],
        )
        for ln in seated
    ]
    waiting = list(lines.filter(status=LineStatus.WAITLISTED).order_by("queue_order"))
    return cancels, [(ln, tokens[ln.registration.trainee_id]) for ln in waiting]


def anatomy(
    world: w.World,
    *,
    open_week_id: int,
    late_week_id: int,
    tokens: Sequence[str],
    samples: int,
    today: dt.date,
) -> tuple[list[Anatomy], list[str]]:
    """The five kinds of request above, `samples` of each. Returns the figures and the
    problems met (a request that did not answer as expected)."""
    from django.db import connection
    from django.test import Client

    from stportal.registrations.models import LineStatus, RegistrationLine

    cancels, waiting = offer_week(world, samples=samples, today=today)
    w.close_connections()
    client = Client()
    counter = Counter()
    found: list[Anatomy] = []
    problems: list[str] = []

    def record(result: tuple[Anatomy, str | None]) -> None:
        found.append(result[0])
        if result[1]:
            problems.append(result[1])

    def register(week_id: int, some: Sequence[str]) -> list[Call]:
        return [Call(f"/api/v1/course-weeks/{week_id}/registrations", BODY, t) for t in some]

    with counter.timing_locks(), connection.execute_wrapper(counter):
        record(
            measure(
                client, counter, "one-row view", [Call("/bench/one-row", {}, None)] * samples, 201
            )
        )
        record(
            measure(
                client,
                counter,
                "registration, open week",
                register(open_week_id, tokens[:samples]),
                201,
            )
        )
        record(
            measure(
                client,
                counter,
                "registration, late (waiting list)",
                register(late_week_id, tokens[samples : 2 * samples]),
                201,
            )
        )
        record(measure(client, counter, "cancellation (seat offered on)", cancels, 200))
        offered = [
            (line, token)
            for line, token in waiting
            if RegistrationLine.objects.filter(pk=line.pk, status=LineStatus.OFFERED).exists()
        ]
        if len(offered) < len(cancels):
            problems.append(f"{len(cancels)} cancellations made {len(offered)} offers")
        accepts = [
            Call(
                f"/api/v1/registrations/{line.registration_id}/accept-offer",
                {"course_id": line.course_id},
                token,
            )
            for line, token in offered
        ]
        record(measure(client, counter, "offer accepted", accepts, 200))
    return found, problems


def print_anatomy(found: Sequence[Anatomy], *, show_sql: bool = False) -> None:
    if not found:
        return
    print()
    print("query counts: one API request at a time in one process (medians)")
    print(
        f"  {'request':<36} {'ms':>6} {'SQL':>5} {'range':>7} {'week lock held ms':>18}"
        f" {'SQL in lock':>12}"
    )
    for a in found:
        spread = f"{a.min_statements}-{a.max_statements}"
        locked = f"{a.locked_ms:>18.1f}" if a.locked_ms is not None else f"{'-':>18}"
        in_lock = f"{a.locked_statements:>12.0f}" if a.locked_statements is not None else ""
        print(
            f"  {a.what:<36} {a.median_ms:>6.1f} {a.statements:>5.0f} {spread:>7} {locked}"
            f" {in_lock}"
        )
    if show_sql:
        for a in found:
            print(f"\n  {a.what}: the last sample's {len(a.sql)} statements (L: week lock held)")
            for statement in a.sql:
                print(f"    {statement[:160]}")
