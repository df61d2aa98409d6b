"""The completion pack of a trainee (SPEC 5 P14): the certificates from every evidence source
(ST-day certificates and external courses here, the plan's stand-in), numbered in the
application's order; the mandatory subjects no certificate covers; the summary certificates
the trainee uploads or marks as to come; the application form staff upload; one PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from stportal.completion import documents, selectors, services
from stportal.completion.models import SummaryCertificate
from stportal.completion.tests import conftest
from stportal.completion.tests.conftest import (
    COURSE_FORM_2015,
    application,
    issue_st_day,
    plan_item,
    reference,
    small_pdf,
)
from stportal.core import periods
from stportal.core.audit import AuditEvent
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.curricula import attachments

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_p14_st_day_certificates_are_course_attachments_and_cover_their_subject(sara, supervisor):
    issue_st_day(supervisor, sara, "Läkemedel")
    pack = selectors.pack_for(sara)
    courses = [line for line in pack.lines if line.kind == attachments.COURSE]
    assert [(line.number, line.title, line.present, line.has_document) for line in courses] == [
        (2, "Läkemedel", True, True)
    ]
    missing_subjects = [m.subject for m in pack.missing if m.code == "mandatory_subject"]
    assert "Läkemedel" not in missing_subjects
    assert missing_subjects  # the rest of the specialty's mandatory subjects


def test_p14_a_revoked_st_day_certificate_is_not_attached(sara, supervisor):
    from stportal.stdays import services as stday_services

    certificate = issue_st_day(supervisor, sara)
    stday_services.revoke_st_day_certificate(
        actor=supervisor, certificate=certificate, reason="Fel ämne."
    )
    assert not [line for line in selectors.pack_for(sara).lines if line.kind == "course"]


def test_p14_the_plans_certificates_take_their_places_and_missing_kinds_go(sara, supervisor):
    issue_st_day(supervisor, sara)
    plan_item(sara, attachments.WRITTEN_WORK, "Skriftligt arbete", 1)
    plan_item(sara, attachments.CLINICAL_SERVICE, "Vårdcentralen", 2)
    plan_item(sara, attachments.QUALITY_WORK, "Kvalitetsarbete", 3, pdf=None)
    plan_item(sara, attachments.AUSKULTATION, "Auskultation, BUP", 4)
    pack = selectors.pack_for(sara)
    assert [(line.number, line.kind) for line in pack.lines] == [
        (1, "specialist_competence"),
        (2, "auskultation"),
        (3, "clinical_service"),
        (4, "course"),
        (5, "quality_work"),
        (6, "written_work"),
    ]
    assert pack.lines[4].present and not pack.lines[4].has_document
    assert {m.kind for m in pack.missing if m.code != "mandatory_subject"} == {
        "specialist_competence"
    }


def test_p14_a_2021_trainee_needs_the_bt_certificates(goran):
    pack = selectors.pack_for(goran)
    assert pack.bt
    kinds = [line.kind for line in pack.lines]
    assert kinds == [
        "service_completed",
        "specialist_competence",
        "bt_completed",
        "bt_competence",
    ]
    assert {m.kind for m in pack.missing if m.code != "mandatory_subject"} == {
        "service_completed",
        "specialist_competence",
        "quality_work",
        "science",
        "bt_goal",
        "bt_completed",
        "bt_competence",
    }


def test_p14_the_trainee_uploads_a_summary_certificate_or_marks_it_as_to_come(sara):
    kept = services.keep_summary_certificate(
        actor=sara.user,
        trainee=sara,
        kind="specialist_competence",
        data=small_pdf(),
        filename="kompetens.pdf",
    )
    assert kept.present and kept.size
    line = selectors.pack_for(sara).lines[0]
    assert (line.kind, line.present, line.has_document) == ("specialist_competence", True, True)
    assert AuditEvent.objects.filter(action="summary_certificate.uploaded").count() == 1
    services.keep_summary_certificate(actor=sara.user, trainee=sara, kind="specialist_competence")
    line = selectors.pack_for(sara).lines[0]
    assert not line.present
    assert SummaryCertificate.objects.get(trainee=sara).pdf is None


def test_p14_summary_uploads_are_checked_and_only_the_trainees(sara, supervisor, other_trainee):
    with pytest.raises(ValidationFailed):
        services.keep_summary_certificate(
            actor=sara.user, trainee=sara, kind="specialist_competence", data=b"not a pdf"
        )
    with pytest.raises(ValidationFailed):  # 2015: no service-completed certificate
        services.keep_summary_certificate(
            actor=sara.user, trainee=sara, kind="service_completed", data=small_pdf()
        )
    with pytest.raises(PermissionDenied):
        services.keep_summary_certificate(
            actor=supervisor, trainee=sara, kind="specialist_competence"
        )
    with pytest.raises(NotFound):
        services.keep_summary_certificate(
            actor=other_trainee.user, trainee=sara, kind="specialist_competence"
        )


def test_p14_the_service_list_comes_from_placements_and_secondments(sara):
    conftest.PLAN_PERIODS[sara.pk] = [
        periods.Period(
            "placement", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "VC Ålidhem", "plan", 1
        ),
        periods.Period(
            "secondment", dt.date(2025, 1, 1), dt.date(2025, 3, 31), "Medicin", "secondments", 2
        ),
        periods.Period(
            "course_week", dt.date(2025, 4, 1), dt.date(2025, 4, 4), "LEKA A", "courses", 3
        ),
        periods.Period(
            "placement",
            dt.date(2030, 1, 1),
            dt.date(2030, 6, 30),
            "Planerad",
            "plan",
            4,
            planned=True,
        ),
    ]
    rows = selectors.service_list(sara)
    assert [(r.place, r.period, r.percent, r.months) for r in rows] == [
        ("VC Ålidhem", "240101 – 241231", 75, 9.0),
        ("Medicin", "250101 – 250331", 75, 2.2),
    ]


def test_p14_staff_upload_the_application_form_and_the_pack_fills_it(
    sara, supervisor, course_admin
):
    with pytest.raises(ServiceError) as refused:
        services.upload_application_form(
            actor=course_admin, pdf_bytes=reference(COURSE_FORM_2015), region=sara.home_unit.region
        )
    assert refused.value.status == 422
    with pytest.raises(PermissionDenied):
        services.upload_application_form(actor=supervisor, pdf_bytes=application("2015"))
    form = services.upload_application_form(
        actor=course_admin, pdf_bytes=application("2015"), region=sara.home_unit.region
    )
    assert form.version == "2015"
    again = services.upload_application_form(
        actor=course_admin, pdf_bytes=application("2015"), region=sara.home_unit.region
    )
    assert again.pk == form.pk
    issue_st_day(supervisor, sara)
    conftest.PLAN_PERIODS[sara.pk] = [
        periods.Period(
            "placement", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "VC Ålidhem", "plan", 1
        ),
    ]
    pack = selectors.pack_for(sara)
    assert pack.form is not None and pack.form.pk == form.pk
    merged = documents.pack_pdf(pack, form=pack.form)
    reader = PdfReader(io.BytesIO(merged))
    assert not reader.get_fields()
    text = _text(merged)
    assert text.index("Berglund-Öhman") < text.index("Bilaga nr 2")
    assert "VC Ålidhem" in text and "240101 – 241231" in text
    assert "Läkemedel" in text


def test_p14_without_an_application_form_the_pack_still_merges_in_order(sara, supervisor):
    issue_st_day(supervisor, sara)
    plan_item(sara, attachments.QUALITY_WORK, "Kvalitetsarbete om diabetes", 3)
    pack = selectors.pack_for(sara)
    assert pack.form is None
    text = _text(documents.pack_pdf(pack))
    first = text.index("Bilaga nr 1")
    assert first < text.index("Bilaga nr 2") < text.index("Bilaga nr 3")
    assert "Not included" in text or "Ingår inte" in text  # the specialist competence
    assert "Kvalitetsarbete om diabetes" in text
    listing = _text(documents.attachment_list_pdf(pack))
    assert "Bilaga nr 3" in listing


def test_p14_a_copy_that_cannot_be_drawn_is_listed_as_not_included(sara):
    def broken() -> bytes:
        raise ValueError("damaged")

    plan_item(sara, attachments.QUALITY_WORK, "Kvalitetsarbete om astma", 5, pdf=broken)
    plan_item(sara, attachments.WRITTEN_WORK, "Uppsats om KOL", 6, pdf=lambda: b"not a pdf")
    text = _text(documents.pack_pdf(selectors.pack_for(sara)))
    assert "Kvalitetsarbete om astma" in text and "Uppsats om KOL" in text
    assert text.count("Not included") + text.count("Ingår inte") >= 3
