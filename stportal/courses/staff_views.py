"""The staff's course pages (C3, C4): change a course, remove it from its week.

Server-rendered, working without JavaScript. Reads through the selectors, writes through the
services (which check who may and audit every change); a rule that says no is shown on its
field or at the top of the form, never as a server error.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stportal.core.errors import ServiceError, ValidationFailed
from stportal.courses import selectors, services
from stportal.courses.forms import CourseEditForm, RemoveCourseForm
from stportal.courses.models import Course
from stportal.registrations.staff_views import staff_page

# Where a service's complaint about a field shows on the edit form.
_FORM_FIELDS = {
    "title": "title",
    "description": "description",
    "days": "days",
    "capacity": "capacity",
    "leaders": "leaders",
    "leader_ids": "leaders",
    "goals.2015": "goals_2015",
    "goals.2021": "goals_2021",
}


def _course(request: HttpRequest, course_id: int) -> Course:
    course = selectors.get_course_for_staff(request.user, course_id)
    if course.removed_at is not None:
        raise Http404
    return course


def _week_url(course: Course) -> str:
    return reverse("staff:week", args=[course.week_id]) + "#courses-heading"


def _show_errors(form: CourseEditForm, exc: ServiceError) -> None:
    if exc.code == "capacity_below_taken":
        form.add_error("capacity", _("The capacity cannot be lower than the seats already taken."))
        return
    if isinstance(exc, ValidationFailed) and exc.fields:
        for name, problems in exc.fields.items():
            for problem in problems:
                form.add_error(_FORM_FIELDS.get(name), problem)
        return
    form.add_error(None, exc.message)


@staff_page
def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    """C3: title, description, days (Monday to Friday of the week), capacity (C12), leaders
    and goals. New days move what is read from them and tell the people registered."""
    course = _course(request, course_id)
    if request.method == "POST":
        form = CourseEditForm(request.POST, course=course)
        if form.is_valid():
            data = form.cleaned_data
            try:
                goals = selectors.resolve_goals(form.goal_codes)
                leaders = selectors.resolve_leaders(
                    data["leaders"], week=course.week, field="leaders"
                )
                services.update_course(
                    actor=request.user,
                    course=course,
                    title=data["title"],
                    description=data["description"],
                    days=data["days"],
                    capacity=data["capacity"],
                    leaders=leaders,
                    goals=goals,
                    goals_2008_text=data["goals_2008"],
                )
            except ServiceError as exc:
                _show_errors(form, exc)
            else:
                messages.success(
                    request, _("%(course)s is saved.") % {"course": data["title"].strip()}
                )
                return redirect(_week_url(course))
    else:
        form = CourseEditForm(course=course)
    return render(
        request,
        "courses/staff/course_edit.html",
        {"course": course, "week": course.week, "form": form},
    )


@staff_page
def course_remove(request: HttpRequest, course_id: int) -> HttpResponse:
    """C4: remove a course from its week, with a reason. Its registrations are cancelled by the
    organiser, free of charge, and the participants are told."""
    course = _course(request, course_id)
    affected = selectors.active_registration_count(course)
    form = RemoveCourseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.remove_course(
                actor=request.user, course=course, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            for problems in exc.fields.values():
                for problem in problems:
                    form.add_error("reason", problem)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            text = ngettext(
                "%(course)s is removed. %(count)d registration was cancelled free of charge "
                "and its trainee told.",
                "%(course)s is removed. %(count)d registrations were cancelled free of charge "
                "and their trainees told.",
                affected,
            )
            messages.success(request, text % {"course": course.title, "count": affected})
            return redirect(_week_url(course))
    return render(
        request,
        "courses/staff/course_remove.html",
        {"course": course, "week": course.week, "form": form, "affected": affected},
    )
