"""Reads of study time (SPEC 5 P6), through the permission checks of
`studytime.permissions`: what a caller may not see answers 404.

`study_time` joins the pure rule's entitlement per week (`studytime.rules`, fed by every
registered period source: `stportal.core.periods`) with the hours the trainee logged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import readable_trainees
from stportal.core import bounds
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ValidationFailed
from stportal.core.periods import (
    ABSENCE,
    COURSE_WEEK,
    LEAVE,
    RESEARCH,
    SECONDMENT,
    ST_DAY,
    periods_of,
)
from stportal.core.yearly import YearSection
from stportal.studytime import permissions, rules
from stportal.studytime.models import StudyActivity, StudyTimeEntry

# At most ten years of weeks in one answer.
MAX_RANGE_DAYS = 3_653

REASON_TEXTS = {
    SECONDMENT: gettext_lazy("Secondment: %(title)s"),
    RESEARCH: gettext_lazy("Research: %(title)s"),
    COURSE_WEEK: gettext_lazy("Course week: %(title)s"),
    ST_DAY: gettext_lazy("ST-day: %(title)s"),
    LEAVE: gettext_lazy("Parental leave: %(title)s"),
    ABSENCE: gettext_lazy("Absence: %(title)s"),
}


def hours(minutes: int) -> float:
    """Minutes as hours (quarter hours are exact in binary)."""
    return minutes / 60


def hours_text(value: float | Decimal) -> str:
    """Hours as a person reads them in the active language ("3", "2,5")."""
    number = Decimal(str(value))
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return number_format(number, use_l10n=True)


def reason_text(reason: rules.Reason) -> str:
    """ "Kursvecka: LEKA A vecka 3"; a title that already opens with the kind's word
    ("ST-dag: Barnhälsovård") is not prefixed twice."""
    text = str(REASON_TEXTS[reason.kind]) % {"title": reason.title}
    prefix = text[: len(text) - len(reason.title)]
    if reason.title.casefold().startswith(prefix.casefold()):
        return reason.title
    return text


@dataclass(frozen=True)
class WeekRow:
    week: dt.date
    entitled_minutes: int
    used_minutes: int
    reasons: list[str]

    @property
    def entitled_hours(self) -> float:
        return hours(self.entitled_minutes)

    @property
    def used_hours(self) -> float:
        return hours(self.used_minutes)

    @property
    def reason_if_zero(self) -> str | None:
        return "; ".join(self.reasons) if self.reasons else None

    @property
    def over(self) -> bool:
        """More used than the week gave (a warning, never a refusal)."""
        return self.used_minutes > self.entitled_minutes

    @property
    def sunday(self) -> dt.date:
        return self.week + dt.timedelta(days=6)


@dataclass(frozen=True)
class StudyTime:
    start: dt.date
    end: dt.date
    employment_percent: int
    weeks: list[WeekRow] = field(default_factory=list)

    @property
    def entitled_minutes(self) -> int:
        return sum(w.entitled_minutes for w in self.weeks)

    @property
    def used_minutes(self) -> int:
        return sum(w.used_minutes for w in self.weeks)

    @property
    def entitled_hours(self) -> float:
        return hours(self.entitled_minutes)

    @property
    def used_hours(self) -> float:
        return hours(self.used_minutes)

    @property
    def full_week_hours(self) -> float:
        return hours(rules.weekly_minutes(self.employment_percent))

    @property
    def over(self) -> bool:
        return self.used_minutes > self.entitled_minutes


def check_range(start: dt.date, end: dt.date) -> None:
    """A bounded range: `from` on or before `to`, at most ten years, within 2000-2100."""
    errors: dict[str, list[str]] = {}
    for name, day in (("from", start), ("to", end)):
        if not bounds.MIN_DATE <= day <= bounds.MAX_DATE:
            errors[name] = [_("Enter a date between 2000 and 2100.")]
    if not errors and end < start:
        errors["to"] = [_("The end comes on or after the start.")]
    elif not errors and (end - start).days > MAX_RANGE_DAYS:
        errors["to"] = [_("Ask for at most ten years at a time.")]
    if errors:
        raise ValidationFailed(errors)


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The current calendar quarter."""
    return rules.quarter_of(today or local_date(timezone.now()))


