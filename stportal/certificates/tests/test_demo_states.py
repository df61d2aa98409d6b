"""The demo's attendance and certificate states (Appendix A "stportal demo"; C17–C19): a
finished week whose register `kursledare` can fill and close, and certificates in every state
with one for `stlakare` to download as a copy. Also the commands `stportal demo
--certificate-forms DIR` and `stportal issue-certificates COURSE_ID`."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pypdf import PdfReader

from stportal.accounts.models import User
from stportal.attendance import selectors as attendance_selectors
from stportal.attendance import services as attendance_services
from stportal.attendance.models import AttendanceRecord, CourseRegister
from stportal.attendance.tests.fixtures import AFTER_COURSE, attend
from stportal.certificates import selectors, services
from stportal.certificates.models import Certificate, CertificateForm
from stportal.certificates.pdf import COPY_MARK
from stportal.certificates.tests.test_certificate_services import form_bytes
from stportal.courses.models import Course
from stportal.demo.data import load_demo
from stportal.registrations.models import Fee, LineStatus, RegistrationLine


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def finished_title(result) -> str:
    return next(plan.title for plan in result.weeks if plan.key == "finished")


@pytest.mark.django_db
def test_demo_has_a_register_for_kursledare_and_certificates_in_every_state():
    result = load_demo()
    week_title = finished_title(result)
    courses = list(Course.objects.filter(week__title=week_title).order_by("position"))
    kursledare = User.objects.get(username="kursledare")
    own = next(c for c in courses if c.leaders.filter(pk=kursledare.pk).exists())
    others = [c for c in courses if c != own]

    # (a) kursledare's course: participants seated, nothing recorded, register open.
    view = attendance_selectors.register_view(own)
    assert len(view.participants) >= 20
    assert {row.status for row in view.participants} == {LineStatus.CONFIRMED}
    assert not view.closed
    assert not AttendanceRecord.objects.filter(line__course=own).exists()
    assert attendance_selectors.get_course_for_register(kursledare, own.pk) == own

    # (b) the other courses: closed registers, every result, certificates in every state.
    assert all(CourseRegister.objects.get(course=c).is_closed for c in others)
    statuses = Counter(
        RegistrationLine.objects.filter(course__in=others).values_list("status", flat=True)
    )
    assert {"passed", "not_passed", "incomplete", "no_show"} <= set(statuses)
    certificates = Certificate.objects.filter(line__course__week__title=week_title)
    states = Counter(certificates.values_list("state", flat=True))
    assert {"issued", "printed", "signed", "handed_out", "posted", "revoked"} <= set(states)
    reissued = certificates.get(reissue_of__isnull=False)
    assert reissued.reissue_of.state == "revoked"
    assert certificates.filter(state="revoked", reissue_of__isnull=True).exists()
    assert {c.line.course_id for c in certificates} == {c.pk for c in others}
    # C14: the no-show's fee was waived for illness; the only charged fee is the allocated
    # week's late cancellation.
    no_show_fee = Fee.objects.get(cause="no_show")
    assert no_show_fee.status == "waived"
    assert Fee.objects.filter(status="charged").count() == 1

    # stlakare can download a copy of their handed-out certificate.
    stlakare = User.objects.get(username="stlakare")
    mine = selectors.certificates_of_trainee_user(stlakare)
    handed_out = mine.get(state="handed_out")
    access = selectors.get_certificate_for_user(stlakare, handed_out.pk)
    assert access.copy
    pdf = services.certificate_pdf(certificate=access.certificate, copy=access.copy)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert COPY_MARK in text and "Berglund" in text
    assert selectors.verify(handed_out.verification_code).valid

    # kursledare fills and closes the register, as in the browser.
    for row in view.participants:
        attend(kursledare, own, row.line.registration, "P", now=timezone.now())
    closed = attendance_services.close_register(actor=kursledare, course=own)
    assert len(closed.passed) == len(view.participants)


@pytest.mark.django_db
def test_demo_command_loads_the_forms_from_a_folder_c18a(tmp_path):
    """`stportal demo --certificate-forms DIR`: each form by its detected version, once."""
    for version, name in (("2015", "a.pdf"), ("2021", "b.pdf")):
        (tmp_path / name).write_bytes(form_bytes(version))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 not a form")
    out = io.StringIO()
    call_command("demo", "--no-serve", "--certificate-forms", str(tmp_path), stdout=out)
    assert set(CertificateForm.objects.values_list("version", flat=True)) == {"2015", "2021"}
    text = out.getvalue()
    assert "a.pdf" in text and "b.pdf" in text and "notes.pdf" in text
    again = io.StringIO()
    call_command("demo", "--no-serve", "--certificate-forms", str(tmp_path), stdout=again)
    assert CertificateForm.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("demo", "--no-serve", "--certificate-forms", str(tmp_path / "none"))


def test_issue_certificates_command(etik, course_leader, make_participant, seat, db):
    from stportal.accounts.models import Role
    from stportal.testing import factories

    director = factories.user_with_role(
        Role.REGIONAL_STUDY_DIRECTOR, region=etik.week.series.region, username="sr-cmd"
    )
    (anna,) = seat(make_participant(user__first_name="Anna", user__last_name="Andersson"))
    with pytest.raises(CommandError):
        call_command("issue_certificates", str(etik.pk), stdout=io.StringIO())
    attend(course_leader, etik, anna, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    out = io.StringIO()
    call_command("issue_certificates", str(etik.pk), "--as", "sr-cmd", stdout=out)
    certificate = Certificate.objects.get()
    assert certificate.verification_code in out.getvalue()
    assert certificate.content["certifier_name"] == director.display_name
    again = io.StringIO()
    call_command("issue_certificates", str(etik.pk), stdout=again)
    assert Certificate.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("issue_certificates", "999999", stdout=io.StringIO())
