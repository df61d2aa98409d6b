"""The transactional shell of the registration engine (C5–C16).

Every write on registrations, lines and fees goes through a function here. Each one:

1. opens a transaction and locks the course week row, then the week's courses in id order
   (`lock_week`), before it reads any seat count: every path that changes seats takes the
   same locks in the same order, so two writers never both see the last free seat (C13). On
   SQLite `select_for_update` does nothing, but write transactions start IMMEDIATE, so
   writers queue on the database lock instead;
2. asks the pure core (`allocation`, `offers`, `fees`) what to do, with `now` passed in;
3. writes the answer, an audit event per change, and queues e-mail in the same transaction
   (sent after commit; a failed send never undoes the action).

Nothing is ever deleted (C15).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.core import audit
from stportal.core.dates import end_of_day, local_date, start_of_day
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.courses import permissions as course_permissions
from stportal.courses import states
from stportal.courses.models import Course, CourseWeek
from stportal.notifications import services as notify
from stportal.registrations import allocation, fees, offers, permissions
from stportal.registrations.lines import (
    ACTIVE,
    CANCELLABLE,
    NOT_CANCELLED,
    SEAT_TAKING,
    blocks_registering_again,
)
from stportal.registrations.models import (
    Fee,
    FeeStatus,
    LineStatus,
    Registration,
    RegistrationLine,
)
from stportal.registrations.rules import CoreError


def _stored_reason(code: str) -> str:
    """The Swedish text kept on the line for the audit trail; people read `reasons.describe`."""
    from stportal.registrations.reasons import fixed_text

    with translation.override("sv"):
        return fixed_text(code)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _core_error(exc: CoreError) -> ServiceError:
    return ServiceError(exc.code, exc.message)


# --- locks and reads under the lock -------------------------------------------------------


def lock_week(week_id: int) -> tuple[CourseWeek, dict[int, Course]]:
    """C13: lock the week, then its courses in id order. Callers must be inside atomic().

    The one week lock of every path that changes seats, results or certificates of a week
    (registrations, attendance, certificates), so all take the same locks in the same order.
    """
    try:
        # of=("self",): lock the week only, not its series row, so weeks of one series do
        # not wait on each other.
        week = (
            CourseWeek.objects.select_for_update(of=("self",))
            .select_related("series")
            .get(pk=week_id)
        )
    except CourseWeek.DoesNotExist as exc:
        raise NotFound() from exc
    courses = {
        c.pk: c for c in Course.objects.select_for_update().filter(week_id=week_id).order_by("id")
    }
    for course in courses.values():
        course.week = week  # capacity follows the locked week row
    return week, courses


def _seats_taken(course_id: int) -> int:
    return RegistrationLine.objects.filter(course_id=course_id, status__in=SEAT_TAKING).count()


def _waitlist(course_id: int) -> list[RegistrationLine]:
    return list(
        RegistrationLine.objects.filter(course_id=course_id, status=LineStatus.WAITLISTED)
        .select_related("registration__trainee__user", "course__week")
        .order_by("queue_order", "id")
    )


def _next_queue_order(course_id: int) -> int:
    current = RegistrationLine.objects.filter(course_id=course_id).aggregate(m=Max("queue_order"))
    return (current["m"] or 0) + 1


def _course_start(course: Course) -> dt.datetime:
    """When a course starts: its first day (or the week's first day when it has none)."""
    days = sorted(d.date for d in course.days.all())
    return start_of_day(days[0] if days else course.week.start_date)


def _line_audit(
    actor: User | None, line: RegistrationLine, before: str, action: str, reason: str = ""
) -> audit.AuditEvent:
    return audit.event(
        actor=actor,
        action=action,
        object_type="registrations.registrationline",
        object_id=line.pk,
        object_repr=f"{line.registration_id}/{line.course_id}",
        before={"status": before},
        after={
            "status": line.status,
            "reason_code": line.reason_code,
            "offer_expires_at": line.offer_expires_at.isoformat()
            if line.offer_expires_at
            else None,
        },
        reason=reason,
    )


def _locked_registration(registration: Registration, week: CourseWeek) -> Registration:
    """The registration read again under the week's lock, with the locked week attached."""
    registration = Registration.objects.select_related("trainee__home_unit").get(pk=registration.pk)
    registration.course_week = week
    return registration


# --- registering --------------------------------------------------------------------------


def _place_after_allocation(
    *,
    line: RegistrationLine,
    course: Course,
    now: dt.datetime,
    week: CourseWeek,
) -> None:
    """C10: after allocation a new line is seated at once if a seat is free and nobody waits;
    otherwise it joins the end of the waiting list."""
    free = max(0, course.capacity - _seats_taken(course.pk))
    waiting = RegistrationLine.objects.filter(
        course_id=course.pk, status=LineStatus.WAITLISTED
    ).count()
    outcome = offers.place_late_request(free_seats=free, waiting_count=waiting)
    # C7: the reason follows the lateness the line was made with (an on-time line made after
    # staff extended an allocated week's deadline is not called late).
    code = allocation.reason_after_allocation(late=line.late, seated=outcome == "confirmed")
    line.reason_code = code
    line.reason = allocation.reason_text(code)
    if outcome == "confirmed":
        line.status = LineStatus.CONFIRMED
        line.confirmed_at = now
    else:
        line.status = LineStatus.WAITLISTED
        line.queue_order = _next_queue_order(course.pk)


def register_for_course_week(
    *,
    actor: User,
    week: CourseWeek,
    trainee: TraineeProfile,
    course_ids: Sequence[int] | None = None,
    needs_lodging: bool = False,
    dietary_needs: str = "",
    earlier_courses_note: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Registration:
    """Register a trainee for a whole week or chosen courses (C5–C7, C10).

    1. Trainees register for themselves from the invitation date until the week starts; staff
       register anyone at any time (C7, records entered after the fact).
    2. One registration per trainee and week (C6): with active lines, 409 `registration_exists`
       naming it; with all lines cancelled, registering again reopens it with new lines.
    3. Lateness is decided now and kept (C7). Before allocation lines are pending; after it
       they are seated or wait at once (C10).
    """
    now = _now(now)
    with transaction.atomic():
        week, courses = lock_week(week.pk)
        staff = permissions.check_may_act_for(actor, trainee, week)
        opening = states.registration_opening(
            stored_state=week.stored_state, windows=week.windows, now=now, staff=staff
        )
        if opening in (states.Opening.DRAFT, states.Opening.CANCELLED):
            raise ServiceError("registration_not_open", _("This course week is not open."))
        if opening == states.Opening.NOT_YET:
            raise ServiceError(
                "registration_not_open",
                _("Registration opens on %(date)s.") % {"date": week.invitation_date.isoformat()},
                extra={"opens_on": week.invitation_date.isoformat()},
            )
        if opening == states.Opening.STARTED:
            raise ServiceError("course_started", _("The course week has already started."))
        offered = {pk: c for pk, c in courses.items() if c.removed_at is None}
        chosen = _choose_courses(offered, course_ids)
        registration = Registration.objects.filter(trainee=trainee, course_week=week).first()
        if registration is not None:
            if blocks_registering_again(registration.lines.values_list("status", flat=True)):
                raise ServiceError(
                    "registration_exists",
                    _("You are already registered for this course week."),
                    extra={"existing_registration_id": registration.pk},
                )
            before = audit.snapshot(registration)
            registration.needs_lodging = needs_lodging
            registration.dietary_needs = dietary_needs.strip()
            registration.earlier_courses_note = earlier_courses_note.strip()
            registration.note = note.strip()
            registration.home_unit = trainee.home_unit
            registration.curriculum_version = trainee.curriculum_version
            registration.updated_at = now
            registration.save()
            action = "registration.reopened"
        else:
            before = None
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        course_week=week,
                        trainee=trainee,
                        curriculum_version=trainee.curriculum_version,
                        home_unit=trainee.home_unit,
                        needs_lodging=needs_lodging,
                        dietary_needs=dietary_needs.strip(),
                        earlier_courses_note=earlier_courses_note.strip(),
                        note=note.strip(),
                        created_at=now,
                        created_by=actor,
                        updated_at=now,
                    )
            except IntegrityError as exc:
                # The unique constraint backs C6 under any concurrency.
                existing = Registration.objects.filter(trainee=trainee, course_week=week).first()
                raise ServiceError(
                    "registration_exists",
                    _("You are already registered for this course week."),
                    extra={"existing_registration_id": existing.pk if existing else None},
                ) from exc
            action = "registration.created"
        lines = _add_lines(
            actor=actor, registration=registration, week=week, courses=chosen, now=now
        )
        audit.record(
            actor=actor,
            action=action,
            obj=registration,
            before=before,
            after={
                **audit.snapshot(registration),
                "lines": [(ln.course_id, ln.status, ln.late) for ln in lines],
            },
        )
        notify.notify_registration_received(registration)
        _notify_placements(lines)
    return registration


def _choose_courses(offered: dict[int, Course], course_ids: Sequence[int] | None) -> list[Course]:
    if course_ids is None:
        chosen = list(offered.values())
    else:
        unknown = [cid for cid in course_ids if cid not in offered]
        if unknown:
            raise ValidationFailed(
                {
                    "course_ids": [
                        _("Course %(id)s is not part of this course week.") % {"id": cid}
                        for cid in unknown
                    ]
                }
            )
        chosen = [offered[cid] for cid in sorted(set(course_ids))]
    if not chosen:
        raise ValidationFailed({"course_ids": [_("Choose at least one course.")]})
    return chosen


def _add_lines(
    *,
    actor: User | None,
    registration: Registration,
    week: CourseWeek,
    courses: Iterable[Course],
    now: dt.datetime,
) -> list[RegistrationLine]:
    late = week.windows.is_late(now)  # C7: decided now, kept
    placed_at_once = week.stored_state == states.StoredState.ALLOCATED
    created = []
    for course in courses:
        line = RegistrationLine(
            registration=registration,
            course=course,
            status=LineStatus.PENDING,
            late=late,
            requested_at=now,
        )
        if placed_at_once:
            _place_after_allocation(line=line, course=course, now=now, week=week)
        else:
            line.reason_code = "late_pending" if late else "pending"
            line.reason = _stored_reason(line.reason_code)
        line.save()
        created.append(line)
    audit.record_many([_line_audit(actor, ln, "", "line.created") for ln in created])
    return created


def _notify_placements(
    lines: Iterable[RegistrationLine], *, positions: dict[int, int | None] | None = None
) -> None:
    """C22: tell each trainee where their line landed; `positions` saves a count per line."""
    for line in lines:
        if line.status == LineStatus.CONFIRMED:
            notify.notify_seat_confirmed(line)
        elif line.status == LineStatus.WAITLISTED:
            position = positions.get(line.pk) if positions else None
            notify.notify_waitlisted(line, position or waitlist_position(line))


def change_registration(
    *,
    actor: User,
    registration: Registration,
    course_ids: Sequence[int] | None = None,
    needs_lodging: bool | None = None,
    dietary_needs: str | None = None,
    earlier_courses_note: str | None = None,
    note: str | None = None,
    expected_charge: int | None = None,
    now: dt.datetime | None = None,
) -> Registration:
    """Edit a registration (C6): courses freely before the deadline; details until the start.

    1. Courses added become new lines (late after the deadline, placed at once after
       allocation).
    2. Courses removed are cancelled by the one fee rule (`decide_cancellation`, editing):
       free before the registration deadline; after it, giving up a confirmed seat is a
       cancellation with its fee (C14). The web page and API PATCH both come here.
    3. `expected_charge`: the fee the person was shown before confirming (the web page). If
       the rule now says otherwise, nothing changes and `fee_changed` (409) tells them.
    """
    now = _now(now)
    with transaction.atomic():
        week, courses = lock_week(registration.course_week_id)
        registration = _locked_registration(registration, week)
        staff = permissions.check_may_change(actor, registration)
        if not week.windows.editable(now, staff=staff):
            raise ServiceError("course_started", _("The course week has already started."))
        if week.stored_state == states.StoredState.CANCELLED:
            raise ServiceError("locked", _("The course week is cancelled."))
        before = audit.snapshot(registration)
        added: list[RegistrationLine] = []
        removed: list[int] = []
        if course_ids is not None:
            offered = {pk: c for pk, c in courses.items() if c.removed_at is None}
            wanted = {c.pk for c in _choose_courses(offered, course_ids)}
            current = set(
                registration.lines.filter(status__in=NOT_CANCELLED).values_list(
                    "course_id", flat=True
                )
            )
            # After the deadline additions are late lines (C7, C10); the edit itself is free.
            added = _add_lines(
                actor=actor,
                registration=registration,
                week=week,
                courses=[courses[pk] for pk in sorted(wanted - current)],
                now=now,
            )
            removed = sorted(current - wanted)
            if removed and expected_charge is not None:
                _check_expected_charge(registration, week, removed, expected_charge, now)
        for name, value in (
            ("needs_lodging", needs_lodging),
            ("dietary_needs", dietary_needs),
            ("earlier_courses_note", earlier_courses_note),
            ("note", note),
        ):
            if value is not None:
                setattr(registration, name, value.strip() if isinstance(value, str) else value)
        registration.updated_at = now
        registration.save()
        audit.record(
            actor=actor,
            action="registration.changed",
            obj=registration,
            before=before,
            after={
                **audit.snapshot(registration),
                "added_courses": [ln.course_id for ln in added],
                "removed_courses": removed,
            },
        )
        if removed:
            _cancel_locked(
                actor=actor,
                registration=registration,
                week=week,
                courses=courses,
                course_ids=removed,
                reason=_("Removed from the registration."),
                acceptable_reason=False,
                organiser=False,
                now=now,
                editing=True,
            )
        notify.notify_registration_changed(registration)
        _notify_placements(added)
    return registration


def _check_expected_charge(
    registration: Registration,
    week: CourseWeek,
    course_ids: Sequence[int],
    expected_charge: int,
    now: dt.datetime,
) -> None:
    """Refuse an edit whose fee differs from the one shown before confirming (C14: nobody is
    charged an amount they were not shown). Called under the week's lock."""
    lines = list(registration.lines.filter(status__in=CANCELLABLE, course_id__in=list(course_ids)))
    decision = decide_cancellation(
        week=week,
        lines=lines,
        existing_fee=Fee.objects.filter(registration=registration).exists(),
        now=now,
        editing=True,
    )
    if (decision.fee.charge or 0) != expected_charge:
        raise ServiceError(
            "fee_changed",
            _("What the change costs has changed since you looked: check it and confirm again."),
        )


# --- cancelling and fees --------------------------------------------------------------------


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
            home_unit=registration.home_unit,
            amount=decision.fee.amount or 0,
            status=decision.fee.status,
            cause=decision.fee.cause,
            reason=reason if acceptable_reason else decision.fee.reason_text,
            charged_at=now,
            decided_by=actor if acceptable_reason else None,
        )
        audit.record(
            actor=actor,
            action=f"fee.{fee.status}",
            obj=fee,
            after=audit.snapshot(fee),
            reason=decision.fee.reason_text,
        )
    freed_courses = set()
    events = []
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
        line.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "fee"])
        events.append(_line_audit(actor, line, before, "line.cancelled", reason))
    audit.record_many(events)
    for course_id in sorted(freed_courses):
        _promote_locked(actor=actor, course=courses[course_id], week=week, now=now)
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


