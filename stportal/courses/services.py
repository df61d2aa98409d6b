"""Writes on course weeks and courses (C3, C4). Each writes its audit event in its transaction.

Changes that affect registered people (dates, place, a course removed, the week cancelled)
notify them (C22); the notification side lives with the registration engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stportal.accounts.models import Region, User
from stportal.core import audit
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.courses import days as course_days
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
    "lodging_nightly_rate",
    "open_to_all_regions",
    "guest_seat_price",
    "guest_lodging_nightly_rate",
)
# C23: the other regions a week is opened to: "all", or a list of region ids.
OPEN_TO_REGIONS = "open_to_regions"
OpenTo = Literal["all"] | Sequence[int]


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
    if values.get("lodging_nightly_rate", 0) < 0:
        errors["lodging_nightly_rate"] = [_("The price per night cannot be negative.")]
    if values.get("guest_seat_price", 0) < 0:
        errors["guest_seat_price"] = [_("The price cannot be negative.")]
    if (values.get("guest_lodging_nightly_rate") or 0) < 0:
        errors["guest_lodging_nightly_rate"] = [_("The price per night cannot be negative.")]
    if values.get("certifier") and values["certifier"] not in Certifier.values:
        errors["certifier"] = [_("Unknown certifier setting.")]
    if errors:
        raise ValidationFailed(errors)


def _guest_regions(value: OpenTo, host_region_id: int) -> tuple[bool, list[Region]]:
    """C23: "all", or the other regions named by id (each must exist and not be the host's
    own); 422 naming `open_to_regions` otherwise. Returns (open to all, the regions listed)."""
    if value == "all":
        return True, []
    if isinstance(value, str):
        raise ValidationFailed({OPEN_TO_REGIONS: [_('Give "all" or a list of region ids.')]})
    wanted = set(value)
    found = list(Region.objects.filter(pk__in=wanted).exclude(pk=host_region_id).order_by("pk"))
    unknown = sorted(wanted - {region.pk for region in found})
    if unknown:
        raise ValidationFailed(
            {
                OPEN_TO_REGIONS: [
                    _("Not another region of this installation: %(ids)s.")
                    % {"ids": ", ".join(map(str, unknown))}
                ]
            }
        )
    return False, found


def _guest_regions_picture(week: CourseWeek) -> str | list[int]:
    """The week's C23 opening as the audit trail and the API show it."""
    if week.open_to_all_regions:
        return "all"
    return sorted(region.pk for region in week.open_to_regions.all())


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
    lodging_nightly_rate: int | None = None,
    open_to_regions: OpenTo = (),
    guest_seat_price: int = 0,
    guest_lodging_nightly_rate: int | None = None,
) -> CourseWeek:
    open_to_all, guest_regions = _guest_regions(open_to_regions, series.region_id)
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
        # C20: the week's own nightly lodging rate; the installation's setting by default.
        "lodging_nightly_rate": settings.LODGING_NIGHTLY_RATE_SEK
        if lodging_nightly_rate is None
        else lodging_nightly_rate,
        # C23: other regions taking part, and what their seats and nights cost them.
        "open_to_all_regions": open_to_all,
        "guest_seat_price": guest_seat_price,
        "guest_lodging_nightly_rate": guest_lodging_nightly_rate,
    }
    _validate_week(values)
    permissions.require_manage_region(actor, series.region_id)
    with transaction.atomic():
        week = CourseWeek.objects.create(series=series, **values)
        week.open_to_regions.set(guest_regions)
        audit.record(
            actor=actor,
            action="course_week.created",
            obj=week,
            after={**audit.snapshot(week), OPEN_TO_REGIONS: _guest_regions_picture(week)},
        )
    return week


