"""Allocation (C8–C10): a week's pending lines placed by the pure core, as a preview or for
real."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.errors import ServiceError
from stportal.courses import permissions as course_permissions
from stportal.courses import states
from stportal.courses.models import CourseWeek
from stportal.notifications import services as notify
from stportal.registrations import allocation
from stportal.registrations.lines import SEAT_TAKING
from stportal.registrations.models import LineStatus, RegistrationLine
from stportal.registrations.services.locking import (
    _line_audit,
    _next_queue_order,
    _now,
    _seats_taken,
    lock_week,
)


@dataclass(frozen=True)
class PlacedLine:
    line_id: int
    registration_id: int
    trainee_id: int
    trainee_name: str
    status: str
    position: int | None
    reason_code: str
    reason: str
    planned_completion: dt.date
    planned_completion_changed_after_deadline: bool
    late: bool


@dataclass(frozen=True)
class CourseResult:
    course_id: int
    title: str
    capacity: int
    confirmed: list[int]  # registration ids holding a seat after the run
    waitlisted: list[int]  # registration ids in waiting-list order
    placed: list[PlacedLine]  # lines this run placed, in priority order


@dataclass(frozen=True)
class AllocationResult:
    week_id: int
    dry_run: bool
    courses: list[CourseResult]


def _requests_for(
    lines: Sequence[RegistrationLine], courses_taken: dict[int, int], *, host_region_id: int
) -> list[allocation.Request]:
    return [
        allocation.Request(
            line_id=ln.pk,
            registration_id=ln.registration_id,
            trainee_id=ln.registration.trainee_id,
            requested_at=ln.requested_at,
            late=ln.late,
            planned_completion=ln.registration.trainee.planned_completion,
            st_start=ln.registration.trainee.st_start,
            employment_percent=ln.registration.trainee.employment_percent,
            credited_months=ln.registration.trainee.credited_months,
            courses_taken=courses_taken.get(ln.registration.trainee_id, 0),
            guest=allocation.is_guest(
                home_region_id=ln.registration.home_unit.region_id,
                host_region_id=host_region_id,
            ),
        )
        for ln in lines
    ]


def run_allocation(
    *, actor: User | None, week: CourseWeek, dry_run: bool, now: dt.datetime | None = None
) -> AllocationResult:
    """Allocate every course of a week (C8–C10): preview or for real.

    1. Only after the registration deadline (`deadline_not_passed` before it).
    2. Pending lines are placed by the pure core under the week's priority policy; the
       trainee's planned completion is read now (C5a) and changes after the deadline are
       flagged in the preview.
    3. Deterministic and idempotent: a second run finds no pending line and changes nothing.
    4. A preview runs the same code inside a transaction that is rolled back.
    """
    now = _now(now)
    try:
        with transaction.atomic():
            result = _allocate_locked(actor=actor, week_id=week.pk, dry_run=dry_run, now=now)
            if dry_run:
                raise _Rollback(result)
    except _Rollback as rollback:
        return rollback.result
    return result


class _Rollback(Exception):
    def __init__(self, result: AllocationResult) -> None:
        super().__init__("preview")
        self.result = result


def _allocate_locked(
    *, actor: User | None, week_id: int, dry_run: bool, now: dt.datetime
) -> AllocationResult:
    from stportal.accounts.models import PlannedCompletionChange

    week, courses = lock_week(week_id)
    course_permissions.require_manage_week(actor, week)
    try:
        states.check_allocate(week.state_at(now))
    except states.TransitionError as exc:
        if exc.code == "deadline_not_passed":
            raise ServiceError(
                "deadline_not_passed",
                _("Allocation can run only after the registration deadline (%(date)s).")
                % {"date": week.registration_deadline.isoformat()},
            ) from exc
        raise ServiceError(exc.code, _("This course week cannot be allocated now.")) from exc
    policy = week.series.priority_policy
    deadline = week.windows.registration_closes
    pending = list(
        RegistrationLine.objects.filter(
            course__week_id=week.pk, status=LineStatus.PENDING, course__removed_at__isnull=True
        ).select_related("registration__trainee__user", "registration__home_unit")
    )
    trainee_ids = {ln.registration.trainee_id for ln in pending}
    changed_after = set(
        PlannedCompletionChange.objects.filter(
            trainee_id__in=trainee_ids, changed_at__gte=deadline
        ).values_list("trainee_id", flat=True)
    )
    courses_taken: dict[int, int] = {}
    if policy == allocation.Policy.MONTHS_SERVED_FEWEST_COURSES:
        for trainee_id in RegistrationLine.objects.filter(
            registration__trainee_id__in=trainee_ids, status=LineStatus.PASSED
        ).values_list("registration__trainee_id", flat=True):
            courses_taken[trainee_id] = courses_taken.get(trainee_id, 0) + 1
    by_course: dict[int, list[RegistrationLine]] = {}
    for line in pending:
        by_course.setdefault(line.course_id, []).append(line)
    results = []
    events = []
    for course_id, course in courses.items():
        if course.removed_at is not None:
            continue
        lines = by_course.get(course_id, [])
        taken = _seats_taken(course_id)
        waiting = RegistrationLine.objects.filter(
            course_id=course_id, status=LineStatus.WAITLISTED
        ).count()
        # A full course may have lines waiting; with free seats the list was promoted (C11).
        free_and_waiting = max(0, course.capacity - taken) and waiting
        outcome = allocation.allocate_course(
            _requests_for(lines, courses_taken, host_region_id=week.series.region_id),
            capacity=course.capacity,
            seats_taken_already=taken if not free_and_waiting else course.capacity,
            waiting_already=waiting,
            policy=policy,
            week_start=week.start_date,
        )
        line_by_id = {ln.pk: ln for ln in lines}
        next_order = _next_queue_order(course_id)
        placed = []
        for placement in outcome.placements:
            line = line_by_id[placement.line_id]
            line.status = placement.status
            line.reason_code = placement.reason_code
            line.reason = placement.reason_text
            if placement.status == LineStatus.CONFIRMED:
                line.confirmed_at = now
            else:
                line.queue_order = next_order
                next_order += 1
            trainee = line.registration.trainee
            placed.append(
                PlacedLine(
                    line_id=line.pk,
                    registration_id=line.registration_id,
                    trainee_id=trainee.pk,
                    trainee_name=trainee.user.display_name,
                    status=placement.status,
                    position=placement.position,
                    reason_code=placement.reason_code,
                    reason=placement.reason_text,
                    planned_completion=trainee.planned_completion,
                    planned_completion_changed_after_deadline=trainee.pk in changed_after,
                    late=line.late,
                )
            )
            events.append(_line_audit(actor, line, LineStatus.PENDING, "line.allocated"))
        if lines and not dry_run:
            _write_placements(lines, now=now)
        holders = sorted(
            RegistrationLine.objects.filter(
                course_id=course_id, status__in=SEAT_TAKING
            ).values_list("registration_id", flat=True)
        )
        waiters = list(
            RegistrationLine.objects.filter(course_id=course_id, status=LineStatus.WAITLISTED)
            .order_by("queue_order", "id")
            .values_list("registration_id", flat=True)
        )
        if dry_run:
            new_confirmed = [p.registration_id for p in placed if p.status == "confirmed"]
            new_waiting = [p.registration_id for p in placed if p.status == "waitlisted"]
            holders = sorted(holders + new_confirmed)
            waiters = waiters + new_waiting
        results.append(
            CourseResult(
                course_id=course_id,
                title=course.title,
                capacity=course.capacity,
                confirmed=holders,
                waitlisted=waiters,
                placed=placed,
            )
        )
    if not dry_run:
        audit.record_many(events)
        if week.stored_state != states.StoredState.ALLOCATED:
            before = audit.snapshot(week, ["stored_state", "allocated_at"])
            week.stored_state = states.StoredState.ALLOCATED
            week.allocated_at = now
            week.save(update_fields=["stored_state", "allocated_at"])
            audit.record(
                actor=actor,
                action="course_week.allocated",
                obj=week,
                before=before,
                after=audit.snapshot(week, ["stored_state", "allocated_at"]),
            )
        _notify_placements(
            week, pending, positions={p.line_id: p.position for c in results for p in c.placed}
        )
    return AllocationResult(week_id=week.pk, dry_run=dry_run, courses=results)


def _notify_placements(
    week: CourseWeek, lines: Sequence[RegistrationLine], *, positions: dict[int, int | None]
) -> None:
    """C22: one message per person (a trainee's lines together, one digest per unit manager),
    queued in bulk in the run's transaction; the mail worker sends them."""
    notify.notify_allocation(week, lines, positions=positions)


def _write_placements(lines: Sequence[RegistrationLine], *, now: dt.datetime) -> None:
    """One UPDATE per outcome (status and reason), and the waiting order for waiting lines:
    far cheaper than a bulk update that builds a CASE per field and line."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for line in lines:
        groups.setdefault((line.status, line.reason_code, line.reason), []).append(line.pk)
    for (status, code, reason), ids in groups.items():
        changes: dict[str, Any] = {"status": status, "reason_code": code, "reason": reason}
        if status == LineStatus.CONFIRMED:
            changes["confirmed_at"] = now
        for start in range(0, len(ids), 500):
            RegistrationLine.objects.filter(pk__in=ids[start : start + 500]).update(**changes)
    waiting = [line for line in lines if line.status == LineStatus.WAITLISTED]
    if waiting:
        RegistrationLine.objects.bulk_update(waiting, ["queue_order"], batch_size=500)
