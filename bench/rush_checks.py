"""What `bench.rush` checks after each burst: every answer, then the database (SPEC 7, C6,
C10, C13). A check records what was expected, whether it held and what was found; the rush's
exit status is 1 when any failed.

- `verify_rush`: the rush for the last free seats of an allocated week: exactly as many new
  seats as were free, everyone else waiting at positions 1..n, nothing lost or duplicated.
- `verify_duplicates`: many copies of one trainee's registration at once: one 201, the rest
  409 naming the one stored registration.
- `verify_registrations`: a burst of registrations on open weeks (the throughput rounds, one
  week or many): every request stored exactly once, as asked, its line pending.
- `verify_no_overbooking`: no course in the database holds more seats than its capacity; run
  at the end of every burst.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.server import Burst


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Report:
    bursts: list[Burst] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    # One dict per throughput round: the burst of each kind ("one-row view", ...).
    rounds: list[dict[str, Burst]] = field(default_factory=list)
    anatomy: list[Any] = field(default_factory=list)
    # The open-loop bursts at a steady arrival rate, by kind.
    paced: dict[str, Burst] = field(default_factory=dict)
    setup: dict[str, float] = field(default_factory=dict)

    def check(self, what: str, ok: bool, detail: str = "") -> None:
        self.checks.append(Check(what, ok, detail))

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def last_registration_id() -> int:
    from stportal.registrations.models import Registration

    return Registration.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def verify_no_overbooking(report: Report, when: str) -> None:
    """C13: no course anywhere holds more confirmed or offered lines than its capacity (its
    own, else its week's)."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import Coalesce

    from stportal.courses.models import Course
    from stportal.registrations.lines import SEAT_TAKING

    over = list(
        Course.objects.annotate(
            seats=Coalesce("own_capacity", "week__capacity"),
            taken=Count("lines", filter=Q(lines__status__in=SEAT_TAKING)),
        )
        .filter(taken__gt=F("seats"))
        .values_list("pk", "taken", "seats")
    )
    report.check(
        f"{when}: no course holds more seats than its capacity",
        not over,
        f"overbooked (course, taken, capacity): {over[:5]}" if over else "",
    )


def verify_registrations(
    report: Report,
    burst: Burst,
    *,
    when: str,
    after_id: int,
    expected: Sequence[tuple[int, int]],
) -> None:
    """A burst of registrations on open weeks: `expected` holds one (trainee id, week id) per
    request. Every answer is 201; the registrations stored since `after_id` are exactly those
    pairs, each once, with the ids the answers gave, one pending line each (before allocation
    a registration takes no seat). Then no course is overbooked."""
    from stportal.registrations.models import LineStatus, Registration, RegistrationLine

    n = len(expected)
    report.check(
        f"{when}: {n} × 201, no 5xx",
        burst.statuses[201] == n and burst.server_errors == 0,
        f"statuses {dict(burst.statuses)}",
    )
    stored = list(
        Registration.objects.filter(pk__gt=after_id).values_list(
            "pk", "trainee_id", "course_week_id"
        )
    )
    pairs = Counter((trainee, week) for _pk, trainee, week in stored)
    answered = sorted(b["id"] for b in (o.json() or {} for o in burst.outcomes) if "id" in b)
    lines = Counter(
        RegistrationLine.objects.filter(registration_id__gt=after_id).values_list(
            "status", flat=True
        )
    )
    report.check(
        f"{when}: {n} stored, each once, as answered, one pending line each",
        pairs == Counter(expected)
        and answered == sorted(pk for pk, _t, _w in stored)
        and lines == Counter({LineStatus.PENDING: n}),
        f"{len(stored)} stored in {len({w for _p, _t, w in stored})} week(s), lines {dict(lines)}",
    )
    verify_no_overbooking(report, when)


def verify_rush(report: Report, burst: Burst, *, week: Any, trainees: Sequence[Any]) -> None:
    from stportal.registrations.lines import SEAT_TAKING
    from stportal.registrations.models import LineStatus, Registration, RegistrationLine
    from stportal.registrations.selectors import lines_with_positions

    course = week.courses.get()
    free_before = report.setup["free_seats"]
    bodies = [o.json() or {} for o in burst.outcomes]
    answered_lines = [b["lines"][0] for b in bodies if b.get("lines")]
    confirmed_answers = sum(1 for ln in answered_lines if ln["status"] == "confirmed")
    waiting_positions = sorted(
        ln["waitlist_position"] for ln in answered_lines if ln["status"] == "waitlisted"
    )
    others = [(o.status, (o.json() or {}).get("code")) for o in burst.outcomes if o.status != 201]
    expected_wait = len(trainees) - int(free_before)
    report.check(
        f"every answer is 201 with a seat or a waiting-list place ({len(trainees)})",
        burst.statuses[201] == len(trainees),
        f"statuses {dict(burst.statuses)}; others {Counter(others).most_common(5)}",
    )
    report.check("no 5xx and no unanswered request", burst.server_errors == 0)
    report.check(
        f"answers: {int(free_before)} confirmed, {expected_wait} waiting at 1..{expected_wait}",
        confirmed_answers == free_before and waiting_positions == list(range(1, expected_wait + 1)),
        f"{confirmed_answers} confirmed, {len(waiting_positions)} waiting",
    )
    taken = RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count()
    new_confirmed = RegistrationLine.objects.filter(
        course=course, status=LineStatus.CONFIRMED, registration__trainee__in=trainees
    ).count()
    report.check(
        f"database: exactly {int(free_before)} new seats, {taken}/{course.capacity} taken",
        new_confirmed == free_before and taken == course.capacity,
        f"{new_confirmed} new confirmed",
    )
    waiting = list(
        lines_with_positions().filter(course=course, status=LineStatus.WAITLISTED).order_by()
    )
    positions = sorted(ln.ahead + 1 for ln in waiting)
    orders = [ln.queue_order for ln in waiting]
    report.check(
        f"database: {expected_wait} waiting, positions 1..{expected_wait} unique",
        positions == list(range(1, expected_wait + 1)) and len(set(orders)) == len(orders),
        f"{len(waiting)} waiting",
    )
    per_trainee = Counter(
        Registration.objects.filter(course_week=week, trainee__in=trainees).values_list(
            "trainee_id", flat=True
        )
    )
    lines = RegistrationLine.objects.filter(registration__course_week=week).count()
    registrations = Registration.objects.filter(course_week=week).count()
    answered_ids = sorted(b["id"] for b in bodies if "id" in b)
    stored_ids = sorted(
        Registration.objects.filter(course_week=week, trainee__in=trainees).values_list(
            "pk", flat=True
        )
    )
    report.check(
        "database: no registration lost or duplicated",
        len(per_trainee) == len(trainees)
        and set(per_trainee.values()) == {1}
        and lines == registrations
        and answered_ids == stored_ids,
        f"{registrations} registrations, {lines} lines",
    )
    verify_no_overbooking(report, "rush")


def verify_duplicates(report: Report, burst: Burst, *, week: Any, trainee: Any) -> None:
    from stportal.registrations.models import Registration, RegistrationLine

    codes = Counter((o.status, (o.json() or {}).get("code")) for o in burst.outcomes)
    created = [o.json() for o in burst.outcomes if o.status == 201]
    existing = {
        (o.json() or {}).get("existing_registration_id") for o in burst.outcomes if o.status == 409
    }
    n = len(burst.outcomes)
    report.check(
        f"duplicates: exactly one 201, {n - 1} × 409 registration_exists",
        codes[(201, None)] == 1 and codes[(409, "registration_exists")] == n - 1,
        f"{dict(codes)}",
    )
    stored = Registration.objects.filter(course_week=week, trainee=trainee)
    report.check(
        "duplicates: one registration and one line stored, named by every 409",
        stored.count() == 1
        and RegistrationLine.objects.filter(registration__in=stored).count() == 1
        and existing == {created[0]["id"] if created else None},
        f"existing_registration_id values {sorted(existing, key=str)}",
    )
    verify_no_overbooking(report, "duplicates")