# --- allocation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedLine:
    line_id: int
    registration_id: int
    trainee_id: int
    trainee_name: str
    status: str
    position: int | None
    reason_code: str
    reason: str
    planned_completion: dt.date
    planned_completion_changed_after_deadline: bool
    late: bool


@dataclass(frozen=True)
class CourseResult:
    course_id: int
    title: str
    capacity: int
    confirmed: list[int]  # registration ids holding a seat after the run
    waitlisted: list[int]  # registration ids in waiting-list order
    placed: list[PlacedLine]  # lines this run placed, in priority order


@dataclass(frozen=True)
class AllocationResult:
    week_id: int
    dry_run: bool
    courses: list[CourseResult]


def _requests_for(
    lines: Sequence[RegistrationLine], courses_taken: dict[int, int]
) -> list[allocation.Request]:
    return [
        allocation.Request(
            line_id=ln.pk,
            registration_id=ln.registration_id,
            trainee_id=ln.registration.trainee_id,
            requested_at=ln.requested_at,
            late=ln.late,
            planned_completion=ln.registration.trainee.planned_completion,
            st_start=ln.registration.trainee.st_start,
            employment_percent=ln.registration.trainee.employment_percent,
            credited_months=ln.registration.trainee.credited_months,
            courses_taken=courses_taken.get(ln.registration.trainee_id, 0),
        )
        for ln in lines
    ]


