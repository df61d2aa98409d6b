"""The SQL of every list page and API list with 10 and with 1,000 rows (SPEC 7, issue 12).

Run: `python -m bench.list_queries [--json FILE]`.

The measuring is done by the test suite's list modules (`stportal/*/tests/
test_list_query_counts.py`), which build each list with 10 rows and with 1,000, count the
statements of one GET of each and assert the two counts equal. This runs them on the
embedded database, in a data folder of its own, and prints every route's two counts as the
modules measure them, then how many routes there are, how many kept their count, and the
largest count. The exit status is 1 when a module failed (a count grew with the rows).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.world import ROOT

LINE = re.compile(r"^(?P<route>.+?): (?P<few>\d+) / (?P<many>\d+)$")


def modules() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "stportal").glob("*/tests/test_list_query_counts.py")
    )


def measure() -> tuple[int, list[tuple[str, int, int]], str]:
    """(pytest's exit status, [(route, queries with 10 rows, with 1,000)], pytest's summary)."""
    with tempfile.TemporaryDirectory(prefix="stportal-bench-lists-") as data:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(STPORTAL_DATA_DIR=data, SECRET_KEY=env.get("SECRET_KEY", "bench-only"))
        process = subprocess.run(
            [sys.executable, "-m", "pytest", "-s", "-p", "no:cacheprovider", *modules()],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    found = [
        (m["route"].strip(), int(m["few"]), int(m["many"]))
        for m in map(LINE.match, process.stdout.splitlines())
        if m
    ]
    tail = [line for line in process.stdout.splitlines() if line.strip()][-1:] or [""]
    return process.returncode, found, tail[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    print(f"list routes: {len(modules())} test modules, 10 and 1,000 rows each", flush=True)
    code, found, summary = measure()
    width = max((len(route) for route, _, _ in found), default=10)
    print(f"  {'route':<{width}}  {'10 rows':>8}  {'1,000 rows':>10}")
    for route, few, many in found:
        flag = "" if few == many else "  GREW"
        print(f"  {route:<{width}}  {few:>8}  {many:>10}{flag}")
    constant = sum(1 for _, few, many in found if few == many)
    largest = max((many for _, _, many in found), default=0)
    print(
        f"list routes: {len(found)} measured, {constant} with the same count at 10 and 1,000"
        f" rows; largest count {largest}; pytest: {summary}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "routes": len(found),
                    "constant": constant,
                    "largest": largest,
                    "ok": code == 0 and constant == len(found) and bool(found),
                }
            )
        )
    return 0 if code == 0 and constant == len(found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
