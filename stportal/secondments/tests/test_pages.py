"""The page "Sidotjänstgöring och ST-ersättning" (SPEC 5 P7–P9): the trainee plans a
secondment and is told when the default length set the end; the missing mandatory kind is
shown; the study director records the allowance and credits prior service, and withdraws a
credit; the supervisor reads it all but may not record the allowance; outsiders get 404; the
page answers in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stportal.secondments import services
from stportal.secondments.models import Allowance, Secondment, ServiceCredit
from stportal.secondments.tests.conftest import NOW


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_trainee_plans_a_secondment_on_the_page_p7(client, sara):
    client.force_login(sara.user)
    assert client.get("/sidotjanstgoring/").url == f"/sidotjanstgoring/st-lakare/{sara.pk}/"
    page = client.get(f"/sidotjanstgoring/st-lakare/{sara.pk}/").content.decode()
    assert 'id="missing-internal_medicine"' in page and 'id="missing-psychiatry"' in page
    response = client.post(
        f"/sidotjanstgoring/st-lakare/{sara.pk}/ny/",
        {"kind": "internal_medicine", "place": "Medicinkliniken", "start_date": "2027-06-07"},
        follow=True,
    )
    assert response.status_code == 200
    secondment = Secondment.objects.get()
    assert secondment.end_date == dt.date(2027, 9, 26) and secondment.mandatory
    page = response.content.decode()
    assert f'id="secondment-{secondment.pk}"' in page
    assert "16" in page and "2027-09-26" in page
    assert 'id="missing-internal_medicine"' not in page and 'id="missing-psychiatry"' in page
    messages = [str(m) for m in response.context["messages"]]
    assert any("16" in m and "2027-09-26" in m for m in messages)
    # The trainee does not get the allowance's or the credit's forms.
    assert "/st-ersattning/" not in page and "/tillgodoraknande/" not in page


def test_a_refused_plan_keeps_the_input_p7(client, sara):
    client.force_login(sara.user)
    response = client.post(
        f"/sidotjanstgoring/st-lakare/{sara.pk}/ny/",
        {
            "kind": "psychiatry",
            "place": "Psykiatrin Östra",
            "start_date": "2027-06-07",
            "end_date": "2027-05-01",
        },
    )
    assert response.status_code == 422
    assert "Psykiatrin Östra" in response.content.decode()
    assert not Secondment.objects.exists()


def test_changing_and_removing_a_secondment_on_the_page_p7(client, sara, supervisor):
    secondment = services.plan_secondment(
        actor=sara.user,
        trainee=sara,
        kind="psychiatry",
        place="Psykiatrin",
        start_date=dt.date(2027, 6, 7),
    )
    client.force_login(supervisor)
    url = f"/sidotjanstgoring/{secondment.pk}/andra/"
    assert "Psykiatrin" in client.get(url).content.decode()
    client.post(
        url,
        {
            "kind": "psychiatry",
            "place": "Psykiatriska kliniken",
            "start_date": "2027-06-07",
            "end_date": "2027-08-20",
            "mandatory": "on",
        },
    )
    secondment.refresh_from_db()
    assert secondment.place == "Psykiatriska kliniken"
    assert secondment.end_date == dt.date(2027, 8, 20)
    response = client.post(f"/sidotjanstgoring/{secondment.pk}/ta-bort/")
    assert response.status_code == 302
    assert not Secondment.objects.exists()


def test_the_study_director_records_the_allowance_and_a_credit_p8_p9(client, sara, study_director):
    services.plan_secondment(
        actor=sara.user,
        trainee=sara,
        kind="internal_medicine",
        place="Medicinkliniken",
        start_date=dt.date(2027, 6, 7),
    )
    client.force_login(study_director)
    page = client.get(f"/sidotjanstgoring/st-lakare/{sara.pk}/").content.decode()
    assert f"/sidotjanstgoring/st-lakare/{sara.pk}/st-ersattning/" in page
    response = client.post(
        f"/sidotjanstgoring/st-lakare/{sara.pk}/st-ersattning/",
        {"queue_position": "5", "months_paid": "40", "secondment_months_paid": "16"},
        follow=True,
    )
    assert response.status_code == 200
    assert Allowance.objects.get().months_paid == 40
    page = response.content.decode()
    assert 'id="allowance-warning"' in page  # 4 months of secondment planned, 2 left
    response = client.post(
        f"/sidotjanstgoring/st-lakare/{sara.pk}/tillgodoraknande/",
        {
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "months": "6",
            "comment": "Vikariat",
        },
        follow=True,
    )
    credit = ServiceCredit.objects.get()
    sara.refresh_from_db()
    assert sara.credited_months == 6
    assert f'id="credit-{credit.pk}"' in response.content.decode()
    response = client.post(
        f"/sidotjanstgoring/tillgodoraknande/{credit.pk}/aterkalla/",
        {"reason": "Fel period"},
        follow=True,
    )
    sara.refresh_from_db()
    assert sara.credited_months == 0
    assert "Fel period" in response.content.decode()


def test_a_refused_allowance_keeps_the_input_p8(client, sara, study_director):
    client.force_login(study_director)
    response = client.post(
        f"/sidotjanstgoring/st-lakare/{sara.pk}/st-ersattning/",
        {"queue_position": "", "months_paid": "3", "secondment_months_paid": "5"},
    )
    assert response.status_code == 422
    assert not Allowance.objects.exists()


def test_who_reads_the_page_p7(
    client, sara, supervisor, other_supervisor, other_study_director, other_trainee
):
    url = f"/sidotjanstgoring/st-lakare/{sara.pk}/"
    client.force_login(supervisor)
    assert client.get(url).status_code == 200
    assert client.get(f"/sidotjanstgoring/st-lakare/{sara.pk}/st-ersattning/").status_code == 403
    for outsider in (other_supervisor, other_study_director, other_trainee.user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def _fill(trainee, actor, count: int, first: int = 0) -> None:
    for i in range(first, first + count):
        start = dt.date(2026, 1, 5) + dt.timedelta(weeks=2 * i)
        services.plan_secondment(
            actor=None,
            trainee=trainee,
            kind="psychiatry",
            place=f"Klinik {i}",
            start_date=start,
            end_date=start + dt.timedelta(days=6),
        )
        services.credit_prior_service(
            actor=actor,
            trainee=trainee,
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2020, 2, 1),
            months=1,
        )


def test_the_page_answers_in_a_constant_number_of_queries_p7(client, sara, study_director):
    client.force_login(study_director)
    url = f"/sidotjanstgoring/st-lakare/{sara.pk}/"
    _fill(sara, study_director, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(sara, study_director, 12, first=2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
