"""Course weeks and their courses (C3, C4, Appendix A).

Everyone who belongs to a region reads its published weeks; staff of the region also see
drafts and make every change. Actions answer the week as it now is.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from stportal.api.auth import AUTH, STAFF_AUTH, caller
from stportal.api.errors import resolve_together
from stportal.api.schemas import (
    CancelIn,
    CourseIn,
    CourseOut,
    CourseWeekDetailOut,
    CourseWeekIn,
    CourseWeekOut,
    CourseWeekPatch,
)
from stportal.courses import selectors, services
from stportal.courses.models import Course, CourseWeek
from stportal.courses.states import WeekState

router = Router(tags=["course weeks"])


def _detail(request: HttpRequest, week_id: int) -> CourseWeek:
    return selectors.with_courses(selectors.get_course_week_for_user(caller(request), week_id))


@router.post("", auth=STAFF_AUTH, response={201: CourseWeekDetailOut}, summary="Create a week")
def create_course_week(request: HttpRequest, payload: CourseWeekIn) -> CourseWeek:
    user = caller(request)
    week = services.create_course_week(
        actor=user,
        series=selectors.resolve_series_for_staff(user, payload.series),
        title=payload.title,
        start_date=payload.start_date,
        end_date=payload.end_date,
        place=payload.place,
        capacity=payload.capacity,
        invitation_date=payload.invitation_date,
        registration_deadline=payload.registration_deadline,
        cancellation_deadline=payload.cancellation_deadline,
        late_cancellation_fee=payload.late_cancellation_fee,
        host_site=payload.host_site,
        certifier=payload.certifier,
        lodging_nightly_rate=payload.lodging_nightly_rate,
        open_to_regions=payload.open_to_regions,
        guest_seat_price=payload.guest_seat_price,
        guest_lodging_nightly_rate=payload.guest_lodging_nightly_rate,
    )
    return _detail(request, week.pk)


@router.get("", auth=AUTH, response=list[CourseWeekOut], summary="List course weeks")
def list_course_weeks(request: HttpRequest, state: WeekState | None = None) -> QuerySet[CourseWeek]:
    return selectors.weeks_for_user(caller(request), state=state)


@router.get(
    "/{id:week_id}", auth=AUTH, response=CourseWeekDetailOut, summary="Get a week with courses"
)
def get_course_week(request: HttpRequest, week_id: int) -> CourseWeek:
    return _detail(request, week_id)


@router.patch(
    "/{id:week_id}", auth=STAFF_AUTH, response=CourseWeekDetailOut, summary="Change a week"
)
def update_course_week(request: HttpRequest, week_id: int, payload: CourseWeekPatch) -> CourseWeek:
    user = caller(request)
    week = selectors.get_course_week_for_user(user, week_id, staff=True)
    changes = payload.model_dump(exclude_unset=True)
    if "series" in changes:
        changes["series"] = selectors.resolve_series_for_staff(
            user, changes["series"], region_id=week.series.region_id
        )
    services.update_course_week(actor=user, week=week, changes=changes)
    return _detail(request, week_id)


@router.post(
    "/{id:week_id}/publish", auth=STAFF_AUTH, response=CourseWeekDetailOut, summary="Publish"
)
def publish_course_week(request: HttpRequest, week_id: int) -> CourseWeek:
    user = caller(request)
    week = selectors.get_course_week_for_user(user, week_id, staff=True)
    services.publish_course_week(actor=user, week=week)
    return _detail(request, week_id)


@router.post(
    "/{id:week_id}/cancel", auth=STAFF_AUTH, response=CourseWeekDetailOut, summary="Cancel"
)
def cancel_course_week(
    request: HttpRequest, week_id: int, payload: CancelIn | None = None
) -> CourseWeek:
    user = caller(request)
    week = selectors.get_course_week_for_user(user, week_id, staff=True)
    reason = payload.reason.strip() if payload is not None else ""
    services.cancel_course_week(actor=user, week=week, reason=reason)
    return _detail(request, week_id)


@router.post(
    "/{id:week_id}/courses", auth=STAFF_AUTH, response={201: CourseOut}, summary="Add a course"
)
def add_course(request: HttpRequest, week_id: int, payload: CourseIn) -> Course:
    user = caller(request)
    week = selectors.get_course_week_for_user(user, week_id, staff=True)
    refs = resolve_together(
        goals=lambda: selectors.resolve_goals(
            {"2015": payload.goals.v2015, "2021": payload.goals.v2021}
        ),
        leaders=lambda: selectors.resolve_leaders(payload.leader_ids, week=week),
    )
    course = services.add_course(
        actor=user,
        week=week,
        title=payload.title,
        description=payload.description,
        days=payload.days,
        capacity=payload.capacity,
        leaders=refs["leaders"],
        goals=refs["goals"],
        goals_2008_text=(payload.goals_2008 or payload.goals.v2008).strip(),
    )
    return selectors.get_course_with_counts(course.pk)
