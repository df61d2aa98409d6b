"""The funding pages (SPEC 5 P3): the trainee applies on the web, the study director decides
(an other provider needs the exception's reason), the invoicing details appear, the
certificate is attached, and staff see and download spending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stportal.catalogue.models import ExternalCourse, Provider, ProviderKind
from stportal.funding import services
from stportal.funding.models import AreaFundingSettings, FundingApplication, FundingStatus
from stportal.funding.tests.conftest import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(client):
    """The pages in English, so that the assertions read the msgids."""
    client.cookies["django_language"] = "en"


FORM = {
    "course_title": "Smärtlindring i primärvården",
    "provider": "Kurskompaniet AB",
    "start_date": "2027-04-12",
    "end_date": "2027-04-13",
    "place": "Stockholm",
    "fee": "7200",
    "travel": "2100",
    "goals": ["a1"],
    "motivation": "Jag behöver fördjupa mig.",
}


def test_the_trainee_applies_on_the_web_and_sees_the_area_rules_p3(client, trainee, area):
    AreaFundingSettings.objects.create(
        area=area, register_before_approval=True, expected_courses_per_year=2
    )
    client.force_login(trainee.user)
    page = client.get(reverse("funding:new"))
    assert "register with the course provider before" in page.content.decode()
    assert "about 2 courses a year" in page.content.decode()
    answer = client.post(reverse("funding:new"), FORM)
    application = FundingApplication.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("funding:detail", args=[application.pk])
    assert [(c.kind, c.amount) for c in application.costs.all()] == [
        ("fee", 7200),
        ("travel", 2100),
    ]
    detail = client.get(answer["Location"]).content.decode()
    assert "9300" in detail
    assert "Waiting for decision" in detail
    assert "Invoicing details" not in detail


def test_a_form_without_costs_keeps_the_input_and_says_why_p3(client, trainee):
    client.force_login(trainee.user)
    answer = client.post(reverse("funding:new"), {**FORM, "fee": "", "travel": ""})
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "Give at least one cost" in text
    assert "Smärtlindring i primärvården" in text
    assert not FundingApplication.objects.exists()


def test_a_catalogue_course_fills_in_the_form_p3(client, trainee, region):
    provider = Provider.objects.create(region=region, name="SFAM", kind=ProviderKind.PREFERRED)
    course = ExternalCourse.objects.create(
        provider=provider,
        title="Kvalitetsarbete i primärvården",
        start_date=dt.date(2099, 5, 4),
        end_date=dt.date(2099, 5, 5),
        place="Göteborg",
        cost=6400,
    )
    client.force_login(trainee.user)
    page = client.get(reverse("funding:new"), {"course": course.pk}).content.decode()
    assert 'value="Kvalitetsarbete i primärvården"' in page
    assert 'value="6400"' in page
    answer = client.post(
        reverse("funding:new"),
        {
            "course": course.pk,
            "course_title": course.title,
            "provider": "SFAM",
            "start_date": "2099-05-04",
            "fee": "6400",
        },
    )
    assert answer.status_code == 302
    application = FundingApplication.objects.get()
    assert application.course == course
    assert application.other_provider is False


def test_the_director_approves_on_the_web_and_the_invoice_appears_p3(
    client, trainee, study_director, area
):
    AreaFundingSettings.objects.create(area=area, gln="7350000000017", yearly_limit=5000)
    application = services.submit_application(
        actor=trainee.user,
        trainee=trainee,
        course_title="Smärtlindring",
        provider="Kurskompaniet AB",
        start_date=dt.date(2027, 4, 12),
        costs=[services.Cost("fee", 7200)],
    )
    client.force_login(study_director)
    listing = client.get(reverse("funding:to_decide")).content.decode()
    assert "Smärtlindring" in listing
    assert "Over the yearly amount" in listing
    url = reverse("funding:decide", args=[application.pk])
    form = client.get(url).content.decode()
    assert "is not one of the region's preferred providers" in form
    assert "more than the area's yearly amount" in form
    refused = client.post(url, {"approved": "yes", "comment": "Bra kurs."})
    assert refused.status_code == 422
    assert "give the reason for the exception" in refused.content.decode()
    assert "Bra kurs." in refused.content.decode()
    done = client.post(
        url, {"approved": "yes", "comment": "Bra kurs.", "exception_reason": "Unik kurs."}
    )
    assert done.status_code == 302
    client.force_login(trainee.user)
    detail = client.get(reverse("funding:detail", args=[application.pk])).content.decode()
    assert "Invoicing details for the provider" in detail
    assert area.purchaser_id in detail
    assert "7350000000017" in detail


def test_the_certificate_is_attached_on_the_web_and_checked_p3(
    client, trainee, study_director, settings
):
    application = services.submit_application(
        actor=trainee.user,
        trainee=trainee,
        course_title="Smärtlindring",
        provider="Kurskompaniet AB",
        start_date=dt.date(2027, 4, 12),
        costs=[services.Cost("fee", 7200)],
    )
    services.decide_application(
        actor=study_director, application=application, approved=True, exception_reason="Unik."
    )
    client.force_login(trainee.user)
    url = reverse("funding:attach_certificate", args=[application.pk])
    bad = client.post(url, {"file": SimpleUploadedFile("intyg.pdf", b"hello", "application/pdf")})
    assert bad.status_code == 422
    assert "not a PDF" in bad.content.decode()
    settings.FUNDING_CERTIFICATE_MAX_BYTES = 100
    big = client.post(url, {"file": SimpleUploadedFile("intyg.pdf", make_pdf(), "application/pdf")})
    assert big.status_code == 422
    assert "too large" in big.content.decode()
    settings.FUNDING_CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
    good = client.post(
        url, {"file": SimpleUploadedFile("intyg.pdf", make_pdf(), "application/pdf")}
    )
    assert good.status_code == 302
    download = client.get(reverse("funding:certificate_pdf", args=[application.pk]))
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")
    client.force_login(study_director)
    assert client.post(url, {}).status_code == 403


def test_staff_see_spending_as_table_chart_and_download_p3(
    client, trainee, study_director, course_admin, area
):
    application = services.submit_application(
        actor=trainee.user,
        trainee=trainee,
        course_title="Smärtlindring",
        provider="Kurskompaniet AB",
        start_date=dt.date(2027, 4, 12),
        costs=[services.Cost("fee", 7200), services.Cost("travel", 800)],
    )
    decided = services.decide_application(
        actor=study_director, application=application, approved=True, exception_reason="Unik."
    )
    assert decided.status == FundingStatus.APPROVED
    client.force_login(course_admin)
    page = client.get(reverse("funding:spending")).content.decode()
    assert area.name in page
    assert "8000" in page
    assert "<svg" in page and 'width="100"' in page
    csv = client.get(reverse("funding:spending"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "8000" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("funding:spending"), {"format": "xlsx", "year": "2027"})
    assert xlsx.content[:2] == b"PK"
    client.force_login(trainee.user)
    assert client.get(reverse("funding:spending")).status_code == 403
