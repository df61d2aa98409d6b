"""Reads for the trainee's course-programme pages (C4–C16, C20, C21), shaped for templates.

Every function runs a fixed number of SQL queries whatever the number of weeks, courses or
registrations (SPEC 7): lists are fetched with `select_related`/`prefetch_related`, and the
objects a line's reason needs (its course's week and series) are attached from the rows
already fetched instead of being loaded one by one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from stportal.accounts.models import Region, TraineeProfile, User
from stportal.core.dates import local_date
from stportal.courses.models import Course, CourseWeek, InformationPage
from stportal.courses.selectors import courses_with_counts, weeks_for_user
from stportal.courses.states import Opening as RegistrationOpening
from stportal.courses.states import StoredState, WeekState, registration_opening
from stportal.curricula.models import Goal
from stportal.registrations import fees, selectors
from stportal.registrations import lines as line_rules
from stportal.registrations.lines import ACTIVE, CANCELLABLE
from stportal.registrations.models import Fee, FeeStatus, LineStatus, Registration, RegistrationLine
from stportal.registrations.reasons import describe
from stportal.registrations.services import decide_cancellation

# Lines whose stored reason still tells why they are where they are (C9, C10, C11).
_PLACED = (*CANCELLABLE, LineStatus.NOT_SEATED)
_OFFER_ENDS = ("offer_declined", "offer_lapsed")


# --- small formatting helpers ------------------------------------------------------------------


def format_sek(amount: int) -> str:
    """Money as people read it: "3 000 kr" in Swedish, "SEK 3,000" in English."""
    grouped = number_format(amount, decimal_pos=0, force_grouping=True)
    return _("SEK %(amount)s") % {"amount": grouped}


def format_instant(instant: dt.datetime) -> str:
    """A moment in Europe/Stockholm in the active language ("2 december 2026 14:00")."""
    return date_format(timezone.localtime(instant), "DATETIME_FORMAT")


def format_day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def fee_of(registration: Registration) -> Fee | None:
    """The registration's one fee (C14), or None; `with_lines` has fetched it already."""
    try:
        return registration.fee
    except Fee.DoesNotExist:
        return None


def trainee_of(user: User) -> TraineeProfile | None:
    if not user.is_authenticated:
        return None
    return (
        TraineeProfile.objects.filter(user=user)
        .select_related("curriculum_version", "home_unit")
        .first()
    )


# --- a registration line in words ----------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    """One course line as its trainee reads it: status in words, place, reason, fee."""

    line: RegistrationLine
    course: Course
    status: str
    status_text: str
    position: int | None
    reason: str
    offer_open: bool
    offer_expires_at: dt.datetime | None
    fee_text: str
    days: list[dt.date]
    cancel_note: str = ""

    @property
    def cancellable(self) -> bool:
        return self.status in CANCELLABLE


def line_status_text(line: RegistrationLine, *, position: int | None, now: dt.datetime) -> str:
    """The line's state as a sentence fragment ("Reservlista, plats 3"); text, never colour."""
    status = line.status
    if status == LineStatus.PENDING:
        if line.late:
            return _("Late registration")
        return _("Registered")
    if status == LineStatus.CONFIRMED:
        return _("Confirmed seat")
    if status == LineStatus.WAITLISTED:
        return _("Waiting list, place %(position)d") % {"position": position or 0}
    if status == LineStatus.OFFERED:
        if line_rules.offer_open(status=status, offer_expires_at=line.offer_expires_at, now=now):
            return _("Offered a seat – answer by %(deadline)s") % {
                "deadline": format_instant(line.offer_expires_at)
            }
        return _("Offer lapsed")
    if status == LineStatus.CANCELLED:
        if line.reason_code == "offer_declined":
            return _("Offer declined")
        if line.reason_code == "offer_lapsed":
            return _("Offer lapsed")
        return _("Cancelled")
    return {
        LineStatus.NOT_SEATED: _("No seat"),
        LineStatus.NO_SHOW: _("No-show"),
        LineStatus.PASSED: _("Passed"),
        LineStatus.NOT_PASSED: _("Not passed"),
        LineStatus.INCOMPLETE: _("Incomplete – to be completed"),
    }.get(status, status)


