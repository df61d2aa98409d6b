"""The study-time pages (SPEC 5 P6): "Min studietid" a quarter at a time with the weeks, the
zero weeks' reasons and the hours used; the trainee logs and removes entries; supervisor and
study director read; others are refused; the record overview links the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from stportal.studytime.models import StudyActivity, StudyTimeEntry
from stportal.studytime.tests.conftest import NOW, SECONDMENT_TITLE


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_min_studietid_shows_the_quarter_with_its_zero_weeks_p6(client, seated_sara):
    """Issue 11, must show 2, on the page."""
    client.force_login(seated_sara.user)
    response = client.get("/studietid/?kvartal=2027-1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Min studietid" in page
    assert "Kvartal 1 2027" in page
    assert "Kursvecka: LEKA A 2027" in page
    assert page.count(f"Sidotjänstgöring: {SECONDMENT_TITLE}") == 4
    assert page.count("<td>3 tim</td>") == 9
    assert page.count("<td>0 tim</td>") >= 5
    assert 'id="entitled-total">27 tim' in page
    assert "?kvartal=2026-4" in page and "?kvartal=2027-2" in page


def test_the_trainee_logs_on_the_page_and_is_warned_p6(client, seated_sara):
    client.force_login(seated_sara.user)
    url = f"/studietid/st-lakare/{seated_sara.pk}/?kvartal=2027-1"
    reading = StudyActivity.objects.get(code="reading").pk
    response = client.post(
        url,
        {"day": "2027-01-13", "hours": "3,5", "activity": reading, "note": "KOL-riktlinjer"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Studietid loggad: 3,5 tim den 2027-01-13." in page
    assert "mer än de 3 tim studietid" in page
    assert "KOL-riktlinjer" in page
    dotted = client.post(url, {"day": "2027-02-02", "hours": "0.75", "activity": reading})
    assert dotted.status_code == 302
    assert StudyTimeEntry.objects.get(day="2027-02-02").hours == Decimal("0.75")
    StudyTimeEntry.objects.filter(day="2027-02-02").delete()
    entry = StudyTimeEntry.objects.get()
    removed = client.post(f"/studietid/post/{entry.pk}/ta-bort/", follow=True)
    assert "Posten från 2027-01-13 är borttagen." in removed.content.decode()
    assert not StudyTimeEntry.objects.exists()


def test_a_mistake_on_the_form_keeps_the_input_p6(client, sara):
    client.force_login(sara.user)
    response = client.post(
        f"/studietid/st-lakare/{sara.pk}/",
        {"day": "2027-04-01", "hours": "30", "activity": "", "note": "Balint"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Något behöver rättas" in page and "Balint" in page
    assert not StudyTimeEntry.objects.exists()
    future = client.post(
        f"/studietid/st-lakare/{sara.pk}/",
        {
            "day": "2027-05-01",
            "hours": "1",
            "activity": StudyActivity.objects.get(code="balint").pk,
        },
    )
    assert future.status_code == 422
    assert "framtiden" in future.content.decode()


def test_supervisor_and_study_director_read_without_the_form_p6(
    client, seated_sara, supervisor, study_director
):
    for reader in (supervisor, study_director):
        client.force_login(reader)
        index = client.get("/studietid/")
        assert f"/studietid/st-lakare/{seated_sara.pk}/" in index.content.decode()
        response = client.get(f"/studietid/st-lakare/{seated_sara.pk}/?kvartal=2027-1")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Studietid för Sara Berglund" in page
        assert "Kursvecka: LEKA A 2027" in page
        assert "Logga studietid" not in page
        refused = client.post(
            f"/studietid/st-lakare/{seated_sara.pk}/",
            {"day": "2027-04-01", "hours": "1", "activity": "1"},
        )
        assert refused.status_code == 403
    assert not StudyTimeEntry.objects.exists()


def test_others_are_refused_p6(client, sara, other_supervisor, other_study_director, other_trainee):
    for outsider in (other_supervisor, other_study_director, other_trainee.user):
        client.force_login(outsider)
        assert client.get(f"/studietid/st-lakare/{sara.pk}/").status_code == 404
    entry = StudyTimeEntry.objects.create(
        trainee=sara,
        day=dt.date(2027, 4, 1),
        hours=1,
        activity=StudyActivity.objects.get(code="reading"),
        created_at=NOW,
        created_by=sara.user,
    )
    client.force_login(other_trainee.user)
    assert client.post(f"/studietid/post/{entry.pk}/ta-bort/").status_code == 404
    assert StudyTimeEntry.objects.exists()


def test_a_bad_quarter_shows_the_current_one_p6(client, sara):
    client.force_login(sara.user)
    for value in ("9999-1", "2027-5", "x", "2027-1' or 1=1"):
        response = client.get("/studietid/", {"kvartal": value})
        assert response.status_code == 200
        assert "Kvartal 2 2027" in response.content.decode()
    edge = client.get("/studietid/", {"kvartal": "2000-1"}).content.decode()
    assert "?kvartal=1999" not in edge


def test_the_record_overview_links_study_time_p6(client, sara, supervisor):
    from stportal.portfolio.selectors import record_parts

    assert "/studietid/" in [link.url for link in record_parts(sara.user, sara)]
    assert f"/studietid/st-lakare/{sara.pk}/" in [
        link.url for link in record_parts(supervisor, sara)
    ]


def test_the_page_takes_constant_queries_p6(client, sara):
    """The same number of queries for 3 entries and for 30 (one per period source, whatever
    sources the installed apps register)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reading = StudyActivity.objects.get(code="reading")
    client.force_login(sara.user)
    counts = []
    for rows in (3, 27):
        StudyTimeEntry.objects.bulk_create(
            StudyTimeEntry(
                trainee=sara,
                day=dt.date(2027, 4, 1 + i % 10),
                hours=1,
                activity=reading,
                created_at=NOW,
                created_by=sara.user,
            )
            for i in range(rows)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/studietid/")
        counts.append(len(queries))
        assert response.content.decode().count('id="entry-') == StudyTimeEntry.objects.count()
    assert counts[0] == counts[1]
