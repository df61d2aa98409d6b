"""Issuing, tracking, reissuing and revoking course certificates, and what they say (C18,
C18a, C19, C22), through the services. The certificate's text is read back from the PDF with
pypdf, on the product's own rendition and on Socialstyrelsen's real forms (which the tests
read from the reference folder beside the repository and skip without)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import AFTER_COURSE, LATER, at, attend
from stportal.certificates import lifecycle, selectors, services
from stportal.certificates.models import Certificate, CertificateBatch, CertificateForm
from stportal.certificates.pdf import COPY_MARK, NOT_OFFICIAL
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses import services as course_services
from stportal.courses.models import Certifier
from stportal.notifications.models import OutboxMessage
from stportal.registrations.models import LineStatus

REPO_ROOT = Path(__file__).resolve().parents[3]
FORMS_DIR = REPO_ROOT / ".." / "shared" / "reference" / "forms"
FORM_FILES = {
    "2015": "sosfs-2015-8-bilaga-5-kurs.pdf",
    "2021": "hslf-fs-2021-8-bilaga-10-kurs.pdf",
}


def form_bytes(version: str) -> bytes:
    path = FORMS_DIR / FORM_FILES[version]
    if not path.is_file():
        pytest.skip(
            f"Socialstyrelsen's {version} course form is not at ../shared/reference/forms/ "
            "beside the repository (the forms are not shipped with the product)"
        )
    return path.read_bytes()


def text_of(pdf: bytes) -> str:
    """The PDF's text (pypdf), runs of whitespace made one space."""
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", raw)


def issue(actor, course, now=AFTER_COURSE):
    return services.issue_certificates(actor=actor, course=course, now=now)


# --- who issues, and when (C18, C19) -------------------------------------------------------


def test_certificates_are_issued_only_for_a_closed_register_c19(
    etik, people, regional_study_director
):
    with pytest.raises(ServiceError) as caught:
        issue(regional_study_director, etik)
    assert (caught.value.code, caught.value.status) == ("register_not_closed", 409)


def test_the_regional_study_director_issues_by_default_c18(
    etik, closed, course_admin, course_leader, regional_study_director
):
    for someone in (course_admin, course_leader):
        with pytest.raises(PermissionDenied):
            issue(someone, etik)
    assert len(issue(regional_study_director, etik)) == 2


def test_the_course_leader_issues_where_the_week_says_so_c18(
    leka, etik, closed, course_admin, course_leader
):
    course_services.update_course_week(
        actor=course_admin, week=leka, changes={"certifier": Certifier.COURSE_LEADER}
    )
    certificates = issue(course_leader, etik)
    assert {c.content["certifier_name"] for c in certificates} == {course_leader.display_name}


def test_one_action_issues_for_every_passed_participant_without_one_c19(
    etik, closed, course_leader, regional_study_director
):
    asa, goran, bo = closed
    first = issue(regional_study_director, etik)
    assert {c.line.registration_id for c in first} == {asa.pk, goran.pk}
    assert {c.state for c in first} == {"issued"}
    assert len({c.batch_id for c in first}) == 1
    assert len({c.verification_code for c in first}) == 2
    assert all(lifecycle.normalise_code(c.verification_code) for c in first)
    assert issue(regional_study_director, etik) == []  # all have one: an empty list
    assert CertificateBatch.objects.count() == 1
    assert AuditEvent.objects.filter(action="certificate.issued").count() == 2
    assert AuditEvent.objects.filter(action="certificate_batch.issued").count() == 1

    # Bo completes what he had to make up and passes: the next action issues his alone.
    attendance_services.record_results(
        actor=course_leader, course=etik, results=[(bo.pk, "passed", "")], now=LATER
    )
    third = issue(regional_study_director, etik, now=LATER)
    assert [c.line.registration_id for c in third] == [bo.pk]
    assert CertificateBatch.objects.count() == 2


def test_the_trainee_is_told_by_email_when_issued_c22(etik, closed, regional_study_director):
    certificates = issue(regional_study_director, etik)
    messages = OutboxMessage.objects.filter(kind="certificate_issued")
    assert messages.count() == 2
    asa_mail = messages.get(recipient=closed[0].trainee.user)
    assert "Etik, mångfald och jämlikhet" in asa_mail.subject
    code = next(c for c in certificates if c.line.registration_id == closed[0].pk)
    assert code.verification_code in asa_mail.body
    assert "/intyg/verifiera/" in asa_mail.body


# --- what the certificate says (C18) --------------------------------------------------------