def run_allocation(
    *, actor: User | None, week: CourseWeek, dry_run: bool, now: dt.datetime | None = None
) -> AllocationResult:
    """Allocate every course of a week (C8–C10): preview or for real.

    1. Only after the registration deadline (`deadline_not_passed` before it).
    2. Pending lines are placed by the pure core under the week's priority policy; the
       trainee's planned completion is read now (C5a) and changes after the deadline are
       flagged in the preview.
    3. Deterministic and idempotent: a second run finds no pending line and changes nothing.
    4. A preview runs the same code inside a transaction that is rolled back.
    """
    now = _now(now)
    try:
        with transaction.atomic():
            result = _allocate_locked(actor=actor, week_id=week.pk, dry_run=dry_run, now=now)
            if dry_run:
                raise _Rollback(result)
    except _Rollback as rollback:
        return rollback.result
    return result


class _Rollback(Exception):
    def __init__(self, result: AllocationResult) -> None:
        super().__init__("preview")
        self.result = result


def _allocate_locked(
    *, actor: User | None, week_id: int, dry_run: bool, now: dt.datetime
) -> AllocationResult:
    from stportal.accounts.models import PlannedCompletionChange

    week, courses = lock_week(week_id)
    course_permissions.require_manage_week(actor, week)
    try:
        states.check_allocate(week.state_at(now))
    except states.TransitionError as exc:
        if exc.code == "deadline_not_passed":
            raise ServiceError(
                "deadline_not_passed",
                _("Allocation can run only after the registration deadline (%(date)s).")
                % {"date": week.registration_deadline.isoformat()},
            ) from exc
        raise ServiceError(exc.code, _("This course week cannot be allocated now.")) from exc
    policy = week.series.priority_policy
    deadline = week.windows.registration_closes
    pending = list(
        RegistrationLine.objects.filter(
            course__week_id=week.pk, status=LineStatus.PENDING, course__removed_at__isnull=True
        ).select_related("registration__trainee__user")
    )
    trainee_ids = {ln.registration.trainee_id for ln in pending}
    changed_after = set(
        PlannedCompletionChange.objects.filter(
            trainee_id__in=trainee_ids, changed_at__gte=deadline
        ).values_list("trainee_id", flat=True)
    )
    courses_taken: dict[int, int] = {}
    if policy == allocation.Policy.MONTHS_SERVED_FEWEST_COURSES:
        for trainee_id in RegistrationLine.objects.filter(
            registration__trainee_id__in=trainee_ids, status=LineStatus.PASSED
        ).values_list("registration__trainee_id", flat=True):
            courses_taken[trainee_id] = courses_taken.get(trainee_id, 0) + 1
    by_course: dict[int, list[RegistrationLine]] = {}
    for line in pending:
        by_course.setdefault(line.course_id, []).append(line)
    results = []
    events = []
    for course_id, course in courses.items():
        if course.removed_at is not None:
            continue
        lines = by_course.get(course_id, [])
        taken = _seats_taken(course_id)
        waiting = RegistrationLine.objects.filter(
            course_id=course_id, status=LineStatus.WAITLISTED
        ).count()
        # A full course may have lines waiting; with free seats the list was promoted (C11).
        free_and_waiting = max(0, course.capacity - taken) and waiting
        outcome = allocation.allocate_course(
            _requests_for(lines, courses_taken),
            capacity=course.capacity,
            seats_taken_already=taken if not free_and_waiting else course.capacity,
            waiting_already=waiting,
            policy=policy,
            week_start=week.start_date,
        )
        line_by_id = {ln.pk: ln for ln in lines}
        next_order = _next_queue_order(course_id)
        placed = []
        for placement in outcome.placements:
            line = line_by_id[placement.line_id]
            line.status = placement.status
            line.reason_code = placement.reason_code
            line.reason = placement.reason_text
            if placement.status == LineStatus.CONFIRMED:
                line.confirmed_at = now
            else:
                line.queue_order = next_order
                next_order += 1
            trainee = line.registration.trainee
            placed.append(
                PlacedLine(
                    line_id=line.pk,
                    registration_id=line.registration_id,
                    trainee_id=trainee.pk,
                    trainee_name=trainee.user.display_name,
                    status=placement.status,
                    position=placement.position,
                    reason_code=placement.reason_code,
                    reason=placement.reason_text,
                    planned_completion=trainee.planned_completion,
                    planned_completion_changed_after_deadline=trainee.pk in changed_after,
                    late=line.late,
                )
            )
            events.append(_line_audit(actor, line, LineStatus.PENDING, "line.allocated"))
        if lines and not dry_run:
            _write_placements(lines, now=now)
        holders = sorted(
            RegistrationLine.objects.filter(
                course_id=course_id, status__in=SEAT_TAKING
            ).values_list("registration_id", flat=True)
        )
        waiters = list(
            RegistrationLine.objects.filter(course_id=course_id, status=LineStatus.WAITLISTED)
            .order_by("queue_order", "id")
            .values_list("registration_id", flat=True)
        )
        if dry_run:
            new_confirmed = [p.registration_id for p in placed if p.status == "confirmed"]
            new_waiting = [p.registration_id for p in placed if p.status == "waitlisted"]
            holders = sorted(holders + new_confirmed)
            waiters = waiters + new_waiting
        results.append(
            CourseResult(
                course_id=course_id,
                title=course.title,
                capacity=course.capacity,
                confirmed=holders,
                waitlisted=waiters,
                placed=placed,
            )
        )
    if not dry_run:
        audit.record_many(events)
        if week.stored_state != states.StoredState.ALLOCATED:
            before = audit.snapshot(week, ["stored_state", "allocated_at"])
            week.stored_state = states.StoredState.ALLOCATED
            week.allocated_at = now
            week.save(update_fields=["stored_state", "allocated_at"])
            audit.record(
                actor=actor,
                action="course_week.allocated",
                obj=week,
                before=before,
                after=audit.snapshot(week, ["stored_state", "allocated_at"]),
            )
        _notify_placements(
            pending, positions={p.line_id: p.position for c in results for p in c.placed}
        )
    return AllocationResult(week_id=week.pk, dry_run=dry_run, courses=results)


