"""The demo's study time (SPEC 5 P6): `stlakare` has logged study time this quarter, in
weeks that give study time; loading the demo again adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from stportal.accounts.models import TraineeProfile
from stportal.core.dates import STOCKHOLM
from stportal.demo.data import load_demo
from stportal.studytime import selectors
from stportal.studytime.models import StudyTimeEntry


@pytest.mark.django_db
@pytest.mark.parametrize("today", [dt.date(2027, 4, 2), dt.date(2027, 5, 19)])
def test_stlakare_has_logged_study_time_this_quarter_p6(today):
    with time_machine.travel(
        dt.datetime(today.year, today.month, today.day, 10, tzinfo=STOCKHOLM), tick=False
    ):
        _check(today)


def _check(today: dt.date) -> None:
    load_demo()
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    start, end = selectors.default_range(today)
    entries = list(StudyTimeEntry.objects.filter(trainee=stlakare, day__gte=start))
    assert entries and all(start <= e.day <= today for e in entries)
    summary = selectors.study_time(stlakare, start, end)
    assert summary.used_hours > 0
    used_weeks = [w for w in summary.weeks if w.used_minutes]
    assert all(w.entitled_minutes > 0 for w in used_weeks)
    # The demo's ST-day takes its week, with its reason.
    assert any(r.startswith("ST-dag: ") for w in summary.weeks for r in w.reasons) or (
        today - dt.timedelta(days=21) < start
    )
    load_demo()
    assert StudyTimeEntry.objects.filter(trainee=stlakare).count() == len(entries)
