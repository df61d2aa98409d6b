"""The demo's education plan (SPEC 5 P11): `stlakare` has a timeline of placements from the
ST start to the planned completion, done and planned, research time, a parental leave,
supervision meetings and a quality-improvement project whose goal counts in coverage."""

from __future__ import annotations

import pytest

from stportal.accounts.models import TraineeProfile
from stportal.core.periods import periods_of
from stportal.curricula.coverage import PLAN_QUALITY_WORK
from stportal.curricula.sources import coverage_items
from stportal.demo.data import load_demo
from stportal.plan.models import PlanItem


@pytest.mark.django_db
def test_the_demo_gives_stlakare_a_plan_and_a_timeline_p11():
    load_demo()
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    items = list(PlanItem.objects.filter(trainee=stlakare))
    kinds = {item.kind for item in items}
    assert {"placement", "research", "leave", "supervision", "quality_work"} <= kinds
    placements = sorted((i for i in items if i.kind == "placement"), key=lambda i: i.start_date)
    assert placements[0].start_date == stlakare.st_start
    assert placements[-1].end_date == stlakare.planned_completion
    assert {p.status for p in placements} == {"done", "planned"}
    meetings = [i for i in items if i.kind == "supervision"]
    assert any(m.created_by.username == "handledare" for m in meetings)
    found = [p for p in periods_of(stlakare.pk) if p.source == "plan"]
    assert len(found) == len(items) - len(meetings)
    quality = [c for c in coverage_items([stlakare.pk])[stlakare.pk] if c.kind == PLAN_QUALITY_WORK]
    assert [sorted(c.goal_codes) for c in quality] == [["a4"]]
    load_demo()
    assert PlanItem.objects.filter(trainee=stlakare).count() == len(items)