def _write_placements(lines: Sequence[RegistrationLine], *, now: dt.datetime) -> None:
    """One UPDATE per outcome (status and reason), and the waiting order for waiting lines:
    far cheaper than a bulk update that builds a CASE per field and line."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for line in lines:
        groups.setdefault((line.status, line.reason_code, line.reason), []).append(line.pk)
    for (status, code, reason), ids in groups.items():
        changes: dict[str, Any] = {"status": status, "reason_code": code, "reason": reason}
        if status == LineStatus.CONFIRMED:
            changes["confirmed_at"] = now
        for start in range(0, len(ids), 500):
            RegistrationLine.objects.filter(pk__in=ids[start : start + 500]).update(**changes)
    waiting = [line for line in lines if line.status == LineStatus.WAITLISTED]
    if waiting:
        RegistrationLine.objects.bulk_update(waiting, ["queue_order"], batch_size=500)


# --- promotion, offers, capacity --------------------------------------------------------


def _promote_locked(
    *, actor: User | None, course: Course, week: CourseWeek, now: dt.datetime
) -> list[RegistrationLine]:
    """C11: free seats go to the first on the waiting list at once: confirmed before the
    cancellation deadline instant, offered (holding the seat) after it. A course removed
    from its week (C4) promotes nobody: its lines are being cancelled."""
    if course.removed_at is not None:
        return []
    free = max(0, course.capacity - _seats_taken(course.pk))
    if free == 0:
        return []
    waitlist = _waitlist(course.pk)
    if not waitlist:
        return []
    start = _course_start(course)
    promotions = offers.promote(
        waitlist=[ln.pk for ln in waitlist],
        free_seats=free,
        now=now,
        cancellation_deadline_instant=week.windows.cancellation_closes,
        course_start_instant=start,
        offer_hours=settings.OFFER_HOURS,
    )
    by_id = {ln.pk: ln for ln in waitlist}
    changed = []
    for promotion in promotions:
        line = by_id[promotion.line_id]
        line.status = promotion.status
        line.reason_code = promotion.reason_code
        line.reason = promotion.reason_text
        if promotion.status == LineStatus.CONFIRMED:
            line.confirmed_at = promotion.at
        else:
            line.offered_at = promotion.at
            line.offer_expires_at = promotion.offer_expires_at
        line.save(
            update_fields=[
                "status",
                "reason_code",
                "reason",
                "confirmed_at",
                "offered_at",
                "offer_expires_at",
            ]
        )
        changed.append(line)
    audit.record_many(
        [_line_audit(actor, ln, LineStatus.WAITLISTED, "line.promoted") for ln in changed]
    )
    for line in changed:
        if line.status == LineStatus.CONFIRMED:
            notify.notify_seat_confirmed(line)
        else:
            notify.notify_offer_made(line)
    return changed


def _lapse_offers_locked(
    *, actor: User | None, courses: dict[int, Course], week: CourseWeek, now: dt.datetime
) -> list[RegistrationLine]:
    """C11: offers lapse 48 hours after they were made or at the course start; each seat
    passes on to the next on the waiting list."""
    candidates = list(
        RegistrationLine.objects.filter(
            course_id__in=list(courses), status=LineStatus.OFFERED
        ).select_related("registration__trainee__user", "course__week")
    )
    lapsed_ids = offers.lapsed_offers(
        [(ln.pk, ln.offer_expires_at) for ln in candidates if ln.offer_expires_at], now=now
    )
    by_id = {ln.pk: ln for ln in candidates}
    lapsed = []
    for line_id in lapsed_ids:
        line = by_id[line_id]
        line.status = LineStatus.CANCELLED
        line.cancelled_at = now
        line.cancel_reason = offers.OFFER_LAPSED_REASON
        line.reason_code = "offer_lapsed"
        line.reason = offers.OFFER_LAPSED_REASON
        line.save(
            update_fields=["status", "cancelled_at", "cancel_reason", "reason_code", "reason"]
        )
        lapsed.append(line)
    audit.record_many(
        [_line_audit(actor, ln, LineStatus.OFFERED, "line.offer_lapsed") for ln in lapsed]
    )
    for line in lapsed:
        notify.notify_offer_lapsed(line)
    for course_id in sorted({ln.course_id for ln in lapsed}):
        _promote_locked(actor=actor, course=courses[course_id], week=week, now=now)
    return lapsed


def _not_seated_locked(
    *, actor: User | None, courses: dict[int, Course], now: dt.datetime
) -> list[RegistrationLine]:
    changed = []
    for course in courses.values():
        waitlist = _waitlist(course.pk)
        ids = set(
            offers.lines_not_seated_at_start(
                waitlist=[ln.pk for ln in waitlist],
                now=now,
                course_start_instant=_course_start(course),
            )
        )
        for line in waitlist:
            if line.pk in ids:
                line.status = LineStatus.NOT_SEATED
                line.reason_code = "not_seated"
                line.reason = offers.NOT_SEATED_REASON
                line.save(update_fields=["status", "reason_code", "reason"])
                changed.append(line)
    audit.record_many(
        [_line_audit(actor, ln, LineStatus.WAITLISTED, "line.not_seated") for ln in changed]
    )
    return changed


def expire_lapsed_offers(
    *, now: dt.datetime | None = None, actor: User | None = None, week_id: int | None = None
) -> int:
    """Expire every lapsed offer and pass the seats on (the `send-reminders` command; reads
    never write, they show a lapsed offer as lapsed). Idempotent. Returns how many lapsed."""
    now = _now(now)
    weeks = RegistrationLine.objects.filter(
        status=LineStatus.OFFERED, offer_expires_at__lte=now
    ).values_list("course__week_id", flat=True)
    if week_id is not None:
        weeks = weeks.filter(course__week_id=week_id)
    count = 0
    for wid in sorted(set(weeks)):
        with transaction.atomic():
            week, courses = lock_week(wid)
            count += len(_lapse_offers_locked(actor=actor, courses=courses, week=week, now=now))
    return count


def mark_not_seated_at_start(*, now: dt.datetime | None = None, actor: User | None = None) -> int:
    """C11: nobody is promoted once a course has started; lines still waiting become
    `not_seated`. Idempotent. Returns how many lines changed."""
    now = _now(now)
    week_ids = (
        RegistrationLine.objects.filter(
            # The week's first day in Stockholm: at 00:30 on a Monday there it is still
            # Sunday in UTC, and the week has started all the same.
            status=LineStatus.WAITLISTED,
            course__week__start_date__lte=local_date(now),
        )
        .values_list("course__week_id", flat=True)
        .distinct()
    )
    count = 0
    for wid in sorted(set(week_ids)):
        with transaction.atomic():
            week, courses = lock_week(wid)
            _lapse_offers_locked(actor=actor, courses=courses, week=week, now=now)
            count += len(_not_seated_locked(actor=actor, courses=courses, now=now))
    return count


def _offer_line(registration: Registration, course_id: int) -> RegistrationLine:
    line = (
        registration.lines.filter(course_id=course_id, status__in=NOT_CANCELLED).first()
    ) or registration.lines.filter(course_id=course_id).order_by("-id").first()
    if line is None:
        raise ValidationFailed({"course_id": [_("No line for this course.")]})
    return line


def accept_offer(
    *, actor: User, registration: Registration, course_id: int, now: dt.datetime | None = None
) -> Registration:
    """C11: the trainee accepts an offered seat before it lapses; it is then confirmed (and,
    confirmed after the cancellation deadline, may be cancelled free for 24 hours)."""
    now = _now(now)
    lapsed = False
    with transaction.atomic():
        week, courses = lock_week(registration.course_week_id)
        registration = _locked_registration(registration, week)
        permissions.check_may_change(actor, registration)
        line = _offer_line(registration, course_id)
        if line.status == LineStatus.CANCELLED and line.reason_code == "offer_lapsed":
            raise ServiceError(
                "offer_lapsed", _("The offer has lapsed and the seat has passed on.")
            )
        try:
            offers.check_offer_acceptable(
                status=line.status, offer_expires_at=line.offer_expires_at, now=now
            )
        except CoreError as exc:
            if exc.code != "offer_lapsed":
                raise _core_error(exc) from exc
            _lapse_offers_locked(actor=actor, courses=courses, week=week, now=now)
            lapsed = True
        else:
            line.status = LineStatus.CONFIRMED
            line.confirmed_at = now
            line.reason_code = "offer_accepted"
            line.reason = _stored_reason(line.reason_code)
            line.save(update_fields=["status", "confirmed_at", "reason_code", "reason"])
            audit.record_many([_line_audit(actor, line, LineStatus.OFFERED, "line.offer_accepted")])
            notify.notify_seat_confirmed(line)
    if lapsed:
        raise ServiceError("offer_lapsed", _("The offer has lapsed and the seat has passed on."))
    return registration


def decline_offer(
    *, actor: User, registration: Registration, course_id: int, now: dt.datetime | None = None
) -> Registration:
    """C11: declining an offer is free at any time; the seat passes on at once."""
    now = _now(now)
    with transaction.atomic():
        week, courses = lock_week(registration.course_week_id)
        registration = _locked_registration(registration, week)
        permissions.check_may_change(actor, registration)
        line = _offer_line(registration, course_id)
        if line.status != LineStatus.OFFERED:
            raise ServiceError("invalid_transition", _("There is no offer to answer."))
        line.status = LineStatus.CANCELLED
        line.cancelled_at = now
        line.cancelled_by = actor
        line.cancel_reason = _("Offer declined.")
        line.reason_code = "offer_declined"
        line.reason = _stored_reason(line.reason_code)
        line.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancel_reason",
                "reason_code",
                "reason",
            ]
        )
        audit.record_many([_line_audit(actor, line, LineStatus.OFFERED, "line.offer_declined")])
        _promote_locked(actor=actor, course=courses[line.course_id], week=week, now=now)
    return registration


def change_course_capacity(
    *, actor: User | None, course: Course, capacity: int | None, now: dt.datetime | None = None
) -> Course:
    """C12: raise at any time (the waiting list moves up at once); lower only down to the seats
    taken. `None` makes the course follow the week's capacity again."""
    now = _now(now)
    with transaction.atomic():
        week, courses = lock_week(course.week_id)
        course_permissions.require_manage_week(actor, week)
        course = courses[course.pk]
        new_capacity = capacity if capacity is not None else week.capacity
        try:
            offers.check_capacity_change(
                new_capacity=new_capacity, seats_taken=_seats_taken(course.pk)
            )
        except CoreError as exc:
            raise _core_error(exc) from exc
        before = {"own_capacity": course.own_capacity}
        course.own_capacity = capacity
        course.save(update_fields=["own_capacity"])
        audit.record(
            actor=actor,
            action="course.capacity_changed",
            obj=course,
            before=before,
            after={"own_capacity": capacity, "capacity": new_capacity},
        )
        _promote_locked(actor=actor, course=course, week=week, now=now)
    return course


