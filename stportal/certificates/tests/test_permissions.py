"""Who may issue, track, reissue, revoke and read course certificates, with two regions (SPEC 2:
roles are held within a region; C18, C19; security review finding 9: an object outside the
caller's reach answers like an unknown one, 404).

Every entry point is tried: the API, the pages and the services called directly, which refuse
on their own. A refused call changes nothing in the database.
"""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from stportal.accounts.models import Role, RoleAssignment, User
from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import AFTER_COURSE, LATER, OPEN, attend
from stportal.certificates import permissions, services
from stportal.certificates.models import Certificate, CertificateBatch, CertificateState
from stportal.certificates.pdf import COPY_MARK
from stportal.certificates.tests.test_api import Api
from stportal.core.errors import NotFound, PermissionDenied
from stportal.core.models import AuditEvent
from stportal.courses import services as course_services
from stportal.courses.models import Certifier
from stportal.testing import factories


@pytest.fixture(autouse=True)
def later():
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@pytest.fixture(params=[Role.REGIONAL_STUDY_DIRECTOR, Role.COURSE_ADMIN])
def foreign_staff(request, other_region) -> User:
    """The regional study director, or a course admin, of another region."""
    return factories.user_with_role(request.param, region=other_region, username="annan-personal")


@pytest.fixture
def closed(etik, course_leader, make_participant, seat):
    """Etik closed: Anna (2015) and Bo (2021) passed with full attendance."""
    people = seat(
        make_participant(user__first_name="Anna", user__last_name="Andersson"),
        make_participant("2021", user__first_name="Bo", user__last_name="Berg"),
    )
    for registration in people:
        attend(course_leader, etik, registration, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    return people


@pytest.fixture
def issued(etik, closed, regional_study_director) -> list[Certificate]:
    return services.issue_certificates(actor=regional_study_director, course=etik, now=AFTER_COURSE)


def annas(issued: list[Certificate], closed) -> Certificate:
    return next(c for c in issued if c.line.registration_id == closed[0].pk)


def snapshot() -> tuple:
    """Everything a certificate action could change."""
    return (
        sorted(
            Certificate.objects.values_list(
                "pk", "state", "verification_code", "printed_on", "revoked_at", "revoke_reason"
            )
        ),
        CertificateBatch.objects.count(),
        AuditEvent.objects.filter(action__startswith="certificate").count(),
    )


def pdf_text(content: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", raw)


# --- another region's staff ------------------------------------------------------------------


def test_another_regions_staff_cannot_issue_our_certificates_finding_9(
    api, client, etik, closed, foreign_staff
):
    """Security review finding 9, SPEC 2: the regional study director or course admin of
    another region issues nothing for our course, through the API, the page or the service;
    each answers 404, as for an unknown course."""
    before = snapshot()
    assert api.post(f"courses/{etik.pk}/certificates", foreign_staff).status_code == 404
    assert api.get(f"courses/{etik.pk}/certificates", foreign_staff).status_code == 404
    assert api.get(f"courses/{etik.pk}/certificate-batches", foreign_staff).status_code == 404
    client.force_login(foreign_staff)
    assert client.get(reverse("certificates:course", args=[etik.pk])).status_code == 404
    assert client.post(reverse("certificates:issue", args=[etik.pk])).status_code == 404
    with pytest.raises(NotFound):
        services.issue_certificates(actor=foreign_staff, course=etik, now=LATER)
    assert snapshot() == before
    assert not Certificate.objects.exists()


def test_another_regions_staff_cannot_track_reissue_or_revoke_through_the_api_finding_9(
    api, issued, closed, foreign_staff
):
    """Security review finding 9: every certificate and batch operation of the API answers
    404 to another region's staff, the originals included, and changes nothing."""
    certificate = annas(issued, closed)
    before = snapshot()
    reason = {"reason": "Borttappat i posten."}
    for path, payload in (
        (f"certificates/{certificate.pk}/state", {"state": "printed"}),
        (f"certificates/{certificate.pk}/reissue", reason),
        (f"certificates/{certificate.pk}/revoke", reason),
        (f"certificate-batches/{certificate.batch_id}/state", {"state": "printed"}),
    ):
        response = api.post(path, foreign_staff, payload)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    for path in (
        f"certificates/{certificate.pk}",
        f"certificates/{certificate.pk}.pdf",
        f"certificate-batches/{certificate.batch_id}.pdf",
    ):
        assert api.get(path, foreign_staff).status_code == 404, path
    assert api.get("me/certificates", foreign_staff).json() == []
    assert snapshot() == before


def test_another_regions_staff_cannot_track_reissue_or_revoke_through_the_pages_finding_9(
    client, issued, closed, foreign_staff
):
    """Security review finding 9: the certificate pages answer 404 to another region's staff
    (the originals, the copies, the batches and every action), and our batch is not listed on
    their own batches page."""
    certificate = annas(issued, closed)
    batch_id = certificate.batch_id
    before = snapshot()
    client.force_login(foreign_staff)
    for name, data in (
        ("certificate_state", {"state-state": "printed", "state-date": "2027-04-12"}),
        ("reissue", {"reissue-reason": "Borttappat i posten."}),
        ("revoke", {"revoke-reason": "Fel kurs."}),
    ):
        url = reverse(f"certificates:{name}", args=[certificate.pk])
        assert client.post(url, data).status_code == 404, name
    for name in ("certificate", "original_pdf", "copy_pdf"):
        url = reverse(f"certificates:{name}", args=[certificate.pk])
        assert client.get(url).status_code == 404, name
    for name in ("batch", "batch_pdf"):
        assert client.get(reverse(f"certificates:{name}", args=[batch_id])).status_code == 404
    moved = client.post(
        reverse("certificates:batch_state", args=[batch_id]),
        {"state": "printed", "date": "2027-04-12"},
    )
    assert moved.status_code == 404
    listing = client.get(reverse("certificates:batches"))
    assert listing.status_code == 200
    assert reverse("certificates:batch", args=[batch_id]) not in listing.content.decode()
    assert snapshot() == before


def test_the_services_refuse_another_regions_staff_on_their_own_finding_9(
    issued, closed, foreign_staff
):
    """Security review finding 9: called directly, without a selector in front, each service
    refuses another region's staff with 404 (it used to answer 403, which told them the
    certificate exists) and changes nothing."""
    certificate = annas(issued, closed)
    before = snapshot()
    with pytest.raises(NotFound):
        services.set_certificate_state(
            actor=foreign_staff, certificate=certificate, state="printed", now=LATER
        )
    with pytest.raises(NotFound):
        services.reissue_certificate(
            actor=foreign_staff, certificate=certificate, reason="Borttappat.", now=LATER
        )
    with pytest.raises(NotFound):
        services.revoke_certificate(
            actor=foreign_staff, certificate=certificate, reason="Fel kurs.", now=LATER
        )
    with pytest.raises(NotFound):
        services.set_batch_state(
            actor=foreign_staff, batch=certificate.batch, state="printed", now=LATER
        )
    assert snapshot() == before


def test_a_person_who_is_staff_here_and_elsewhere_is_told_403_not_404_when_not_the_certifier(
    etik, closed, course_admin, other_region
):
    """SPEC 2: our course admin who is also staff of another region may see the course, so a
    refusal to issue is 403 (not the certifier), not 404."""
    RoleAssignment.objects.create(
        user=course_admin, role=Role.REGIONAL_STUDY_DIRECTOR, region=other_region
    )
    actor = User.objects.get(pk=course_admin.pk)
    with pytest.raises(PermissionDenied):
        services.issue_certificates(actor=actor, course=etik, now=LATER)
    assert not Certificate.objects.exists()


# --- the trainee ------------------------------------------------------------------------------


def test_a_trainee_downloads_only_own_copies_c19(api, client, issued, closed):
    """C19, SPEC 2: the trainee downloads a copy of their own certificate, marked as a copy,
    never the original; another trainee's certificate answers 404, as an unknown one does; the
    trainee may not move, reissue or revoke even their own (403)."""
    anna, bo = closed[0].trainee.user, closed[1].trainee.user
    certificate = annas(issued, closed)
    before = snapshot()

    own = api.get(f"certificates/{certificate.pk}.pdf", anna)
    assert own.status_code == 200 and COPY_MARK in pdf_text(own.content)
    assert api.get(f"certificates/{certificate.pk}.pdf", bo).status_code == 404
    assert api.get(f"certificate-batches/{certificate.batch_id}.pdf", anna).status_code == 404
    assert certificate.pk not in [c["id"] for c in api.get("me/certificates", bo).json()]
    assert (
        api.post(f"certificates/{certificate.pk}/state", anna, {"state": "printed"}).status_code
        == 403
    )
    assert (
        api.post(f"certificates/{certificate.pk}/state", bo, {"state": "printed"}).status_code
        == 404
    )

    client.force_login(anna)
    copy = client.get(reverse("certificates:copy_pdf", args=[certificate.pk]))
    assert copy.status_code == 200 and COPY_MARK in pdf_text(copy.content)
    assert client.get(reverse("certificates:original_pdf", args=[certificate.pk])).status_code == (
        403
    )
    client.force_login(bo)
    assert client.get(reverse("certificates:copy_pdf", args=[certificate.pk])).status_code == 404
    assert client.get(reverse("certificates:original_pdf", args=[certificate.pk])).status_code == (
        404
    )

    with pytest.raises(PermissionDenied):
        services.revoke_certificate(actor=anna, certificate=certificate, reason="x", now=LATER)
    with pytest.raises(NotFound):
        services.revoke_certificate(actor=bo, certificate=certificate, reason="x", now=LATER)
    with pytest.raises(NotFound):
        services.set_batch_state(actor=anna, batch=certificate.batch, state="printed", now=LATER)
    assert snapshot() == before


# --- the region's own certifier and staff -------------------------------------------------------


def test_the_regions_certifier_issues_tracks_reissues_and_revokes_c18_c19(
    api, client, etik, closed, regional_study_director
):
    """C18, C19: the regional study director of the course's region issues, reads the original,
    moves it on, issues a new original and revokes, through the API and the pages."""
    response = api.post(f"courses/{etik.pk}/certificates", regional_study_director)
    assert response.status_code == 200 and len(response.json()) == 2
    certificate_id = next(c["id"] for c in response.json() if c["registration_id"] == closed[0].pk)

    original = api.get(f"certificates/{certificate_id}.pdf", regional_study_director)
    assert original.status_code == 200 and COPY_MARK not in pdf_text(original.content)
    printed = api.post(
        f"certificates/{certificate_id}/state", regional_study_director, {"state": "printed"}
    )
    assert printed.status_code == 200 and printed.json()["state"] == "printed"
    new = api.post(
        f"certificates/{certificate_id}/reissue",
        regional_study_director,
        {"reason": "Borttappat i posten."},
    )
    assert new.status_code == 200
    assert Certificate.objects.get(pk=certificate_id).state == CertificateState.REVOKED
    assert Certificate.objects.get(pk=new.json()["id"]).state == CertificateState.ISSUED

    client.force_login(regional_study_director)
    page = client.get(reverse("certificates:original_pdf", args=[new.json()["id"]]))
    assert page.status_code == 200 and COPY_MARK not in pdf_text(page.content)
    revoked = client.post(
        reverse("certificates:revoke", args=[new.json()["id"]]), {"revoke-reason": "Fel kurs."}
    )
    assert revoked.status_code == 302
    assert Certificate.objects.get(pk=new.json()["id"]).state == CertificateState.REVOKED


def test_who_may_issue_and_track_is_decided_per_region(
    leka,
    etik,
    closed,
    course_admin,
    course_leader,
    other_leader,
    regional_study_director,
    foreign_staff,
):
    """C18, C19, SPEC 2: the predicates the pages, the API and the services share. The region's
    regional study director issues and tracks; its course admin tracks; the course's own leader
    issues only where the week says so; nobody of another region does either."""
    region_id = leka.series.region_id
    assert permissions.may_issue(regional_study_director, etik)
    assert permissions.may_track(regional_study_director, etik)
    assert not permissions.may_issue(course_admin, etik)
    assert permissions.may_track(course_admin, etik)
    assert not permissions.may_issue(course_leader, etik)
    assert not permissions.may_track(course_leader, etik)
    assert not permissions.may_issue(foreign_staff, etik)
    assert not permissions.may_track(foreign_staff, etik)
    assert not permissions.is_regional_study_director(foreign_staff, region_id)
    assert not permissions.trackable_courses(foreign_staff).filter(pk=etik.pk).exists()
    assert permissions.trackable_courses(course_admin).filter(pk=etik.pk).exists()
    assert permissions.may_use_batches(foreign_staff)  # their own region's batches
    assert not permissions.may_use_batches(course_leader)

    course_services.update_course_week(
        actor=course_admin, week=leka, changes={"certifier": Certifier.COURSE_LEADER}, now=OPEN
    )
    etik.refresh_from_db()
    leader = User.objects.get(pk=course_leader.pk)
    assert permissions.may_issue(leader, etik) and permissions.may_track(leader, etik)
    assert permissions.trackable_courses(leader).filter(pk=etik.pk).exists()
    assert permissions.may_use_batches(leader)
    assert not permissions.may_issue(other_leader, etik)
