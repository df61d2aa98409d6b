"""Registrations, allocation, offers, capacity and fees (C5–C16, Appendix A).

A trainee acts for self; staff act within their regions only (a trainee of their regions, on
a week of their regions); a unit manager reads the registrations of own home units. Who may
do what is decided in `registrations.permissions`. Actions answer the registration as it now
is.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from stportal.accounts.models import TraineeProfile
from stportal.api.auth import AUTH, STAFF_AUTH, caller
from stportal.api.registration_schemas import (
    AllocationIn,
    AllocationOut,
    CancelRegistrationIn,
    CapacityIn,
    FeeFilter,
    FeeRowOut,
    OfferIn,
    RegionInvoiceFilter,
    RegionInvoiceRowOut,
    RegistrationIn,
    RegistrationOut,
    RegistrationPatch,
    WaiveIn,
    registration_out,
)
from stportal.api.schemas import CourseOut
from stportal.core import spreadsheets
from stportal.core.errors import NotFound, ValidationFailed
from stportal.courses import selectors as course_selectors
from stportal.courses.models import Course
from stportal.registrations import region_invoices as region_invoices_selector
from stportal.registrations import reports, selectors, services
from stportal.registrations.projection import project_pending

router = Router(tags=["registrations"])


def _registration(registration_id: int, fee_by_line=None) -> dict[str, Any]:
    registration = selectors.with_lines(
        selectors.Registration.objects.filter(pk=registration_id)
    ).get()
    return registration_out(registration, fee_by_line)


@router.post(
    "/course-weeks/{id:week_id}/registrations",
    auth=AUTH,
    response={201: RegistrationOut},
    summary="Register for a course week",
)
def register(request: HttpRequest, week_id: int, payload: RegistrationIn) -> Any:
    user = caller(request)
    week = course_selectors.get_course_week_for_user(user, week_id)
    if payload.trainee_id is None:
        trainee = (
            TraineeProfile.objects.select_related("user", "home_unit").filter(user=user).first()
        )
        if trainee is None:
            raise ValidationFailed(
                {"trainee_id": [_("Give the trainee to register (you are not a trainee).")]}
            )
    else:
        trainee = selectors.get_trainee_to_register(user, payload.trainee_id, week)
    registration = services.register_for_course_week(
        actor=user,
        week=week,
        trainee=trainee,
        course_ids=payload.course_ids,
        needs_lodging=payload.needs_lodging,
        dietary_needs=payload.dietary_needs,
        earlier_courses_note=payload.earlier_courses_note,
        note=payload.note,
    )
    return Status(201, registration_out(selectors.as_answered(registration)))


@router.get("/me/registrations", auth=AUTH, response=list[RegistrationOut], summary="Mine")
def my_registrations(request: HttpRequest) -> list[dict[str, Any]]:
    registrations = list(selectors.registrations_of_trainee_user(caller(request)))
    projections = project_pending(registrations)
    return [registration_out(r, projections=projections) for r in registrations]


@router.get(
    "/registrations/{id:registration_id}", auth=AUTH, response=RegistrationOut, summary="Get"
)
def get_registration(request: HttpRequest, registration_id: int) -> dict[str, Any]:
    return registration_out(selectors.get_registration_for_user(caller(request), registration_id))


@router.patch(
    "/registrations/{id:registration_id}", auth=AUTH, response=RegistrationOut, summary="Change"
)
def change_registration(
    request: HttpRequest, registration_id: int, payload: RegistrationPatch
) -> dict[str, Any]:
    user = caller(request)
    registration = selectors.get_registration_for_change(user, registration_id)
    services.change_registration(
        actor=user, registration=registration, **payload.model_dump(exclude_unset=True)
    )
    return _registration(registration_id)


@router.post(
    "/registrations/{id:registration_id}/cancel",
    auth=AUTH,
    response=RegistrationOut,
    summary="Cancel a registration or some of its courses",
)
def cancel_registration(
    request: HttpRequest, registration_id: int, payload: CancelRegistrationIn
) -> dict[str, Any]:
    user = caller(request)
    registration = selectors.get_registration_for_change(user, registration_id)
    result = services.cancel_registration_lines(
        actor=user,
        registration=registration,
        course_ids=payload.course_ids,
        reason=payload.reason,
        acceptable_reason=payload.acceptable_reason,
    )
    return _registration(registration_id, result.fee_by_line)


@router.post(
    "/registrations/{id:registration_id}/waive-fee",
    auth=STAFF_AUTH,
    response=RegistrationOut,
    summary="Record an acceptable reason: waive the fee (C14)",
)
def waive_fee(request: HttpRequest, registration_id: int, payload: WaiveIn) -> dict[str, Any]:
    user = caller(request)
    registration = selectors.get_registration_for_change(user, registration_id)
    services.record_acceptable_reason(actor=user, registration=registration, reason=payload.reason)
    return _registration(registration_id)


@router.post(
    "/registrations/{id:registration_id}/accept-offer",
    auth=AUTH,
    response=RegistrationOut,
    summary="Accept an offered seat (C11)",
)
def accept_offer(request: HttpRequest, registration_id: int, payload: OfferIn) -> dict[str, Any]:
    user = caller(request)
    registration = selectors.get_registration_for_change(user, registration_id)
    services.accept_offer(actor=user, registration=registration, course_id=payload.course_id)
    return _registration(registration_id)


@router.post(
    "/registrations/{id:registration_id}/decline-offer",
    auth=AUTH,
    response=RegistrationOut,
    summary="Decline an offered seat (C11)",
)
def decline_offer(request: HttpRequest, registration_id: int, payload: OfferIn) -> dict[str, Any]:
    user = caller(request)
    registration = selectors.get_registration_for_change(user, registration_id)
    services.decline_offer(actor=user, registration=registration, course_id=payload.course_id)
    return _registration(registration_id)


@router.post(
    "/course-weeks/{id:week_id}/allocation",
    auth=STAFF_AUTH,
    response=AllocationOut,
    summary="Allocate seats: preview (dry_run) or for real (C8–C10)",
)
def allocate(request: HttpRequest, week_id: int, payload: AllocationIn) -> dict[str, Any]:
    user = caller(request)
    week = course_selectors.get_course_week_for_user(user, week_id, staff=True)
    result = services.run_allocation(actor=user, week=week, dry_run=payload.dry_run)
    return {
        "course_week_id": result.week_id,
        "dry_run": result.dry_run,
        "courses": [
            {
                "course_id": course.course_id,
                "title": course.title,
                "capacity": course.capacity,
                "confirmed": course.confirmed,
                "waitlisted": course.waitlisted,
                "placed": [
                    {
                        "registration_id": p.registration_id,
                        "trainee_id": p.trainee_id,
                        "trainee_name": p.trainee_name,
                        "status": p.status,
                        "waitlist_position": p.position,
                        "reason_code": p.reason_code,
                        "reason": p.reason,
                        "late": p.late,
                        "planned_completion": p.planned_completion,
                        "planned_completion_changed_after_deadline": (
                            p.planned_completion_changed_after_deadline
                        ),
                    }
                    for p in course.placed
                ],
            }
            for course in result.courses
        ],
    }


@router.put(
    "/courses/{id:course_id}/capacity",
    auth=STAFF_AUTH,
    response=CourseOut,
    summary="Change a course's capacity (C12)",
)
def change_capacity(request: HttpRequest, course_id: int, payload: CapacityIn) -> Course:
    user = caller(request)
    course = Course.objects.select_related("week").filter(pk=course_id).first()
    if course is None:
        raise NotFound()
    course_selectors.get_course_week_for_user(user, course.week_id, staff=True)
    services.change_course_capacity(actor=user, course=course, capacity=payload.capacity)
    return course_selectors.get_course_with_counts(course_id)


@router.get(
    "/region-invoices",
    auth=STAFF_AUTH,
    response=list[RegionInvoiceRowOut],
    summary="What other regions owe for their trainees' seats (C23): JSON, CSV or Excel",
    openapi_extra={"responses": {200: {"content": reports.FILE_CONTENT}}},
)
def region_invoices(request: HttpRequest, filters: Query[RegionInvoiceFilter]) -> Any:
    rows = region_invoices_selector.region_invoice_rows(
        caller(request), date_from=filters.date_from, date_to=filters.date_to
    )
    if filters.format == "json":
        return [region_invoices_selector.as_dict(row) for row in rows]
    return spreadsheets.table_response(
        region_invoices_selector.invoice_table(rows), stem="andra-regioner", kind=filters.format
    )


@router.get(
    "/fees",
    auth=AUTH,
    response=list[FeeRowOut],
    summary="Fee report (C16): JSON, or ?format=csv / ?format=xlsx",
    openapi_extra={"responses": {200: {"content": reports.FILE_CONTENT}}},
)
def fee_report(request: HttpRequest, filters: Query[FeeFilter]) -> Any:
    rows = reports.fee_rows(
        reports.fees_visible_to(caller(request)),
        date_from=filters.date_from,
        date_to=filters.date_to,
        home_unit_id=filters.home_unit_id,
    )
    if filters.format == "csv":
        return spreadsheets.file_response(reports.rows_to_csv(rows), filename="avgifter.csv")
    if filters.format == "xlsx":
        return spreadsheets.file_response(reports.rows_to_xlsx(rows), filename="avgifter.xlsx")
    return rows
