"""Course series of the caller's region(s) (C1); weeks name their series by id or name."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from stportal.api.auth import AUTH, STAFF_AUTH, caller
from stportal.api.schemas import CourseSeriesOut, CourseSeriesPatch
from stportal.core.errors import NotFound
from stportal.courses import permissions, selectors, series_services
from stportal.courses.models import CourseSeries

router = Router(auth=AUTH, tags=["course series"])


@router.get("", response=list[CourseSeriesOut], summary="List course series")
def list_course_series(request: HttpRequest) -> QuerySet[CourseSeries]:
    return selectors.series_for_user(caller(request))


@router.patch(
    "/{id:series_id}",
    auth=STAFF_AUTH,
    response=CourseSeriesOut,
    summary="Change a series' priority policy (C9)",
)
def change_course_series(
    request: HttpRequest, series_id: int, payload: CourseSeriesPatch
) -> CourseSeries:
    user = caller(request)
    series = selectors.series_for_user(user).filter(pk=series_id).first()
    if series is None or not permissions.may_manage_region(user, series.region_id):
        raise NotFound()
    if payload.priority_policy is not None:
        series = series_services.set_priority_policy(
            actor=user, series=series, policy=payload.priority_policy
        )
    return selectors.series_for_user(user).get(pk=series.pk)
