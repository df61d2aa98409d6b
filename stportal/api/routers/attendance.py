"""Course leader endpoints: participants, attendance, results, closing and reopening the
register (C17, Appendix A). The course's own leader(s) and staff of the region; reopening is
for staff. Actions answer the register as it now is."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from stportal.api.attendance_schemas import (
    AttendanceIn,
    ParticipantOut,
    ReasonIn,
    RegisterOut,
    ResultsIn,
    participant_out,
    register_out,
)
from stportal.api.auth import AUTH, STAFF_AUTH, caller
from stportal.attendance import selectors, services

router = Router(tags=["attendance"])


@router.get(
    "/courses/{id:course_id}/participants",
    auth=AUTH,
    response=list[ParticipantOut],
    summary="Participants with attendance and result (C17)",
)
def participants(request: HttpRequest, course_id: int) -> list[dict[str, Any]]:
    course = selectors.get_course_for_register(caller(request), course_id)
    return [participant_out(row) for row in selectors.participants(course)]


@router.get(
    "/courses/{id:course_id}/register",
    auth=AUTH,
    response=RegisterOut,
    summary="The course's register: days, participants, closed or not, what closing needs",
)
def get_register(request: HttpRequest, course_id: int) -> dict[str, Any]:
    course = selectors.get_course_for_register(caller(request), course_id)
    return register_out(selectors.register_view(course))


@router.put(
    "/courses/{id:course_id}/attendance",
    auth=AUTH,
    response=list[ParticipantOut],
    summary="Record attendance per course day (C17)",
)
def record_attendance(
    request: HttpRequest, course_id: int, payload: AttendanceIn
) -> list[dict[str, Any]]:
    user = caller(request)
    course = selectors.get_course_for_register(user, course_id)
    services.record_attendance(
        actor=user,
        course=course,
        records=[(r.registration_id, r.date, r.present, r.note) for r in payload.records],
    )
    return [participant_out(row) for row in selectors.participants(course)]


@router.post(
    "/courses/{id:course_id}/results",
    auth=AUTH,
    response=list[ParticipantOut],
    summary="Pass, fail or mark incomplete (C17)",
)
def record_results(
    request: HttpRequest, course_id: int, payload: ResultsIn
) -> list[dict[str, Any]]:
    user = caller(request)
    course = selectors.get_course_for_register(user, course_id)
    services.record_results(
        actor=user,
        course=course,
        results=[(r.registration_id, r.outcome, r.reason) for r in payload.results],
    )
    return [participant_out(row) for row in selectors.participants(course)]


@router.post(
    "/courses/{id:course_id}/close",
    auth=AUTH,
    response=RegisterOut,
    summary="Close the register (C17): 409 register_incomplete with what is missing",
)
def close_register(request: HttpRequest, course_id: int) -> dict[str, Any]:
    user = caller(request)
    course = selectors.get_course_for_register(user, course_id)
    services.close_register(actor=user, course=course)
    return register_out(selectors.register_view(course))


@router.post(
    "/courses/{id:course_id}/reopen",
    auth=STAFF_AUTH,
    response=RegisterOut,
    summary="Reopen a closed register (staff, C17)",
)
def reopen_register(request: HttpRequest, course_id: int, payload: ReasonIn) -> dict[str, Any]:
    user = caller(request)
    course = selectors.get_course_for_staff(user, course_id)
    services.reopen_register(actor=user, course=course, reason=payload.reason)
    return register_out(selectors.register_view(course))
