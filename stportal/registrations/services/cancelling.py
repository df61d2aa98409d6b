"""Cancelling and fees (C11, C14, C15): cancelling lines, the fee rule applied with the week's
settings, and the acceptable reason that waives a fee."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.dates import end_of_day
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from stportal.courses.models import Course, CourseWeek
from stportal.notifications import services as notify
from stportal.registrations import fees, permissions
from stportal.registrations.lines import CANCELLABLE, SEAT_TAKING
from stportal.registrations.models import Fee, FeeStatus, LineStatus, Registration, RegistrationLine
from stportal.registrations.services.locking import (
    _line_audit,
    _locked_registration,
    _now,
    lock_week,
)
from stportal.registrations.services.waiting_list import _promote_courses_locked


@dataclass
class CancelResult:
    registration: Registration
    fee_by_line: dict[int, fees.FeeDecision | None] = field(default_factory=dict)
    fee: Fee | None = None


def cancel_registration_lines(
    *,
    actor: User,
    registration: Registration,
    course_ids: Sequence[int] | None = None,
    reason: str = "",
    acceptable_reason: bool = False,
    now: dt.datetime | None = None,
) -> CancelResult:
    """Cancel a whole registration or some of its courses (C14, C15).

    1. Only staff may record an acceptable reason (which waives the fee).
    2. The fee is decided by the pure rule: free before the cancellation deadline instant and
       within 24 hours of a late confirmation; one fee per registration however many courses.
    3. Each seat freed goes to the first on the waiting list at once (C11).
    """
    now = _now(now)
    with transaction.atomic():
        week, courses = lock_week(registration.course_week_id)
        registration = _locked_registration(registration, week)
        staff = permissions.check_may_change(actor, registration)
        if acceptable_reason and not staff:
            raise PermissionDenied(_("Only course administrators may record an acceptable reason."))
        result = _cancel_locked(
            actor=actor,
            registration=registration,
            week=week,
            courses=courses,
            course_ids=course_ids,
            reason=reason,
            acceptable_reason=acceptable_reason,
            organiser=False,
            now=now,
        )
    return result


def _cancel_locked(
    *,
    actor: User | None,
    registration: Registration,
    week: CourseWeek,
    courses: dict[int, Course],
    course_ids: Sequence[int] | None,
    reason: str,
    acceptable_reason: bool,
    organiser: bool,
    now: dt.datetime,
    editing: bool = False,
) -> CancelResult:
    lines_qs = registration.lines.filter(status__in=CANCELLABLE)
    if course_ids is not None:
        lines_qs = lines_qs.filter(course_id__in=list(course_ids))
    lines = list(lines_qs.order_by("id"))
    if not lines:
        raise ServiceError("nothing_to_cancel", _("There is nothing left to cancel."))
    existing_fee = Fee.objects.filter(registration=registration).first()
    decision = decide_cancellation(
        week=week,
        lines=lines,
        existing_fee=existing_fee is not None,
        now=now,
        organiser=organiser,
        acceptable_reason=acceptable_reason,
        editing=editing,
    )
    fee = None
    if decision.fee.creates_fee:
        fee = Fee.objects.create(
            registration=registration,
            home_unit_id=registration.home_unit_id,
            amount=decision.fee.amount or 0,
            status=decision.fee.status,
            cause=decision.fee.cause,
            reason=reason if acceptable_reason else decision.fee.reason_text,
            charged_at=now,
            decided_by=actor if acceptable_reason else None,
        )
    events = []
    if fee is not None:
        events.append(
            audit.event(
                actor=actor,
                action=f"fee.{fee.status}",
                object_type=fee._meta.label_lower,
                object_id=fee.pk,
                object_repr=str(fee),
                after=audit.snapshot(fee),
                reason=decision.fee.reason_text,
            )
        )
    freed_courses = set()
    for line in lines:
        before = line.status
        if line.status in SEAT_TAKING:
            freed_courses.add(line.course_id)
        line.status = LineStatus.CANCELLED
        line.cancelled_at = now
        line.cancelled_by = actor
        line.cancel_reason = reason
        if decision.fee_for(line.pk) is not None and fee is not None:
            line.fee = fee
        events.append(_line_audit(actor, line, before, "line.cancelled", reason))
    RegistrationLine.objects.bulk_update(
        lines, ["status", "cancelled_at", "cancelled_by", "cancel_reason", "fee"]
    )
    audit.record_many(events)
    _promote_courses_locked(
        actor=actor, courses=[courses[pk] for pk in sorted(freed_courses)], week=week, now=now
    )
    registration.updated_at = now
    registration.save(update_fields=["updated_at"])
    fee_by_line = {ln.pk: decision.fee_for(ln.pk) for ln in lines}
    if not organiser:
        notify.notify_cancellation_confirmed(registration, lines, fee)
    if fee is not None and fee.status == FeeStatus.CHARGED:
        notify.notify_fee_charged(fee)
    return CancelResult(registration=registration, fee_by_line=fee_by_line, fee=fee)


def decide_cancellation(
    *,
    week: CourseWeek,
    lines: Sequence[RegistrationLine],
    existing_fee: bool,
    now: dt.datetime,
    organiser: bool = False,
    acceptable_reason: bool = False,
    editing: bool = False,
) -> fees.CancelDecision:
    """The pure fee rule (C11, C14) applied with the week's settings: the cancellation
    deadline instant, the free window after a late confirmation and the fee amount. The
    cancel and edit pages use it to tell the cost before confirming; the services (cancel,
    and the edit of the web and of API PATCH) to charge it. `editing`: the lines are given up
    by changing the registration's courses, free before the registration deadline (C6)."""
    return fees.cancel_many(
        lines=[fees.LineToCancel(ln.pk, ln.status, ln.confirmed_at) for ln in lines],
        now=now,
        cancellation_deadline_instant=week.windows.cancellation_closes,
        free_window_hours=settings.FREE_CANCEL_HOURS_AFTER_LATE_CONFIRMATION,
        organiser=organiser,
        existing_fee=existing_fee,
        fee_amount=week.late_cancellation_fee,
        acceptable_reason=acceptable_reason,
        free_edit_until=end_of_day(week.registration_deadline) if editing else None,
    )


def record_acceptable_reason(
    *, actor: User | None, registration: Registration, reason: str, now: dt.datetime | None = None
) -> Fee:
    """C14: a course admin records an acceptable reason (illness, for example): the fee is
    waived. The fee row stays, so the report shows it as waived (C16)."""
    if not reason.strip():
        raise ValidationFailed({"reason": [_("Write the reason.")]})
    with transaction.atomic():
        week, _courses = lock_week(registration.course_week_id)
        registration = _locked_registration(registration, week)
        permissions.check_may_manage(actor, registration)
        try:
            fee = Fee.objects.select_for_update().get(registration=registration)
        except Fee.DoesNotExist as exc:
            raise ServiceError("no_fee", _("This registration has no fee.")) from exc
        if fee.status == FeeStatus.WAIVED:
            raise ServiceError("already_waived", _("The fee is already waived."))
        before = audit.snapshot(fee)
        fee.status = FeeStatus.WAIVED
        fee.reason = reason.strip()
        fee.decided_by = actor
        fee.save(update_fields=["status", "reason", "decided_by"])
        audit.record(
            actor=actor,
            action="fee.waived",
            obj=fee,
            before=before,
            after=audit.snapshot(fee),
            reason=reason,
        )
    return fee