def update_course_week(
    *, actor: User | None, week: CourseWeek, changes: dict[str, Any], now: dt.datetime | None = None
) -> CourseWeek:
    """PATCH of a week (C3, C4).

    1. Capacity once published changes through the capacity rules (C12): it may not go below
       the seats taken in any course that follows the week's capacity; a raise moves waiting
       lists up.
    2. Moving the dates moves the courses (C4): when the first and last day move by the same
       number of days every course day moves with them; otherwise the days stay, and a day
       that would fall outside the week refuses the move (422 naming it). Offers then lapse at
       the new course start. A week that has started keeps its dates.
    3. Dates or place changed on a published week: everyone registered is told (C22).
    """
    unknown = set(changes) - set(WEEK_FIELDS) - {"series", OPEN_TO_REGIONS}
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
        before = {**audit.snapshot(week), OPEN_TO_REGIONS: _guest_regions_picture(week)}
        values = {name: getattr(week, name) for name in WEEK_FIELDS}
        values.update({k: v for k, v in changes.items() if k not in ("series", OPEN_TO_REGIONS)})
        guest_regions = None
        if OPEN_TO_REGIONS in changes:
            host = changes["series"].region_id if "series" in changes else week.series.region_id
            values["open_to_all_regions"], guest_regions = _guest_regions(
                changes[OPEN_TO_REGIONS], host
            )
        if "start_date" in changes and "cancellation_deadline" not in changes:
            old_default = default_cancellation_deadline(week.start_date)
            if week.cancellation_deadline == old_default:
                values["cancellation_deadline"] = default_cancellation_deadline(
                    values["start_date"]
                )
        _validate_week(values)
        dates_moved = (values["start_date"], values["end_date"]) != (
            week.start_date,
            week.end_date,
        )
        check_week_move(
            week=week, start_date=values["start_date"], end_date=values["end_date"], now=now
        )
        plan = _plan_move(week, values["start_date"], values["end_date"]) if dates_moved else None
        if "capacity" in changes and values["capacity"] < week.capacity:
            _check_capacity_not_below_taken(week, values["capacity"])
        for name, value in values.items():
            setattr(week, name, value)
        if "series" in changes:
            week.series = changes["series"]
        week.save()
        if guest_regions is not None:
            week.open_to_regions.set(guest_regions)
        after = {**audit.snapshot(week), OPEN_TO_REGIONS: _guest_regions_picture(week)}
        if plan is not None and plan.moves_days:
            before["course_days"], after["course_days"] = _move_days(plan)
        audit.record(
            actor=actor,
            action="course_week.changed",
            obj=week,
            before=before,
            after=after,
        )
        if values["capacity"] > before["capacity"]:
            # C12: a raise moves the waiting lists of courses following the week's capacity.
            from stportal.registrations.services import promote_week_after_capacity_change

            promote_week_after_capacity_change(actor=actor, week=week, now=now)
        if plan is not None and plan.moves_days and week.stored_state != states.StoredState.DRAFT:
            # C11: offers lapse at the course start, which has just moved.
            from stportal.registrations.services import follow_course_days

            follow_course_days(actor=actor, week=week, now=now)
        if week.stored_state != states.StoredState.DRAFT:
            # C4/C22: a change that affects people notifies everyone registered.
            if plan is not None and plan.moves_days:
                _notify_week_changed(week, WEEK_MOVED)
            elif dates_moved:
                _notify_week_changed(week, DATES_CHANGED)
            elif after["place"] != before["place"]:
                _notify_week_changed(week, PLACE_CHANGED)
    return week


def _live_course_days(week: CourseWeek) -> dict[int, list[dt.date]]:
    """The days of the week's courses that are not removed, per course id."""
    found: dict[int, list[dt.date]] = {
        pk: [] for pk in week.courses.filter(removed_at__isnull=True).values_list("pk", flat=True)
    }
    rows = CourseDay.objects.filter(course_id__in=list(found)).values_list("course_id", "date")
    for course_id, date in rows:
        found[course_id].append(date)
    return found


def _day_problem_text(title: str, problem: course_days.DayProblem) -> str:
    values = {"course": title, "day": problem.day.isoformat()}
    if problem.problem == "outside":
        return _("%(course)s: %(day)s would fall outside the course week.") % values
    if problem.problem == "weekend":
        return _("%(course)s: %(day)s would fall on a weekend.") % values
    return _("%(course)s: %(day)s is given more than once.") % values


def _plan_move(week: CourseWeek, new_start: dt.date, new_end: dt.date) -> course_days.WeekMove:
    """C4: what moving the week does to its courses' days; 422 naming every day it would
    strand, course by course."""
    plan = course_days.plan_week_move(
        old_start=week.start_date,
        old_end=week.end_date,
        new_start=new_start,
        new_end=new_end,
        course_days=_live_course_days(week),
    )
    if not plan.allowed:
        titles = dict(week.courses.values_list("pk", "title"))
        raise ValidationFailed(
            {
                "days": [
                    _day_problem_text(titles[course_id], problem)
                    for course_id in sorted(plan.problems)
                    for problem in plan.problems[course_id]
                ]
            },
            message=_("Moving the week would leave course days outside it."),
        )
    return plan


def check_week_move(
    *, week: CourseWeek, start_date: dt.date, end_date: dt.date, now: dt.datetime | None = None
) -> None:
    """The move's checks alone, for forms that show them before saving (C4): a week that has
    started keeps its dates (409 `locked`); 422 naming every course day the new dates would
    leave outside the week."""
    if (start_date, end_date) == (week.start_date, week.end_date):
        return
    if week.state_at(now or timezone.now()) == states.WeekState.RUNNING:
        raise ServiceError("locked", _("The dates of a week that has started cannot change."))
    _plan_move(week, start_date, end_date)


