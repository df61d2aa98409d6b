"""The weeks and one week's page: publish, allocate, capacity (C4, C8–C12)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stportal.core import errors
from stportal.courses import services as course_services
from stportal.courses.models import CourseWeek
from stportal.registrations import reasons, services
from stportal.registrations import staff_selectors as sel
from stportal.registrations.models import LineStatus
from stportal.registrations.staff_forms import CapacityForm
from stportal.registrations.staff_views.common import _error_message, staff_page


@staff_page
def weeks(request: HttpRequest) -> HttpResponse:
    """The region's course weeks in every state with live counts per course (C4, C8)."""
    return render(request, "staff/weeks.html", {"overviews": sel.weeks_overview(request.user)})


def _week_context(request: HttpRequest, week: CourseWeek) -> dict[str, Any]:
    now = timezone.now()
    overview = sel.week_overview(week, now=now)
    return {
        "week": overview.week,
        "overview": overview,
        "deadline_passed": week.windows.is_late(now),
        "started": week.windows.has_started(now),
        "pending": sum(c.pending for c in overview.courses),
    }


def _render_week(
    request: HttpRequest,
    week: CourseWeek,
    *,
    bound: CapacityForm | None = None,
) -> HttpResponse:
    context = _week_context(request, week)
    forms = []
    for row in context["overview"].courses:
        if bound is not None and bound.course.pk == row.course.pk:
            form = bound
            form.course = row.course
        else:
            form = CapacityForm(course=row.course)
        form.seats_taken = row.seats_taken  # type: ignore[attr-defined]
        forms.append(form)
    context["capacity_forms"] = forms
    context["bound_form"] = bound
    return render(request, "staff/week.html", context)


@staff_page
def week_detail(request: HttpRequest, week_id: int) -> HttpResponse:
    return _render_week(request, sel.get_week_for_staff(request.user, week_id))


@staff_page
@require_POST
def publish(request: HttpRequest, week_id: int) -> HttpResponse:
    """C4: staff publish a draft; registration opens on the invitation date."""
    week = sel.get_week_for_staff(request.user, week_id)
    try:
        course_services.publish_course_week(actor=request.user, week=week)
    except errors.ServiceError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(
            request,
            _("%(week)s is published. Registration opens on %(date)s.")
            % {"week": week.title, "date": formats.date_format(week.invitation_date)},
        )
    return redirect("staff:week", week_id=week.pk)


@dataclass
class PlacedRow:
    rank: int
    placed: services.PlacedLine
    seat: bool
    reason: str


@dataclass
class CoursePreview:
    title: str
    capacity: int
    confirmed_after: int
    waiting_after: int
    rows: list[PlacedRow]


def _preview(result: services.AllocationResult, week: CourseWeek) -> list[CoursePreview]:
    courses = {c.pk: c for c in week.courses.all()}
    previews = []
    for course_result in result.courses:
        course = courses[course_result.course_id]
        course.week = week
        rows = []
        for rank, placed in enumerate(course_result.placed, start=1):
            # The reason in the reader's language, from its code (C9), as the trainee sees it.
            shim = SimpleNamespace(
                reason_code=placed.reason_code,
                reason=placed.reason,
                course=course,
                offer_expires_at=None,
            )
            rows.append(
                PlacedRow(
                    rank=rank,
                    placed=placed,
                    seat=placed.status == LineStatus.CONFIRMED,
                    reason=reasons.describe(shim),
                )
            )
        previews.append(
            CoursePreview(
                title=course_result.title,
                capacity=course_result.capacity,
                confirmed_after=len(course_result.confirmed),
                waiting_after=len(course_result.waitlisted),
                rows=rows,
            )
        )
    return previews


@staff_page
def allocate(request: HttpRequest, week_id: int) -> HttpResponse:
    """C8–C10, C5a. GET: the preview (nothing is saved); POST: allocate for real."""
    week = sel.get_week_for_staff(request.user, week_id)
    if request.method == "POST":
        try:
            result = services.run_allocation(actor=request.user, week=week, dry_run=False)
        except errors.ServiceError as exc:
            messages.error(request, _error_message(exc))
            return redirect("staff:allocate", week_id=week.pk)
        placed = [p for c in result.courses for p in c.placed]
        if placed:
            seats = sum(1 for p in placed if p.status == LineStatus.CONFIRMED)
            messages.success(
                request,
                ngettext(
                    "The seats are allocated: %(seats)d course place confirmed and "
                    "%(waiting)d placed on waiting lists. The trainees are told by e-mail.",
                    "The seats are allocated: %(seats)d course places confirmed and "
                    "%(waiting)d placed on waiting lists. The trainees are told by e-mail.",
                    seats,
                )
                % {"seats": seats, "waiting": len(placed) - seats},
            )
        else:
            messages.info(request, _("There was nothing to allocate: no registrations wait."))
        return redirect("staff:week", week_id=week.pk)
    error = ""
    previews: list[CoursePreview] = []
    try:
        result = services.run_allocation(actor=request.user, week=week, dry_run=True)
    except errors.ServiceError as exc:
        error = _error_message(exc)
    else:
        previews = _preview(result, week)
    placed_count = sum(len(p.rows) for p in previews)
    return render(
        request,
        "staff/allocate.html",
        {
            "week": week,
            "state": week.state,
            "error": error,
            "previews": previews,
            "placed_count": placed_count,
            "flagged": len(
                {
                    r.placed.trainee_id
                    for p in previews
                    for r in p.rows
                    if r.placed.planned_completion_changed_after_deadline
                }
            ),
        },
    )


@staff_page
@require_POST
def capacity(request: HttpRequest, course_id: int) -> HttpResponse:
    """C12: raise at any time (the waiting list moves up), lower down to the seats taken."""
    course = sel.get_course_for_staff(request.user, course_id)
    week = course.week
    form = CapacityForm(request.POST, course=course)
    if not form.is_valid():
        return _render_week(request, week, bound=form)
    try:
        changed = services.change_course_capacity(
            actor=request.user, course=course, capacity=form.new_capacity
        )
    except errors.ServiceError as exc:
        form.add_error("capacity", _error_message(exc))
        return _render_week(request, week, bound=form)
    changed.week = CourseWeek.objects.get(pk=week.pk)
    if form.new_capacity is None:
        text = ngettext(
            "%(course)s now follows the course week's capacity: %(capacity)d seat.",
            "%(course)s now follows the course week's capacity: %(capacity)d seats.",
            changed.capacity,
        )
    else:
        text = ngettext(
            "The capacity of %(course)s is now %(capacity)d seat.",
            "The capacity of %(course)s is now %(capacity)d seats.",
            changed.capacity,
        )
    messages.success(request, text % {"course": changed.title, "capacity": changed.capacity})
    return redirect(reverse("staff:week", args=[week.pk]) + "#capacity-heading")
