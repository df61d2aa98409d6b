"""Certificate endpoints (Appendix A "Certificates") with each role (SPEC 2), and the public
verification page (C19)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from stportal.accounts.models import User
from stportal.accounts.tokens import issue_api_token
from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import AFTER_COURSE, LATER, attend
from stportal.certificates.models import CertificateForm
from stportal.certificates.pdf import COPY_MARK
from stportal.certificates.tests.test_certificate_services import blank_pdf, form_bytes


class Api:
    def __init__(self, client) -> None:
        self.client = client
        self.tokens: dict[int, str] = {}

    def headers(self, user: User | None) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in self.tokens:
            self.tokens[user.pk] = issue_api_token(actor=None, user=user)
        return {"Authorization": f"Bearer {self.tokens[user.pk]}"}

    def get(self, path: str, user: User | None = None):
        return self.client.get(f"/api/v1/{path}", headers=self.headers(user))

    def post(self, path: str, user: User | None = None, json: Any = None):
        return self.client.post(
            f"/api/v1/{path}",
            data="" if json is None else json,
            content_type="application/json",
            headers=self.headers(user),
        )


@pytest.fixture(autouse=True)
def later():
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@pytest.fixture
def closed(etik, course_leader, make_participant, seat):
    people = seat(
        make_participant(user__first_name="Anna", user__last_name="Andersson"),
        make_participant("2021", user__first_name="Bo", user__last_name="Berg"),
    )
    for registration in people:
        attend(course_leader, etik, registration, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    return people


@pytest.fixture
def issued(api, etik, closed, regional_study_director):
    response = api.post(f"courses/{etik.pk}/certificates", regional_study_director)
    assert response.status_code == 200, response.content
    return {item["registration_id"]: item for item in response.json()}


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_issue_answers_every_new_certificate_then_an_empty_list(
    api, etik, closed, regional_study_director
):
    """Appendix A: `[{id, registration_id, verification_code, state: "issued"}]`."""
    first = api.post(f"courses/{etik.pk}/certificates", regional_study_director)
    assert first.status_code == 200
    body = first.json()
    assert {item["registration_id"] for item in body} == {r.pk for r in closed}
    assert {item["state"] for item in body} == {"issued"}
    assert all(item["verification_code"] and item["id"] for item in body)
    second = api.post(f"courses/{etik.pk}/certificates", regional_study_director)
    assert (second.status_code, second.json()) == (200, [])


def test_issue_with_each_role(
    api, etik, closed, course_admin, course_leader, other_leader, outsider_admin
):
    """C18: the certifier (by default the regional study director) only."""
    assert api.post(f"courses/{etik.pk}/certificates", course_admin).status_code == 403
    assert api.post(f"courses/{etik.pk}/certificates", course_leader).status_code == 403
    assert api.post(f"courses/{etik.pk}/certificates", other_leader).status_code == 403
    assert api.post(f"courses/{etik.pk}/certificates", closed[0].trainee.user).status_code == 403
    assert api.post(f"courses/{etik.pk}/certificates", outsider_admin).status_code == 404
    assert api.post(f"courses/{etik.pk}/certificates").status_code == 401


def test_issue_before_closing_answers_409(api, etik, ledarskap, regional_study_director):
    response = api.post(f"courses/{ledarskap.pk}/certificates", regional_study_director)
    assert (response.status_code, response.json()["code"]) == (409, "register_not_closed")


def test_pdf_original_for_staff_copy_for_the_trainee_404_for_others(
    api, issued, closed, course_admin, regional_study_director, trainee, outsider_admin
):
    anna = closed[0]
    certificate_id = issued[anna.pk]["id"]
    for staff in (course_admin, regional_study_director):
        response = api.get(f"certificates/{certificate_id}.pdf", staff)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert COPY_MARK not in text_of(response.content)
    own = api.get(f"certificates/{certificate_id}.pdf", anna.trainee.user)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert COPY_MARK in text_of(own.content)
    assert "Andersson" in text_of(own.content)
    for outsider in (closed[1].trainee.user, trainee.user, outsider_admin):
        assert api.get(f"certificates/{certificate_id}.pdf", outsider).status_code == 404
    assert api.get(f"certificates/{certificate_id}.pdf").status_code == 401
    assert api.get("certificates/999999.pdf", course_admin).status_code == 404


def test_my_certificates_lists_own_only(api, issued, closed):
    mine = api.get("me/certificates", closed[0].trainee.user).json()
    assert [item["registration_id"] for item in mine] == [closed[0].pk]


def test_state_changes_with_dates_and_roles(api, issued, closed, course_admin):
    certificate_id = issued[closed[0].pk]["id"]
    trainee_user = closed[0].trainee.user
    payload = {"state": "printed"}
    assert (
        api.post(f"certificates/{certificate_id}/state", trainee_user, payload).status_code == 403
    )
    wrong = api.post(f"certificates/{certificate_id}/state", course_admin, {"state": "posted"})
    assert (wrong.status_code, wrong.json()["code"]) == (409, "invalid_transition")
    unknown = api.post(f"certificates/{certificate_id}/state", course_admin, {"state": "lost"})
    assert unknown.status_code == 422
    printed = api.post(f"certificates/{certificate_id}/state", course_admin, payload)
    assert printed.status_code == 200
    assert (printed.json()["state"], printed.json()["printed_on"]) == ("printed", "2027-04-12")
    signed = api.post(
        f"certificates/{certificate_id}/state",
        course_admin,
        {"state": "signed", "date": "2027-04-10"},
    )
    assert (signed.json()["state"], signed.json()["signed_on"]) == ("signed", "2027-04-10")
    posted = api.post(f"certificates/{certificate_id}/state", course_admin, {"state": "posted"})
    assert posted.json()["state"] == "posted"


def test_batch_state_moves_the_whole_batch(api, issued, course_admin, etik):
    batch_id = next(iter(issued.values()))["batch_id"]
    response = api.post(f"certificate-batches/{batch_id}/state", course_admin, {"state": "printed"})
    assert response.status_code == 200
    assert {item["state"] for item in response.json()} == {"printed"}
    batches = api.get(f"courses/{etik.pk}/certificate-batches", course_admin).json()
    assert batches[0]["counts"]["printed"] == 2
    pdf = api.get(f"certificate-batches/{batch_id}.pdf", course_admin)
    assert pdf.status_code == 200 and len(PdfReader(io.BytesIO(pdf.content)).pages) == 2


def test_reissue_and_revoke(api, issued, closed, course_admin, client):
    certificate_id = issued[closed[0].pk]["id"]
    trainee_user = closed[0].trainee.user
    reason = {"reason": "Originalet kom bort."}
    assert (
        api.post(f"certificates/{certificate_id}/reissue", trainee_user, reason).status_code == 403
    )
    empty = api.post(f"certificates/{certificate_id}/reissue", course_admin, {"reason": ""})
    assert empty.status_code == 422 and "reason" in empty.json()["fields"]
    new = api.post(f"certificates/{certificate_id}/reissue", course_admin, reason)
    assert new.status_code == 200
    assert new.json()["reissue_of"] == certificate_id and new.json()["state"] == "issued"
    old_code = issued[closed[0].pk]["verification_code"]
    assert api.get(f"certificates/verify/{old_code}").json()["revoked"] is True

    other_id = issued[closed[1].pk]["id"]
    revoked = api.post(f"certificates/{other_id}/revoke", course_admin, {"reason": "Fel person."})
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = api.post(f"certificates/{other_id}/revoke", course_admin, {"reason": "Igen."})
    assert again.status_code == 409


def test_verify_is_public_and_says_only_what_c19_allows(api, issued, closed, course_admin):
    code = issued[closed[0].pk]["verification_code"]
    response = api.get(f"certificates/verify/{code}")
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "revoked": False,
        "trainee_name": "Anna Andersson",
        "course_title": "Etik, mångfald och jämlikhet",
        "issued_on": "2027-04-12",
    }
    assert api.get("certificates/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ").status_code == 404
    api.post(f"certificates/{issued[closed[0].pk]['id']}/revoke", course_admin, {"reason": "X"})
    revoked = api.get(f"certificates/verify/{code}").json()
    assert (revoked["valid"], revoked["revoked"]) == (False, True)


def test_verification_page_without_log_in(client, issued, closed, course_admin, api):
    """C19: a public page, in our layout, valid / revoked / not found; nothing more."""
    code = issued[closed[0].pk]["verification_code"]
    page = client.get(f"/intyg/verifiera/{code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Giltigt" in html
    assert "Anna Andersson" in html and "Etik, mångfald och jämlikhet" in html
    assert "12 april 2027" in html
    assert "ST-portalen" in html  # the site's layout
    personal_id = closed[0].trainee.personal_id
    # The language switch's random CSRF token may hold any letters and digits: not the page's.
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    for private in (personal_id, personal_id[:8], "Allmänmedicin", "a2"):
        assert private not in text
    missing = client.get("/intyg/verifiera/ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    assert missing.status_code == 404 and "Hittades inte" in missing.content.decode()
    api.post(f"certificates/{issued[closed[0].pk]['id']}/revoke", course_admin, {"reason": "X"})
    revoked = client.get(f"/intyg/verifiera/{code}/")
    assert revoked.status_code == 200 and "Återkallat" in revoked.content.decode()


def test_upload_form_multipart_and_raw_with_roles(client, api, course_admin, trainee):
    form = form_bytes("2015")
    upload = client.post(
        "/api/v1/certificate-forms",
        {"file": SimpleUploadedFile("sosfs.pdf", form, content_type="application/pdf")},
        headers=api.headers(course_admin),
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["version"] == "2015" and upload.json()["filename"] == "sosfs.pdf"
    raw = client.post(
        "/api/v1/certificate-forms",
        data=form_bytes("2021"),
        content_type="application/pdf",
        headers=api.headers(course_admin),
    )
    assert raw.status_code == 201, raw.content
    assert raw.json()["version"] == "2021"
    assert CertificateForm.objects.count() == 2
    listed = api.get("certificate-forms", course_admin).json()
    assert {item["version"] for item in listed} == {"2015", "2021"}
    refused = client.post(
        "/api/v1/certificate-forms",
        data=blank_pdf(),
        content_type="application/pdf",
        headers=api.headers(trainee.user),
    )
    assert refused.status_code == 403


def test_upload_refuses_a_pdf_without_the_fields_naming_them(client, api, course_admin):
    """C18a: 422 naming what is missing."""
    response = client.post(
        "/api/v1/certificate-forms?version=2021",
        data=blank_pdf(),
        content_type="application/pdf",
        headers=api.headers(course_admin),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert "file" in body["fields"]
    assert "Kursens ämne anges i rubrikform" in body["missing_fields"]
    assert "Kursens ämne anges i rubrikform" in body["fields"]["file"][0]
