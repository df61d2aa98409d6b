"""The demo's competence assessments (SPEC 5 P12): `stlakare` has a completed Mini-CEX tagged
with its goals and a CBD waiting for its assessor, whose link is in the outbox only."""

from __future__ import annotations

import pytest

from stportal.accounts.models import TraineeProfile
from stportal.assessments.models import Assessment
from stportal.demo.data import load_demo
from stportal.notifications.models import OutboxMessage


@pytest.mark.django_db
def test_the_demo_has_a_completed_mini_cex_and_a_waiting_cbd_p12():
    load_demo()
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    rows = {a.kind: a for a in Assessment.objects.filter(trainee=stlakare)}
    assert set(rows) == {"mini_cex", "cbd"}
    assert rows["mini_cex"].status == "completed"
    assert rows["mini_cex"].goals_shown and rows["mini_cex"].independence
    assert rows["cbd"].status == "requested"
    assert OutboxMessage.objects.filter(
        kind="assessment_requested", to_email=rows["cbd"].assessor_email
    ).exists()
    load_demo()
    assert Assessment.objects.filter(trainee=stlakare).count() == 2