def promote_week_after_capacity_change(
    *, actor: User | None, week: CourseWeek, now: dt.datetime | None = None
) -> None:
    """After the week's capacity was raised, courses following it promote their lists (C12)."""
    now = _now(now)
    with transaction.atomic():
        week, courses = lock_week(week.pk)
        for course in courses.values():
            if course.own_capacity is None and course.removed_at is None:
                _promote_locked(actor=actor, course=course, week=week, now=now)


def cancel_week_registrations(
    *, actor: User | None, week: CourseWeek, now: dt.datetime | None = None
) -> int:
    """C4/C14: the organiser cancelled the week: every active line is cancelled, free."""
    now = _now(now)
    count = 0
    with transaction.atomic():
        week, courses = lock_week(week.pk)
        registrations = list(
            Registration.objects.filter(course_week=week, lines__status__in=ACTIVE).distinct()
        )
        for registration in registrations:
            result = _cancel_locked(
                actor=actor,
                registration=registration,
                week=week,
                courses=courses,
                course_ids=None,
                reason=_("The course week was cancelled by the organiser."),
                acceptable_reason=False,
                organiser=True,
                now=now,
            )
            count += len(result.fee_by_line)
        notify.notify_week_cancelled(week, registrations)
        # C4, C14: a week the organiser cancels charges nobody, also not a late-cancellation
        # fee charged before it was cancelled.
        charged = Registration.objects.filter(
            course_week=week, fee__status=FeeStatus.CHARGED
        ).order_by("pk")
        for registration in charged:
            record_acceptable_reason(
                actor=actor,
                registration=registration,
                reason=_("The course week was cancelled by the organiser."),
                now=now,
            )
    return count