def certificate_of(registration, certificates) -> Certificate:
    return next(c for c in certificates if c.line.registration_id == registration.pk)


def expected_2015(regional_study_director, course_leader) -> list[str]:
    return [
        "Öberg-Ekström",
        "Åsa Märta",
        "19850315-2384",
        "Allmänmedicin",
        "a2, b1, c7",  # the 2015 goals, the trainee's own specialty's c-goal only
        "Etik, mångfald och jämlikhet, 270322 \u2013 270324",  # subject and period
        course_leader.display_name,
        "Etiska principer och dilemman i vardagen",
        regional_study_director.display_name,
        "NUS, Region Testland",
        "Umeå 2027-03-29",
    ]


def expected_2021(regional_study_director) -> list[str]:
    return [
        "Ärlig",
        "Göran",
        "19920410-1233",
        "Allmänmedicin",
        "STa4, STb1",
        "Etik, mångfald och jämlikhet",
        "Etiska principer och dilemman i vardagen",
        regional_study_director.display_name,
        "NUS, Region Testland",
        "Umeå 2027-03-29",
    ]


def assert_certificate_texts(text_2015, text_2021, rsd, leader, code_2015, code_2021):
    for expected in expected_2015(rsd, leader):
        assert expected in text_2015, expected
    for expected in expected_2021(rsd):
        assert expected in text_2021, expected
    assert "c9" not in text_2015  # another specialty's goal
    assert "STa4" not in text_2015 and "a2," not in text_2021  # the right version's goals
    assert "270322" not in text_2021  # the 2021 form has no period
    assert code_2015 in text_2015 and code_2021 in text_2021
    assert f"/intyg/verifiera/{code_2015}/" in text_2015


def test_own_rendition_carries_every_field_in_the_trainees_version_c18(
    etik, closed, regional_study_director, course_leader
):
    """Without an uploaded form: the product's own rendition, which says so (C18a)."""
    certificates = issue(regional_study_director, etik)
    c2015 = certificate_of(closed[0], certificates)
    c2021 = certificate_of(closed[1], certificates)
    text_2015 = text_of(services.certificate_pdf(certificate=c2015, copy=False))
    text_2021 = text_of(services.certificate_pdf(certificate=c2021, copy=False))
    assert_certificate_texts(
        text_2015,
        text_2021,
        regional_study_director,
        course_leader,
        c2015.verification_code,
        c2021.verification_code,
    )
    assert NOT_OFFICIAL.split(".")[0] in text_2015


def test_real_forms_carry_every_field_in_the_trainees_version_c18_c18a(
    etik, closed, regional_study_director, course_leader, course_admin, region
):
    """With Socialstyrelsen's forms uploaded: each trainee's certificate on their version's
    form, filled and flattened."""
    for version in ("2015", "2021"):
        services.upload_certificate_form(
            actor=course_admin,
            pdf_bytes=form_bytes(version),
            region=region,
            filename=FORM_FILES[version],
        )
    certificates = issue(regional_study_director, etik)
    c2015 = certificate_of(closed[0], certificates)
    c2021 = certificate_of(closed[1], certificates)
    pdf_2015 = services.certificate_pdf(certificate=c2015, copy=False)
    pdf_2021 = services.certificate_pdf(certificate=c2021, copy=False)
    text_2015, text_2021 = text_of(pdf_2015), text_of(pdf_2021)
    assert_certificate_texts(
        text_2015,
        text_2021,
        regional_study_director,
        course_leader,
        c2015.verification_code,
        c2021.verification_code,
    )
    assert "SOSFS 2015:8" in text_2015 and "HSLF-FS 2021:8" in text_2021
    assert NOT_OFFICIAL.split(".")[0] not in text_2015
    for pdf in (pdf_2015, pdf_2021):
        assert not PdfReader(io.BytesIO(pdf)).get_fields()  # flattened


def test_the_trainees_copy_is_marked_as_a_copy_c19(etik, closed, regional_study_director):
    certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    original = text_of(services.certificate_pdf(certificate=certificate, copy=False))
    copy = text_of(services.certificate_pdf(certificate=certificate, copy=True))
    assert COPY_MARK not in original and "KOPIA" not in original
    assert COPY_MARK in copy


