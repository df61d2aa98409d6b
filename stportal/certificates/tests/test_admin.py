"""The back office for registers, results and certificates (SPEC 8): read-only lists, admin
actions through the services, forms uploaded through the checked service (C18a)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stportal.attendance import services as attendance_services
from stportal.attendance.models import CourseRegister
from stportal.attendance.tests.fixtures import AFTER_COURSE, attend
from stportal.certificates import services
from stportal.certificates.models import Certificate, CertificateForm
from stportal.certificates.tests.test_certificate_services import blank_pdf, form_bytes

CHANGELISTS = (
    "attendance_courseregister",
    "attendance_attendancerecord",
    "attendance_courseresult",
    "certificates_certificate",
    "certificates_certificatebatch",
    "certificates_certificateform",
)


@pytest.fixture
def issued(etik, course_leader, make_participant, seat, regional_study_director):
    (anna,) = seat(make_participant(user__first_name="Anna", user__last_name="Andersson"))
    attend(course_leader, etik, anna, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    return services.issue_certificates(actor=regional_study_director, course=etik, now=AFTER_COURSE)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_staff_open_every_changelist(client, course_admin, issued, name):
    client.force_login(course_admin)
    response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("name", CHANGELISTS)
def test_another_regions_staff_see_none_of_ours(client, outsider_admin, issued, name):
    client.force_login(outsider_admin)
    response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    if outsider_admin.get_full_name() != "Anna Andersson":  # a made-up name may be the same
        assert "Anna Andersson" not in response.content.decode()


def test_certificates_and_registers_cannot_be_changed_in_the_admin(client, course_admin, issued):
    client.force_login(course_admin)
    certificate = issued[0]
    page = client.get(reverse("admin:certificates_certificate_change", args=[certificate.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get(reverse("admin:certificates_certificate_add")).status_code == 403


def test_mark_printed_action_goes_through_the_service(client, course_admin, issued):
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:certificates_certificate_changelist"),
        {"action": "mark_printed", "_selected_action": [issued[0].pk]},
    )
    assert response.status_code == 302
    assert Certificate.objects.get(pk=issued[0].pk).state == "printed"


def test_reopen_action_goes_through_the_service(client, course_admin, etik, issued):
    client.force_login(course_admin)
    register = CourseRegister.objects.get(course=etik)
    client.post(
        reverse("admin:attendance_courseregister_changelist"),
        {"action": "reopen_registers", "_selected_action": [register.pk]},
    )
    register.refresh_from_db()
    assert not register.is_closed


def test_uploading_a_form_in_the_admin_is_checked_c18a(client, course_admin, region):
    client.force_login(course_admin)
    url = reverse("admin:certificates_certificateform_add")
    refused = client.post(
        url,
        {
            "region": region.pk,
            "upload": SimpleUploadedFile("x.pdf", blank_pdf()),
            "version": "2015",
        },
    )
    assert refused.status_code == 200
    assert "Personnummer" in refused.content.decode()
    assert not CertificateForm.objects.exists()
    accepted = client.post(
        url,
        {
            "region": region.pk,
            "upload": SimpleUploadedFile("sosfs.pdf", form_bytes("2015")),
            "version": "",
        },
    )
    assert accepted.status_code == 302
    stored = CertificateForm.objects.get()
    assert stored.version == "2015" and stored.region == region


def test_staff_upload_forms_in_the_admin_only_for_their_own_region_finding_4(
    client, course_admin, region, other_region
):
    """Security review finding 4: the admin offers a course admin their own regions only; a
    form for another region or for the whole installation is refused, and nothing is kept."""
    client.force_login(course_admin)
    url = reverse("admin:certificates_certificateform_add")
    for target in (other_region.pk, ""):
        refused = client.post(
            url,
            {
                "region": target,
                "upload": SimpleUploadedFile("sosfs.pdf", form_bytes("2015")),
                "version": "2015",
            },
        )
        assert refused.status_code == 200
        assert refused.context["adminform"].form.errors["region"]
    assert not CertificateForm.objects.exists()
