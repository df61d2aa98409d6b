"""The whole transactional allocation run on a database (SPEC 7: 10,000 lines on PostgreSQL
in under 10 s), with SQLite beside it for comparison.

Run: `python -m bench.allocation_db [--registrations 2000] [--courses 5] [--backend B]`.

For each database (PostgreSQL in a fresh `stportal_bench_alloc`, SQLite in a temporary file),
a child process migrates, then sets everything up through the product's services: a region
with home units (each with a unit manager, who is told of confirmed seats), a published week
of 5 courses, 2,000 trainees and 2,000 whole-week registrations made with `now` spread over
the registration period (5 % after the deadline, late). That is 10,000 pending lines. Then,
with `now` after the deadline, it times:

1. the preview, `run_allocation(dry_run=True)` (the same code, rolled back);
2. the real run, `run_allocation(dry_run=False)`: locks, pure core, writes, one audit event
   per line, and the e-mail of C22 as the product does it: queued in the transaction
   ("queue e-mail", one message per person) and left to the mail worker. Anything sent on the
   run's path would show as "send e-mail" (nothing should). The time and the SQL statements
   of each part are measured by wrapping the two notification entry points; then the outbox
   is drained as `stportal send-mail` does ("drain", Django's in-memory backend, so no SMTP
   round trip is counted) and its rate printed;
3. a second real run, which finds nothing pending (C8: idempotent).

Figures are printed; nothing here is a timed assertion. `--profile` adds a cProfile of the
real run (which then runs slower).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import functools
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bench import world as w

LIMIT_SECONDS = 10.0
PG_DATABASE = "stportal_bench_alloc"
BACKENDS = ("postgres", "sqlite")
LABELS = {"postgres": "PostgreSQL", "sqlite": "SQLite"}
CHILD_TIMEOUT = 3600

# A LEKA A week on a fixed timeline; every service call gets its `now`.
INVITATION = dt.date(2026, 9, 1)
DEADLINE = dt.date(2026, 10, 15)
WEEK_START = dt.date(2027, 3, 22)


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    from stportal.core.dates import STOCKHOLM

    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


# --- measuring ----------------------------------------------------------------------------


class Meter:
    """Wall time and SQL statements per part of a run. The part is set by the wrappers
    around the notification entry points; everything else counts as "allocation"."""

    def __init__(self) -> None:
        self.part = "allocation"
        self.seconds: Counter[str] = Counter()
        self.queries: Counter[str] = Counter()

    def count_query(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context):
        self.queries[self.part] += 1
        return execute(sql, params, many, context)

    def timed(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            outer = self.part
            self.part = part
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[part] += time.perf_counter() - started
                self.part = outer

        return wrapper

    @contextlib.contextmanager
    def measure(self) -> Iterator[None]:
        from django.db import connection

        self.part = "allocation"
        self.seconds.clear()
        self.queries.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(self.count_query):
            yield
        self.seconds["total"] = time.perf_counter() - started
        self.seconds["allocation"] = (
            self.seconds["total"] - self.seconds["queue e-mail"] - self.seconds["send e-mail"]
        )


@contextlib.contextmanager
def instrumented(meter: Meter) -> Iterator[None]:
    """Wrap the two notification entry points the allocation run goes through: queueing the
    placements' e-mail inside the transaction, and the send after commit."""
    from stportal.notifications import services as notify
    from stportal.registrations.services import allocating

    saved = (allocating._notify_placements, notify._send_now)
    allocating._notify_placements = meter.timed("queue e-mail", allocating._notify_placements)
    notify._send_now = meter.timed("send e-mail", notify._send_now)
    try:
        yield
    finally:
        allocating._notify_placements, notify._send_now = saved


# --- the child: one database --------------------------------------------------------------


