"""The demo's secondments, allowance and credit (SPEC 5 P7–P9): `stlakare` has a 16-week
internal-medicine secondment planned about two months ahead, psychiatry missing, an allowance
with a queue position and months paid, and one credit decision that her credited months
follow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stportal.accounts.models import TraineeProfile
from stportal.core.dates import local_date
from stportal.core.periods import SECONDMENT, periods_of
from stportal.demo.data import load_demo
from stportal.secondments import selectors
from stportal.secondments.models import Allowance, Secondment, ServiceCredit


@pytest.mark.django_db
def test_the_demo_has_stlakare_plan_internal_medicine_and_miss_psychiatry_p7_p8_p9():
    load_demo()
    today = local_date(timezone.now())
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    secondment = Secondment.objects.get(trainee=stlakare)
    assert secondment.kind.code == "internal_medicine" and secondment.mandatory
    assert 55 <= (secondment.start_date - today).days <= 70
    assert (secondment.end_date - secondment.start_date).days + 1 == 16 * 7
    assert [k.code for k in selectors.plan_of(stlakare).missing] == ["psychiatry"]
    assert [p.source_id for p in periods_of(stlakare.pk) if p.kind == SECONDMENT] == [secondment.pk]
    allowance = Allowance.objects.get(trainee=stlakare)
    assert allowance.queue_position and allowance.months_paid > 0
    assert allowance.updated_by.username == "studierektor"
    credit = ServiceCredit.objects.get(trainee=stlakare)
    assert credit.decided_by.username == "studierektor"
    assert stlakare.credited_months == credit.months
    assert credit.period_end < dt.date(2021, 3, 1)
    load_demo()
    assert Secondment.objects.filter(trainee=stlakare).count() == 1
    assert ServiceCredit.objects.filter(trainee=stlakare).count() == 1
