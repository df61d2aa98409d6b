"""Request and response shapes for registrations, allocation, offers and fees (Appendix A)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from stportal.api.types import Capacity, Day, Id, TextOf
from stportal.registrations.fees import FeeDecision
from stportal.registrations.lines import NOT_CANCELLED, offer_lapsed
from stportal.registrations.models import Fee, LineStatus, Registration, RegistrationLine
from stportal.registrations.projection import Projection, project_pending
from stportal.registrations.reasons import describe, fixed_text

# What a registration's free text may hold: the model's own limits.
DietaryNeeds = TextOf(Registration, "dietary_needs")
EarlierCoursesNote = TextOf(Registration, "earlier_courses_note")
RegistrationNote = TextOf(Registration, "note")
CancelReason = TextOf(RegistrationLine, "cancel_reason")
# A course week holds a handful of courses.
MAX_COURSES = 50


class RegistrationIn(Schema):
    trainee_id: Id | None = Field(None, description="Staff only: register on behalf.")
    course_ids: list[Id] | None = Field(
        None, max_length=MAX_COURSES, description="Omitted: the whole week (C5)."
    )
    needs_lodging: bool = False
    dietary_needs: DietaryNeeds = ""
    earlier_courses_note: EarlierCoursesNote = Field(
        "", description="Which earlier courses cover the courses not chosen (C5)."
    )
    note: RegistrationNote = ""


class RegistrationPatch(Schema):
    course_ids: list[Id] | None = Field(None, max_length=MAX_COURSES)
    needs_lodging: bool | None = None
    dietary_needs: DietaryNeeds | None = None
    earlier_courses_note: EarlierCoursesNote | None = None
    note: RegistrationNote | None = None


class CancelRegistrationIn(Schema):
    course_ids: list[Id] | None = Field(
        None, max_length=MAX_COURSES, description="Omitted: every course."
    )
    reason: CancelReason = ""
    acceptable_reason: bool = Field(False, description="Staff only: waives the fee (C14).")


class OfferIn(Schema):
    course_id: Id


class WaiveIn(Schema):
    reason: TextOf(Fee, "reason")


class AllocationIn(Schema):
    dry_run: bool = True


class CapacityIn(Schema):
    capacity: Capacity | None = Field(
        None, ge=1, description="Empty: the course follows the week's capacity (C3)."
    )


class FeeOut(Schema):
    status: Literal["charged", "waived"]
    amount: int


class LineOut(Schema):
    id: int
    course_id: int
    course_title: str
    status: str
    late: bool
    waitlist_position: int | None
    offer_expires_at: dt.datetime | None
    reason_code: str
    reason: str
    confirmed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    fee: FeeOut | None
    projected_status: str | None = Field(
        None,
        description="While pending: confirmed or waitlisted, where allocation would put the "
        "line if it ran now.",
    )
    projected_position: int | None = Field(
        None, description="While pending: the waiting-list place it would get, or null."
    )


class RegistrationOut(Schema):
    id: int
    trainee_id: int
    trainee_name: str
    course_week_id: int
    course_week_title: str
    home_unit_id: int
    late: bool
    created_at: dt.datetime
    needs_lodging: bool
    dietary_needs: str
    earlier_courses_note: str
    note: str
    lines: list[LineOut]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _fee(decision: FeeDecision | None) -> dict[str, Any] | None:
    if decision is None or decision.status is None:
        return None
    return {"status": decision.status, "amount": decision.amount or 0}


def line_out(
    line: RegistrationLine, fee_override: Any = ..., projected: Projection | None = None
) -> dict[str, Any]:
    if fee_override is not ...:
        fee = _fee(fee_override)
    elif line.fee_id is not None:
        fee = {"status": line.fee.status, "amount": line.fee.amount}
    else:
        fee = None
    ahead = getattr(line, "ahead", None)
    position = None
    if line.status == LineStatus.WAITLISTED:
        if ahead is None:
            from stportal.registrations.services import waitlist_position

            position = waitlist_position(line)
        else:
            position = ahead + 1
    # C11: an offer whose time is up reads as lapsed at once, before anything writes it.
    lapsed = offer_lapsed(
        status=line.status, offer_expires_at=line.offer_expires_at, now=timezone.now()
    )
    return {
        "id": line.pk,
        "course_id": line.course_id,
        "course_title": line.course.title,
        "status": LineStatus.CANCELLED if lapsed else line.status,
        "late": line.late,
        "waitlist_position": position,
        "offer_expires_at": _local(line.offer_expires_at),
        "reason_code": "offer_lapsed" if lapsed else line.reason_code,
        "reason": fixed_text("offer_lapsed") if lapsed else describe(line),
        "confirmed_at": _local(line.confirmed_at),
        "cancelled_at": _local(line.cancelled_at),
        "cancel_reason": line.cancel_reason,
        "fee": fee,
        "projected_status": projected.status if projected else None,
        "projected_position": projected.position if projected else None,
    }


def registration_out(
    registration: Registration,
    fee_by_line: dict[int, FeeDecision | None] | None = None,
    projections: dict[int, Projection] | None = None,
) -> dict[str, Any]:
    lines = list(registration.lines.all())
    if projections is None:
        projections = project_pending([registration])
    active = [ln for ln in lines if ln.status in NOT_CANCELLED] or lines
    return {
        "id": registration.pk,
        "trainee_id": registration.trainee_id,
        "trainee_name": registration.trainee.user.display_name,
        "course_week_id": registration.course_week_id,
        "course_week_title": registration.course_week.title,
        "home_unit_id": registration.home_unit_id,
        "late": any(ln.late for ln in active),
        "created_at": _local(registration.created_at),
        "needs_lodging": registration.needs_lodging,
        "dietary_needs": registration.dietary_needs,
        "earlier_courses_note": registration.earlier_courses_note,
        "note": registration.note,
        "lines": [
            line_out(ln, fee_by_line[ln.pk], projections.get(ln.pk))
            if fee_by_line is not None and ln.pk in fee_by_line
            else line_out(ln, projected=projections.get(ln.pk))
            for ln in lines
        ],
    }


class PlacedOut(Schema):
    registration_id: int
    trainee_id: int
    trainee_name: str
    status: str
    waitlist_position: int | None
    reason_code: str
    reason: str
    late: bool
    planned_completion: dt.date
    planned_completion_changed_after_deadline: bool


class CourseAllocationOut(Schema):
    course_id: int
    title: str
    capacity: int
    confirmed: list[int] = Field(description="Registration ids holding a seat after the run.")
    waitlisted: list[int] = Field(description="Registration ids in waiting-list order.")
    placed: list[PlacedOut] = Field(description="What this run placed, in priority order.")


class AllocationOut(Schema):
    course_week_id: int
    dry_run: bool
    courses: list[CourseAllocationOut]


class FeeRowOut(Schema):
    registration_id: int
    trainee_name: str
    course_week_id: int
    course_week: str
    course_week_start: dt.date
    home_unit_id: int
    home_unit: str
    cost_centre: str
    invoice_address: str
    area: str
    purchaser_id: str
    amount: int
    status: str
    cause: str
    reason: str
    charged_at: dt.date


class RegionInvoiceRowOut(Schema):
    """C23: one guest registration on a week of the caller's region, and what the guest's
    region owes for it: seats × price per seat, lodging nights × price per night, and fees."""

    region: str
    course_week_id: int
    course_week: str
    registration_id: int
    trainee_name: str
    home_unit: str
    seats: int
    seat_price: int
    nights: int
    nightly_rate: int
    fees: int
    amount: int


class RegionInvoiceFilter(Schema):
    date_from: Day | None = Field(None, alias="from", description="Course weeks starting from")
    date_to: Day | None = Field(None, alias="to", description="Course weeks starting up to")
    format: Literal["json", "csv", "xlsx"] = "json"


class FeeFilter(Schema):
    date_from: Day | None = Field(None, alias="from", description="Course weeks from")
    date_to: Day | None = Field(None, alias="to", description="Course weeks up to")
    home_unit_id: Id | None = None
    format: Literal["json", "csv", "xlsx"] = "json"