def _fee_text(line: RegistrationLine) -> str:
    """The line's fee in words, named by its cause (the fee row's `cause`, C14 / C17)."""
    if line.fee_id is None:
        return ""
    fee = line.fee
    amount = {"amount": format_sek(fee.amount)}
    no_show = fee.cause == "no_show"
    if fee.status == FeeStatus.WAIVED:
        if no_show:
            return _("%(amount)s for not showing up, waived") % amount
        return _("%(amount)s for late cancellation, waived") % amount
    if no_show:
        return _("%(amount)s for not showing up, charged to the home unit") % amount
    return _("%(amount)s for late cancellation, charged to the home unit") % amount


def line_view(line: RegistrationLine, *, now: dt.datetime) -> LineView:
    """`line` comes from `selectors.lines_with_positions` (its waiting position annotated) with
    `line.course.week` attached, so nothing here queries."""
    ahead = getattr(line, "ahead", None)
    position = ahead + 1 if line.status == LineStatus.WAITLISTED and ahead is not None else None
    offer_open = line_rules.offer_open(
        status=line.status, offer_expires_at=line.offer_expires_at, now=now
    )
    days = [d.date for d in line.course.days.all()]
    # The stored reason says which rule placed the line (C9); once a line is cancelled or has
    # a result, that placement is history, so only the offer's own outcome is told then.
    reason = describe(line) if line.status in _PLACED or line.reason_code in _OFFER_ENDS else ""
    cancel_note = ""
    if line.status == LineStatus.CANCELLED and line.reason_code not in _OFFER_ENDS:
        when = format_instant(line.cancelled_at) if line.cancelled_at else ""
        if line.cancel_reason:
            cancel_note = _("Cancelled on %(when)s: %(reason)s") % {
                "when": when,
                "reason": line.cancel_reason,
            }
        else:
            cancel_note = _("Cancelled on %(when)s.") % {"when": when}
    elif line.result_reason:
        cancel_note = line.result_reason
    return LineView(
        line=line,
        course=line.course,
        status=line.status,
        status_text=line_status_text(line, position=position, now=now),
        position=position,
        reason=reason,
        offer_open=offer_open,
        offer_expires_at=line.offer_expires_at if offer_open else None,
        fee_text=_fee_text(line),
        days=days,
        cancel_note=cancel_note,
    )


def _attach_weeks(registrations: Iterable[Registration]) -> list[Registration]:
    """Give each line's course the registration's week (and series), already fetched: the
    line's reason reads the series' priority policy (C9)."""
    found = list(registrations)
    courses = []
    for registration in found:
        for line in registration.lines.all():
            line.course.week = registration.course_week
            courses.append(line.course)
    prefetch_related_objects(courses, "days")
    return found


# --- a reopened registration: its current lines and its history -----------------------------


def _line_of_view(view: LineView) -> RegistrationLine:
    return view.line


def split_reopened(
    items: Sequence[Any], *, line_of: Callable[[Any], Any] = lambda item: item
) -> tuple[list[Any], list[Any]]:
    """A registration's lines (or views of them, `line_of` giving the line) as (current,
    history), each in the given order (C6, C15).

    A registration whose lines were all cancelled is reopened by registering again: new lines,
    requested after every earlier line was cancelled. Those earlier lines stay (nothing is
    deleted) but are history; the current lines are those of the latest opening. An edit that
    adds a course while other lines are active opens nothing: its lines are current.
    """
    ordered = sorted(items, key=lambda item: (line_of(item).requested_at, line_of(item).pk or 0))
    start = 0
    for index, item in enumerate(ordered):
        requested_at = line_of(item).requested_at
        earlier = [line_of(e) for e in ordered[:index]]
        if earlier and all(
            e.status == LineStatus.CANCELLED
            and e.cancelled_at is not None
            and e.cancelled_at <= requested_at
            for e in earlier
        ):
            start = index
    history = {id(item) for item in ordered[:start]}
    return (
        [item for item in items if id(item) not in history],
        [item for item in items if id(item) in history],
    )


# --- a registration as its trainee reads it --------------------------------------------------


