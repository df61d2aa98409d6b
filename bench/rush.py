"""The registration rush on PostgreSQL behind several server processes (SPEC 7, C6, C10,
C11, C13, issue 12's bars).

Run: `python -m bench.rush [--clients 200] [--workers 4] [--requests 400] [--rounds 3]
[--weeks 150]`.

1. Creates a fresh database `stportal_bench` (dropped first if left over), migrates it with
   `stportal migrate`, and sets up through the product's services a region, a series, and a
   published week with one course of capacity 60 whose deadline has passed: 55 trainees
   registered on time and allocation has run, so 5 seats are free. Then 200 more trainees,
   each with a personal API token, one for the duplicates, `--requests` for throughput, and
   `--weeks` open weeks for the spread rounds.
2. Starts `stportal serve --workers 4` (gunicorn, persistent connections) with
   `DJANGO_SETTINGS_MODULE=bench.settings`: the product plus one trivial one-row view.
3. Rush for the last seats: 200 concurrent `POST /api/v1/course-weeks/{id}/registrations`,
   one per trainee, from 200 threads released together by a barrier. Late lines are placed
   at once (C10): a free seat, else the end of the waiting list. The database must then hold
   exactly 5 new seats, 195 waiting lines at positions 1..195, no 5xx, nothing lost or
   duplicated.
4. Duplicates: 50 concurrent registrations for one trainee: one 201, 49 × 409.
5. Throughput, `--rounds` rounds of three bursts of `--requests` requests each from 200
   concurrent clients on the same server, in an order that turns each round:
   - the one-row view (the yardstick);
   - registrations concentrated on one fresh open week;
   - registrations spread over `--weeks` open weeks (trainee i registers in week i + round).
   Each registration burst is checked against the database (every request stored once, as
   answered, its line pending; no course over capacity). Issue 12's bars, per kind: rate at
   least 0.5 × the one-row view's (medians of the rounds) and p95 under 200 ms (over all
   rounds' requests).
6. Stops the server, then counts the SQL of one registration, cancellation and offer
   acceptance through the API (`bench.query_counts`), and drops the database, also on
   failure.

Figures are printed; nothing here is a timed assertion. The exit status is 1 only when a
correctness check fails (overbooking, a lost or duplicated registration, a 5xx).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import query_counts
from bench import world as w
from bench.rush_checks import (
    Report,
    last_registration_id,
    verify_duplicates,
    verify_registrations,
    verify_rush,
)
from bench.server import Burst, Job, Server, fire, fire_paced

DATABASE = "stportal_bench"
THROUGHPUT_BAR = 0.5  # registrations per second ÷ one-row views per second, same run
P95_BAR_MS = 200.0
ONE_ROW = "one-row view"
ONE_WEEK = "registration, one week"
SPREAD = "registration, {weeks} weeks"
PACED_ONE_WEEK = "registration at a steady rate, one week"
PACED_SPREAD = "registration at a steady rate, {weeks} weeks"


def _registration_path(week_id: int) -> str:
    return f"/api/v1/course-weeks/{week_id}/registrations"


def setup_rush_week(world: w.World, *, capacity: int, seated: int, today: dt.date) -> Any:
    from django.utils import timezone

    from stportal.registrations import services

    invitation = today - dt.timedelta(days=40)
    deadline = today - dt.timedelta(days=2)
    start = today + dt.timedelta(days=30)
    week = w.make_week(
        world,
        title="LEKA A (rusning)",
        invitation=invitation,
        deadline=deadline,
        start=start,
        capacity=capacity,
        courses=1,
        publish_at=w.stockholm(invitation - dt.timedelta(days=5)),
    )
    on_time = w.make_trainees(world, seated, week_start=start)
    for n, trainee in enumerate(on_time):
        # On time: spread over the last day before the deadline instant (end of that day).
        services.register_for_course_week(
            actor=trainee.user,
            week=week,
            trainee=trainee,
            now=w.stockholm(deadline, 8) + dt.timedelta(minutes=n),
        )
    services.run_allocation(actor=world.admin, week=week, dry_run=False, now=timezone.now())
    return week


def open_week(world: w.World, *, title: str, today: dt.date, start_in: int, capacity: int) -> Any:
    """A published week open for registration now (before allocation: lines stay pending)."""
    return w.make_week(
        world,
        title=title,
        invitation=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=20),
        start=today + dt.timedelta(days=start_in),
        capacity=capacity,
        courses=1,
        publish_at=w.stockholm(today - dt.timedelta(days=11)),
    )


def spread_weeks(world: w.World, count: int, *, today: dt.date, capacity: int) -> list[Any]:
    """`count` open weeks a week apart, from half a year ahead, for the spread rounds."""
    return [
        open_week(
            world,
            title=f"LEKA B (spridning {n + 1})",
            today=today,
            start_in=180 + 7 * n,
            capacity=capacity,
        )
        for n in range(count)
    ]


def throughput_round(
    report: Report,
    server: Server,
    world: w.World,
    *,
    round_no: int,
    tokens: Sequence[str],
    trainees: Sequence[Any],
    weeks: Sequence[Any],
    clients: int,
    today: dt.date,
) -> None:
    """One round: N one-row writes, N registrations on one fresh open week, and N spread over
    `weeks` (trainee i in week i + round, so nobody registers twice for one week). The order
    turns from round to round, so no kind always runs on a warmer server. Each registration
    burst is checked against the database at once."""
    week = open_week(
        world,
        title=f"LEKA B (genomströmning {round_no})",
        today=today,
        start_in=60 + 7 * round_no,
        capacity=max(60, len(tokens)),
    )
    w.close_connections()
    spread = SPREAD.format(weeks=len(weeks))
    targets = {
        ONE_ROW: [None] * len(tokens),
        ONE_WEEK: [week.pk] * len(tokens),
        spread: [weeks[(i + round_no) % len(weeks)].pk for i in range(len(tokens))],
    }
    plan = list(targets)
    turn = (round_no - 1) % len(plan)
    plan = plan[turn:] + plan[:turn]
    bursts: dict[str, Burst] = {}
    for kind in plan:
        if kind == ONE_ROW:
            jobs = [Job("POST", "/bench/one-row", {}) for _ in tokens]
        else:
            jobs = [
                Job("POST", _registration_path(week_id), {"needs_lodging": False}, token)
                for week_id, token in zip(targets[kind], tokens, strict=True)
            ]
        after_id = last_registration_id()
        burst = fire(f"round {round_no}: {kind}", server.port, jobs, clients=clients)
        report.bursts.append(burst)
        bursts[kind] = burst
        if kind == ONE_ROW:
            report.check(
                f"round {round_no}: {len(jobs)} one-row writes × 201",
                burst.statuses[201] == len(jobs),
                f"statuses {dict(burst.statuses)}",
            )
        else:
            expected = [(t.pk, week_id) for t, week_id in zip(trainees, targets[kind], strict=True)]
            verify_registrations(
                report,
                burst,
                when=f"round {round_no}, {kind}",
                after_id=after_id,
                expected=expected,
            )
        w.close_connections()
    report.rounds.append(bursts)


def paced_round(
    report: Report,
    server: Server,
    world: w.World,
    *,
    tokens: Sequence[str],
    trainees: Sequence[Any],
    weeks: Sequence[Any],
    clients: int,
    per_second: float,
    today: dt.date,
    offset: int,
) -> None:
    """Registrations arriving at a steady `per_second` from `clients` threads (open loop: a
    request is sent when it is due, whether or not the earlier ones are answered), on one
    fresh open week and spread over `weeks`; each checked against the database."""
    week = open_week(
        world,
        title="LEKA B (jämn takt)",
        today=today,
        start_in=60 + 7 * offset,
        capacity=max(60, len(tokens)),
    )
    w.close_connections()
    targets = {
        PACED_ONE_WEEK: [week.pk] * len(tokens),
        PACED_SPREAD.format(weeks=len(weeks)): [
            weeks[(i + offset) % len(weeks)].pk for i in range(len(tokens))
        ],
    }
    for kind, week_ids in targets.items():
        jobs = [
            Job("POST", _registration_path(week_id), {"needs_lodging": False}, token)
            for week_id, token in zip(week_ids, tokens, strict=True)
        ]
        after_id = last_registration_id()
        burst = fire_paced(kind, server.port, jobs, clients=clients, per_second=per_second)
        report.bursts.append(burst)
        report.paced[kind] = burst
        expected = [(t.pk, week_id) for t, week_id in zip(trainees, week_ids, strict=True)]
        verify_registrations(report, burst, when=kind, after_id=after_id, expected=expected)
        w.close_connections()


def warm_up(port: int, token: str, week_id: int, clients: int) -> None:
    """Load every worker's code paths once (URL resolution, the API, templates) before any
    timed burst, so the first burst does not pay for imports the others skip."""
    jobs = [Job("GET", "/healthz")] * clients
    jobs += [Job("GET", f"/api/v1/course-weeks/{week_id}", None, token)] * clients
    jobs += [Job("GET", "/api/v1/me/registrations", None, token)] * clients
    fire("warm-up", port, jobs, clients=min(clients, 16))


def throughput(report: Report) -> dict[str, dict[str, float]]:
    """Per kind: the median rate of the rounds, p50 and p95 over all the rounds' requests, and
    the rate's ratio to the one-row view's."""
    if not report.rounds:
        return {}
    figures: dict[str, dict[str, float]] = {}
    for kind in report.rounds[0]:
        bursts = [r[kind] for r in report.rounds]
        seconds = sorted(o.seconds for b in bursts for o in b.outcomes)
        figures[kind] = {
            "rate": statistics.median(b.per_second for b in bursts),
            "p50_ms": _quantile(seconds, 0.5) * 1000,
            "p95_ms": _quantile(seconds, 0.95) * 1000,
        }
    trivial = figures[ONE_ROW]["rate"]
    for values in figures.values():
        values["ratio"] = values["rate"] / trivial if trivial else 0.0
    return figures


def _quantile(ordered: Sequence[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def meets_bars(values: dict[str, float]) -> bool:
    return values["ratio"] >= THROUGHPUT_BAR and values["p95_ms"] < P95_BAR_MS


def print_report(report: Report, args: argparse.Namespace) -> None:
    print()
    print(
        f"{'burst':<40} {'requests':>8} {'2xx':>5} {'409':>5} {'other':>5} {'5xx':>4}"
        f" {'wall s':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
    )
    for b in report.bursts:
        ok = sum(n for s, n in b.statuses.items() if 200 <= s < 300)
        other = len(b.outcomes) - ok - b.statuses[409] - b.server_errors
        print(
            f"{b.name:<40} {len(b.outcomes):>8} {ok:>5} {b.statuses[409]:>5} {other:>5}"
            f" {b.server_errors:>4} {b.wall:>7.2f} {b.per_second:>7.0f}"
            f" {b.latency_ms(0.5):>7.0f} {b.latency_ms(0.95):>7.0f} {b.latency_ms(1.0):>7.0f}"
        )
    print()
    for c in report.checks:
        detail = f"  ({c.detail})" if c.detail else ""
        print(f"  [{'ok' if c.ok else 'FAILED'}] {c.what}{detail}")
    figures = throughput(report)
    if not figures:
        return
    print()
    print(
        f"throughput: {args.rounds} round(s) of {args.requests} requests per kind from"
        f" {args.clients} concurrent clients, {args.workers} server processes"
    )
    print(f"  {'kind':<30} {'req/s (median)':>15} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7}  bars")
    for kind, v in figures.items():
        verdict = "" if kind == ONE_ROW else ("ok" if meets_bars(v) else "BELOW THE BAR")
        print(
            f"  {kind:<30} {v['rate']:>15.0f} {v['ratio']:>6.2f} {v['p50_ms']:>7.0f}"
            f" {v['p95_ms']:>7.0f}  {verdict}"
        )
    print(
        f"bars: registration at least {THROUGHPUT_BAR} × the one-row view's rate, p95 under"
        f" {P95_BAR_MS:.0f} ms"
    )


def run(args: argparse.Namespace) -> Report:
    report = Report()
    tmp = Path(tempfile.mkdtemp(prefix="stportal-bench-rush-"))
    env = w.bench_env(
        database_url=w.pg_url(DATABASE), data_dir=tmp, CONN_MAX_AGE=str(args.conn_max_age)
    )
    server = Server(env=env, workers=args.workers, log_path=tmp / "server.log")
    django_ready = False
    w.create_database(DATABASE)
    try:
        report.setup["migrate"] = w.migrate(env)
        w.setup_django(env)
        django_ready = True
        from django.utils import timezone

        from stportal.core.dates import STOCKHOLM
        from stportal.registrations.lines import SEAT_TAKING
        from stportal.registrations.models import RegistrationLine

        today = timezone.now().astimezone(STOCKHOLM).date()
        started = time.perf_counter()
        world = w.build_world()
        week = setup_rush_week(
            world, capacity=args.capacity, seated=args.capacity - args.seats_left, today=today
        )
        course = week.courses.get()
        taken = RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count()
        report.setup["free_seats"] = course.capacity - taken
        rushers = w.make_trainees(world, args.clients, week_start=week.start_date)
        rush_tokens = w.issue_tokens(rushers)
        duplicate = w.make_trainees(world, 1, week_start=week.start_date)[0]
        duplicate_token = w.issue_tokens([duplicate])[0]
        movers = w.make_trainees(world, args.requests, week_start=week.start_date)
        mover_tokens = w.issue_tokens(movers)
        weeks = spread_weeks(world, args.weeks, today=today, capacity=args.capacity)
        report.setup["services"] = time.perf_counter() - started
        w.close_connections()
        print(
            f"set up through the services in {report.setup['services']:.1f} s"
            f" (migrate {report.setup['migrate']:.1f} s): {world.trainees_made} trainees,"
            f" {len(weeks)} open weeks; rush week {week.pk}: {taken}/{course.capacity} seats"
            " taken after allocation",
            flush=True,
        )

        report.setup["server_start"] = server.start()
        print(
            f"server: stportal serve --workers {args.workers} on 127.0.0.1:{server.port},"
            f" up in {report.setup['server_start']:.1f} s",
            flush=True,
        )
        warm_up(server.port, mover_tokens[0], week.pk, args.clients)

        path = _registration_path(week.pk)
        rush = fire(
            f"rush: last {args.seats_left} seats",
            server.port,
            [Job("POST", path, {"needs_lodging": False}, t) for t in rush_tokens],
            clients=args.clients,
        )
        report.bursts.append(rush)
        verify_rush(report, rush, week=week, trainees=rushers)
        w.close_connections()

        dupes = fire(
            "duplicates: one trainee",
            server.port,
            [Job("POST", path, {"needs_lodging": False}, duplicate_token)] * args.duplicates,
            clients=args.duplicates,
        )
        report.bursts.append(dupes)
        verify_duplicates(report, dupes, week=week, trainee=duplicate)
        w.close_connections()

        for round_no in range(1, args.rounds + 1):
            throughput_round(
                report,
                server,
                world,
                round_no=round_no,
                tokens=mover_tokens,
                trainees=movers,
                weeks=weeks,
                clients=args.clients,
                today=today,
            )
        if args.paced_rate > 0:
            paced_round(
                report,
                server,
                world,
                tokens=mover_tokens,
                trainees=movers,
                weeks=weeks,
                clients=args.clients,
                per_second=args.paced_rate,
                today=today,
                offset=args.rounds + 1,
            )
        tracebacks = server.tracebacks()
        report.check("server log: no traceback", tracebacks == 0, f"{tracebacks} tracebacks")
        server.stop()
        if args.anatomy:
            samples = min(args.anatomy, len(mover_tokens) // 2)
            anatomy_week = open_week(
                world, title="LEKA B (anatomi)", today=today, start_in=120, capacity=60
            )
            report.anatomy, problems = query_counts.anatomy(
                world,
                open_week_id=anatomy_week.pk,
                late_week_id=week.pk,
                tokens=mover_tokens,
                samples=samples,
                today=today,
            )
            report.check(
                "query counts: every request answered as expected",
                not problems,
                "; ".join(problems),
            )
    finally:
        server.stop()
        if django_ready:
            w.close_connections()
        try:
            w.drop_database(DATABASE)
        finally:
            if not report.ok:
                print(f"server log (last lines):\n{server.log_tail()}")
            shutil.rmtree(tmp, ignore_errors=True)
    return report


def summary(report: Report, args: argparse.Namespace) -> dict[str, Any]:
    rush = report.bursts[0] if report.bursts else None
    return {
        "checks_ok": report.ok,
        "failed_checks": [c.what for c in report.checks if not c.ok],
        "clients": args.clients,
        "workers": args.workers,
        "requests": args.requests,
        "rounds": args.rounds,
        "weeks": args.weeks,
        "rush_wall": rush.wall if rush else None,
        "rush_p95_ms": rush.latency_ms(0.95) if rush else None,
        "rush_5xx": sum(b.server_errors for b in report.bursts),
        "free_seats": report.setup.get("free_seats"),
        "throughput": throughput(report),
        "paced_rate": args.paced_rate,
        "paced": {
            kind: {
                "p50_ms": b.latency_ms(0.5),
                "p95_ms": b.latency_ms(0.95),
                "max_ms": b.latency_ms(1.0),
                "requests": len(b.outcomes),
                "errors": b.server_errors,
            }
            for kind, b in report.paced.items()
        },
        "anatomy": [{k: v for k, v in a.__dict__.items() if k != "sql"} for a in report.anatomy],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="server processes")
    parser.add_argument("--capacity", type=int, default=60)
    parser.add_argument("--seats-left", type=int, default=5)
    parser.add_argument("--duplicates", type=int, default=50)
    parser.add_argument("--requests", type=int, default=400, help="requests per throughput burst")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--weeks", type=int, default=150, help="open weeks for the spread rounds")
    parser.add_argument(
        "--paced-rate",
        type=float,
        default=20.0,
        help="registrations per second arriving steadily in the paced bursts (0: none)",
    )
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument(
        "--anatomy", type=int, default=20, help="serial in-process samples per request (0: none)"
    )
    parser.add_argument(
        "--sql", action="store_true", help="print the statements of each kind of request"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.rounds + 1 >= args.weeks:
        parser.error("--weeks must exceed --rounds (nobody registers twice for one week)")
    if not w.postgres_answers():
        print(f"rush: skipped, no PostgreSQL answers on {w.PG_HOST}:{w.PG_PORT}")
        return 0
    print(
        f"registration rush: {args.clients} concurrent clients, {args.workers} server processes,"
        f" PostgreSQL on {w.PG_HOST}:{w.PG_PORT}; {os.cpu_count()} cores, load average"
        f" {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    report = run(args)
    print_report(report, args)
    query_counts.print_anatomy(report.anatomy, show_sql=args.sql)
    print(f"load average now {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(json.dumps(summary(report, args)))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
