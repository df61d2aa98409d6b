"""The demo's supervisor statements (P5): a draft by `handledare` for `stlakare`, and an earlier
statement reviewed by `studierektor` after being sent back once."""

from __future__ import annotations

import pytest

from stportal.demo.data import load_demo
from stportal.statements.models import SupervisorStatement


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_demo_has_a_draft_and_a_reviewed_statement_for_stlakare_p5():
    load_demo()
    found = SupervisorStatement.objects.filter(trainee__user__username="stlakare")
    assert sorted(found.values_list("status", flat=True)) == ["draft", "reviewed"]
    assert {s.supervisor.username for s in found} == {"handledare"}
    reviewed = found.get(status="reviewed")
    assert reviewed.reviewed_by.username == "studierektor"
    assert [v.event for v in reviewed.versions.order_by("number")] == [
        "created",
        "submitted",
        "sent_back",
        "edited",
        "submitted",
        "reviewed",
    ]
    load_demo()
    assert found.count() == 2
