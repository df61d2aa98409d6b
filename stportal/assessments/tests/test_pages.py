"""The competence assessment pages (SPEC 5 P12): the trainee starts one on "My assessments";
the assessor's public page shows only what they need, works once and expires (410), answers
404 for a wrong link; the supervisor and study director read completed assessments with their
goals; the assessor with an account completes in the product."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from stportal.assessments.models import Assessment
from stportal.assessments.tests.conftest import ASSESSOR_EMAIL, NOW, start
from stportal.notifications.models import OutboxMessage


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


FORM = {
    "assessed_on": "2027-04-12",
    "goals": ["a1", "b1"],
    "independence": "independent",
    "feedback": "Trygg och strukturerad.",
}


def link_from_outbox() -> str:
    body = OutboxMessage.objects.filter(kind="assessment_requested").latest("pk").body
    return re.search(r"https?://\S+/bedomningar/bedom/\S+/", body).group(0).split("8000", 1)[1]


def test_the_trainee_starts_an_assessment_on_the_page_p12(client, sara):
    client.force_login(sara.user)
    index = client.get("/bedomningar/")
    assert index.status_code == 200
    assert "0 av 4 i år" in index.content.decode()
    form = client.get("/bedomningar/ny/")
    assert "a1" in form.content.decode()
    response = client.post(
        "/bedomningar/ny/",
        {
            "kind": "cbd",
            "goals": ["a2"],
            "assessor_name": "Bertil Bedömare",
            "assessor_email": ASSESSOR_EMAIL,
            "context": "Journalgenomgång.",
        },
        follow=True,
    )
    assert response.status_code == 200
    assessment = Assessment.objects.get()
    assert assessment.kind == "cbd" and assessment.goal_codes == ["a2"]
    assert "Bertil Bedömare" in response.content.decode()
    refused = client.post("/bedomningar/ny/", {"kind": "cbd", "assessor_name": "X"})
    assert refused.status_code == 422


def test_the_public_link_works_once_p12(sara):
    start(sara)
    link = link_from_outbox()
    assessor = Client()
    page = assessor.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sara Berglund" in text and "Mini-CEX" in text and "a1" in text
    assert "198503152384" not in text and "19850315" not in text
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"
    done = assessor.post(link, FORM)
    assert done.status_code == 200
    assert "Tack" in done.content.decode()
    assert Assessment.objects.get().status == "completed"
    used = assessor.get(link)
    assert used.status_code == 410
    assert "redan" in used.content.decode()
    assert '<form class="form"' not in used.content.decode()
    assert assessor.post(link, FORM).status_code == 410


def test_the_public_link_expires_p12(sara, settings):
    settings.ASSESSMENT_LINK_DAYS = 14
    start(sara)
    link = link_from_outbox()
    with time_machine.travel(NOW + dt.timedelta(days=14, minutes=1), tick=False):
        expired = Client().get(link)
        assert expired.status_code == 410
        assert "gått ut" in expired.content.decode()
        assert Client().post(link, FORM).status_code == 410
    assert Assessment.objects.get().status == "requested"


def test_a_wrong_or_replaced_link_answers_404_p12(sara):
    assessment = start(sara)
    old = link_from_outbox()
    assert Client().get("/bedomningar/bedom/inte-en-nyckel/").status_code == 404
    client = Client()
    client.force_login(sara.user)
    client.post(f"/bedomningar/{assessment.pk}/skicka-igen/")
    assert Client().get(old).status_code == 404
    assert Client().get(link_from_outbox()).status_code == 200


def test_the_public_page_speaks_english_when_switched_p12(sara):
    start(sara)
    link = link_from_outbox()
    assessor = Client()
    assessor.post("/i18n/setlang/", {"language": "en", "next": link})
    page = assessor.get(link)
    assert page.status_code == 200
    assert "Degree of independence" in page.content.decode()


def test_supervisor_and_study_director_read_completed_assessments_p12(
    client, sara, supervisor, study_director, other_study_director
):
    start(sara)
    Client().post(link_from_outbox(), FORM)
    assessment = Assessment.objects.get()
    for reader in (supervisor, study_director):
        client.force_login(reader)
        page = client.get(f"/bedomningar/st-lakare/{sara.pk}/")
        assert page.status_code == 200
        assert "1 av 4 i år" in page.content.decode()
        detail = client.get(f"/bedomningar/{assessment.pk}/").content.decode()
        assert "Trygg och strukturerad." in detail and "Självständigt" in detail
        assert "a1" in detail and "b1" in detail
    client.force_login(supervisor)
    assert "Sara Berglund" in client.get("/bedomningar/handledda/").content.decode()
    client.force_login(other_study_director)
    assert client.get(f"/bedomningar/{assessment.pk}/").status_code == 404
    assert client.get(f"/bedomningar/st-lakare/{sara.pk}/").status_code == 404


def test_the_trainee_withdraws_on_the_page_p12(client, sara, other_trainee):
    assessment = start(sara)
    client.force_login(other_trainee.user)
    assert client.post(f"/bedomningar/{assessment.pk}/aterkalla/").status_code == 404
    client.force_login(sara.user)
    client.post(f"/bedomningar/{assessment.pk}/aterkalla/")
    assert Assessment.objects.get().status == "withdrawn"
    assert Client().get(link_from_outbox()).status_code == 410


def test_the_assessor_with_an_account_completes_in_the_product_p12(client, sara, assessor_account):
    assessment = start(sara)
    client.force_login(assessor_account)
    index = client.get("/bedomningar/").content.decode()
    assert f"/bedomningar/{assessment.pk}/bedom/" in index
    response = client.post(f"/bedomningar/{assessment.pk}/bedom/", FORM, follow=True)
    assert response.status_code == 200
    assert Assessment.objects.get().completed_by == assessor_account
    assert client.get(f"/bedomningar/{assessment.pk}/bedom/").status_code == 410


def test_the_supervisor_sees_a_trainee_behind_p12(client, sara, supervisor):
    with time_machine.travel(dt.datetime(2027, 10, 1, 12, tzinfo=NOW.tzinfo), tick=False):
        client.force_login(supervisor)
        home = client.get("/").content.decode()
        assert "/bedomningar/handledda/" in home
        client.force_login(sara.user)
        assert "/bedomningar/" in client.get("/").content.decode()


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_answer_in_a_constant_number_of_queries_p12(client, sara, supervisor, unit):
    from stportal.testing import factories

    client.force_login(supervisor)
    start(sara)
    few = {
        url: _queries(client, url)
        for url in ("/bedomningar/handledda/", f"/bedomningar/st-lakare/{sara.pk}/")
    }
    for number in range(6):
        start(sara, assessor_email=f"b{number}@example.org")
        factories.TraineeFactory(home_unit=unit, supervisor=supervisor)
    many = {url: _queries(client, url) for url in few}
    assert many == few
    client.force_login(sara.user)
    assert _queries(client, "/bedomningar/") == _queries(client, "/bedomningar/")
