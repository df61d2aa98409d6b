"""Where do I stand? Where each pending line would land if allocation ran now (C9, C10).

A read: it computes with the same pure allocation the real run uses
(`allocation.allocate_course`, the same policy, the same inputs: every pending line of the
course, the seats already taken and the lines already waiting), and writes nothing. The
answer is a projection, not a promise: later registrations and changed planned completion
dates move it until the run.

Batched: one call answers for any number of registrations in a fixed number of queries, so a
list of registrations stays at a constant query count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from stportal.courses.models import Course
from stportal.registrations import allocation
from stportal.registrations.lines import SEAT_TAKING
from stportal.registrations.models import LineStatus, Registration, RegistrationLine
from stportal.registrations.reasons import describe_placement


@dataclass(frozen=True)
class Projection:
    status: str  # "confirmed" or "waitlisted"
    position: int | None  # the waiting-list place, None with a seat
    reason_code: str
    reason: str


# What the allocation reads of a pending line, read as plain values: a week's pending lines
# are read for every answer that shows a projection, so no model objects are built for them.
_REQUEST_FIELDS = (
    "pk",
    "course_id",
    "registration_id",
    "registration__trainee_id",
    "requested_at",
    "late",
    "registration__trainee__planned_completion",
    "registration__trainee__st_start",
    "registration__trainee__employment_percent",
    "registration__trainee__credited_months",
    "registration__home_unit__region_id",
)


def _request(
    row: tuple, courses_taken: dict[int, int], *, host_region_id: int
) -> allocation.Request:
    """The allocation's input for one line: the fields the real run reads (C5a: the trainee's
    planned completion as it stands now; C23: whether the home unit is of another region)."""
    (line_id, _course, registration_id, trainee_id, requested_at, late, planned, start, percent,
     credited, home_region_id) = row  # fmt: skip
    return allocation.Request(
        line_id=line_id,
        registration_id=registration_id,
        trainee_id=trainee_id,
        requested_at=requested_at,
        late=late,
        planned_completion=planned,
        st_start=start,
        employment_percent=percent,
        credited_months=credited,
        courses_taken=courses_taken.get(trainee_id, 0),
        guest=allocation.is_guest(home_region_id=home_region_id, host_region_id=host_region_id),
    )


def project_pending(registrations: Iterable[Registration]) -> dict[int, Projection]:
    """Line id -> projection, for every pending line of `registrations` (lines prefetched)."""
    asked = {
        line.pk: line.course_id
        for registration in registrations
        for line in registration.lines.all()
        if line.status == LineStatus.PENDING
    }
    course_ids = set(asked.values())
    if not course_ids:
        return {}
    courses = {
        course.pk: course
        for course in Course.objects.filter(pk__in=course_ids, removed_at__isnull=True)
        .select_related("week__series")
        .annotate(
            taken=Count("lines", filter=Q(lines__status__in=SEAT_TAKING)),
            waiting=Count("lines", filter=Q(lines__status=LineStatus.WAITLISTED)),
        )
    }
    pending = list(
        RegistrationLine.objects.filter(course_id__in=courses, status=LineStatus.PENDING)
        .order_by("pk")
        .values_list(*_REQUEST_FIELDS)
    )
    courses_taken: dict[int, int] = {}
    if any(
        c.week.series.priority_policy == allocation.Policy.MONTHS_SERVED_FEWEST_COURSES
        for c in courses.values()
    ):
        trainee_ids = {row[3] for row in pending}
        for row in (
            RegistrationLine.objects.filter(
                registration__trainee_id__in=trainee_ids, status=LineStatus.PASSED
            )
            .values("registration__trainee_id")
            .annotate(n=Count("pk"))
        ):
            courses_taken[row["registration__trainee_id"]] = row["n"]
    by_course: dict[int, list[tuple]] = {}
    for row in pending:
        by_course.setdefault(row[1], []).append(row)
    found: dict[int, Projection] = {}
    for course_id, rows in by_course.items():
        course = courses[course_id]
        capacity = course.capacity
        # As the real run: a course with free seats and lines waiting counts as full, since
        # those seats go to the waiting list first (C11).
        free_and_waiting = max(0, capacity - course.taken) and course.waiting
        outcome = allocation.allocate_course(
            [
                _request(row, courses_taken, host_region_id=course.week.series.region_id)
                for row in rows
            ],
            capacity=capacity,
            seats_taken_already=course.taken if not free_and_waiting else capacity,
            waiting_already=course.waiting,
            policy=course.week.series.priority_policy,
            week_start=course.week.start_date,
        )
        for placement in outcome.placements:
            if placement.line_id not in asked:
                continue  # another trainee's line: placed to know ours, not described
            found[placement.line_id] = Projection(
                status=placement.status,
                position=placement.position,
                reason_code=placement.reason_code,
                reason=describe_placement(
                    placement.reason_code, policy=course.week.series.priority_policy
                ),
            )
    return found
