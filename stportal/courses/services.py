"""Writes on course weeks and courses (C3, C4). Each writes its audit event in its transaction.

Changes that affect registered people (dates, place, a course removed, the week cancelled)
notify them (C22); the notification side lives with the registration engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.courses import permissions, states
from stportal.courses.models import Certifier, Course, CourseDay, CourseSeries, CourseWeek
from stportal.curricula.models import Goal

WEEK_FIELDS = (
    "title",
    "start_date",
    "end_date",
    "place",
    "capacity",
    "invitation_date",
    "registration_deadline",
    "cancellation_deadline",
    "late_cancellation_fee",
    "host_site",
    "certifier",
)


def _lock(actor: User | None, week: CourseWeek) -> CourseWeek:
    """Lock the week row (not its series) and refuse anyone who may not manage it: the
    services check on their own, whatever page, API call or admin action called them."""
    locked = (
        CourseWeek.objects.select_for_update(of=("self",)).select_related("series").get(pk=week.pk)
    )
    permissions.require_manage_week(actor, locked)
    return locked


def default_cancellation_deadline(start_date: dt.date) -> dt.date:
    """C3: by default 14 days before the first day."""
    return start_date - dt.timedelta(days=14)


def _validate_week(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = [_("Enter a title.")]
    start, end = values["start_date"], values["end_date"]
    if end < start:
        errors["end_date"] = [_("The last day is before the first day.")]
    if values["registration_deadline"] < values["invitation_date"]:
        errors["registration_deadline"] = [_("The deadline is before the invitation date.")]
    if values["registration_deadline"] >= start:
        errors["registration_deadline"] = [_("The deadline must be before the first day.")]
    if values["cancellation_deadline"] >= start:
        errors["cancellation_deadline"] = [
            _("The cancellation deadline must be before the first day.")
        ]
    if values["capacity"] < 1:
        errors["capacity"] = [_("Capacity must be at least 1.")]
    if values["late_cancellation_fee"] < 0:
        errors["late_cancellation_fee"] = [_("The fee cannot be negative.")]
    if values.get("certifier") and values["certifier"] not in Certifier.values:
        errors["certifier"] = [_("Unknown certifier setting.")]
    if errors:
        raise ValidationFailed(errors)


def create_course_week(
    *,
    actor: User | None,
    series: CourseSeries,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    place: str,
    capacity: int,
    invitation_date: dt.date,
    registration_deadline: dt.date,
    cancellation_deadline: dt.date | None = None,
    late_cancellation_fee: int,
    host_site: str = "",
    certifier: str | None = None,
) -> CourseWeek:
    values = {
        "title": title.strip(),
        "start_date": start_date,
        "end_date": end_date,
        "place": place.strip(),
        "capacity": capacity,
        "invitation_date": invitation_date,
        "registration_deadline": registration_deadline,
        "cancellation_deadline": cancellation_deadline or default_cancellation_deadline(start_date),
        "late_cancellation_fee": late_cancellation_fee,
        "host_site": host_site or series.host_site,
        "certifier": certifier or Certifier.REGIONAL_STUDY_DIRECTOR_AS_LEADER,
    }
    _validate_week(values)
    permissions.require_manage_region(actor, series.region_id)
    with transaction.atomic():
        week = CourseWeek.objects.create(series=series, **values)
        audit.record(
            actor=actor, action="course_week.created", obj=week, after=audit.snapshot(week)
        )
    return week


def update_course_week(
    *, actor: User | None, week: CourseWeek, changes: dict[str, Any], now: dt.datetime | None = None
) -> CourseWeek:
    """PATCH of a week. Capacity once published changes through `change_capacity` rules (C12):
    it may not go below the seats taken in any course that follows the week's capacity."""
    unknown = set(changes) - set(WEEK_FIELDS) - {"series"}
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    now = now or timezone.now()
    with transaction.atomic():
        week = _lock(actor, week)
        if "series" in changes:
            permissions.require_manage_region(actor, changes["series"].region_id)
        state = week.state_at(now)
        if state in (states.WeekState.CANCELLED, states.WeekState.FINISHED):
            raise ServiceError("locked", _("A cancelled or finished week cannot be changed."))
        before = audit.snapshot(week)
        values = {name: getattr(week, name) for name in WEEK_FIELDS}
        values.update({k: v for k, v in changes.items() if k != "series"})
        if "start_date" in changes and "cancellation_deadline" not in changes:
            old_default = default_cancellation_deadline(week.start_date)
            if week.cancellation_deadline == old_default:
                values["cancellation_deadline"] = default_cancellation_deadline(
                    values["start_date"]
                )
        _validate_week(values)
        if "capacity" in changes and values["capacity"] < week.capacity:
            _check_capacity_not_below_taken(week, values["capacity"])
        for name, value in values.items():
            setattr(week, name, value)
        if "series" in changes:
            week.series = changes["series"]
        week.save()
        audit.record(
            actor=actor,
            action="course_week.changed",
            obj=week,
            before=before,
            after=audit.snapshot(week),
        )
        if values["capacity"] > before["capacity"]:
            # C12: a raise moves the waiting lists of courses following the week's capacity.
            from stportal.registrations.services import promote_week_after_capacity_change

            promote_week_after_capacity_change(actor=actor, week=week, now=now)
        moved = any(
            audit.snapshot(week, [name])[name] != before[name]
            for name in ("start_date", "end_date", "place")
        )
        if moved and week.stored_state != states.StoredState.DRAFT:
            # C4/C22: a change that affects people notifies everyone registered.
            _notify_week_changed(week)
    return week


