"""What follows the organiser's changes to a week (C4, C11, C14): a cancelled week, a removed
course, course days moved."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.errors import ServiceError
from stportal.courses import permissions as course_permissions
from stportal.courses.models import Course, CourseWeek
from stportal.notifications import services as notify
from stportal.registrations import offers
from stportal.registrations.lines import ACTIVE, CANCELLABLE
from stportal.registrations.models import FeeStatus, LineStatus, Registration, RegistrationLine
from stportal.registrations.services.cancelling import _cancel_locked, record_acceptable_reason
from stportal.registrations.services.locking import _course_start, _now, lock_week
from stportal.registrations.services.waiting_list import _lapse_offers_locked


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
