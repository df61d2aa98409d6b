"""The evidence sources the completion pack reads (SPEC 5 P14): external courses paid from the
training funds with their certificate attached, and course certificates of the programme (see
the demo test); each is a course attachment whose document is the trainee's copy."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.completion import selectors
from stportal.completion.tests.conftest import small_pdf
from stportal.curricula.attachments import COURSE, evidence_of
from stportal.funding import services as funding

pytestmark = pytest.mark.django_db


def test_p14_an_approved_external_course_with_its_certificate_is_attached(sara, study_director):
    application = funding.submit_application(
        actor=sara.user,
        trainee=sara,
        course_title="Geriatrik för allmänläkare",
        provider="Kurskompaniet AB",
        start_date=dt.date(2027, 2, 1),
        costs=[funding.Cost("fee", 6000)],
    )
    application = funding.decide_application(
        actor=study_director,
        application=application,
        approved=True,
        exception_reason="Ges inte i regionen.",
    )
    assert not [e for e in evidence_of(sara.pk) if e.source == "funding"]
    funding.attach_certificate(
        actor=sara.user, application=application, data=small_pdf("Geriatrik"), filename="i.pdf"
    )
    (found,) = [e for e in evidence_of(sara.pk) if e.source == "funding"]
    assert (found.kind, found.source_id, found.present) == (COURSE, application.pk, True)
    assert found.pdf is not None and found.pdf().startswith(b"%PDF-")
    lines = [line for line in selectors.pack_for(sara).lines if line.kind == COURSE]
    assert [line.title for line in lines] == ["Geriatrik för allmänläkare (Kurskompaniet AB)"]