def setup(args: argparse.Namespace) -> tuple[Any, Any, dict[str, float]]:
    from stportal.registrations import services

    timings: dict[str, float] = {}
    started = time.perf_counter()
    world = w.build_world(units=args.units)
    week = w.make_week(
        world,
        title="LEKA A 2027",
        invitation=INVITATION,
        deadline=DEADLINE,
        start=WEEK_START,
        capacity=args.capacity or max(1, args.registrations // 2),
        courses=args.courses,
        publish_at=_at(INVITATION - dt.timedelta(days=5)),
    )
    trainees = w.make_trainees(world, args.registrations, week_start=WEEK_START)
    timings["trainees"] = time.perf_counter() - started
    started = time.perf_counter()
    opens = _at(INVITATION, 8)
    period = _at(DEADLINE, 20) - opens
    late_from = int(args.registrations * (1 - args.late_share))
    for n, trainee in enumerate(trainees):
        if n < late_from:
            now = opens + period * (n / max(1, late_from))
        else:  # C7, C10: late lines stay pending and are placed after every on-time line
            now = _at(DEADLINE + dt.timedelta(days=1), 8) + dt.timedelta(minutes=n)
        services.register_for_course_week(actor=trainee.user, week=week, trainee=trainee, now=now)
    timings["registrations"] = time.perf_counter() - started
    return world, week, timings


def run_child(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix=f"stportal-bench-alloc-{backend}-"))
    if backend == "postgres":
        url = w.pg_url(PG_DATABASE)
        w.create_database(PG_DATABASE)
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = w.bench_env(database_url=url, data_dir=tmp)
    result: dict[str, Any] = {"backend": backend}
    try:
        w.setup_django(env)
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        result["migrate"] = time.perf_counter() - started
        world, week, timings = setup(args)
        result["setup"] = timings
        result.update(measure_runs(world, week, args))
    finally:
        with contextlib.suppress(Exception):
            w.close_connections()
        if backend == "postgres":
            w.drop_database(PG_DATABASE)
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def measure_runs(world: Any, week: Any, args: argparse.Namespace) -> dict[str, Any]:
    from stportal.core.models import AuditEvent
    from stportal.notifications.models import OutboxMessage
    from stportal.registrations import services
    from stportal.registrations.models import LineStatus, RegistrationLine

    lines = RegistrationLine.objects.filter(registration__course_week=week)
    pending = lines.filter(status=LineStatus.PENDING).count()
    now = _at(DEADLINE + dt.timedelta(days=5))
    meter = Meter()
    figures: dict[str, Any] = {"lines": pending, "courses": args.courses}

    with instrumented(meter), meter.measure():
        preview = services.run_allocation(actor=world.admin, week=week, dry_run=True, now=now)
    figures["preview"] = meter.seconds["total"]
    figures["preview_queries"] = sum(meter.queries.values())
    figures["preview_placed"] = sum(len(c.placed) for c in preview.courses)

    from stportal.notifications.services import send_due

    send_due()  # the registrations' own e-mail, so that the drain below is the run's alone
    events_before = AuditEvent.objects.count()
    outbox_before = OutboxMessage.objects.count()
    last_before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    of_run = OutboxMessage.objects.filter(pk__gt=last_before)
    profile = cProfile.Profile() if args.profile else None
    with instrumented(meter), meter.measure():
        if profile is not None:
            profile.enable()
        services.run_allocation(actor=world.admin, week=week, dry_run=False, now=now)
        if profile is not None:
            profile.disable()
    figures["run"] = dict(meter.seconds)
    figures["run_queries"] = dict(meter.queries)
    figures["audit_events"] = AuditEvent.objects.count() - events_before
    figures["emails"] = OutboxMessage.objects.count() - outbox_before
    figures["emails_sent_in_run"] = of_run.filter(status="sent").count()
    started = time.perf_counter()
    send_due()
    figures["drain"] = time.perf_counter() - started
    figures["emails_sent"] = of_run.filter(status="sent").count()

    with instrumented(meter), meter.measure():
        services.run_allocation(actor=world.admin, week=week, dry_run=False, now=now)
    figures["second_run"] = meter.seconds["total"]

    by_status = Counter(lines.values_list("status", flat=True))
    figures["confirmed"] = by_status[LineStatus.CONFIRMED]
    figures["waitlisted"] = by_status[LineStatus.WAITLISTED]
    figures["pending_left"] = by_status[LineStatus.PENDING]
    figures["checks_ok"] = (
        figures["preview_placed"] == pending
        and by_status[LineStatus.PENDING] == 0
        and figures["confirmed"] + figures["waitlisted"] == pending
        and figures["audit_events"] >= pending
        and figures["emails_sent_in_run"] == 0
        and figures["emails_sent"] == figures["emails"]
    )
    if profile is not None:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(r"stportal|template", 35)
        figures["profile"] = out.getvalue()
    return figures


# --- the parent: one child per database, one table ----------------------------------------


