"""The annual report pages (SPEC 5 P13): the trainee assembles and writes, the supervisor
assesses and submits, the lock, the study director's review, the PDF, what waits for whom, and
who sees what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stportal.annualreport import services
from stportal.annualreport.models import AnnualReport
from stportal.annualreport.tests.conftest import (
    ASSESSMENT,
    REFLECTION,
    YEAR,
    browser,
    draft,
    submitted,
)
from stportal.annualreport.tests.test_api import pdf_text
from stportal.annualreport.waiting import waiting_reports
from stportal.portfolio.selectors import record_parts


@pytest.mark.django_db
def test_the_report_goes_from_draft_to_reviewed_on_the_pages_p13(people):
    trainee = browser(people.owner.user)
    index = trainee.get(reverse("annualreport:index"))
    assert index.status_code == 200 and "Sammanställ en årsrapport" in index.content.decode()
    made = trainee.post(reverse("annualreport:new"), {"year": str(YEAR)})
    report = AnnualReport.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "annualreport:detail", args=[report.pk]
    )
    page = trainee.get(made["Location"]).content.decode()
    assert "Kursveckor och resultat" in page and "Din reflektion" in page
    assert "Spara och markera som färdig för granskning" not in page  # the supervisor submits
    trainee.post(made["Location"], {"text": REFLECTION, "action": "save"})

    supervisor = browser(people.supervisor)
    page = supervisor.get(made["Location"]).content.decode()
    assert "Din bedömning" in page and "Jag har blivit tryggare" in page
    done = supervisor.post(made["Location"], {"text": ASSESSMENT, "action": "submit"}, follow=True)
    report.refresh_from_db()
    assert report.status == "ready_for_review" and report.supervisor_text == ASSESSMENT
    body = done.content.decode()
    assert "Årsrapporten är markerad som färdig för granskning" in body
    assert 'name="text"' not in body and 'role="status"' in body  # locked

    again = trainee.post(made["Location"], {"text": "Ändrat.", "action": "save"})
    report.refresh_from_db()
    assert again.status_code == 302 and report.trainee_text == REFLECTION

    director = browser(people.area_director)
    listed = director.get(reverse("annualreport:index")).content.decode()
    assert made["Location"] in listed
    refused = director.post(reverse("annualreport:review", args=[report.pk]), {"accepted": "no"})
    assert refused.status_code == 422 and "Skriv varför" in refused.content.decode()
    director.post(reverse("annualreport:review", args=[report.pk]), {"accepted": "yes"})
    report.refresh_from_db()
    assert report.status == "reviewed"

    pdf = trainee.get(reverse("annualreport:pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert f"Årsrapport {YEAR}" in text and "Granskad" in text and "Stina Studierektor" in text


@pytest.mark.django_db
def test_a_draft_without_the_reflection_is_not_submitted_and_the_text_is_kept_p13(people):
    report = draft(people)
    supervisor = browser(people.supervisor)
    url = reverse("annualreport:detail", args=[report.pk])
    answer = supervisor.post(url, {"text": ASSESSMENT, "action": "submit"}, follow=True)
    report.refresh_from_db()
    assert report.status == "draft" and report.supervisor_text == ASSESSMENT
    assert "ST-läkaren har ännu inte skrivit sin reflektion." in answer.content.decode()


@pytest.mark.django_db
def test_what_waits_for_whom_p13(people):
    report = draft(people)
    assert [w.count for w in waiting_reports(people.owner.user)] == [1]  # the reflection
    assert [w.count for w in waiting_reports(people.supervisor)] == [1]  # the assessment
    assert waiting_reports(people.area_director) == []
    submitted_report = submitted(people, year=YEAR - 1)
    assert submitted_report.status == "ready_for_review"
    waiting = waiting_reports(people.area_director)
    assert [w.count for w in waiting] == [1] and "granskning" in waiting[0].label
    assert report.pk != submitted_report.pk


@pytest.mark.django_db
def test_the_record_links_to_the_trainee_s_annual_reports_p13(people):
    url = reverse("annualreport:trainee", args=[people.owner.pk])
    for reader in (people.owner.user, people.supervisor, people.area_director):
        assert url in [link.url for link in record_parts(reader, people.owner)]
        assert browser(reader).get(url).status_code == 200
    for outsider in (people.neighbour.user, people.other_supervisor, people.b_regional_director):
        assert browser(outsider).get(url).status_code == 404


@pytest.mark.django_db
def test_nobody_sees_another_trainee_s_report_p13(people):
    report = submitted(people)
    for outsider in (people.neighbour.user, people.other_supervisor, people.other_area_director):
        client = browser(outsider)
        assert client.get(reverse("annualreport:detail", args=[report.pk])).status_code == 404
        assert client.get(reverse("annualreport:pdf", args=[report.pk])).status_code == 404


@pytest.mark.django_db
def test_two_versions_side_by_side_with_the_differences_marked_p13(people):
    report = draft(people)
    services.write_part(actor=people.owner.user, report=report, text="Ett bra år.")
    services.write_part(actor=people.owner.user, report=report, text="Ett mycket bra år.")
    client = browser(people.supervisor)
    url = reverse("annualreport:compare", args=[report.pk])
    page = client.get(url, {"a": 2, "b": 3}).content.decode()
    assert "<ins>mycket </ins>" in page and "ST-läkarens reflektion" in page
    assert client.get(url, {"a": 2, "b": 9}).status_code == 422
