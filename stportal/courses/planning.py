"""Year planning of course weeks (C1, C2). Pure: plain data in, proposals out, no ORM.

A course series has a default ISO week, an invitation month and a registration deadline
(day and month), each either in the course's own year or in the year before (C1). Planning a
year proposes the week's dates; a week whose course days (Monday–Friday) include a Swedish
public holiday moves to the nearest week without one, earlier first (C2). Staff may override
the week; the proposal then says so, and warns if the chosen week has a holiday.

Which days count as holidays (C2 says "Swedish public holiday"):

- The public holidays of the Act on public holidays (lag 1989:253 om allmänna helgdagar), as the
  maintained `holidays` library lists them in its default PUBLIC category.
- Sundays are left out: the library can list every Sunday as a holiday (older versions did so
  by default), and course days are Monday–Friday only, so only weekday holidays are kept.
- Midsommarafton, julafton and nyårsafton are not public holidays in law (the library files them
  as DE_FACTO), nor are the half days such as skärtorsdagen (BANK, OPTIONAL); they do not move a
  week. None of them falls near the seed series' weeks (12 and 47); a series planned in late
  June or December should be checked by staff, who may override the week.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import holidays

CANCELLATION_DAYS_BEFORE_START = 14
"""C3: the cancellation deadline is by default 14 days before the first day."""

MAX_MOVE_WEEKS = 10
"""How far from the default week C2 looks for a week without a holiday (far more than needed:
no run of Swedish public holidays covers more than two consecutive weeks)."""


class PlanningError(ValueError):
    """The input cannot be planned (an ISO week the year does not have, say)."""


@dataclass(frozen=True)
class SeriesDefaults:
    """What C1 says a course series knows about its yearly week."""

    name: str
    default_iso_week: int
    invitation_month: int
    invitation_in_year_before: bool
    deadline_day: int
    deadline_month: int
    deadline_in_year_before: bool


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class WeekProposal:
    """The proposed course week of one series in one year, and why it is where it is."""

    series_name: str
    year: int
    iso_week: int
    default_iso_week: int
    start_date: dt.date
    end_date: dt.date
    invitation_date: dt.date
    registration_deadline: dt.date
    cancellation_deadline: dt.date
    moved: bool
    overridden: bool
    holidays_in_default_week: tuple[Holiday, ...]
    holidays_in_week: tuple[Holiday, ...]
    reason_sv: str
    reason_en: str

    @property
    def title(self) -> str:
        """The usual title of a year's week, e.g. "LEKA A 2027"."""
        return week_title(self.series_name, self.year)


@dataclass(frozen=True)
class ExistingWeek:
    """A course week already in the programme, as plain data (one region's weeks)."""

    series_name: str
    start_date: dt.date
    title: str = ""
    id: int | None = None


@dataclass(frozen=True)
class PlannedWeek:
    """A proposal and, if the series already has its week that year, that week."""

    proposal: WeekProposal
    existing: ExistingWeek | None

    @property
    def exists(self) -> bool:
        return self.existing is not None


def week_title(series_name: str, year: int) -> str:
    return f"{series_name} {year}"


def iso_weeks_in_year(year: int) -> int:
    """52 or 53: December 28 is always in the last ISO week of its year."""
    return dt.date(year, 12, 28).isocalendar().week


def course_days(year: int, iso_week: int) -> tuple[dt.date, dt.date]:
    """Monday and Friday of an ISO week."""
    if not 1 <= iso_week <= iso_weeks_in_year(year):
        raise PlanningError(f"{year} has no ISO week {iso_week}.")
    monday = dt.date.fromisocalendar(year, iso_week, 1)
    return monday, monday + dt.timedelta(days=4)


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> tuple[Holiday, ...]:
    """The year's public holidays on Monday–Friday, in Swedish and English (see module doc)."""
    swedish, english = (
        holidays.Sweden(
            years=year, categories=(holidays.PUBLIC,), include_sundays=False, language=language
        )
        for language in ("sv", "en_US")
    )
    return tuple(
        Holiday(date=day, name_sv=name, name_en=english.get(day, name))
        for day, name in sorted(swedish.items())
        if day.weekday() < 5
    )


def holidays_between(first: dt.date, last: dt.date) -> tuple[Holiday, ...]:
    """Public holidays on Monday–Friday from `first` to `last`, both included."""
    found: list[Holiday] = []
    for year in range(first.year, last.year + 1):
        found.extend(h for h in _public_holidays(year) if first <= h.date <= last)
    return tuple(found)


def holidays_in_week(year: int, iso_week: int) -> tuple[Holiday, ...]:
    return holidays_between(*course_days(year, iso_week))


