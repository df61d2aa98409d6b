"""The education plan's pages (SPEC 5 P11): "Min utbildningsplan" by kind, adding, changing
and removing with a confirmation, the certificate, and the timeline drawn on the server as SVG
with a table of the same periods; who sees what."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stportal.core import periods
from stportal.plan.models import PlanItem
from stportal.plan.tests.conftest import NOW, add, make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_education_plan_lists_items_by_kind_p11(sara):
    add(sara.user, sara, goal_codes=["a1"])
    add(sara.user, sara, kind="leave", title="Föräldraledighet", end_date=dt.date(2025, 2, 1))
    client = client_for(sara.user)
    response = client.get("/utbildningsplan/", follow=True)
    html = response.content.decode()
    assert "<h1>Min utbildningsplan</h1>" in html
    sections = re.findall(r'<h2 id="section-(\w+)">', html)
    assert sections[:2] == ["placement", "auskultation"]
    assert "bt" not in sections  # a 2015 trainee has no BT
    assert "Allmänmedicin" in html and "Föräldraledighet" in html
    assert 'title="Medarbetarskap, ledarskap och pedagogik"' in html or ">a1</abbr>" in html
    assert "Lägg till i planen" in html


def test_the_trainee_adds_changes_and_removes_an_item_p11(sara):
    client = client_for(sara.user)
    form = client.get(f"/utbildningsplan/st-lakare/{sara.pk}/ny/?kind=research")
    assert form.status_code == 200
    assert '<option value="research" selected>' in form.content.decode()
    response = client.post(
        f"/utbildningsplan/st-lakare/{sara.pk}/ny/",
        {
            "kind": "placement",
            "title": "Vårdcentralen Mariehem",
            "place": "Umeå",
            "start_date": "2027-09-01",
            "end_date": "2028-02-28",
            "status": "done",
            "goal_codes": ["a1", "b1"],
        },
    )
    assert response.status_code == 422  # done before it ended: the input stays
    html = response.content.decode()
    assert "Något behöver rättas" in html and 'value="Vårdcentralen Mariehem"' in html
    response = client.post(
        f"/utbildningsplan/st-lakare/{sara.pk}/ny/",
        {
            "kind": "placement",
            "title": "Vårdcentralen Mariehem",
            "place": "Umeå",
            "start_date": "2027-09-01",
            "end_date": "2028-02-28",
            "status": "planned",
            "extent_percent": "50",
            "goal_codes": ["a1", "b1"],
        },
    )
    item = PlanItem.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    assert item.extent_percent == 50 and item.goals.count() == 2
    edit = client.get(f"/utbildningsplan/post/{item.pk}/andra/")
    assert edit.status_code == 200 and 'value="Vårdcentralen Mariehem"' in edit.content.decode()
    uploaded = client.post(
        f"/utbildningsplan/post/{item.pk}/intyg/",
        {"file": SimpleUploadedFile("intyg.pdf", make_pdf(), content_type="application/pdf")},
    )
    assert uploaded.status_code == 302
    assert client.get(f"/utbildningsplan/post/{item.pk}/intyg.pdf").content.startswith(b"%PDF")
    wrong = client.post(
        f"/utbildningsplan/post/{item.pk}/intyg/",
        {"file": SimpleUploadedFile("intyg.pdf", b"not a pdf", content_type="application/pdf")},
    )
    assert wrong.status_code == 422 and "ingen PDF" in wrong.content.decode()
    confirm = client.get(f"/utbildningsplan/post/{item.pk}/ta-bort/")
    assert "Vill du ta bort ”Vårdcentralen Mariehem”" in confirm.content.decode()
    assert PlanItem.objects.exists()
    client.post(f"/utbildningsplan/post/{item.pk}/ta-bort/")
    assert not PlanItem.objects.exists()


def test_the_supervisor_reads_and_records_meetings_only_p11(sara, supervisor):
    add(sara.user, sara)
    client = client_for(supervisor)
    html = client.get(f"/utbildningsplan/st-lakare/{sara.pk}/").content.decode()
    assert "Utbildningsplan för Sara Berglund" in html
    assert "Registrera ett handledarsamtal" in html and "Lägg till i planen" not in html
    form = client.get(f"/utbildningsplan/st-lakare/{sara.pk}/ny/").content.decode()
    assert re.findall(r'<option value="(\w+)"', form) == ["supervision"]
    index = client.get("/utbildningsplan/").content.decode()
    assert "Sara Berglund" in index


def test_the_plan_and_timeline_are_private_p11(sara, other_trainee, course_admin, outsider_admin):
    add(sara.user, sara)
    for outsider in (other_trainee.user, course_admin, outsider_admin):
        client = client_for(outsider)
        for path in ("", "tidslinje/", "ny/"):
            url = f"/utbildningsplan/st-lakare/{sara.pk}/{path}"
            assert client.get(url).status_code == 404, (outsider, url)


def test_the_timeline_is_drawn_on_the_server_with_a_table_beside_it_p11(sara, supervisor):
    add(sara.user, sara)
    add(
        sara.user,
        sara,
        kind="research",
        title="Forskning om diabetes",
        status="planned",
        start_date=dt.date(2027, 9, 1),
        end_date=dt.date(2027, 12, 31),
    )

    def course_weeks(trainee_id):
        return [
            periods.Period(
                kind=periods.COURSE_WEEK,
                start=dt.date(2026, 3, 23),
                end=dt.date(2026, 3, 27),
                title="LEKA A 2026",
                source="zz-test",
                source_id=1,
            )
        ]

    periods.register_period_source("zz-test", course_weeks)
    try:
        response = client_for(supervisor).get(f"/utbildningsplan/st-lakare/{sara.pk}/tidslinje/")
    finally:
        periods._SOURCES.pop("zz-test")
    html = response.content.decode()
    assert response.status_code == 200
    svg = html[html.index('<svg class="timeline__svg"') : html.index("</svg>")]
    assert 'role="img"' in svg
    for lane in ("Klinisk tjänstgöring", "Kursveckor", "Forskning"):
        assert f">{lane}</text>" in svg
    assert "timeline__bar--planned" in svg and "url(#timeline-hatch)" in svg
    assert ">2024</text>" in svg and ">2029</text>" in svg
    assert "Idag 2027-04-12" in svg and "ST-start 2024-09-01" in svg
    assert "Planerat slut 2029-08-31" in svg
    assert "style=" not in html and "<script" not in html.split("</footer>")[0]
    assert "," not in re.search(r'viewBox="([^"]*)"', svg).group(1)
    table = html[html.index('<section class="timeline-table"') :]
    assert "LEKA A 2026" in table and "Forskning om diabetes" in table and "Planerad" in table
    assert "/static/css/plan.css" in html


def test_the_plan_page_answers_in_a_constant_number_of_queries_p11(sara):
    client = client_for(sara.user)
    add(sara.user, sara, goal_codes=["a1"])
    url = f"/utbildningsplan/st-lakare/{sara.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
        client.get(url + "tidslinje/")
    for number in range(10):
        add(sara.user, sara, title=f"Placering {number}", goal_codes=["a1", "b1"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
        client.get(url + "tidslinje/")
    assert len(many) == len(few)