@dataclass
class RegistrationView:
    registration: Registration
    week: CourseWeek
    week_state: str
    week_state_label: Any
    lines: list[LineView]
    fee: Fee | None
    fee_text: str = ""
    late_fee_text: str = ""  # the week's late-cancellation fee, "" when it has none
    free_hours: int = 24  # C11: a seat confirmed after the deadline is free to cancel so long
    # Line id -> where the pending line would land if allocation ran now (projection.py).
    projections: dict[int, Any] = field(default_factory=dict)

    @property
    def standing(self) -> list[tuple[LineView, Any]]:
        """Each pending line with its projection, in the lines' order."""
        return [
            (lv, self.projections[lv.line.pk])
            for lv in self.current_lines
            if lv.line.pk in self.projections
        ]

    @property
    def current_lines(self) -> list[LineView]:
        """The lines of the latest opening of the registration (C6)."""
        return split_reopened(self.lines, line_of=_line_of_view)[0]

    @property
    def history_lines(self) -> list[LineView]:
        """Lines cancelled before the registration was reopened: shown folded away."""
        return split_reopened(self.lines, line_of=_line_of_view)[1]

    @property
    def active_lines(self) -> list[LineView]:
        return [lv for lv in self.lines if lv.status != LineStatus.CANCELLED]

    @property
    def is_active(self) -> bool:
        return any(lv.status in ACTIVE for lv in self.lines)

    @property
    def cancellable_lines(self) -> list[LineView]:
        return [lv for lv in self.lines if lv.cancellable]

    @property
    def open_offers(self) -> list[LineView]:
        return [lv for lv in self.lines if lv.offer_open]

    @property
    def late(self) -> bool:
        return any(lv.line.late for lv in self.active_lines)


def registration_view(registration: Registration, *, now: dt.datetime) -> RegistrationView:
    week = registration.course_week
    state = week.state_at(now)
    fee = fee_of(registration)
    fee_text = ""
    if fee is not None:
        # Named by the fee's cause, never inferred from its text (C14, C17).
        values = {"amount": format_sek(fee.amount), "unit": registration.home_unit.name}
        no_show = fee.cause == "no_show"
        if fee.status == FeeStatus.WAIVED and no_show:
            fee_text = _("The fee of %(amount)s for not showing up was waived.") % values
        elif fee.status == FeeStatus.WAIVED:
            fee_text = _("A late-cancellation fee of %(amount)s was waived.") % values
        elif no_show:
            fee_text = (
                _(
                    "A fee of %(amount)s for not showing up without cancelling is charged to "
                    "%(unit)s."
                )
                % values
            )
        else:
            fee_text = _("A late-cancellation fee of %(amount)s is charged to %(unit)s.") % values
    return RegistrationView(
        registration=registration,
        week=week,
        week_state=state,
        week_state_label=WeekState(state).label,
        lines=[line_view(line, now=now) for line in registration.lines.all()],
        fee=fee,
        fee_text=fee_text,
        late_fee_text=format_sek(week.late_cancellation_fee) if week.late_cancellation_fee else "",
        free_hours=settings.FREE_CANCEL_HOURS_AFTER_LATE_CONFIRMATION,
    )


def registration_for_page(
    user: User, registration_id: int, *, now: dt.datetime
) -> RegistrationView:
    """The registration if the caller may read it (404 otherwise, `selectors`)."""
    registration = selectors.get_registration_for_user(user, registration_id)
    _attach_weeks([registration])
    return registration_view(registration, now=now)


def registration_for_change_page(
    user: User, registration_id: int, *, now: dt.datetime
) -> RegistrationView:
    """As above, for acting on it: its trainee and staff of the region (a unit manager only
    reads: 403)."""
    registration = selectors.get_registration_for_change(user, registration_id)
    _attach_weeks([registration])
    return registration_view(registration, now=now)


def my_registrations(user: User, *, now: dt.datetime) -> list[RegistrationView]:
    """The trainee's registrations: weeks still ahead first (soonest first), then past ones
    (latest first). Four queries whatever the number of registrations."""
    views = [
        registration_view(r, now=now)
        for r in _attach_weeks(selectors.registrations_of_trainee_user(user))
    ]
    today = local_date(now)
    ahead = sorted(
        (v for v in views if v.week.end_date >= today),
        key=lambda v: (v.week.start_date, v.registration.pk),
    )
    past = sorted(
        (v for v in views if v.week.end_date < today),
        key=lambda v: (v.week.start_date, v.registration.pk),
        reverse=True,
    )
    return ahead + past


# --- course weeks: the catalogue and the week page --------------------------------------------