def _move_days(plan: course_days.WeekMove) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Write the planned days; the audit's before and after, per course id."""
    before: dict[str, list[str]] = {}
    for course_id, date in CourseDay.objects.filter(course_id__in=list(plan.days)).values_list(
        "course_id", "date"
    ):
        before.setdefault(str(course_id), []).append(date.isoformat())
    # Replaced rather than updated in place: shifting one day onto a day of the same course
    # that has not moved yet would break the one-row-per-day constraint midway.
    CourseDay.objects.filter(course_id__in=list(plan.days)).delete()
    CourseDay.objects.bulk_create(
        [CourseDay(course_id=pk, date=day) for pk, days in plan.days.items() for day in days]
    )
    after = {str(pk): [day.isoformat() for day in days] for pk, days in plan.days.items()}
    return {k: sorted(v) for k, v in before.items()}, after


def _registered(week: CourseWeek, *, course: Course | None = None) -> list[Any]:
    """Registrations of the week (or of one course) with a line still holding or asking for a
    place: the people a change affects (C22)."""
    from stportal.registrations.models import Registration, RegistrationLine
    from stportal.registrations.services import ACTIVE

    lines = RegistrationLine.objects.filter(status__in=ACTIVE)
    lines = lines.filter(course=course) if course is not None else lines
    return list(
        Registration.objects.filter(course_week=week, pk__in=lines.values("registration_id"))
    )


# What a "week changed" e-mail says has changed, in each recipient's language (C22).
WEEK_MOVED = gettext_lazy("The course week has moved to new dates, and its courses with it.")
DATES_CHANGED = gettext_lazy("The dates of the course week have changed.")
PLACE_CHANGED = gettext_lazy("The place of the course week has changed.")
DAYS_CHANGED = gettext_lazy("The days of {course} have changed.")


def _notify_week_changed(
    week: CourseWeek, what_changed: Any, *, course: Course | None = None
) -> None:
    from stportal.notifications.services import notify_week_changed

    registrations = _registered(week, course=course)
    if registrations:
        notify_week_changed(week, registrations, what_changed)


