"""Demo state of the education plan and timeline (SPEC 5 P11): `stlakare` (2015,
allmänmedicin) has a plan from the ST start to the planned completion: clinical service at the
health centre done and planned, a parental leave, research time, an auskultation, a
quality-improvement project with its goal (a4), a written scientific work planned, and
supervision meetings, some recorded by `handledare`. The done placements serve a3 (hygiene
and infection control), which no mandatory course subject names, so the mandatory subjects'
coverage still comes from courses and certificates alone. Placed relative to today; written through
the services as the trainee and the supervisor; idempotent (a trainee with a plan gets no
second one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stportal.accounts.models import TraineeProfile
from stportal.core.dates import start_of_day
from stportal.plan import services
from stportal.plan.models import PlanItem

PLACE = "Hälsocentralen Ålidhem, Umeå"


def _days(number: int) -> dt.timedelta:
    return dt.timedelta(days=number)


def load_plan(*, today: dt.date, counter: Callable[[str], None]) -> None:
    trainee = (
        TraineeProfile.objects.select_related("user", "supervisor", "curriculum_version")
        .filter(user__username="stlakare")
        .first()
    )
    if trainee is None or trainee.st_start is None:
        return
    if PlanItem.objects.filter(trainee=trainee).exists():
        return
    now = start_of_day(today) + dt.timedelta(hours=12)
    me = trainee.user
    start = trainee.st_start
    completion = trainee.planned_completion
    first_end = start + _days(729)
    leave_end = first_end + _days(183)
    second_start = leave_end + _days(1)
    current_start = max(today - _days(120), second_start + _days(240))
    second_end = current_start - _days(1)

    def add(actor, kind: str, **values) -> None:
        services.add_plan_item(actor=actor, trainee=trainee, kind=kind, now=now, **values)
        counter("plan_items")

    add(
        me,
        "placement",
        title="Allmänmedicin",
        place=PLACE,
        start_date=start,
        end_date=first_end,
        status="done",
        goal_codes=["a3"],
        note="Egen mottagning med handledare på plats; BVC och hembesök.",
    )
    add(
        me,
        "auskultation",
        title="Hudmottagningen",
        place="Norrlands universitetssjukhus",
        start_date=first_end - _days(60),
        end_date=first_end - _days(56),
        status="done",
    )
    add(
        me,
        "leave",
        title="Föräldraledighet",
        start_date=first_end + _days(1),
        end_date=leave_end,
        status="done",
    )
    add(
        me,
        "placement",
        title="Allmänmedicin",
        place=PLACE,
        start_date=second_start,
        end_date=second_end,
        status="done",
        extent_percent=80,
        goal_codes=["a3"],
    )
    add(
        me,
        "research",
        title="Forskningstid: antibiotikaförskrivning vid luftvägsinfektioner",
        place="Allmänmedicin, Umeå universitet",
        start_date=second_start + _days(30),
        end_date=second_start + _days(120),
        status="done",
        note="20 % av tjänsten under perioden.",
    )
    add(
        me,
        "quality_work",
        title="Förbättrad uppföljning av patienter med hjärtsvikt",
        place=PLACE,
        start_date=second_start + _days(60),
        end_date=second_start + _days(230),
        status="done",
        goal_codes=["a4"],
        note="Genomgång av 40 journaler, ny rutin för återbesök hos sjuksköterska.",
    )
    add(
        me,
        "placement",
        title="Allmänmedicin",
        place=PLACE,
        start_date=current_start,
        end_date=max(completion, current_start),
        status="planned",
        goal_codes=["b5"],
    )
    add(
        me,
        "research",
        title="Forskningstid: skriva klart det vetenskapliga arbetet",
        place="Allmänmedicin, Umeå universitet",
        start_date=today + _days(45),
        end_date=today + _days(135),
        status="planned",
    )
    add(
        me,
        "written_work",
        title="Antibiotikaförskrivning vid luftvägsinfektioner på en hälsocentral",
        start_date=second_start + _days(30),
        end_date=max(completion - _days(60), today + _days(135)),
        status="planned",
        goal_codes=["a5"],
    )
    supervisor = trainee.supervisor if trainee.supervisor_id else me
    for days_ago, actor, words in (
        (270, me, "Genomgång av utbildningsplanen efter föräldraledigheten."),
        (180, supervisor, "Uppföljning av kvalitetsarbetet och målen som återstår."),
        (90, supervisor, "Inför sista året: planering av skriftligt arbete och kurser."),
        (30, supervisor, "Kompetensbedömningar och årsrapport."),
    ):
        add(actor, "supervision", title=words, start_date=today - _days(days_ago), status="done")
    add(
        supervisor,
        "supervision",
        title="Halvårssamtal om målen som återstår.",
        start_date=today + _days(60),
        status="planned",
    )