@dataclass(frozen=True)
class Opening:
    """Whether the person can register for a week now, and if not, why (C7).

    `code`: "open", "late" (after the deadline, space permitting, C10), "not_yet" (before the
    invitation date), "started", "cancelled", "draft" (only staff see one), "registered"
    (active lines: link to them), "not_trainee" (staff and others see the week but do not
    register here).
    """

    code: str
    registration_id: int | None = None

    @property
    def can_register(self) -> bool:
        return self.code in ("open", "late")


def opening_for(
    *, week: CourseWeek, now: dt.datetime, registration: Registration | None, is_trainee: bool
) -> Opening:
    """The answer `services.register_for_course_week` gives a trainee (C6, C7), from the same
    rules: `states.registration_opening` and `lines.blocks_registering_again`."""
    code = registration_opening(
        stored_state=week.stored_state, windows=week.windows, now=now, staff=False
    )
    if code in (RegistrationOpening.CANCELLED, RegistrationOpening.DRAFT):
        return Opening(str(code))
    if registration is not None and line_rules.blocks_registering_again(
        line.status for line in registration.lines.all()
    ):
        return Opening("registered", registration.pk)
    if code == RegistrationOpening.STARTED:
        return Opening("started")
    if not is_trainee:
        return Opening("not_trainee")
    return Opening(str(code))


@dataclass(frozen=True)
class GoalGroup:
    regulation: str
    goals: list[Goal]


@dataclass(frozen=True)
class CourseRow:
    course: Course
    days: list[dt.date]
    capacity: int
    seats_taken: int
    waiting: int
    requested: int  # pending lines: registered, not yet allocated (C8)
    allocated: bool  # the week has been allocated: seats are held, not just asked for
    leaders: list[str]
    goal_groups: list[GoalGroup]
    goals_2008: str
    show_2008: bool
    line: LineView | None = None

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)


@dataclass
class WeekView:
    week: CourseWeek
    state: str
    state_label: Any
    courses: list[CourseRow]
    opening: Opening
    registration: RegistrationView | None = None
    goal_version: str = ""  # the viewer's curriculum version code, "" for everyone else
    curriculum: str = ""  # the viewer's regulation ("SOSFS 2015:8"), "" for everyone else

    @property
    def seats_left(self) -> int:
        return sum(row.seats_left for row in self.courses)


def _courses_for_pages() -> QuerySet[Course]:
    """`courses_with_counts` with the pending requests counted, leader names and each
    goal's version, for reading."""
    return (
        courses_with_counts()
        .annotate(requested=Count("lines", filter=Q(lines__status=LineStatus.PENDING)))
        .prefetch_related(None)
        .prefetch_related(
            "days",
            Prefetch("goals", queryset=Goal.objects.select_related("version")),
            Prefetch(
                "leaders",
                queryset=User.objects.only("pk", "first_name", "last_name", "username"),
            ),
        )
    )


def _course_row(course: Course, *, version: str, line: LineView | None = None) -> CourseRow:
    """Goals in the reader's own curriculum version (C3): 2015 or 2021 by code and title, the
    2008 free text for a 2008 trainee; people without a curriculum (staff) see every version.
    """
    goals = list(course.goals.all())
    versions = [version] if version in ("2015", "2021") else []
    if not version:
        versions = ["2015", "2021"]
    groups = []
    for code in versions:
        chosen = sorted(
            (g for g in goals if g.version.code == code), key=lambda g: (g.position, g.code)
        )
        if chosen:
            groups.append(GoalGroup(chosen[0].version.regulation, chosen))
    return CourseRow(
        course=course,
        days=[d.date for d in course.days.all()],
        capacity=course.capacity,
        seats_taken=course.seats_taken,
        waiting=course.waiting,
        requested=course.requested,
        allocated=course.week.stored_state == StoredState.ALLOCATED,
        leaders=[leader.display_name for leader in course.leaders.all()],
        goal_groups=groups,
        goals_2008=course.goals_2008_text,
        show_2008=version in ("", "2008"),
        line=line,
    )


def upcoming_weeks_for_user(user: User, *, now: dt.datetime) -> QuerySet[CourseWeek]:
    """C4: the published weeks of the person's region(s) that have not finished; drafts and
    weeks cancelled before publication stay hidden, staff or not."""
    return (
        weeks_for_user(user, now=now)
        .exclude(stored_state=StoredState.DRAFT)
        .exclude(stored_state=StoredState.CANCELLED, published_at__isnull=True)
        .filter(end_date__gte=local_date(now))
    )


