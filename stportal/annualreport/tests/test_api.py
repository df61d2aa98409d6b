"""The annual report's API (SPEC 5 P13, Appendix A conventions): the journey from draft to
reviewed, 409 `locked`, who writes which part, absurd values answered without a 500, and
the PDF read back as text."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from stportal.annualreport.models import AnnualReport
from stportal.annualreport.tests.conftest import ASSESSMENT, REFLECTION, YEAR, api, submitted
from stportal.core.dates import local_date


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.django_db
def test_the_report_goes_from_draft_to_reviewed_through_the_api_p13(people):
    owner = people.owner
    created = api(owner.user, "POST", f"trainees/{owner.pk}/annual-reports", {"year": YEAR})
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["status"] == "draft" and report["period_start"] == f"{YEAR}-01-01"
    assert {s["key"] for s in report["sections"]} >= {"course_weeks", "statements"}
    path = f"annual-reports/{report['id']}"

    again = api(owner.user, "POST", f"trainees/{owner.pk}/annual-reports", {"year": YEAR})
    assert again.status_code == 409 and again.json()["code"] == "report_exists"

    mine = api(owner.user, "PATCH", path, {"text": REFLECTION})
    assert mine.status_code == 200 and mine.json()["trainee_text"] == REFLECTION
    early = api(people.supervisor, "POST", f"{path}/submit")
    assert early.status_code == 422 and "supervisor_text" in early.json()["fields"]
    theirs = api(people.supervisor, "PATCH", path, {"text": ASSESSMENT})
    body = theirs.json()
    assert (body["trainee_text"], body["supervisor_text"]) == (REFLECTION, ASSESSMENT)
    assert api(people.area_director, "PATCH", path, {"text": "x"}).status_code == 403
    assert api(owner.user, "POST", f"{path}/submit").status_code == 403

    ready = api(people.supervisor, "POST", f"{path}/submit")
    assert ready.status_code == 200 and ready.json()["status"] == "ready_for_review"
    locked = api(owner.user, "PATCH", path, {"text": "Ändrat."})
    assert locked.status_code == 409 and locked.json()["code"] == "locked"

    back = api(people.area_director, "POST", f"{path}/review", {"accepted": False})
    assert back.status_code == 422 and "comment" in back.json()["fields"]
    reviewed = api(people.area_director, "POST", f"{path}/review", {"accepted": True})
    assert reviewed.status_code == 200
    body = reviewed.json()
    assert body["status"] == "reviewed" and body["reviewed_by_id"] == people.area_director.pk
    assert [v["event"] for v in body["versions"]] == [
        "created",
        "edited",
        "edited",
        "submitted",
        "reviewed",
    ]
    listed = api(people.supervisor, "GET", f"trainees/{owner.pk}/annual-reports").json()
    assert [r["id"] for r in listed] == [report["id"]]


@pytest.mark.django_db
def test_the_pdf_has_the_header_every_section_both_parts_and_the_review_p13(people):
    report = submitted(people)
    api(people.area_director, "POST", f"annual-reports/{report.pk}/review", {"accepted": True})
    response = api(people.owner.user, "GET", f"annual-reports/{report.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    report = AnnualReport.objects.get(pk=report.pk)
    assert f"Årsrapport {YEAR}" in text
    assert "Sara Berglund" in text
    assert report.trainee.specialty.name in text
    assert report.trainee.curriculum_version.code in text
    assert f"{YEAR}-01-01 – {YEAR}-12-31" in text
    assert "Granskad" in text
    flat = " ".join(text.split())
    for section in report.sections:
        assert section["title"] in text
        if section["lines"]:
            # Each line is in the PDF (reportlab may wrap it: compare without line breaks).
            assert all(" ".join(line.split()) in flat for line in section["lines"]), section
        else:
            assert section["empty_text"] in text
    assert "Kursveckor och resultat" in text
    assert "Jag har blivit tryggare i akuta bedömningar." in text
    assert "Sara har utvecklats väl" in text
    day = local_date(report.reviewed_at).isoformat()
    assert f"Granskad {day} av Stina Studierektor." in text


@pytest.mark.django_db
def test_absurd_values_are_refused_without_a_500_p13(people):
    owner = people.owner
    for body in ({"year": 1}, {"year": 99999}, {"year": "x"}, {}, {"year": None}):
        answer = api(owner.user, "POST", f"trainees/{owner.pk}/annual-reports", body)
        assert answer.status_code == 422, body
    report = submitted(people)
    path = f"annual-reports/{report.pk}"
    assert api(owner.user, "PATCH", path, {"text": "x" * 20_001}).status_code == 422
    assert api(owner.user, "PATCH", path, {"text": "a\x00b"}).status_code == 422
    assert api(owner.user, "PATCH", path, {}).status_code in (409, 422)
    for bad in ("annual-reports/0", "annual-reports/99999999999999", "annual-reports/9999"):
        assert api(owner.user, "GET", bad).status_code in (404, 422)
    assert api(owner.user, "GET", "annual-reports/9999.pdf").status_code == 404
    assert api(people.neighbour.user, "GET", path).status_code == 404
    assert api(people.neighbour.user, "GET", f"{path}.pdf").status_code == 404
    assert api(None, "GET", path).status_code == 401