def test_a_2008_trainee_gets_the_transfer_sheet_c18(
    etik, make_participant, seat, course_leader, regional_study_director
):
    (old,) = seat(make_participant("2008", user__first_name="Olle", user__last_name="Gammal"))
    attend(course_leader, etik, old, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    (certificate,) = issue(regional_study_director, etik)
    assert certificate.content["goal_codes"] == ["13", "14"]  # the course's 2008 free text
    text = text_of(services.certificate_pdf(certificate=certificate, copy=False))
    assert "Gammal" in text and "13, 14" in text
    assert "2008" in text


# --- reading a certificate (C19, SPEC 2) ---------------------------------------------------


def test_staff_get_the_original_and_the_trainee_a_copy_c19(
    etik, closed, regional_study_director, course_admin, course_leader
):
    certificates = issue(regional_study_director, etik)
    asa_certificate = certificate_of(closed[0], certificates)
    for staff in (course_admin, regional_study_director):
        assert not selectors.get_certificate_for_user(staff, asa_certificate.pk).copy
    own = selectors.get_certificate_for_user(closed[0].trainee.user, asa_certificate.pk)
    assert own.copy


def test_a_trainee_cannot_fetch_anothers_certificate_c19(
    etik, closed, regional_study_director, course_leader, outsider_admin
):
    """SPEC 2: 404, the certificate's existence is private."""
    asa_certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    for outsider in (closed[1].trainee.user, course_leader, outsider_admin):
        with pytest.raises(NotFound):
            selectors.get_certificate_for_user(outsider, asa_certificate.pk)


# --- states, revoking, reissuing (C19) ---------------------------------------------------------


def test_certificates_move_issued_printed_signed_handed_out_with_dates_c19(
    etik, closed, regional_study_director, course_admin
):
    certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    with pytest.raises(ServiceError) as caught:
        services.set_certificate_state(
            actor=course_admin, certificate=certificate, state="signed", now=LATER
        )
    assert (caught.value.code, caught.value.status) == ("invalid_transition", 409)
    with pytest.raises(ValidationFailed):
        services.set_certificate_state(
            actor=course_admin,
            certificate=certificate,
            state="printed",
            date=dt.date(2027, 5, 1),
            now=LATER,
        )
    services.set_certificate_state(
        actor=course_admin, certificate=certificate, state="printed", now=LATER
    )
    services.set_certificate_state(
        actor=regional_study_director,
        certificate=certificate,
        state="signed",
        date=dt.date(2027, 4, 12),
        now=LATER,
    )
    services.set_certificate_state(
        actor=course_admin, certificate=certificate, state="handed_out", now=LATER
    )
    certificate.refresh_from_db()
    assert certificate.state == "handed_out"
    assert certificate.printed_on == certificate.signed_on == certificate.handed_out_on
    assert certificate.handed_out_on == dt.date(2027, 4, 12)
    with pytest.raises(ServiceError):
        services.set_certificate_state(
            actor=course_admin, certificate=certificate, state="posted", now=LATER
        )
    assert (
        AuditEvent.objects.filter(
            object_type="certificates.certificate", object_id=str(certificate.pk)
        ).count()
        == 4
    )


def test_a_trainee_may_not_track_certificates(etik, closed, regional_study_director):
    certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    with pytest.raises(PermissionDenied):
        services.set_certificate_state(
            actor=closed[0].trainee.user, certificate=certificate, state="printed", now=LATER
        )


def test_a_batch_moves_together_and_skips_revoked_ones_c19(
    etik, closed, regional_study_director, course_admin
):
    certificates = issue(regional_study_director, etik)
    services.revoke_certificate(
        actor=course_admin, certificate=certificates[0], reason="Fel kurs.", now=LATER
    )
    batch = certificates[0].batch
    moved = services.set_batch_state(actor=course_admin, batch=batch, state="printed", now=LATER)
    assert [c.pk for c in moved] == [certificates[1].pk]
    summary = selectors.batches_of_course(etik)[0]
    assert summary.counts["printed"] == 1 and summary.counts["revoked"] == 1
    with pytest.raises(ServiceError):
        services.set_batch_state(actor=course_admin, batch=batch, state="printed", now=LATER)


def test_verification_says_valid_then_revoked_and_nothing_more_c19(
    etik, closed, regional_study_director, course_admin
):
    certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    found = selectors.verify(certificate.verification_code.lower().replace("-", " "))
    assert found is not None and found.valid and not found.revoked
    assert (found.trainee_name, found.course_title, found.issued_on) == (
        "Åsa Märta Öberg-Ekström",
        "Etik, mångfald och jämlikhet",
        dt.date(2027, 3, 29),
    )
    assert selectors.verify("0000-0000-0000-0000") is None
    assert selectors.verify("not a code") is None
    with pytest.raises(ValidationFailed):
        services.revoke_certificate(actor=course_admin, certificate=certificate, reason=" ")
    services.revoke_certificate(
        actor=course_admin, certificate=certificate, reason="Utfärdat av misstag.", now=LATER
    )
    found = selectors.verify(certificate.verification_code)
    assert found is not None and found.revoked and not found.valid
    event = AuditEvent.objects.get(action="certificate.revoked")
    assert event.reason == "Utfärdat av misstag."


def test_a_lost_original_is_reissued_as_a_new_original_logged_c19(
    etik, closed, regional_study_director, course_admin
):
    certificate = certificate_of(closed[0], issue(regional_study_director, etik))
    services.set_certificate_state(
        actor=course_admin, certificate=certificate, state="printed", now=AFTER_COURSE
    )
    with pytest.raises(ValidationFailed):
        services.reissue_certificate(actor=course_admin, certificate=certificate, reason="")
    new = services.reissue_certificate(
        actor=course_admin,
        certificate=certificate,
        reason="Originalet försvann i posten.",
        now=at(2027, 5, 3, 10),
    )
    certificate.refresh_from_db()
    assert new.reissue_of == certificate and new.state == "issued"
    assert new.verification_code != certificate.verification_code
    assert certificate.state == "revoked"  # only one original is valid
    same = {k: v for k, v in new.content.items() if k not in ("place_and_date", "issued_on")}
    assert same == {
        k: v for k, v in certificate.content.items() if k not in ("place_and_date", "issued_on")
    }
    assert new.content["place_and_date"] == "Umeå 2027-05-03"
    event = AuditEvent.objects.get(action="certificate.reissued")
    assert (event.actor_id, event.reason) == (course_admin.pk, "Originalet försvann i posten.")
    assert selectors.verify(new.verification_code).valid
    assert selectors.verify(certificate.verification_code).revoked
    assert issue(regional_study_director, etik) == []  # still one certificate per line
    with pytest.raises(ServiceError):
        services.reissue_certificate(actor=course_admin, certificate=certificate, reason="Igen")


def test_certificates_only_for_passed_lines(etik, closed, regional_study_director):
    certificates = issue(regional_study_director, etik)
    assert {c.line.status for c in certificates} == {LineStatus.PASSED}


# --- uploading Socialstyrelsen's forms (C18a) ---------------------------------------------------


def blank_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Inte en blankett")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_a_pdf_without_the_expected_fields_is_refused_naming_them_c18a(course_admin, region):
    with pytest.raises(ServiceError) as caught:
        services.upload_certificate_form(
            actor=course_admin, pdf_bytes=blank_pdf(), region=region, version="2015"
        )
    error = caught.value
    assert error.status == 422
    assert "Personnummer" in error.extra["missing_fields"]
    assert "Kryssruta1" in error.extra["missing_fields"]
    assert error.fields["file"]
    with pytest.raises(ServiceError) as caught:
        services.upload_certificate_form(actor=course_admin, pdf_bytes=b"not a pdf", region=region)
    assert caught.value.extra["problems"] == ["not_a_pdf"]
    assert not CertificateForm.objects.exists()


def test_only_staff_upload_forms(trainee, course_leader, region):
    for someone in (trainee.user, course_leader):
        for target in (region, None):
            with pytest.raises(PermissionDenied):
                services.upload_certificate_form(
                    actor=someone, pdf_bytes=blank_pdf(), region=target
                )


def test_the_real_forms_are_kept_by_detected_version_c18a(
    course_admin, regional_study_director, region
):
    form_2015 = services.upload_certificate_form(
        actor=course_admin, pdf_bytes=form_bytes("2015"), region=region, filename="sosfs.pdf"
    )
    assert form_2015.version == "2015" and form_2015.region == region
    assert "Kryssruta1" in form_2015.fields
    with pytest.raises(ServiceError) as caught:
        services.upload_certificate_form(
            actor=course_admin, pdf_bytes=form_bytes("2021"), region=region, version="2015"
        )
    assert "version_mismatch" in caught.value.extra["problems"]
    again = services.upload_certificate_form(
        actor=regional_study_director, pdf_bytes=form_bytes("2015"), region=region
    )
    assert again.pk == form_2015.pk  # the current form again: nothing changes
    assert CertificateForm.objects.count() == 1
    assert services.current_form("2015", region).pk == form_2015.pk
    assert services.current_form("2015") is None  # not the installation's
    assert services.current_form("2021", region) is None
    assert AuditEvent.objects.filter(action="certificate_form.uploaded").count() == 1