def _notify_week_changed(week: CourseWeek) -> None:
    from stportal.notifications.services import notify_week_changed
    from stportal.registrations.models import Registration, RegistrationLine

    active = RegistrationLine.objects.exclude(status="cancelled").values("registration_id")
    registrations = list(Registration.objects.filter(course_week=week, pk__in=active))
    if registrations:
        notify_week_changed(
            week,
            registrations,
            gettext_lazy("The dates or the place of the course week have changed."),
        )


def _check_capacity_not_below_taken(week: CourseWeek, new_capacity: int) -> None:
    from stportal.registrations.lines import SEAT_TAKING
    from stportal.registrations.models import RegistrationLine

    for course in week.courses.filter(own_capacity__isnull=True, removed_at__isnull=True):
        taken = RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count()
        if new_capacity < taken:
            raise ServiceError(
                "capacity_below_taken",
                _("Capacity cannot be lower than the %(taken)d seats taken in %(course)s.")
                % {"taken": taken, "course": course.title},
            )


def publish_course_week(
    *, actor: User | None, week: CourseWeek, now: dt.datetime | None = None
) -> CourseWeek:
    now = now or timezone.now()
    with transaction.atomic():
        week = _lock(actor, week)
        try:
            states.check_publish(week.state_at(now))
        except states.TransitionError as exc:
            raise ServiceError(exc.code, _("Only a draft week can be published.")) from exc
        if not week.courses.filter(removed_at__isnull=True).exists():
            raise ServiceError("no_courses", _("Add at least one course before publishing."))
        before = audit.snapshot(week, ["stored_state", "published_at"])
        week.stored_state = states.StoredState.PUBLISHED
        week.published_at = now
        week.save(update_fields=["stored_state", "published_at"])
        audit.record(
            actor=actor,
            action="course_week.published",
            obj=week,
            before=before,
            after=audit.snapshot(week, ["stored_state", "published_at"]),
        )
    return week


def cancel_course_week(
    *, actor: User | None, week: CourseWeek, reason: str = "", now: dt.datetime | None = None
) -> CourseWeek:
    """C4: the organiser cancels a week. It never charges a fee; registered people are told."""
    now = now or timezone.now()
    with transaction.atomic():
        week = _lock(actor, week)
        try:
            states.check_cancel(week.state_at(now))
        except states.TransitionError as exc:
            raise ServiceError(exc.code, _("This week cannot be cancelled.")) from exc
        before = audit.snapshot(week, ["stored_state", "cancelled_at", "cancel_reason"])
        week.stored_state = states.StoredState.CANCELLED
        week.cancelled_at = now
        week.cancel_reason = reason
        week.save(update_fields=["stored_state", "cancelled_at", "cancel_reason"])
        audit.record(
            actor=actor,
            action="course_week.cancelled",
            obj=week,
            before=before,
            after=audit.snapshot(week, ["stored_state", "cancelled_at", "cancel_reason"]),
            reason=reason,
        )
        from stportal.registrations.services import cancel_week_registrations

        cancel_week_registrations(actor=actor, week=week, now=now)
    return week


def add_course(
    *,
    actor: User | None,
    week: CourseWeek,
    title: str,
    description: str = "",
    days: Iterable[dt.date] = (),
    capacity: int | None = None,
    leaders: Iterable[User] = (),
    goals: Iterable[Goal] = (),
    goals_2008_text: str = "",
    position: int | None = None,
) -> Course:
    days = sorted(set(days))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Enter a title.")]
    outside = [d for d in days if not week.start_date <= d <= week.end_date]
    if outside:
        errors["days"] = [
            _("%(day)s is outside the course week.") % {"day": d.isoformat()} for d in outside
        ]
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("Capacity must be at least 1.")]
    if errors:
        raise ValidationFailed(errors)
    leaders = list(leaders)
    with transaction.atomic():
        week = _lock(actor, week)
        permissions.check_leaders([u.pk for u in leaders], week)
        if week.stored_state == states.StoredState.CANCELLED:
            raise ServiceError("locked", _("The week is cancelled."))
        if position is None:
            position = week.courses.count() + 1
        course = Course.objects.create(
            week=week,
            title=title.strip(),
            description=description.strip(),
            own_capacity=capacity,
            goals_2008_text=goals_2008_text,
            position=position,
        )
        CourseDay.objects.bulk_create([CourseDay(course=course, date=d) for d in days])
        course.leaders.set(list(leaders))
        course.goals.set(list(goals))
        after = audit.snapshot(course)
        after["days"] = [d.isoformat() for d in days]
        after["goals"] = sorted(g.code for g in course.goals.all())
        after["leaders"] = sorted(u.pk for u in course.leaders.all())
        audit.record(actor=actor, action="course.created", obj=course, after=after)
    return course
