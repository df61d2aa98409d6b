"""The waiting list (C9, C11, C12): promotion when seats free up, offers accepted, declined
or lapsed, capacity changes, lines not seated at the start, and where a line waits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.dates import local_date, start_of_day
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.courses import permissions as course_permissions
from stportal.courses.models import Course, CourseDay, CourseWeek
from stportal.notifications import services as notify
from stportal.registrations import offers, permissions
from stportal.registrations.lines import NOT_CANCELLED, SEAT_TAKING
from stportal.registrations.models import LineStatus, Registration, RegistrationLine
from stportal.registrations.rules import CoreError
from stportal.registrations.services.locking import (
    _core_error,
    _course_start,
    _line_audit,
    _locked_registration,
    _now,
    _seats_taken,
    _stored_reason,
    _waitlist,
    lock_week,
)


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


def _promote_locked(
    *, actor: User | None, course: Course, week: CourseWeek, now: dt.datetime
) -> list[RegistrationLine]:
    """`_promote_courses_locked` for one course."""
    return _promote_courses_locked(actor=actor, courses=[course], week=week, now=now)


def _promote_courses_locked(
    *, actor: User | None, courses: Iterable[Course], week: CourseWeek, now: dt.datetime
) -> list[RegistrationLine]:
    """C11: free seats go to the first on the waiting list at once: confirmed before the
    cancellation deadline instant, offered (holding the seat) after it. A course removed
    from its week (C4) promotes nobody: its lines are being cancelled.

    Any number of courses of the week in a fixed number of statements: the seats taken, the
    waiting lists and the course days are read for all of them at once, and the promoted
    lines and their audit events written in one statement each. Called under the week's
    lock."""
    open_courses = {c.pk: c for c in courses if c.removed_at is None}
    if not open_courses:
        return []
    taken = _seats_taken_by_course(list(open_courses))
    short = {
        pk: course.capacity - taken.get(pk, 0)
        for pk, course in open_courses.items()
        if course.capacity - taken.get(pk, 0) > 0
    }
    if not short:
        return []
    waitlists: dict[int, list[RegistrationLine]] = {}
    for line in (
        RegistrationLine.objects.filter(course_id__in=list(short), status=LineStatus.WAITLISTED)
        .select_related("registration__trainee__user", "registration__home_unit", "course__week")
        .order_by("queue_order", "id")
    ):
        waitlists.setdefault(line.course_id, []).append(line)
    if not waitlists:
        return []
    starts = _course_starts([open_courses[pk] for pk in waitlists])
    changed = []
    for course_id, waitlist in sorted(waitlists.items()):
        promotions = offers.promote(
            waitlist=[ln.pk for ln in waitlist],
            free_seats=short[course_id],
            now=now,
            cancellation_deadline_instant=week.windows.cancellation_closes,
            course_start_instant=starts[course_id],
            offer_hours=settings.OFFER_HOURS,
        )
        by_id = {ln.pk: ln for ln in waitlist}
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
            changed.append(line)
    if not changed:
        return []
    RegistrationLine.objects.bulk_update(
        changed,
        ["status", "reason_code", "reason", "confirmed_at", "offered_at", "offer_expires_at"],
    )
    audit.record_many(
        [_line_audit(actor, ln, LineStatus.WAITLISTED, "line.promoted") for ln in changed]
    )
    for line in changed:
        if line.status == LineStatus.CONFIRMED:
            notify.notify_seat_confirmed(line)
        else:
            notify.notify_offer_made(line)
    return changed


def _seats_taken_by_course(course_ids: list[int]) -> dict[int, int]:
    return dict(
        RegistrationLine.objects.filter(course_id__in=course_ids, status__in=SEAT_TAKING)
        .order_by()
        .values_list("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
    )


def _course_starts(courses: list[Course]) -> dict[int, dt.datetime]:
    """When each course starts: its first day (or the week's first day when it has none)."""
    first: dict[int, dt.date] = {}
    for course_id, date in (
        CourseDay.objects.filter(course_id__in=[c.pk for c in courses])
        .order_by("date")
        .values_list("course_id", "date")
    ):
        first.setdefault(course_id, date)
    return {c.pk: start_of_day(first.get(c.pk, c.week.start_date)) for c in courses}


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
    _promote_courses_locked(
        actor=actor,
        courses=[courses[pk] for pk in sorted({ln.course_id for ln in lapsed})],
        week=week,
        now=now,
    )
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
