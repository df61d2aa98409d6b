"""The demo's course programme: the LEKA course series and their courses (seed 000, C1),
and the course weeks placed relative to today (Appendix A).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stportal.courses.planning import holidays_between

# --- Course series and their courses (seed 000, C1) ---------------------------------------


@dataclass(frozen=True)
class SeriesSpec:
    name: str
    default_iso_week: int
    invitation_month: int
    invitation_in_year_before: bool
    deadline_day: int
    deadline_month: int
    deadline_in_year_before: bool
    main_goals: str


@dataclass(frozen=True)
class CourseSpec:
    title: str
    description: str
    weekdays: tuple[int, ...]  # 0 = Monday
    goals_2015: tuple[str, ...]
    goals_2021: tuple[str, ...]
    leader: str = ""  # a demo account's username; empty: the course's own generated leader


LEKA_A = "LEKA A"
LEKA_B = "LEKA B"

SERIES = (
    SeriesSpec(LEKA_A, 12, 9, True, 15, 10, True, "a-delmål (SOSFS 2015:8): a1, a2, a5, a6"),
    SeriesSpec(LEKA_B, 47, 4, False, 15, 5, False, "b-delmål (SOSFS 2015:8): b1–b5"),
)

COURSES = {
    LEKA_A: (
        CourseSpec(
            "Ledarskap och medarbetarskap",
            "Att leda och att vara medarbetare i vården: grupprocesser, konflikthantering och "
            "läkarens roll i teamet.",
            (0,),
            ("a1",),
            ("STa5",),
        ),
        CourseSpec(
            "Pedagogik och handledning",
            "Vuxnas lärande, att undervisa patienter, studenter och kollegor, och att ge och ta "
            "emot återkoppling.",
            (1,),
            ("a1",),
            ("STa6",),
        ),
        CourseSpec(
            "Etik, mångfald och jämlikhet",
            "Etiska principer och dilemman i vardagen, bemötande och jämlik vård. Fallseminarier "
            "i smågrupper.",
            (2,),
            ("a2",),
            ("STa4",),
            leader="kursledare",
        ),
        CourseSpec(
            "Medicinsk vetenskap",
            "Vetenskapligt förhållningssätt, studiedesign, statistik och kritisk granskning av "
            "litteratur inför det skriftliga individuella arbetet.",
            (3,),
            ("a5",),
            ("STa3",),
        ),
        CourseSpec(
            "Hälso- och sjukvårdens organisation, lagar och patientsäkerhet",
            "Hälso- och sjukvårdens styrning och organisation, lagar och föreskrifter, "
            "patientsäkerhet och systematiskt kvalitetsarbete.",
            (4,),
            ("a6",),
            ("STa1", "STa2"),
        ),
    ),
    LEKA_B: (
        CourseSpec(
            "Kommunikation med patienter och närstående",
            "Samtalsmetodik, svåra samtal och att informera närstående. Övningar med "
            "simulerade patienter.",
            (0,),
            ("b1",),
            ("STb1",),
            leader="kursledare",
        ),
        CourseSpec(
            "Sjukdomsförebyggande arbete",
            "Levnadsvanor, motiverande samtal och hälsofrämjande arbete i det kliniska mötet.",
            (1,),
            ("b2",),
            ("STb2",),
        ),
        CourseSpec(
            "Läkemedel",
            "Rationell läkemedelsbehandling, läkemedelsgenomgångar, biverkningar och "
            "läkemedel hos äldre.",
            (2,),
            ("b3",),
            (),
        ),
        CourseSpec(
            "Försäkringsmedicin",
            "Sjukskrivningsprocessen, försäkringsmedicinska intyg och samverkan med "
            "Försäkringskassan.",
            (3,),
            ("b4",),
            ("STb3",),
        ),
        CourseSpec(
            "Palliativ vård i livets slutskede",
            "Symtomlindring, brytpunktssamtal och vård i livets slutskede, med "
            "närståendeperspektiv.",
            (4,),
            ("b5",),
            ("STb4",),
        ),
    ),
}


# --- Course weeks relative to today (pure) ------------------------------------------------


@dataclass(frozen=True)
class WeekPlan:
    """Where one demo course week goes, decided from `today` alone."""

    key: str  # what the week shows in the demo: "finished", "open", "draft"
    series: str
    title: str
    start_date: dt.date
    end_date: dt.date
    invitation_date: dt.date
    registration_deadline: dt.date
    publish: bool
    cancellation_deadline: dt.date | None = None  # None: the default, 14 days before (C3)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _clear_of_holidays(monday: dt.date) -> dt.date:
    """C2: a week whose course days hold a public holiday moves earlier."""
    while holidays_between(monday, monday + dt.timedelta(days=4)):
        monday -= dt.timedelta(weeks=1)
    return monday


def _next_clear_monday(monday: dt.date) -> dt.date:
    while holidays_between(monday, monday + dt.timedelta(days=4)):
        monday += dt.timedelta(weeks=1)
    return monday


def _season_series(start: dt.date) -> str:
    """LEKA A is the spring week, LEKA B the autumn week (seed 000)."""
    return LEKA_A if start.month <= 6 else LEKA_B


def plan_weeks(today: dt.date) -> list[WeekPlan]:
    """The demo's course weeks around `today`.

    1. A finished week: its Friday at least seven weeks ago.
    2. An allocated week inside its cancellation period: first day in about two weeks,
       deadline six weeks ago (the registration engine fills it, see demo/registrations.py).
    3. A week open for registration: invitation eight weeks ago, deadline in three weeks,
       first day about ten weeks ahead (so the cancellation deadline, 14 days before, is
       after the registration deadline).
    4. A draft a year ahead, with invitation and deadline at the seed's usual distance
       (about 30 and 22 weeks before the week).
    5. A closed week: deadline three days ago, not yet allocated, first day about five weeks
       ahead; `stlakare` and others registered on time, so the allocation preview has lines
       to place (and flags a planned completion changed after the deadline, C5a).
    Each title is "<series> <year>"; a week takes the series of its season unless that title
    is already taken by an earlier week of the plan. Finished and draft are more than a year
    apart, so the titles stay unique.
    """
    finished = _clear_of_holidays(_monday(today - dt.timedelta(weeks=7)))
    # Inside its cancellation period: the first clear week after today, with the cancellation
    # deadline already passed (14 days before the first day, or yesterday when Easter and May
    # holidays push the first clear week further out).
    allocated = _next_clear_monday(_monday(today + dt.timedelta(days=7)))
    allocated_cancellation = min(allocated - dt.timedelta(days=14), today - dt.timedelta(days=1))
    open_start = _clear_of_holidays(_monday(today + dt.timedelta(weeks=10)))
    draft = _clear_of_holidays(_monday(today + dt.timedelta(weeks=52)))
    closed = _next_clear_monday(max(_monday(today + dt.timedelta(weeks=5)), allocated))
    while closed in (allocated, open_start):
        closed = _next_clear_monday(closed + dt.timedelta(weeks=1))
    slots = (
        (
            "finished",
            finished,
            finished - dt.timedelta(weeks=30),
            finished - dt.timedelta(weeks=22),
            True,
        ),
        (
            "allocated",
            allocated,
            today - dt.timedelta(weeks=16),
            today - dt.timedelta(weeks=6),
            True,
        ),
        (
            "open",
            open_start,
            today - dt.timedelta(weeks=8),
            today + dt.timedelta(weeks=3),
            True,
        ),
        ("draft", draft, draft - dt.timedelta(weeks=30), draft - dt.timedelta(weeks=22), False),
        (
            "closed",
            closed,
            today - dt.timedelta(weeks=14),
            today - dt.timedelta(days=3),
            True,
        ),
    )
    plans: list[WeekPlan] = []
    used: set[str] = set()
    for key, start, invitation, deadline, publish in slots:
        preferred = _season_series(start)
        series, title = preferred, f"{preferred} {start.year}"
        if title in used:
            # An extra week of the season's series, named by its ISO week.
            title = f"{series} {start.year}, vecka {start.isocalendar().week}"
        used.add(title)
        plans.append(
            WeekPlan(
                key=key,
                series=series,
                title=title,
                start_date=start,
                end_date=start + dt.timedelta(days=4),
                invitation_date=invitation,
                registration_deadline=deadline,
                publish=publish,
                cancellation_deadline=allocated_cancellation if key == "allocated" else None,
            )
        )
    return plans
