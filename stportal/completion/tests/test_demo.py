"""The demo's completion pack (SPEC 5 P14): `stlakare`'s pack lists her course certificates
and her ST-day certificate with their Bilaga nr, the specialist competence as to come, and what
is missing; it downloads as one PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from stportal.accounts.models import TraineeProfile
from stportal.completion import documents, selectors
from stportal.completion.models import SummaryCertificate
from stportal.demo.data import load_demo


@pytest.mark.django_db
def test_p14_the_demo_trainees_pack_lists_what_is_there_and_what_is_missing():
    load_demo()
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    pack = selectors.pack_for(stlakare)
    assert pack.lines[0].kind == "specialist_competence" and not pack.lines[0].present
    courses = [line for line in pack.lines if line.kind == "course"]
    sources = {line.source for line in courses}
    assert {"certificate", "st_day"} <= sources
    assert all(line.present and line.has_document for line in courses)
    assert [line.number for line in pack.lines] == list(range(1, len(pack.lines) + 1))
    kinds = {m.kind for m in pack.missing if m.code != "mandatory_subject"}
    assert {"specialist_competence", "quality_work", "written_work"} <= kinds
    merged = PdfReader(io.BytesIO(documents.pack_pdf(pack)))
    assert len(merged.pages) > 1 + 2 * len(courses)
    load_demo()
    assert SummaryCertificate.objects.filter(trainee=stlakare).count() == 1
