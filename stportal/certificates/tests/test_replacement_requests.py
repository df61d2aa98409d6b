"""A new original of a lost course certificate, asked for in the product (C19, C22; seed 000:
"begäran om nytt intyg som tappats bort"; issue 9, rule fix 4): the trainee asks from their
certificates page, the course administration sees the open requests and reissues or declines
them, the trainee is told by e-mail, and every step is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stportal.attendance.tests.fixtures import LATER, at
from stportal.certificates import replacements, selectors
from stportal.certificates.models import Certificate, ReplacementRequest
from stportal.certificates.tests.test_certificate_services import certificate_of, issue
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.notifications.models import OutboxMessage

LOST = "Originalet kom aldrig fram med posten."
ASKED = at(2027, 5, 2, 9)
HANDLED = at(2027, 5, 3, 10)


@pytest.fixture
def asas(etik, closed, regional_study_director) -> Certificate:
    return certificate_of(closed[0], issue(regional_study_director, etik))


def ask(certificate: Certificate, reason: str = LOST) -> ReplacementRequest:
    trainee_user = certificate.line.registration.trainee.user
    return replacements.request_replacement(
        actor=trainee_user, certificate=certificate, reason=reason, now=ASKED
    )


def test_a_trainee_asks_for_a_new_original_from_their_certificates_page_c19(client, asas):
    """Seed 000: the trainee finds the button by their certificate, writes what happened and
    sends it; the request is kept, audited, and the page says it is being handled."""
    trainee_user = asas.line.registration.trainee.user
    client.force_login(trainee_user)
    mine = client.get(reverse("certificates:mine"))
    url = reverse("certificates:request_replacement", args=[asas.pk])
    assert url in mine.content.decode()
    assert client.get(url).status_code == 200

    empty = client.post(url, {"reason": " "})
    assert empty.status_code == 200
    assert not ReplacementRequest.objects.exists()

    response = client.post(url, {"reason": LOST})

    assert response.status_code == 302 and response["Location"] == reverse("certificates:mine")
    request = ReplacementRequest.objects.get()
    assert (request.certificate, request.trainee, request.reason, request.outcome) == (
        asas,
        asas.line.registration.trainee,
        LOST,
        "open",
    )
    assert request.created_by == trainee_user
    event = AuditEvent.objects.get(action="certificate_replacement.requested")
    assert (event.actor_id, event.object_id, event.reason) == (
        trainee_user.pk,
        str(request.pk),
        LOST,
    )
    page = client.get(reverse("certificates:mine")).content.decode()
    assert url not in page  # asked already: no second button while it is open


def test_asking_twice_while_a_request_is_open_is_refused_c19(asas):
    ask(asas)
    with pytest.raises(ServiceError) as caught:
        ask(asas, "Igen.")
    assert (caught.value.code, caught.value.status) == ("request_exists", 409)
    assert ReplacementRequest.objects.count() == 1


def test_nobody_asks_for_someone_elses_certificate_c19(client, asas, closed, trainee):
    """Whether a person holds a certificate is private: someone else's answers 404."""
    goran_user = closed[1].trainee.user
    with pytest.raises(NotFound):
        replacements.request_replacement(actor=goran_user, certificate=asas, reason=LOST)
    client.force_login(trainee.user)
    url = reverse("certificates:request_replacement", args=[asas.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": LOST}).status_code == 404
    assert not ReplacementRequest.objects.exists()


def test_a_revoked_certificate_cannot_be_asked_for_again_c19(asas, course_admin):
    from stportal.certificates import services

    services.revoke_certificate(actor=course_admin, certificate=asas, reason="Fel kurs.")
    with pytest.raises(ServiceError) as caught:
        ask(asas)
    assert caught.value.code == "already_revoked"


def test_staff_see_open_requests_and_issue_a_new_original_the_trainee_is_told_c19_c22(
    client, asas, course_admin
):
    """C19: granting the request is the reissue: a new original of the same certificate with a
    new code, the lost one revoked; the request records it; the trainee gets an e-mail."""
    request = ask(asas)
    client.force_login(course_admin)
    batches = client.get(reverse("certificates:batches"))
    assert batches.context["open_requests"] == 1
    listing = client.get(reverse("certificates:replacement_requests"))
    assert listing.status_code == 200
    assert [found.pk for found, *_ in listing.context["rows"]] == [request.pk]
    assert LOST in listing.content.decode()

    response = client.post(
        reverse("certificates:replacement_reissue", args=[request.pk]),
        {f"reissue-{request.pk}-comment": "Skickas med internposten."},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    asas.refresh_from_db()
    new = request.new_certificate
    assert request.outcome == "reissued" and request.handled_by == course_admin
    assert request.comment == "Skickas med internposten."
    assert new.reissue_of == asas and new.state == "issued"
    assert new.verification_code != asas.verification_code
    assert asas.state == "revoked"
    assert LOST in new.reissue_reason
    assert selectors.verify(new.verification_code).valid
    assert selectors.verify(asas.verification_code).revoked
    assert AuditEvent.objects.filter(action="certificate_replacement.reissued").count() == 1
    assert AuditEvent.objects.filter(action="certificate.reissued").count() == 1
    mail = OutboxMessage.objects.get(kind=replacements.KIND_REISSUED)
    assert mail.recipient == asas.line.registration.trainee.user
    assert new.verification_code in mail.body
    assert not client.get(reverse("certificates:replacement_requests")).context["rows"]


def test_staff_decline_with_a_comment_and_the_trainee_reads_it_c19_c22(client, asas, course_admin):
    request = ask(asas)
    with pytest.raises(ValidationFailed) as caught:
        replacements.decline_replacement_request(actor=course_admin, request=request, comment="")
    assert "comment" in caught.value.fields

    client.force_login(course_admin)
    response = client.post(
        reverse("certificates:replacement_decline", args=[request.pk]),
        {f"decline-{request.pk}-comment": "Originalet lämnades ut i handen förra veckan."},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    asas.refresh_from_db()
    assert request.outcome == "declined" and request.new_certificate is None
    assert asas.state == "issued"  # the certificate stands
    mail = OutboxMessage.objects.get(kind=replacements.KIND_DECLINED)
    assert "Originalet lämnades ut i handen förra veckan." in mail.body
    assert AuditEvent.objects.filter(action="certificate_replacement.declined").count() == 1
    client.force_login(asas.line.registration.trainee.user)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert "Originalet lämnades ut i handen förra veckan." in page
    # Declined, the trainee may ask again.
    assert ask(asas, "Nu är det verkligen borta.").outcome == "open"


def test_a_request_is_handled_once_c19(asas, course_admin, regional_study_director):
    """Compare-and-swap: a second handling of the same request answers 409, changing
    nothing."""
    request = ask(asas)
    replacements.reissue_on_request(actor=course_admin, request=request, now=HANDLED)
    stale = ReplacementRequest.objects.get(pk=request.pk)
    stale.outcome = "open"  # as a page loaded before the first handling saw it
    with pytest.raises(ServiceError) as caught:
        replacements.decline_replacement_request(
            actor=regional_study_director, request=stale, comment="Nej.", now=LATER
        )
    assert (caught.value.code, caught.value.status) == ("already_handled", 409)
    assert ReplacementRequest.objects.get(pk=request.pk).outcome == "reissued"
    assert Certificate.objects.filter(line=asas.line).exclude(state="revoked").count() == 1


def test_only_those_who_track_the_certificate_handle_requests_c19(
    client, asas, outsider_admin, other_leader, course_leader
):
    """The trainee who asked gets 403, staff of another region and a course leader who does not
    certify 404, on the pages and in the service."""
    request = ask(asas)
    trainee_user = asas.line.registration.trainee.user
    with pytest.raises(PermissionDenied):
        replacements.reissue_on_request(actor=trainee_user, request=request)
    for outsider in (outsider_admin, other_leader, course_leader):
        with pytest.raises(NotFound):
            replacements.decline_replacement_request(actor=outsider, request=request, comment="x")
    client.force_login(trainee_user)
    url = reverse("certificates:replacement_reissue", args=[request.pk])
    assert client.post(url).status_code == 403
    assert client.get(reverse("certificates:replacement_requests")).status_code == 403
    client.force_login(outsider_admin)
    assert client.post(url).status_code == 404
    assert not client.get(reverse("certificates:replacement_requests")).context["rows"]
    request.refresh_from_db()
    assert request.outcome == "open"