def cancel_course_lines_by_organiser(
    *, actor: User | None, course: Course, reason: str, now: dt.datetime | None = None
) -> list[Registration]:
    """C4, C14: a course removed from its week: every active line on it is cancelled by the
    organiser, free of charge, and its participants are told. The course must already be
    marked removed, so that no seat it frees is offered to anyone. Returns the registrations
    whose lines were cancelled."""
    now = _now(now)
    with transaction.atomic():
        week, courses = lock_week(course.week_id)
        course_permissions.require_manage_week(actor, week)
        locked = courses[course.pk]
        if locked.removed_at is None:
            raise ServiceError("invalid_transition", _("The course has not been removed."))
        registrations = list(
            Registration.objects.filter(lines__course=locked, lines__status__in=CANCELLABLE)
            .distinct()
            .order_by("pk")
        )
        line_reason = _("The course was removed by the organiser: %(reason)s") % {"reason": reason}
        for registration in registrations:
            registration.course_week = week
            _cancel_locked(
                actor=actor,
                registration=registration,
                week=week,
                courses=courses,
                course_ids=[locked.pk],
                reason=line_reason,
                acceptable_reason=False,
                organiser=True,
                now=now,
            )
        notify.notify_course_removed(locked, registrations, reason)
    return registrations


def follow_course_days(
    *, actor: User | None, week: CourseWeek, now: dt.datetime | None = None
) -> list[RegistrationLine]:
    """C4, C11: after the days of the week's courses moved, offers lapse at the new course
    start (or still `OFFER_HOURS` after they were made, whichever is first); an offer whose
    new expiry has passed lapses now and its seat passes on. Returns the offers changed."""
    now = _now(now)
    with transaction.atomic():
        week, courses = lock_week(week.pk)
        offered = list(
            RegistrationLine.objects.filter(
                course_id__in=list(courses), status=LineStatus.OFFERED
            ).order_by("id")
        )
        changed = []
        events = []
        for line in offered:
            if line.offered_at is None:
                continue
            expires = offers.offer_expiry(
                offered_at=line.offered_at,
                course_start_instant=_course_start(courses[line.course_id]),
                offer_hours=settings.OFFER_HOURS,
            )
            if expires == line.offer_expires_at:
                continue
            before = line.offer_expires_at
            line.offer_expires_at = expires
            line.save(update_fields=["offer_expires_at"])
            changed.append(line)
            events.append(
                audit.AuditEvent(
                    actor_id=getattr(actor, "pk", None),
                    action="line.offer_expiry_moved",
                    object_type="registrations.registrationline",
                    object_id=str(line.pk),
                    object_repr=f"{line.registration_id}/{line.course_id}"[:300],
                    before={"offer_expires_at": before.isoformat() if before else None},
                    after={"offer_expires_at": expires.isoformat()},
                )
            )
        audit.AuditEvent.objects.bulk_create(events)
        _lapse_offers_locked(actor=actor, courses=courses, week=week, now=now)
    return changed


# --- reads that the services need ---------------------------------------------------------


def waitlist_position(line: RegistrationLine) -> int | None:
    """C9: the line's place on its course's waiting list (1 = next in line)."""
    if line.status != LineStatus.WAITLISTED:
        return None
    return (
        RegistrationLine.objects.filter(course_id=line.course_id, status=LineStatus.WAITLISTED)
        .filter(
            Q(queue_order__lt=line.queue_order) | Q(queue_order=line.queue_order, id__lt=line.pk)
        )
        .count()
        + 1
    )
