"""Rows for the query-count tests of the course programme's lists (SPEC 7): registrations
in a week (each with its lines and fee), course weeks (each with its courses, their days,
leaders and goals), copied from the matrix world's with `bulk_create`."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from stportal.core.tests.list_queries import copies, more_trainees
from stportal.core.tests.matrix_world import World
from stportal.courses.models import Course, CourseWeek
from stportal.registrations.models import Fee, Registration, RegistrationLine

_queue = itertools.count(10_000)


def copy_registrations(
    template: Registration,
    count: int,
    *,
    week_ids: list[int] | None = None,
    line_vary: dict | None = None,
    **vary,
) -> list[Registration]:
    """`count` copies of `template` with its lines and fee, each for a trainee of its own
    (like the owner), or with `week_ids`, each in its own week for the same trainee (the
    lines then follow the course of the same position in that week); `line_vary` gives the
    lines' fields a value."""
    if count <= 0:
        return []
    template = Registration.objects.select_related("trainee").get(pk=template.pk)
    values = dict(vary)
    if week_ids is None:
        trainees = more_trainees(template.trainee, count)
        values["trainee_id"] = lambda n: trainees[n].pk
    else:
        values["course_week_id"] = lambda n: week_ids[n]
    made = copies(template, count, vary=values)
    fee = Fee.objects.filter(registration=template).first()
    fees = copies(fee, count, vary={"registration_id": lambda n: made[n].pk}) if fee else []
    positions = {}
    if week_ids is not None:
        courses = Course.objects.filter(week_id__in=[template.course_week_id, *week_ids])
        by_week: dict[int, list[int]] = {}
        for course in courses.order_by("position", "pk"):
            by_week.setdefault(course.week_id, []).append(course.pk)
        own = by_week[template.course_week_id]
        positions = {n: dict(zip(own, by_week[week_ids[n]], strict=False)) for n in range(count)}
    for line in RegistrationLine.objects.filter(registration=template):
        copies(
            line,
            count,
            vary={
                "registration_id": lambda n: made[n].pk,
                "queue_order": lambda n, line=line: next(_queue) if line.queue_order else None,
                "fee_id": lambda n, line=line: fees[n].pk if line.fee_id and fees else None,
                "course_id": lambda n, line=line: (
                    positions[n][line.course_id] if positions else line.course_id
                ),
                **{name: (lambda n, v=value: v) for name, value in (line_vary or {}).items()},
            },
        )
    return made  # type: ignore[return-value]


def grow_week_registrations(
    template_of: Callable[[World], Registration], line_vary: dict | None = None, **vary
) -> Callable[[World, int], None]:
    """A `Route.grow`: registrations in the template's week until it holds `size`."""

    def grow(world: World, size: int) -> None:
        template = template_of(world)
        held = Registration.objects.filter(course_week_id=template.course_week_id).count()
        copy_registrations(template, size - held, line_vary=line_vary, **vary)

    return grow


def copy_weeks(template: CourseWeek, count: int) -> list[CourseWeek]:
    """`count` copies of `template` (a title of their own, a day later each), with its
    courses, their days, leaders and goals."""
    if count <= 0:
        return []
    start = CourseWeek.objects.count()
    weeks = copies(template, count, vary={"title": lambda n: f"Kopia {start + n:05d}"})
    for course in Course.objects.filter(week=template):
        copies(
            course,
            count,
            vary={"week_id": lambda n: weeks[n].pk},
            children=["days"],
            many=["leaders", "goals"],
        )
    return weeks  # type: ignore[return-value]
