"""Certificates after a reopened register (C17, C19; issue 9, rule fix 4): a result corrected
away from passed revokes its certificate with the reason, and a participant whose only
certificates are revoked is issued a new one, with a new code."""

from __future__ import annotations

from django.urls import reverse

from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import AFTER_COURSE, LATER, at
from stportal.certificates import selectors, services
from stportal.certificates.models import Certificate
from stportal.certificates.tests.test_api import Api
from stportal.certificates.tests.test_certificate_services import certificate_of, issue
from stportal.core.models import AuditEvent

REOPENED = at(2027, 4, 20, 10)
CLOSED_AGAIN = at(2027, 4, 20, 11)


def reopen(course_admin, course, reason="Fel deltagare markerades som godkänd."):
    attendance_services.reopen_register(
        actor=course_admin, course=course, reason=reason, now=REOPENED
    )


def correct(leader, course, registration, result, reason=""):
    attendance_services.record_results(
        actor=leader, course=course, results=[(registration.pk, result, reason)], now=REOPENED
    )


def close(leader, course):
    return attendance_services.close_register(actor=leader, course=course, now=CLOSED_AGAIN)


def test_a_result_corrected_from_passed_revokes_its_certificate_with_the_reason_c19(
    etik, closed, course_leader, course_admin, regional_study_director
):
    """C19 + C17: reopen, correct Åsa's pass to not passed, close again: her certificate is
    revoked with the corrected result and the reopening's reason; the verification page says
    revoked; Göran's certificate, whose result stands, stays valid."""
    asa, goran, _bo = closed
    certificates = issue(regional_study_director, etik)
    asas, gorans = certificate_of(asa, certificates), certificate_of(goran, certificates)

    reopen(course_admin, etik)
    correct(course_leader, etik, asa, "not_passed")
    # While the register is open the correction may still be undone: nothing is revoked yet.
    asas.refresh_from_db()
    assert asas.state == "issued"
    result = close(course_leader, etik)

    asas.refresh_from_db()
    gorans.refresh_from_db()
    assert [c.pk for c in result.certificates_revoked] == [asas.pk]
    assert asas.state == "revoked" and asas.revoked_at == CLOSED_AGAIN
    assert asas.revoked_by == course_leader
    assert "Fel deltagare markerades som godkänd." in asas.revoke_reason
    assert "godkänd" in asas.revoke_reason  # the corrected result, in Swedish
    assert gorans.state == "issued"
    verification = selectors.verify(asas.verification_code)
    assert verification.revoked and not verification.valid
    assert selectors.verify(gorans.verification_code).valid
    event = AuditEvent.objects.get(action="certificate.revoked", object_id=str(asas.pk))
    assert event.reason == asas.revoke_reason
    assert event.before["state"] == "issued" and event.after["state"] == "revoked"
    # A not-passed participant is not issued anything.
    assert issue(regional_study_director, etik, now=LATER) == []


def test_a_result_corrected_to_incomplete_revokes_the_certificate_c19(
    etik, closed, course_leader, course_admin, regional_study_director
):
    """C19 + C17: a pass corrected to incomplete (a make-up is due) is no longer certified."""
    asa = closed[0]
    certificate = certificate_of(asa, issue(regional_study_director, etik))
    services.set_certificate_state(
        actor=course_admin, certificate=certificate, state="printed", now=AFTER_COURSE
    )
    reopen(course_admin, etik, reason="Missade examinationen.")
    correct(course_leader, etik, asa, "incomplete", "Examinationen på onsdagen.")
    close(course_leader, etik)
    certificate.refresh_from_db()
    assert certificate.state == "revoked"
    assert "Missade examinationen." in certificate.revoke_reason


def test_a_certificate_revoked_in_error_is_issued_anew_with_a_new_code_c19(
    etik, closed, course_admin, regional_study_director
):
    """Appendix A: issuing for the course again gives a passed participant whose only
    certificates are revoked a new certificate, with a new code; the others get nothing new."""
    asa = closed[0]
    first = issue(regional_study_director, etik)
    old = certificate_of(asa, first)
    services.revoke_certificate(actor=course_admin, certificate=old, reason="Fel kurs angavs.")

    again = issue(regional_study_director, etik, now=LATER)

    assert [c.line_id for c in again] == [old.line_id]
    new = again[0]
    assert new.state == "issued" and new.reissue_of is None
    assert new.verification_code != old.verification_code
    assert new.batch_id != old.batch_id
    assert selectors.verify(new.verification_code).valid
    assert selectors.verify(old.verification_code).revoked
    assert Certificate.objects.filter(line_id=old.line_id).count() == 2
    assert issue(regional_study_director, etik, now=LATER) == []  # one valid per line


def test_a_result_corrected_back_to_passed_is_certified_again_c19(
    etik, closed, course_leader, course_admin, regional_study_director
):
    """C17 + C19: corrected away from passed and back again, the participant is certified anew
    by the next issuing."""
    asa = closed[0]
    old = certificate_of(asa, issue(regional_study_director, etik))
    reopen(course_admin, etik)
    correct(course_leader, etik, asa, "not_passed")
    close(course_leader, etik)
    reopen(course_admin, etik, reason="Rättelsen var fel.")
    correct(course_leader, etik, asa, "passed")
    close(course_leader, etik)
    old.refresh_from_db()
    assert old.state == "revoked"
    assert [c.line_id for c in issue(regional_study_director, etik, now=LATER)] == [old.line_id]


def test_issuing_anew_through_the_api_after_a_revocation_c19(
    client, etik, closed, course_admin, regional_study_director
):
    """Appendix A: `POST /api/v1/courses/{id}/certificates` issues a new certificate for a
    passed participant whose only certificate is revoked."""
    api = Api(client)
    first = api.post(f"courses/{etik.pk}/certificates", regional_study_director).json()
    by_registration = {item["registration_id"]: item for item in first}
    asa = closed[0]
    revoked = api.post(
        f"certificates/{by_registration[asa.pk]['id']}/revoke",
        course_admin,
        json={"reason": "Utfärdat av misstag."},
    )
    assert revoked.status_code == 200, revoked.content

    response = api.post(f"courses/{etik.pk}/certificates", regional_study_director)

    assert response.status_code == 200, response.content
    [item] = response.json()
    assert item["registration_id"] == asa.pk and item["state"] == "issued"
    assert item["verification_code"] != by_registration[asa.pk]["verification_code"]
    verify = api.get(f"certificates/verify/{item['verification_code']}")
    assert verify.json()["valid"] is True


def test_the_course_page_counts_a_participant_with_only_revoked_certificates_as_waiting_c19(
    client, etik, closed, course_admin, regional_study_director
):
    """C19: the staff pages offer issuing again for a participant whose certificate was
    revoked."""
    asa = closed[0]
    certificate = certificate_of(asa, issue(regional_study_director, etik))
    services.revoke_certificate(actor=course_admin, certificate=certificate, reason="Fel namn.")
    client.force_login(regional_study_director)
    page = client.get(reverse("certificates:course", args=[etik.pk]))
    assert page.status_code == 200
    assert page.context["waiting"] == 1
    revoked_page = client.get(reverse("certificates:certificate", args=[certificate.pk]))
    assert reverse("certificates:course", args=[etik.pk]) in revoked_page.content.decode()
    assert "Återkallat av misstag?" in revoked_page.content.decode()
    batches = client.get(reverse("certificates:batches"))
    assert [c.pk for c in batches.context["to_issue"]] == [etik.pk]
