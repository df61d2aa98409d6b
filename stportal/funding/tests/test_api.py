"""The funding applications of Appendix A through the API alone (SPEC 5 P3): the trainee
applies, the study director of the trainee's area decides, the invoice appears; the trainee
and another area's director are refused."""

from __future__ import annotations

import pytest
from django.test import Client

from stportal.accounts.tokens import issue_api_token
from stportal.catalogue.models import Provider, ProviderKind
from stportal.funding.models import AreaFundingSettings, FundingApplication
from stportal.funding.tests.conftest import make_pdf
from stportal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

URL = "/api/v1/funding-applications"


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(actor=None, user=user)}"})


BODY = {
    "course_title": "Akut omhändertagande av barn",
    "provider": "Kurskompaniet AB",
    "start_date": "2027-03-08",
    "costs": [{"kind": "fee", "amount": 9500}, {"kind": "travel", "amount": 1800}],
}


def test_api_journey_apply_decide_and_the_invoice_appears_p3(trainee, study_director, area):
    """P3: apply → 201 submitted, no invoice; approve (with the exception for an other
    provider) → approved with the area's invoicing details; the trainee is told by e-mail."""
    AreaFundingSettings.objects.create(area=area, gln="7350000000017", customer_number="I1")
    answer = api(trainee.user).post(URL, BODY, content_type="application/json")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["status"] == "submitted"
    assert created["invoice"] is None
    assert created["total"] == 11300
    assert created["other_provider"] is True

    director = api(study_director)
    decided = director.post(
        f"{URL}/{created['id']}/decision",
        {"approved": True, "comment": "Bra kurs.", "exception_reason": "Ges inte i regionen."},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert body["status"] == "approved"
    assert body["invoice"]["address"] == area.invoice_address
    assert body["invoice"]["purchaser_id"] == area.purchaser_id
    assert body["invoice"]["gln"] == "7350000000017"
    assert body["invoice"]["customer_number"] == "I1"
    mail = OutboxMessage.objects.get(kind="funding_application_decided")
    assert mail.recipient == trainee.user
    assert "Bra kurs." in mail.body

    again = director.post(
        f"{URL}/{created['id']}/decision",
        {"approved": False, "comment": "Nej"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"

    seen = api(trainee.user).get(f"{URL}/{created['id']}").json()
    assert seen["invoice"]["purchaser_id"] == area.purchaser_id


def test_the_trainee_cannot_decide_their_own_application_p3(trainee):
    created = api(trainee.user).post(URL, BODY, content_type="application/json").json()
    answer = api(trainee.user).post(
        f"{URL}/{created['id']}/decision",
        {"approved": True, "comment": "", "exception_reason": "Jag vill"},
        content_type="application/json",
    )
    assert answer.status_code in (403, 404)
    assert FundingApplication.objects.get().status == "submitted"


def test_a_study_director_of_another_area_is_refused_p3(trainee, other_area_director):
    created = api(trainee.user).post(URL, BODY, content_type="application/json").json()
    client = api(other_area_director)
    assert client.get(f"{URL}/{created['id']}").status_code == 404
    answer = client.post(
        f"{URL}/{created['id']}/decision",
        {"approved": False, "comment": "Nej"},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert client.get(URL).json() == []


def test_approving_an_other_provider_needs_the_exception_reason_p3(trainee, study_director):
    created = api(trainee.user).post(URL, BODY, content_type="application/json").json()
    answer = api(study_director).post(
        f"{URL}/{created['id']}/decision",
        {"approved": True, "comment": "OK"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert "Kurskompaniet AB" in answer.json()["fields"]["exception_reason"][0]
    assert FundingApplication.objects.get().status == "submitted"


def test_a_preferred_provider_is_approved_without_an_exception_p3(trainee, study_director, region):
    Provider.objects.create(region=region, name="Kurskompaniet AB", kind=ProviderKind.PREFERRED)
    created = api(trainee.user).post(URL, BODY, content_type="application/json").json()
    assert created["other_provider"] is False
    answer = api(study_director).post(
        f"{URL}/{created['id']}/decision", {"approved": True}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "approved"


def test_a_rejection_shows_no_invoice_and_tells_the_trainee_p3(trainee, study_director):
    created = api(trainee.user).post(URL, BODY, content_type="application/json").json()
    answer = api(study_director).post(
        f"{URL}/{created['id']}/decision",
        {"approved": False, "comment": "Kursen täcks av LEKA."},
        content_type="application/json",
    )
    assert answer.json()["status"] == "rejected"
    assert answer.json()["invoice"] is None
    assert "LEKA" in OutboxMessage.objects.get(kind="funding_application_decided").body


def test_the_yearly_limit_warns_and_never_blocks_p3(trainee, study_director, area):
    """P3: over the area's yearly amount the trainee and the director see a warning; the
    application is still accepted and can be approved."""
    AreaFundingSettings.objects.create(area=area, yearly_limit=15000)
    client = api(trainee.user)
    first = client.post(URL, BODY, content_type="application/json").json()
    assert first["yearly_limit"] == {
        "year": 2027,
        "total": 11300,
        "limit": 15000,
        "exceeded": False,
    }
    second = client.post(URL, BODY, content_type="application/json")
    assert second.status_code == 201
    assert second.json()["yearly_limit"]["exceeded"] is True
    waiting = api(study_director).get(URL, {"to_decide": "true"}).json()
    assert [row["yearly_limit"]["exceeded"] for row in waiting] == [True, True]
    decided = api(study_director).post(
        f"{URL}/{second.json()['id']}/decision",
        {"approved": True, "exception_reason": "Unik kurs."},
        content_type="application/json",
    )
    assert decided.json()["status"] == "approved"


def test_staff_apply_on_behalf_and_a_stranger_cannot_p3(trainee, course_admin, outsider_admin):
    body = {**BODY, "trainee_id": trainee.pk}
    assert api(course_admin).post(URL, body, content_type="application/json").status_code == 201
    assert api(outsider_admin).post(URL, body, content_type="application/json").status_code == 404


def test_bad_costs_are_refused_with_the_field_named_p3(trainee):
    client = api(trainee.user)
    for costs in ([], [{"kind": "fee", "amount": 0}], [{"kind": "fee", "amount": 2**40}]):
        answer = client.post(URL, {**BODY, "costs": costs}, content_type="application/json")
        assert answer.status_code == 422, costs
    answer = client.post(URL, {**BODY, "goals": ["zz99"]}, content_type="application/json")
    assert answer.status_code == 422
    assert "goals" in answer.json()["fields"]


def test_certificate_upload_and_download_through_the_api_p3(trainee, study_director, supervisor):
    created = (
        api(trainee.user)
        .post(URL, {**BODY, "goals": ["a1"]}, content_type="application/json")
        .json()
    )
    pdf = make_pdf()
    early = api(trainee.user).post(
        f"{URL}/{created['id']}/certificate", pdf, content_type="application/pdf"
    )
    assert early.status_code == 409
    api(study_director).post(
        f"{URL}/{created['id']}/decision",
        {"approved": True, "exception_reason": "Unik kurs."},
        content_type="application/json",
    )
    not_pdf = api(trainee.user).post(
        f"{URL}/{created['id']}/certificate", b"hello", content_type="application/pdf"
    )
    assert not_pdf.status_code == 422
    assert "file" in not_pdf.json()["fields"]
    done = api(trainee.user).post(
        f"{URL}/{created['id']}/certificate", pdf, content_type="application/pdf"
    )
    assert done.status_code == 200, done.content
    assert done.json()["certificate"]["size"] > 0
    download = api(supervisor).get(f"{URL}/{created['id']}/certificate.pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF-")
    assert (
        api(study_director)
        .post(f"{URL}/{created['id']}/certificate", pdf, content_type="application/pdf")
        .status_code
        == 403
    )
