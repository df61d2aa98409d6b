"""Course series of the caller's region(s) (C1); weeks name their series by id or name."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from stportal.api.auth import AUTH, caller
from stportal.api.schemas import CourseSeriesOut
from stportal.courses import selectors
from stportal.courses.models import CourseSeries

router = Router(auth=AUTH, tags=["course series"])


@router.get("", response=list[CourseSeriesOut], summary="List course series")
def list_course_series(request: HttpRequest) -> QuerySet[CourseSeries]:
    return selectors.series_for_user(caller(request))
