"""The demo's annual reports (SPEC 5 P13): `stlakare` has last year's report reviewed by
`studierektor` and this year's in draft with her reflection, waiting for `handledare`."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stportal.accounts.models import TraineeProfile
from stportal.annualreport.models import AnnualReport
from stportal.core.dates import local_date
from stportal.demo.data import load_demo


@pytest.mark.django_db
def test_the_demo_has_last_year_s_report_reviewed_and_this_year_s_in_draft_p13():
    load_demo()
    year = local_date(timezone.now()).year
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    last = AnnualReport.objects.get(trainee=stlakare, year=year - 1)
    assert last.status == "reviewed" and last.reviewed_by.username == "studierektor"
    assert last.submitted_by.username == "handledare"
    assert last.trainee_text and last.supervisor_text
    assert [v.event for v in last.versions.order_by("number")] == [
        "created",
        "edited",
        "edited",
        "submitted",
        "reviewed",
    ]
    this = AnnualReport.objects.get(trainee=stlakare, year=year)
    assert this.status == "draft" and this.trainee_text and not this.supervisor_text
    assert {s["key"] for s in this.sections} >= {"course_weeks", "statements", "st_days"}
    load_demo()
    assert AnnualReport.objects.filter(trainee=stlakare).count() == 2
