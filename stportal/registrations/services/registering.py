"""Registering and changing a registration (C5–C7, C10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.core import audit
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.courses import states
from stportal.courses.models import Course, CourseWeek
from stportal.notifications import services as notify
from stportal.registrations import allocation, offers, permissions
from stportal.registrations.lines import CANCELLABLE, NOT_CANCELLED, blocks_registering_again
from stportal.registrations.models import Fee, LineStatus, Registration, RegistrationLine
from stportal.registrations.services.cancelling import _cancel_locked, decide_cancellation
from stportal.registrations.services.locking import (
    _line_audit,
    _locked_registration,
    _next_queue_order,
    _now,
    _seats_taken,
    _stored_reason,
    lock_week,
)
from stportal.registrations.services.waiting_list import _notify_placements


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