def catalogue(user: User, *, now: dt.datetime) -> list[WeekView]:
    """The catalogue (C4): upcoming weeks with seats left per course and the person's own
    registration; a fixed number of queries whatever the number of rows."""
    weeks = list(upcoming_weeks_for_user(user, now=now))
    trainee = trainee_of(user)
    by_week: dict[int, list[Course]] = {w.pk: [] for w in weeks}
    week_by_id = {w.pk: w for w in weeks}
    for course in _courses_for_pages().filter(week_id__in=list(week_by_id)):
        course.week = week_by_id[course.week_id]  # capacity follows the week (C3)
        by_week[course.week_id].append(course)
    registrations: dict[int, Registration] = {}
    if trainee is not None:
        registrations = {
            r.course_week_id: r
            for r in Registration.objects.filter(
                trainee=trainee, course_week_id__in=list(week_by_id)
            ).prefetch_related(
                Prefetch(
                    "lines",
                    queryset=RegistrationLine.objects.only("pk", "registration_id", "status"),
                )
            )
        }
    version = trainee.curriculum_version.code if trainee else ""
    views = []
    for week in weeks:
        state = week.state_at(now)
        registration = registrations.get(week.pk)
        views.append(
            WeekView(
                week=week,
                state=state,
                state_label=WeekState(state).label,
                courses=[_course_row(c, version=version) for c in by_week[week.pk]],
                opening=opening_for(
                    week=week, now=now, registration=registration, is_trainee=trainee is not None
                ),
                goal_version=version,
            )
        )
    return views


def week_page(user: User, week: CourseWeek, *, now: dt.datetime) -> WeekView:
    """One week with its courses, goals in the viewer's own curriculum version, seats left,
    and the viewer's own registration (C3, C5, C7)."""
    trainee = trainee_of(user)
    version = trainee.curriculum_version.code if trainee else ""
    registration = None
    lines_by_course: dict[int, LineView] = {}
    if trainee is not None:
        found = _attach_weeks(
            selectors.with_lines(Registration.objects.filter(trainee=trainee, course_week=week))
        )
        if found:
            registration = registration_view(found[0], now=now)
            for lv in registration.lines:
                # The live line of a course wins over a cancelled one (re-registration, C6).
                current = lines_by_course.get(lv.course.pk)
                if current is None or current.status == LineStatus.CANCELLED:
                    lines_by_course[lv.course.pk] = lv
    courses = list(_courses_for_pages().filter(week=week))
    for course in courses:
        course.week = week
    state = week.state_at(now)
    return WeekView(
        week=week,
        state=state,
        state_label=WeekState(state).label,
        courses=[_course_row(c, version=version, line=lines_by_course.get(c.pk)) for c in courses],
        opening=opening_for(
            week=week,
            now=now,
            registration=registration.registration if registration else None,
            is_trainee=trainee is not None,
        ),
        registration=registration,
        goal_version=version,
        curriculum=trainee.curriculum_version.regulation if trainee else "",
    )


def course_rows(week: CourseWeek, *, version: str) -> list[CourseRow]:
    """The week's live courses with seats left and goals in curriculum `version`."""
    courses = list(_courses_for_pages().filter(week=week))
    for course in courses:
        course.week = week
    return [_course_row(c, version=version) for c in courses]


# --- cancellation: what it will cost, told before confirming (C14) -------------------------


@dataclass(frozen=True)
class FeePreview:
    charged: bool
    amount: int | None
    amount_text: str
    reason_code: str
    explanation: str
    home_unit: str


