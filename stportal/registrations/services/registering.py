"""Registering and changing a registration (C5–C7, C10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import partial

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
    share_week,
)
from stportal.registrations.services.waiting_list import _notify_placements


def _place_after_allocation(
    *,
    line: RegistrationLine,
    course: Course,
    now: dt.datetime,
    week: CourseWeek,
) -> int | None:
    """C10: after allocation a new line is seated at once if a seat is free and nobody waits;
    otherwise it joins the end of the waiting list. Returns its waiting-list place, or None
    when it is seated. Called under the week's exclusive lock."""
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
        return None
    line.status = LineStatus.WAITLISTED
    line.queue_order = _next_queue_order(course.pk)
    return waiting + 1


class _SeatsAtStake(Exception):
    """The week was allocated while a registration waited for it: the registration places
    seats now, so it starts again under the exclusive lock."""


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

    Before allocation a registration takes no seat, so it holds the week only under a shared
    lock (`share_week`) and registrations pass side by side; the unique constraint keeps C6.
    After allocation it places seats, and takes the week's exclusive lock (`lock_week`) as
    every seat-placing write does (C13).
    """
    now = _now(now)
    attempt = partial(
        _register,
        actor,
        week,
        trainee,
        now,
        course_ids=course_ids,
        needs_lodging=needs_lodging,
        dietary_needs=dietary_needs.strip(),
        earlier_courses_note=earlier_courses_note.strip(),
        note=note.strip(),
    )
    seats_at_stake = week.stored_state == states.StoredState.ALLOCATED
    try:
        try:
            return attempt(exclusive=seats_at_stake)
        except _SeatsAtStake:
            return attempt(exclusive=True)
    except IntegrityError as exc:
        # The unique constraint backs C6 under any concurrency: the transaction is rolled back
        # whole, and the registration that won is named.
        existing = Registration.objects.filter(trainee=trainee, course_week_id=week.pk).first()
        if existing is None:
            raise
        raise _exists(existing) from exc


def _exists(registration: Registration) -> ServiceError:
    return ServiceError(
        "registration_exists",
        _("You are already registered for this course week."),
        extra={"existing_registration_id": registration.pk},
    )


def _register(
    actor: User,
    week: CourseWeek,
    trainee: TraineeProfile,
    now: dt.datetime,
    *,
    exclusive: bool,
    course_ids: Sequence[int] | None,
    needs_lodging: bool,
    dietary_needs: str,
    earlier_courses_note: str,
    note: str,
) -> Registration:
    with transaction.atomic():
        if exclusive:
            week, courses = lock_week(week.pk)
        else:
            week, courses = share_week(week)
            if week.stored_state == states.StoredState.ALLOCATED:
                raise _SeatsAtStake()
        staff = permissions.check_may_act_for(actor, trainee, week)
        _check_open(week, now, staff=staff)
        offered = {pk: c for pk, c in courses.items() if c.removed_at is None}
        chosen = _choose_courses(offered, course_ids)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .filter(trainee=trainee, course_week=week)
            .first()
        )
        fields = {
            "needs_lodging": needs_lodging,
            "dietary_needs": dietary_needs,
            "earlier_courses_note": earlier_courses_note,
            "note": note,
            "home_unit_id": trainee.home_unit_id,
            "curriculum_version_id": trainee.curriculum_version_id,
            "updated_at": now,
        }
        if registration is not None:
            if blocks_registering_again(registration.lines.values_list("status", flat=True)):
                raise _exists(registration)
            before = audit.snapshot(registration)
            for name, value in fields.items():
                setattr(registration, name, value)
            registration.save()
            action = "registration.reopened"
        else:
            before = None
            registration = Registration.objects.create(
                course_week=week, trainee=trainee, created_at=now, created_by=actor, **fields
            )
            action = "registration.created"
        registration.course_week = week
        registration.trainee = trainee
        lines, positions = _add_lines(
            actor=actor,
            registration=registration,
            week=week,
            courses=chosen,
            now=now,
            also=lambda lines: [
                audit.event(
                    actor=actor,
                    action=action,
                    object_type=registration._meta.label_lower,
                    object_id=registration.pk,
                    object_repr=str(registration),
                    before=before,
                    after={
                        **audit.snapshot(registration),
                        "lines": [(ln.course_id, ln.status, ln.late) for ln in lines],
                    },
                )
            ],
        )
        if action == "registration.created":
            _keep_lines_at_hand(registration, lines, positions)
        if any(line.status != LineStatus.PENDING for line in lines):
            # Placed at once (C10): one message with where each line landed, and the unit
            # managers' digest of the confirmed seats (C16, C22).
            notify.notify_allocation(week, lines, positions=positions)
        else:
            notify.notify_registration_received(registration, lines=lines)
    return registration


def _keep_lines_at_hand(
    registration: Registration,
    lines: list[RegistrationLine],
    positions: dict[int, int | None],
) -> None:
    """A new registration's lines are all it has: leave them on it as `lines_written`, in
    the order a read gives them (`selectors.with_lines`), with the waiting-list places they
    were given, so that the answer needs no second read (`selectors.as_answered`)."""
    for line in lines:
        place = positions.get(line.pk)
        if line.status == LineStatus.WAITLISTED and place is not None:
            line.ahead = place - 1  # type: ignore[attr-defined]
    ordered = sorted(lines, key=lambda ln: (ln.course.position, ln.course_id, ln.pk))
    registration.lines_written = ordered  # type: ignore[attr-defined]


def _check_open(week: CourseWeek, now: dt.datetime, *, staff: bool) -> None:
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
    also: Callable[[list[RegistrationLine]], list[audit.AuditEvent]] | None = None,
) -> tuple[list[RegistrationLine], dict[int, int | None]]:
    """New lines for `courses`, written in one statement, and their audit events (with those
    `also` builds from the lines) in another. Returns the lines and the waiting-list places
    of the lines placed at once after allocation (C10)."""
    late = week.windows.is_late(now)  # C7: decided now, kept
    placed_at_once = week.stored_state == states.StoredState.ALLOCATED
    created = []
    places: dict[int, int | None] = {}
    for course in courses:
        line = RegistrationLine(
            registration=registration,
            course=course,
            status=LineStatus.PENDING,
            late=late,
            requested_at=now,
        )
        if placed_at_once:
            places[course.pk] = _place_after_allocation(
                line=line, course=course, now=now, week=week
            )
        else:
            line.reason_code = "late_pending" if late else "pending"
            line.reason = _stored_reason(line.reason_code)
        created.append(line)
    RegistrationLine.objects.bulk_create(created)
    audit.record_many(
        [
            *(also(created) if also else []),
            *(_line_audit(actor, ln, "", "line.created") for ln in created),
        ]
    )
    return created, {ln.pk: places[ln.course_id] for ln in created if ln.course_id in places}


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
            added, _places = _add_lines(
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