def _clamped_date(year: int, month: int, day: int) -> dt.date:
    """A day that the month lacks (31 April, 29 February) becomes the month's last day."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def invitation_date(defaults: SeriesDefaults, year: int) -> dt.date:
    """C1: the invitation is published on the 1st of the invitation month."""
    invitation_year = year - 1 if defaults.invitation_in_year_before else year
    return dt.date(invitation_year, defaults.invitation_month, 1)


def registration_deadline(defaults: SeriesDefaults, year: int) -> dt.date:
    """C1: the deadline's day and month, in the course's year or in the year before."""
    deadline_year = year - 1 if defaults.deadline_in_year_before else year
    return _clamped_date(deadline_year, defaults.deadline_month, defaults.deadline_day)


def cancellation_deadline(start_date: dt.date) -> dt.date:
    """C3: by default 14 days before the first day."""
    return start_date - dt.timedelta(days=CANCELLATION_DAYS_BEFORE_START)


def nearest_week_without_holiday(year: int, iso_week: int) -> int:
    """C2: the week itself if free, else week-1, week+1, week-2, … within the same ISO year."""
    last_week = iso_weeks_in_year(year)
    for distance in range(MAX_MOVE_WEEKS + 1):
        for candidate in (iso_week - distance, iso_week + distance) if distance else (iso_week,):
            if 1 <= candidate <= last_week and not holidays_in_week(year, candidate):
                return candidate
    raise PlanningError(
        f"No week without a public holiday within {MAX_MOVE_WEEKS} weeks of week {iso_week}."
    )


def _join(words: Sequence[str], conjunction: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _holiday_list_sv(found: Sequence[Holiday]) -> str:
    return _join([f"{h.name_sv} ({h.date.isoformat()})" for h in found], "och")


def _holiday_list_en(found: Sequence[Holiday]) -> str:
    return _join([f"{h.name_en} ({h.date.isoformat()})" for h in found], "and")


def _reasons(
    *,
    default_week: int,
    week: int,
    overridden: bool,
    in_default: Sequence[Holiday],
    in_week: Sequence[Holiday],
) -> tuple[str, str]:
    if overridden:
        sv = f"Vecka {week} vald av personal i stället för standardveckan {default_week}."
        en = f"Week {week} chosen by staff instead of the default week {default_week}."
        if in_week:
            sv += f" Observera att veckan innehåller {_holiday_list_sv(in_week)}."
            en += f" Note that the week includes {_holiday_list_en(in_week)}."
        return sv, en
    if week != default_week:
        sv = (
            f"Vecka {default_week} innehåller {_holiday_list_sv(in_default)}; flyttad till "
            f"vecka {week}, närmaste vecka utan allmän helgdag måndag–fredag."
        )
        en = (
            f"Week {default_week} includes {_holiday_list_en(in_default)}; moved to week "
            f"{week}, the nearest week without a public holiday Monday to Friday."
        )
        return sv, en
    sv = f"Standardveckan {week} har ingen allmän helgdag måndag–fredag."
    en = f"The default week {week} has no public holiday Monday to Friday."
    return sv, en


def propose_course_week(
    defaults: SeriesDefaults, year: int, *, override_week: int | None = None
) -> WeekProposal:
    """C1, C2: the course week of `defaults`' series in `year` (an ISO year).

    1. Start from the series' default ISO week, or the week staff chose (`override_week`).
    2. Without an override, a default week with a public holiday on Monday–Friday moves to the
       nearest week without one, earlier first (week-1, week+1, week-2, …).
    3. Invitation and deadline follow C1; the cancellation deadline is 14 days before the
       first day (C3).
    """
    default_week = defaults.default_iso_week
    if not 1 <= default_week <= iso_weeks_in_year(year):
        raise PlanningError(f"{year} has no ISO week {default_week}.")
    in_default = holidays_in_week(year, default_week)
    overridden = override_week is not None
    if override_week is not None:
        week = override_week
        course_days(year, week)  # validates the week
    else:
        week = nearest_week_without_holiday(year, default_week)
    start, end = course_days(year, week)
    in_week = holidays_in_week(year, week)
    reason_sv, reason_en = _reasons(
        default_week=default_week,
        week=week,
        overridden=overridden,
        in_default=in_default,
        in_week=in_week,
    )
    return WeekProposal(
        series_name=defaults.name,
        year=year,
        iso_week=week,
        default_iso_week=default_week,
        start_date=start,
        end_date=end,
        invitation_date=invitation_date(defaults, year),
        registration_deadline=registration_deadline(defaults, year),
        cancellation_deadline=cancellation_deadline(start),
        moved=week != default_week,
        overridden=overridden,
        holidays_in_default_week=in_default,
        holidays_in_week=in_week,
        reason_sv=reason_sv,
        reason_en=reason_en,
    )


def _is_same_week(proposal: WeekProposal, existing: ExistingWeek) -> bool:
    """The series' week of that year: same series and a start in the same ISO year (a series
    holds one week a year, wherever staff put it), or the same title ("LEKA A 2027")."""
    if existing.series_name != proposal.series_name:
        return False
    same_year = existing.start_date.isocalendar().year == proposal.year
    return same_year or existing.title.strip() == proposal.title


def match_existing(
    proposals: Iterable[WeekProposal], existing: Iterable[ExistingWeek]
) -> list[PlannedWeek]:
    """C2: pair each proposal with its series' existing week of that year, if any.

    The weeks of one region only (series names are unique within a region). A proposal with an
    existing week is not to be created again; the earliest-starting match is reported.
    """
    weeks = sorted(existing, key=lambda w: (w.start_date, w.id or 0))
    return [
        PlannedWeek(
            proposal=proposal,
            existing=next((w for w in weeks if _is_same_week(proposal, w)), None),
        )
        for proposal in proposals
    ]


def weeks_to_create(planned: Iterable[PlannedWeek]) -> list[WeekProposal]:
    """The proposals that have no existing week: creating only these makes no duplicates."""
    return [p.proposal for p in planned if not p.exists]
