"""Changing and removing a course of a week (C3, C4, Appendix A): staff of the week's region.

Each answers the course as it now is; a removed course shows `removed: true`.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from stportal.api.auth import STAFF_AUTH, caller
from stportal.api.course_schemas import CoursePatch, RemoveCourseIn
from stportal.api.errors import resolve_together
from stportal.api.schemas import CourseOut
from stportal.courses import selectors, services
from stportal.courses.models import Course

router = Router(tags=["courses"])


@router.patch("/{id:course_id}", auth=STAFF_AUTH, response=CourseOut, summary="Change a course")
def update_course(request: HttpRequest, course_id: int, payload: CoursePatch) -> Course:
    """Days must lie in the week, Monday to Friday, each once; capacity follows the capacity
    rule (C12); leaders must belong to the week's region."""
    user = caller(request)
    course = selectors.get_course_for_staff(user, course_id)
    sent = payload.model_dump(exclude_unset=True, by_alias=False)
    lookups = {}
    if payload.goals is not None:
        goals = payload.goals
        lookups["goals"] = lambda: selectors.resolve_goals(
            {"2015": goals.v2015, "2021": goals.v2021}
        )
    if payload.leader_ids is not None:
        ids = payload.leader_ids
        lookups["leaders"] = lambda: selectors.resolve_leaders(ids, week=course.week)
    refs = resolve_together(**lookups) if lookups else {}
    goals_2008 = payload.goals_2008
    sent_goals = payload.goals
    if goals_2008 is None and sent_goals is not None and "v2008" in sent_goals.model_fields_set:
        goals_2008 = sent_goals.v2008
    services.update_course(
        actor=user,
        course=course,
        title=payload.title,
        description=payload.description,
        days=payload.days,
        capacity=sent["capacity"] if "capacity" in sent else services.UNCHANGED,
        leaders=refs.get("leaders"),
        goals=refs.get("goals"),
        goals_2008_text=goals_2008,
    )
    return selectors.get_course_with_counts(course_id, include_removed=True)


@router.post(
    "/{id:course_id}/remove", auth=STAFF_AUTH, response=CourseOut, summary="Remove a course"
)
def remove_course(request: HttpRequest, course_id: int, payload: RemoveCourseIn) -> Course:
    """C4: its lines are cancelled by the organiser, free of charge, and its participants are
    told; the course then shows `removed: true` and takes no registrations."""
    user = caller(request)
    course = selectors.get_course_for_staff(user, course_id)
    services.remove_course(actor=user, course=course, reason=payload.reason)
    return selectors.get_course_with_counts(course_id, include_removed=True)
