"""Time the pure allocation core on a large week (SPEC 7: 100,000 lines in under 2 seconds).

Run: `python -m bench.allocation [--lines N] [--courses C] [--repeat R] [--policy P]`.
Builds the requests first (not timed), then times `allocate_week` alone and prints the best
of `--repeat` runs per policy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from stportal.registrations.allocation import Policy, Request, allocate_week

LIMIT_SECONDS = 2.0
WEEK_START = dt.date(2027, 3, 22)
OPENED = dt.datetime(2026, 9, 1, 8, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def build_week(
    lines: int, courses: int, seed: int = 2027
) -> dict[int, tuple[int, int, list[Request]]]:
    """`lines` requests spread over `courses` courses, about half of them seated, 5 % late."""
    rnd = random.Random(seed)
    per_course: dict[int, list[Request]] = {course_id: [] for course_id in range(1, courses + 1)}
    for line_id in range(1, lines + 1):
        registration_id = (line_id - 1) // courses + 1  # one registration asks for every course
        per_course[(line_id - 1) % courses + 1].append(
            Request(
                line_id=line_id,
                registration_id=registration_id,
                trainee_id=registration_id,
                requested_at=OPENED + dt.timedelta(seconds=rnd.randint(0, 45 * 86_400)),
                late=rnd.random() < 0.05,
                planned_completion=WEEK_START + dt.timedelta(days=rnd.randint(0, 5 * 365)),
                st_start=WEEK_START - dt.timedelta(days=rnd.randint(0, 5 * 365)),
                employment_percent=rnd.choice((50, 75, 80, 100)),
                credited_months=rnd.randint(0, 12),
                courses_taken=rnd.randint(0, 8),
            )
        )
    return {
        course_id: (len(requests) // 2, rnd.randint(0, 3), requests)
        for course_id, requests in per_course.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--courses", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--policy", choices=[p.value for p in Policy], action="append")
    args = parser.parse_args()

    week = build_week(args.lines, args.courses)
    policies = args.policy or [p.value for p in Policy]
    print(f"allocation core: {args.lines:,} lines over {args.courses} courses")
    worst = 0.0
    for policy in policies:
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = allocate_week(week, policy=policy, week_start=WEEK_START)
            timings.append(time.perf_counter() - started)
        seated = sum(len(course.confirmed) for course in result.values())
        waiting = sum(len(course.waitlisted) for course in result.values())
        assert seated + waiting == args.lines
        best = min(timings)
        worst = max(worst, best)
        print(
            f"  {policy:<30} best {best:.3f} s of {args.repeat}"
            f"  ({seated:,} seated, {waiting:,} waiting)"
        )
    verdict = "OK" if worst < LIMIT_SECONDS else "TOO SLOW"
    print(f"slowest policy: {worst:.3f} s (limit {LIMIT_SECONDS:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
