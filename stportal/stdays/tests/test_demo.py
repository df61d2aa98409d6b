"""The demo's ST-day certificate (SPEC 5 P4): `handledare` has issued `stlakare` one for a
mandatory subject the course programme does not cover, so it fills part of the coverage."""

from __future__ import annotations

import pytest

from stportal.accounts.models import TraineeProfile
from stportal.curricula.coverage import ST_DAY
from stportal.curricula.sources import coverage_items
from stportal.demo.data import load_demo
from stportal.stdays.models import StDayCertificate


@pytest.mark.django_db
def test_the_demo_has_handledare_issue_stlakare_an_st_day_certificate_p4():
    load_demo()
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    certificate = StDayCertificate.objects.get(trainee=stlakare)
    assert certificate.issued_by.username == "handledare"
    assert certificate.subject.name == "BVC, barnmedicin"
    assert not certificate.is_revoked
    items = [i for i in coverage_items([stlakare.pk])[stlakare.pk] if i.kind == ST_DAY]
    assert [i.id for i in items] == [certificate.pk]
    load_demo()
    assert StDayCertificate.objects.filter(trainee=stlakare).count() == 1