def _used_minutes_by_week(profile: TraineeProfile, start: dt.date, end: dt.date) -> dict:
    rows = (
        StudyTimeEntry.objects.filter(trainee=profile, day__gte=start, day__lte=end)
        .values("day")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    used: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        used[rules.monday_of(row["day"])] += int(row["total"] * 60)
    return used


def study_time(profile: TraineeProfile, start: dt.date, end: dt.date) -> StudyTime:
    """Every week with a day in `start`..`end`: the entitlement (zero with the reasons) and
    the hours logged in it. A constant number of queries (one per period source, one for the
    log)."""
    check_range(start, end)
    weeks = rules.weeks_of(
        start=start,
        end=end,
        employment_percent=profile.employment_percent,
        periods=periods_of(profile.pk),
    )
    first, last = weeks[0].week, weeks[-1].week + dt.timedelta(days=6)
    used = _used_minutes_by_week(profile, first, last)
    return StudyTime(
        start=first,
        end=last,
        employment_percent=profile.employment_percent,
        weeks=[
            WeekRow(
                week=w.week,
                entitled_minutes=w.entitled_minutes,
                used_minutes=used.get(w.week, 0),
                reasons=[reason_text(r) for r in w.reasons],
            )
            for w in weeks
        ],
    )


def week_of(profile: TraineeProfile, day: dt.date) -> WeekRow:
    """The week holding `day` (for the warning after logging)."""
    return study_time(profile, day, day).weeks[0]


def over_warning(row: WeekRow) -> str:
    """The warning when a week's logged hours pass its entitlement, or ""."""
    if not row.over:
        return ""
    return _(
        "You have logged %(used)s h in the week of %(week)s, more than the %(entitled)s h of "
        "study time it gives."
    ) % {
        "used": hours_text(row.used_hours),
        "week": row.week.isoformat(),
        "entitled": hours_text(row.entitled_hours),
    }


def get_trainee_for_user(user: User | None, trainee_id: int) -> TraineeProfile:
    """The trainee's record if `user` may read it, else 404."""
    profile = (
        readable_trainees(user).select_related("user", "home_unit").filter(pk=trainee_id).first()
    )
    if profile is None or not permissions.may_read(user, profile):
        raise NotFound()
    return profile


def own_profile(user: User) -> TraineeProfile | None:
    return TraineeProfile.objects.select_related("user", "home_unit").filter(user=user).first()


def readable_others(user: User) -> QuerySet[TraineeProfile]:
    """The trainees whose study time `user` reads, themself left out."""
    return (
        readable_trainees(user)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def activities() -> QuerySet[StudyActivity]:
    """The activities offered for new entries."""
    return StudyActivity.objects.filter(active=True).order_by("position", "name", "pk")


def entries_of(profile: TraineeProfile, start: dt.date, end: dt.date) -> QuerySet:
    return (
        StudyTimeEntry.objects.filter(trainee=profile, day__gte=start, day__lte=end)
        .select_related("activity")
        .order_by("day", "pk")
    )


def get_entry_for_user(user: User | None, entry_id: int) -> StudyTimeEntry:
    entry = (
        StudyTimeEntry.objects.select_related("trainee__user", "trainee__home_unit", "activity")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or not permissions.may_read(user, entry.trainee):
        raise NotFound()
    return entry


def year_section(trainee_id: int, start: dt.date, end: dt.date) -> YearSection | None:
    """SPEC 5 P13: the year's study time in the annual report: the hours it gave, the hours
    used and what they were used for."""
    profile = TraineeProfile.objects.filter(pk=trainee_id).first()
    if profile is None or end < start:
        return None
    summary = study_time(profile, start, min(end, start + dt.timedelta(days=MAX_RANGE_DAYS)))
    by_activity = (
        StudyTimeEntry.objects.filter(trainee=profile, day__gte=start, day__lte=end)
        .values("activity__name", "activity__name_en", "activity__position")
        .annotate(total=Sum("hours"))
        .order_by("activity__position", "activity__name")
    )
    rows = list(by_activity)
    used = sum((row["total"] for row in rows), Decimal(0))
    lines = [
        _("Study time: %(entitled)s h given, %(used)s h used.")
        % {"entitled": hours_text(summary.entitled_hours), "used": hours_text(used)}
    ]
    for row in rows:
        activity = StudyActivity(name=row["activity__name"], name_en=row["activity__name_en"])
        lines.append(
            _("%(activity)s: %(hours)s h")
            % {"activity": activity.label, "hours": hours_text(row["total"])}
        )
    return YearSection(
        key="study_time",
        title=_("Study time"),
        lines=lines,
        order=70,
        empty_text=_("No study time logged this year."),
    )
