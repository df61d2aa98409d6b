"""Run every benchmark in turn and print the figures side by side (SPEC 7).

Run: `make bench`, or `python -m bench [allocation] [certificates] [allocation_db] [rush]
[list_queries]` (all five when none is named). Each runs in its own process and prints as it
goes; a table of the figures against the bars of SPEC 7 and issue 12 follows at the end:
each figure, its bar, the figure divided by its bar, and a verdict, under a line naming the
machine. The
PostgreSQL benchmarks are skipped, with a note, when nothing answers on 127.0.0.1:5432 (the
SQLite half of `allocation_db` still runs).

Figures are measurements, not assertions: a bar that is missed is reported, not failed. The
exit status is 1 when a benchmark could not run or a correctness check failed (overbooking,
a lost or duplicated registration, a 5xx, a list whose statements grow with its rows), and
when `bench.certificates` reports its bar missed (its own convention).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.world import PG_HOST, PG_PORT, PG_USER, ROOT, postgres_answers

ORDER = ("allocation", "certificates", "allocation_db", "rush", "list_queries")
TIMEOUT = 3 * 3600


@dataclass
class Row:
    benchmark: str
    measured: str
    bar: str
    verdict: str
    ratio: str = "-"  # measured ÷ bar: under 1 meets a "<" bar, 1 or more a ">=" bar


def run_module(name: str, *args: str) -> tuple[int, str]:
    """`python -m bench.<name> args`, its output streamed through and kept."""
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-only-secret")
    process = subprocess.Popen(
        [sys.executable, "-m", f"bench.{name}", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    kept = []
    for line in process.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        kept.append(line)
    try:
        code = process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()  # the child this runner started
        code = process.wait()
    return code, "".join(kept)


def run_with_json(name: str) -> tuple[int, str, Any]:
    with tempfile.TemporaryDirectory(prefix="stportal-bench-") as tmp:
        path = Path(tmp) / f"{name}.json"
        code, output = run_module(name, "--json", str(path))
        data = json.loads(path.read_text()) if path.exists() else None
    return code, output, data


def allocation_rows(code: int, output: str) -> list[Row]:
    found = re.search(r"slowest policy: ([\d.]+) s", output)
    lines = re.search(r"allocation core: ([\d,]+) lines", output)
    if code != 0 or not found:
        return [Row("allocation core", "did not run", "< 2 s", "ERROR")]
    seconds = float(found.group(1))
    return [
        Row(
            f"allocation core, {lines.group(1) if lines else '?'} lines",
            f"{seconds:.2f} s (slowest priority policy, best of 3)",
            "< 2 s",
            "ok" if seconds < 2 else "TOO SLOW",
            f"{seconds / 2:.2f}",
        )
    ]


def certificate_rows(code: int, output: str) -> list[Row]:
    found = [
        (label, int(count), float(seconds))
        for label, count, seconds in re.findall(
            r"^(.+?): (\d+) certificates in ([\d.]+) s", output, flags=re.MULTILINE
        )
    ]
    if not found:
        return [Row("certificates as PDF", "did not run", "< 3 s", "ERROR")]
    label, count, seconds = max(found, key=lambda item: item[2])
    skipped = output.count("skipped")
    note = f"; {skipped} form(s) skipped" if skipped else ""
    return [
        Row(
            f"{count} certificates as PDF",
            f"{seconds:.2f} s (slowest: {label}){note}",
            "< 3 s",
            "ok" if seconds < 3 and code == 0 else "TOO SLOW",
            f"{seconds / 3:.2f}",
        )
    ]


def allocation_db_rows(code: int, data: Any) -> list[Row]:
    if not data:
        return [Row("allocation run on a database", "did not run", "< 10 s (PG)", "ERROR")]
    rows = []
    for r in data:
        run = r["run"]
        email = run.get("queue e-mail", 0) + run.get("send e-mail", 0)
        label = {"postgres": "PostgreSQL", "sqlite": "SQLite"}[r["backend"]]
        postgres = r["backend"] == "postgres"
        verdict = ("ok" if run["total"] < 10 else "TOO SLOW") if postgres else "comparison"
        if not r["checks_ok"]:
            verdict = "CHECKS FAILED"
        rows.append(
            Row(
                f"allocation run, {r['lines']:,} lines, {label}",
                f"{run['total']:.1f} s (e-mail {email:.1f} s, rest {run['allocation']:.1f} s;"
                f" {r['emails']:,} messages queued, {r['emails_sent_in_run']:,} sent in the run);"
                f" preview {r['preview']:.1f} s",
                "< 10 s, e-mail queued" if postgres else "-",
                verdict,
                f"{run['total'] / 10:.2f}" if postgres else "-",
            )
        )
        rate = r["emails_sent"] / r["drain"] if r["drain"] else 0.0
        rows.append(
            Row(
                f"  then the outbox drained by one worker, {label}",
                f"{r['emails_sent']:,} messages in {r['drain']:.1f} s = {rate:.0f} messages/s"
                " (`stportal send-mail`'s send_due, in-memory backend)",
                "rate printed",
                "reported" if r["emails_sent"] == r["emails"] else "NOT ALL SENT",
            )
        )
    return rows


def rush_rows(code: int, data: Any) -> list[Row]:
    if not data:
        return [Row("registration rush", "did not run", "no errors", "ERROR")]
    checks = "all checks ok" if data["checks_ok"] else "FAILED: " + "; ".join(data["failed_checks"])
    rows = [
        Row(
            f"rush: {data['clients']} clients for the last {data.get('free_seats') or 0:.0f} seats",
            f"{data['rush_wall']:.1f} s for all, p95 {data['rush_p95_ms'] / 1000:.1f} s,"
            f" {data['rush_5xx']} × 5xx in the whole run; {checks}",
            "seats = free seats, the rest waiting in order, no 5xx",
            "ok" if data["checks_ok"] else "FAILED",
        )
    ]
    throughput = data.get("throughput") or {}
    trivial = throughput.get("one-row view")
    for kind, v in throughput.items():
        if kind == "one-row view" or trivial is None:
            continue
        ok = v["ratio"] >= 0.5 and v["p95_ms"] < 200 and data["checks_ok"]
        held = "none lost, no overbooking" if data["checks_ok"] else "CHECKS FAILED"
        rows.append(
            Row(
                f"rush: {kind}, {data['clients']} clients, {data['workers']} processes",
                f"{v['rate']:.0f} req/s = {v['ratio']:.2f} × one-row view ({trivial['rate']:.0f}"
                f" req/s); p95 {v['p95_ms']:.0f} ms (one-row view {trivial['p95_ms']:.0f} ms);"
                f" {data['rounds']} × {data['requests']} requests, {held}",
                ">= 0.5 × one-row view; p95 < 200 ms",
                "ok" if ok else "BELOW THE BAR",
                f"{v['ratio'] / 0.5:.2f}; {v['p95_ms'] / 200:.2f}",
            )
        )
    for kind, v in (data.get("paced") or {}).items():
        ok = v["p95_ms"] < 200 and v["errors"] == 0 and data["checks_ok"]
        rows.append(
            Row(
                f"rush: {kind}, {data['paced_rate']:.0f} arriving per second",
                f"p50 {v['p50_ms']:.0f} ms, p95 {v['p95_ms']:.0f} ms, max {v['max_ms']:.0f} ms;"
                f" {v['requests']} requests, {v['errors']} × 5xx",
                "p95 < 200 ms",
                "ok" if ok else "BELOW THE BAR",
                f"{v['p95_ms'] / 200:.2f}",
            )
        )
    counts = {a["what"]: a for a in data.get("anatomy") or []}
    wanted = [
        ("registration, open week", "registration"),
        ("registration, late (waiting list)", "late registration"),
        ("cancellation (seat offered on)", "cancellation"),
        ("offer accepted", "offer acceptance"),
    ]
    found = [(short, counts[what]) for what, short in wanted if what in counts]
    if found:
        rows.append(
            Row(
                "SQL per API request (one at a time)",
                ", ".join(f"{short} {a['statements']:.0f}" for short, a in found)
                + f"; one-row view {counts.get('one-row view', {}).get('statements', 0):.0f}",
                "printed (asserted in tests)",
                "reported",
            )
        )
    return rows


def list_query_rows(code: int, data: Any) -> list[Row]:
    if not data:
        return [
            Row(
                "SQL of list pages and API lists",
                "did not run",
                "same at 10 and 1,000 rows",
                "ERROR",
            )
        ]
    return [
        Row(
            "SQL of list pages and API lists, 10 vs 1,000 rows",
            f"{data['constant']} of {data['routes']} routes the same at both sizes;"
            f" largest {data['largest']} statements",
            "the same count at 10 and 1,000 rows",
            "ok" if data["ok"] else "GREW",
        )
    ]


def machine() -> str:
    """The machine the figures were taken on: CPU, memory, software, and the load (other work
    on the machine slows every figure)."""
    one, five, fifteen = os.getloadavg()
    parts = [f"{os.cpu_count()} cores"]
    cpu = _first_value(Path("/proc/cpuinfo"), "model name")
    if cpu:
        parts[0] += f" ({cpu})"
    memory = _first_value(Path("/proc/meminfo"), "MemTotal")
    if memory and memory.split()[0].isdigit():
        parts.append(f"{int(memory.split()[0]) / 1024 / 1024:.0f} GB RAM")
    parts.append(f"{platform.system()} {platform.release()}")
    parts.append(f"{platform.python_implementation()} {platform.python_version()}")
    with contextlib.suppress(Exception):
        import django

        parts.append(f"Django {django.get_version()}")
    parts.append(postgres_version())
    parts.append(f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min)")
    return ", ".join(p for p in parts if p)


def _first_value(path: Path, key: str) -> str:
    with contextlib.suppress(OSError):
        for line in path.read_text().splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    return ""


def postgres_version() -> str:
    if not postgres_answers():
        return ""
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=5
        ) as conn:
            version = conn.info.server_version
            return f"PostgreSQL {version // 10000}.{version % 100}"
    return ""


def skipped_row(benchmark: str) -> Row:
    return Row(benchmark, f"skipped: no PostgreSQL on {PG_HOST}:{PG_PORT}", "-", "skipped")


def print_table(rows: list[Row]) -> None:
    table = [Row("benchmark", "measured", "bar (SPEC 7, issue 12)", "verdict", "÷ bar"), *rows]
    cells = [(r.benchmark, r.measured, r.bar, r.ratio, r.verdict) for r in table]
    widths = [max(len(row[i]) for row in cells) for i in range(5)]
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    print(
        "÷ bar: the figure divided by its bar; under 1 meets a bar of the form < x,"
        " 1 or more a bar of the form >= x."
    )


def main(argv: list[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(ORDER)
    unknown = [n for n in names if n not in ORDER]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(ORDER)}")
        return 2
    postgres = postgres_answers()
    print(f"machine: {machine()}", flush=True)
    rows: list[Row] = []
    failed = False
    started = time.perf_counter()
    for name in [n for n in ORDER if n in names]:
        print(f"\n=== {name} ===", flush=True)
        if name == "allocation":
            code, output = run_module(name)
            rows += allocation_rows(code, output)
        elif name == "certificates":
            code, output = run_module(name)
            rows += certificate_rows(code, output)
        elif name == "list_queries":
            code, _output, data = run_with_json(name)
            rows += list_query_rows(code, data)
        elif name == "allocation_db":
            code, _output, data = run_with_json(name)
            rows += allocation_db_rows(code, data)
            if not postgres:
                rows.append(skipped_row("allocation run, PostgreSQL"))
        else:
            if not postgres:
                print(f"rush: skipped, no PostgreSQL answers on {PG_HOST}:{PG_PORT}")
                rows.append(skipped_row("registration rush"))
                continue
            code, _output, data = run_with_json(name)
            rows += rush_rows(code, data)
        failed |= code != 0
    print(f"\n=== figures (all benchmarks took {time.perf_counter() - started:.0f} s) ===")
    print(f"machine: {machine()}")
    print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