def cancel_preview(
    view: RegistrationView, course_ids: Sequence[int], *, now: dt.datetime, editing: bool = False
) -> FeePreview:
    """What cancelling `course_ids` now would cost: the same decision the cancel service
    charges by (`services.decide_cancellation`, C11, C14). `editing`: the courses are given
    up by changing the registration (the edit page), as `services.change_registration` does."""
    chosen = [lv.line for lv in view.cancellable_lines if lv.course.pk in set(course_ids)]
    if not chosen:
        raise ValueError("nothing chosen")
    week = view.week
    hours = settings.FREE_CANCEL_HOURS_AFTER_LATE_CONFIRMATION
    decision = decide_cancellation(
        week=week, lines=chosen, existing_fee=view.fee is not None, now=now, editing=editing
    )
    unit = view.registration.home_unit.name
    deadline = format_day(week.cancellation_deadline)
    code = str(decision.fee.reason_code)
    amount = decision.fee.charge
    if amount is not None:
        return FeePreview(
            charged=True,
            amount=amount,
            amount_text=format_sek(amount),
            reason_code=code,
            explanation=_(
                "You cancel a confirmed seat after the cancellation deadline (%(deadline)s). "
                "The home unit pays one late-cancellation fee per registration, however many "
                "courses are cancelled."
            )
            % {"deadline": deadline},
            home_unit=unit,
        )
    if code == fees.FeeReason.FREE_WINDOW:
        confirmed = [ln.confirmed_at for ln in chosen if ln.confirmed_at is not None]
        until = min(confirmed) + dt.timedelta(hours=hours) if confirmed else now
        explanation = _(
            "Your seat was confirmed after the cancellation deadline, so you may cancel it "
            "free of charge within %(hours)d hours, until %(until)s."
        ) % {"hours": hours, "until": format_instant(until)}
    elif code == fees.FeeReason.BEFORE_DEADLINE:
        explanation = _(
            "You cancel before the cancellation deadline (%(deadline)s, to the end of the day)."
        ) % {"deadline": deadline}
    elif code == fees.FeeReason.CHANGED_BEFORE_DEADLINE:
        explanation = _(
            "You change your courses before the registration deadline (%(deadline)s), which "
            "is free."
        ) % {"deadline": format_day(week.registration_deadline)}
    elif code == fees.FeeReason.FEE_EXISTS:
        explanation = _(
            "This registration has already been charged its one late-cancellation fee; "
            "cancelling more courses adds nothing."
        )
    elif code == fees.FeeReason.NO_FEE_SET:
        explanation = _("This course week has no late-cancellation fee.")
    else:
        explanation = _(
            "None of the chosen courses holds a confirmed seat: giving up a registration, a "
            "place on the waiting list or an offer is always free."
        )
    return FeePreview(
        charged=False,
        amount=None,
        amount_text="",
        reason_code=code,
        explanation=explanation,
        home_unit=unit,
    )


# --- the calendar file ------------------------------------------------------------------------


def confirmed_lines_for_calendar(user: User) -> list[RegistrationLine]:
    """The trainee's confirmed course lines with their days, week and series: three queries."""
    return list(
        RegistrationLine.objects.filter(
            registration__trainee__user=user,
            status=LineStatus.CONFIRMED,
            course__removed_at__isnull=True,
        )
        .exclude(course__week__stored_state=StoredState.CANCELLED)
        .select_related("course__week__series", "registration")
        .prefetch_related("course__days")
        .order_by("course__week__start_date", "course__position", "id")
    )


# --- the information page (C21) ---------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    kind: str
    label: str
    week: CourseWeek


def information_regions() -> list[Region]:
    return list(Region.objects.order_by("name"))


def information_page(region: Region) -> InformationPage | None:
    return InformationPage.objects.filter(region=region).first()


def next_deadlines(region: Region, *, now: dt.datetime) -> tuple[list[Deadline], list[CourseWeek]]:
    """C21: the next dates of the region's published weeks still ahead, from the data: the
    invitation date, the registration and cancellation deadlines and the first day, in date
    order, dates already past left out. One query."""
    today = local_date(now)
    weeks = list(
        CourseWeek.objects.filter(
            series__region=region,
            stored_state__in=(StoredState.PUBLISHED, StoredState.ALLOCATED),
            start_date__gte=today,
        )
        .select_related("series")
        .order_by("start_date", "pk")
    )
    labels = (
        ("invitation", "invitation_date", _("Registration opens")),
        ("registration_deadline", "registration_deadline", _("Last day to register")),
        ("cancellation_deadline", "cancellation_deadline", _("Last day to cancel free of charge")),
        ("start", "start_date", _("First course day")),
    )
    order = {kind: index for index, (kind, _attr, _label) in enumerate(labels)}
    found = [
        Deadline(getattr(week, attr), kind, label, week)
        for week in weeks
        for kind, attr, label in labels
        if getattr(week, attr) >= today
    ]
    found.sort(key=lambda d: (d.day, order[d.kind], d.week.start_date, d.week.pk))
    return found, weeks