def print_table(results: Sequence[dict[str, Any]], args: argparse.Namespace) -> None:
    first = results[0]
    print()
    print(
        f"allocation run: {first['lines']:,} pending lines ({args.registrations:,} whole-week"
        f" registrations × {args.courses} courses), set up through the services"
    )
    header = (
        f"{'database':<11} {'setup s':>8} {'preview s':>9} {'run s':>7} {'allocation':>11}"
        f" {'queue e-mail':>13} {'send e-mail':>12} {'SQL':>8} {'again s':>8} {'drain s':>8}"
        f" {'msgs/s':>7}  bar"
    )
    print(header)
    for r in results:
        run = r["run"]
        queries = sum(r["run_queries"].values())
        setup = sum(r["setup"].values())
        verdict = ""
        if r["backend"] == "postgres":
            verdict = "ok" if run["total"] < LIMIT_SECONDS else "TOO SLOW"
            verdict += f" (< {LIMIT_SECONDS:.0f} s)"
        print(
            f"{LABELS[r['backend']]:<11} {setup:>8.1f} {r['preview']:>9.2f} {run['total']:>7.2f}"
            f" {run['allocation']:>11.2f} {run.get('queue e-mail', 0):>13.2f}"
            f" {run.get('send e-mail', 0):>12.2f} {queries:>8,} {r['second_run']:>8.2f}"
            f" {r['drain']:>8.2f} {r['emails_sent'] / max(r['drain'], 1e-9):>7.0f}  {verdict}"
        )
    print()
    for r in results:
        q = r["run_queries"]
        run = r["run"]
        share = (run.get("queue e-mail", 0) + run.get("send e-mail", 0)) / run["total"]
        print(
            f"{LABELS[r['backend']]}: {r['confirmed']:,} seated, {r['waitlisted']:,} waiting,"
            f" {r['pending_left']} pending left, {r['audit_events']:,} audit events,"
            f" {r['emails']:,} e-mails queued, {r['emails_sent_in_run']:,} sent during the run,"
            f" {r['emails_sent']:,} sent by the worker's drain; e-mail is {share:.0%} of the run;"
            f" SQL: allocation {q.get('allocation', 0):,}, queue e-mail"
            f" {q.get('queue e-mail', 0):,}, send e-mail {q.get('send e-mail', 0):,};"
            f" preview {r['preview_queries']:,} statements"
            f"{'' if r['checks_ok'] else '  CHECKS FAILED'}"
        )
        each = r["setup"]["registrations"] / args.registrations * 1000
        print(
            f"  setup: trainees {r['setup']['trainees']:.1f} s, registrations"
            f" {r['setup']['registrations']:.1f} s ({each:.1f} ms each),"
            f" migrate {r['migrate']:.1f} s"
        )
        if r.get("profile"):
            print(r["profile"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--courses", type=int, default=5)
    parser.add_argument(
        "--capacity", type=int, default=0, help="per course (default: half the registrations)"
    )
    parser.add_argument("--units", type=int, default=10, help="home units, one manager each")
    parser.add_argument("--late-share", type=float, default=0.05)
    parser.add_argument("--backend", choices=BACKENDS, action="append")
    parser.add_argument("--profile", action="store_true", help="cProfile the real run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = run_child(args.child, args)
        args.child_out.write_text(json.dumps(result))
        return 0

    results = []
    for backend in args.backend or BACKENDS:
        if backend == "postgres" and not w.postgres_answers():
            print(f"allocation on PostgreSQL: skipped, nothing answers on {w.PG_HOST}:5432")
            continue
        print(
            f"allocation on {LABELS[backend]}: setting up… (load average"
            f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
            flush=True,
        )
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.allocation_db",
                    "--child",
                    backend,
                    "--child-out",
                    out.name,
                    *_passed_on(args),
                ],
                cwd=w.ROOT,
                check=True,
                timeout=CHILD_TIMEOUT,
            )
            results.append(json.loads(Path(out.name).read_text()))
    if not results:
        return 0
    print_table(results, args)
    print(f"load average now {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(
            json.dumps([{k: v for k, v in r.items() if k != "profile"} for r in results])
        )
    return 0 if all(r["checks_ok"] for r in results) else 1


def _passed_on(args: argparse.Namespace) -> list[str]:
    passed = [
        "--registrations",
        str(args.registrations),
        "--courses",
        str(args.courses),
        "--capacity",
        str(args.capacity),
        "--units",
        str(args.units),
        "--late-share",
        str(args.late_share),
    ]
    if args.profile:
        passed.append("--profile")
    return passed


if __name__ == "__main__":
    raise SystemExit(main())
