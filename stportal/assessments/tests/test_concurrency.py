"""Two submissions of one assessor link at once (SPEC 5 P12, STYLE rule 4): one wins, the
other is told the link is used. On PostgreSQL with real threads."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection, connections

from stportal.assessments import services
from stportal.assessments.models import Assessment
from stportal.assessments.tests.conftest import NOW, judgement, start
from stportal.core.errors import ServiceError
from stportal.core.models import AuditEvent
from stportal.curricula.seed import load_seed


@pytest.fixture
def seeded(transactional_db):
    """The curricula seed again: a transactional test run before this one emptied the tables,
    the migration's seed data with them."""
    load_seed()


@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_link_one_wins_p12(seeded, sara):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    with time_machine.travel(NOW, tick=False):
        _race(sara)


def _race(sara) -> None:
    token = start(sara).fresh_token
    barrier = threading.Barrier(2)
    results: list[str] = []

    def submit(feedback: str) -> None:
        try:
            barrier.wait()
            services.complete_assessment_by_link(token=token, **judgement(feedback=feedback))
            results.append("ok")
        except ServiceError as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(text,)) for text in ("Först", "Sedan")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["link_used", "ok"]
    assert Assessment.objects.get().status == "completed"
    assert AuditEvent.objects.filter(action="assessment.completed").count() == 1
