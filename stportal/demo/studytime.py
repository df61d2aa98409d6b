"""Demo state of study time (SPEC 5 P6): `stlakare` has logged study time this quarter, in
up to three weeks that give study time (reading, a Balint group, planning), so "Min studietid"
shows hours used beside the weeks without study time (the demo's ST-day, course weeks with a
seat). Written through the service as `stlakare`; idempotent (nothing is added when the
quarter already has entries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from stportal.accounts.models import TraineeProfile
from stportal.studytime import selectors, services
from stportal.studytime.models import StudyActivity, StudyTimeEntry

ENTRIES = (
    ("reading", Decimal(2), "Läste Läkemedelsverkets behandlingsrekommendation om astma."),
    ("balint", Decimal("1.5"), "Balintgrupp på vårdcentralen."),
    ("planning", Decimal(1), "Planerade sidotjänstgöringen i psykiatri med handledaren."),
)


def load_studytime(*, today: dt.date, counter: Callable[[str], None]) -> None:
    trainee = (
        TraineeProfile.objects.select_related("user").filter(user__username="stlakare").first()
    )
    if trainee is None:
        return
    start, _end = selectors.default_range(today)
    if StudyTimeEntry.objects.filter(trainee=trainee, day__gte=start, day__lte=today).exists():
        return
    weeks = [
        week
        for week in selectors.study_time(trainee, start, today).weeks
        if week.entitled_minutes > 0
    ]
    activities = {a.code: a for a in StudyActivity.objects.all()}
    for week, (code, hours, note) in zip(reversed(weeks), ENTRIES, strict=False):
        # The week's Tuesday, not before the quarter nor after today.
        day = min(max(week.week + dt.timedelta(days=1), start), today)
        if code not in activities:
            continue
        services.log_study_time(
            actor=trainee.user,
            trainee=trainee,
            day=day,
            hours=hours,
            activity=activities[code],
            note=note,
        )
        counter("study_time_entries")