def _check_capacity_not_below_taken(week: CourseWeek, new_capacity: int) -> None:
    from stportal.registrations.lines import SEAT_TAKING
    from stportal.registrations.models import RegistrationLine

    for course in week.courses.filter(own_capacity__isnull=True, removed_at__isnull=True):
        taken = RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count()
        if new_capacity < taken:
            raise ServiceError(
                "capacity_below_taken",
                ngettext(
                    "Capacity cannot be lower than the %(taken)d seat taken in %(course)s.",
                    "Capacity cannot be lower than the %(taken)d seats taken in %(course)s.",
                    taken,
                )
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
    problems = course_days.check_days(days, week_start=week.start_date, week_end=week.end_date)
    if problems:
        errors["days"] = [_day_text(problem) for problem in problems]
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


def _day_text(problem: course_days.DayProblem) -> str:
    day = {"day": problem.day.isoformat()}
    if problem.problem == "outside":
        return _("%(day)s is outside the course week.") % day
    if problem.problem == "weekend":
        return _("%(day)s is on a weekend: courses are held Monday to Friday.") % day
    return _("%(day)s is given more than once.") % day


class _Unchanged:
    """A value left out of an edit (where `None` means something: follow the week's capacity)."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


def _course_picture(course: Course) -> dict[str, Any]:
    picture = audit.snapshot(course)
    picture["days"] = [d.date.isoformat() for d in course.days.order_by("date")]
    picture["goals"] = sorted(g.code for g in course.goals.all())
    picture["leaders"] = sorted(u.pk for u in course.leaders.all())
    return picture


def _lock_course(actor: User | None, course: Course) -> tuple[CourseWeek, Course]:
    """Lock the course's week (the order every seat-changing path takes), then the course;
    refuse anyone who may not change it."""
    week = _lock(actor, course.week)
    locked = Course.objects.select_for_update().get(pk=course.pk)
    locked.week = week
    permissions.require_change_course(actor, locked)
    return week, locked


def update_course(
    *,
    actor: User | None,
    course: Course,
    title: str | None = None,
    description: str | None = None,
    days: Iterable[dt.date] | None = None,
    capacity: Any = UNCHANGED,
    leaders: Iterable[User] | None = None,
    goals: Iterable[Goal] | None = None,
    goals_2008_text: str | None = None,
    position: int | None = None,
    now: dt.datetime | None = None,
) -> Course:
    """Edit a course (C3, Appendix A `PATCH /courses/{id}`); what is left out stays.

    1. Days lie in the week, Monday to Friday, each once; they stay once the week has started
       (title, description, leaders and goals may still be corrected, before certificates).
       New days move everything read from them: offers lapse at the new course start (C11),
       and the people registered for the course are told (C22).
    2. Capacity changes through the capacity rule (C12): `None` follows the week's.
    3. Leaders must belong to the week's region (security review finding 9).
    """
    now = now or timezone.now()
    new_days = None if days is None else list(days)
    with transaction.atomic():
        week, course = _lock_course(actor, course)
        if course.removed_at is not None:
            raise ServiceError("locked", _("The course has been removed from its week."))
        state = week.state_at(now)
        if state == states.WeekState.CANCELLED:
            raise ServiceError("locked", _("The week is cancelled."))
        errors: dict[str, list[str]] = {}
        if title is not None and not title.strip():
            errors["title"] = [_("Enter a title.")]
        if new_days is not None:
            problems = course_days.check_days(
                new_days, week_start=week.start_date, week_end=week.end_date
            )
            if problems:
                errors["days"] = [_day_text(problem) for problem in problems]
            elif not new_days:
                errors["days"] = [_("Choose at least one day.")]
        if errors:
            raise ValidationFailed(errors)
        before = _course_picture(course)
        days_changed = new_days is not None and sorted(new_days) != [
            dt.date.fromisoformat(d) for d in before["days"]
        ]
        if days_changed and state in (states.WeekState.RUNNING, states.WeekState.FINISHED):
            raise ServiceError(
                "locked", _("The days of a course cannot change once the week has started.")
            )
        if leaders is not None:
            leaders = list(leaders)
            permissions.check_leaders([u.pk for u in leaders], week)
        if title is not None:
            course.title = title.strip()
        if description is not None:
            course.description = description.strip()
        if goals_2008_text is not None:
            course.goals_2008_text = goals_2008_text.strip()
        if position is not None:
            course.position = position
        course.save(update_fields=["title", "description", "goals_2008_text", "position"])
        if days_changed:
            course.days.all().delete()
            CourseDay.objects.bulk_create(
                [CourseDay(course=course, date=d) for d in sorted(new_days or [])]
            )
        if leaders is not None:
            course.leaders.set(leaders)
        if goals is not None:
            course.goals.set(list(goals))
        after = _course_picture(course)
        if after != before:
            audit.record(
                actor=actor, action="course.changed", obj=course, before=before, after=after
            )
        if capacity is not UNCHANGED and capacity != course.own_capacity:
            from stportal.registrations.services import change_course_capacity

            change_course_capacity(actor=actor, course=course, capacity=capacity, now=now)
        if days_changed and week.stored_state != states.StoredState.DRAFT:
            from stportal.registrations.services import follow_course_days

            follow_course_days(actor=actor, week=week, now=now)
            _notify_week_changed(
                week,
                format_lazy(DAYS_CHANGED, course=course.title),
                course=course,
            )
    course.refresh_from_db()
    return course


def remove_course(
    *, actor: User | None, course: Course, reason: str, now: dt.datetime | None = None
) -> Course:
    """C4: the organiser removes a course from its week.

    1. Only before the week starts, and never the last course of a published week (cancel the
       week instead).
    2. The course is marked removed first, so that no seat it frees is offered to anyone; then
       every active line on it is cancelled by the organiser, free of charge (C14), and its
       participants are told (C22). A removed course takes no registrations.
    """
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Write the reason.")]})
    with transaction.atomic():
        week, course = _lock_course(actor, course)
        if course.removed_at is not None:
            raise ServiceError("locked", _("The course has already been removed."))
        state = week.state_at(now)
        if state in (
            states.WeekState.CANCELLED,
            states.WeekState.RUNNING,
            states.WeekState.FINISHED,
        ):
            raise ServiceError(
                "locked", _("A course can be removed only before its week has started.")
            )
        others = week.courses.filter(removed_at__isnull=True).exclude(pk=course.pk)
        if week.stored_state != states.StoredState.DRAFT and not others.exists():
            raise ServiceError(
                "last_course", _("This is the week's only course: cancel the week instead.")
            )
        before = audit.snapshot(course, ["removed_at"])
        course.removed_at = now
        course.save(update_fields=["removed_at"])
        audit.record(
            actor=actor,
            action="course.removed",
            obj=course,
            before=before,
            after=audit.snapshot(course, ["removed_at"]),
            reason=reason,
        )
        from stportal.registrations.services import cancel_course_lines_by_organiser

        cancel_course_lines_by_organiser(actor=actor, course=course, reason=reason, now=now)
    return course
