"""Funding application services (SPEC 5 P3): who may apply and decide, the compare-and-swap
decision, the audit trail, the certificate checks, coverage and what waits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.core.waiting import waiting_for
from stportal.curricula.models import Goal, MandatorySubject
from stportal.curricula.sources import coverage_items
from stportal.funding import selectors, services
from stportal.funding.models import AreaFundingSettings, FundingStatus
from stportal.funding.tests.conftest import make_pdf
from stportal.notifications.models import OutboxMessage
from stportal.testing import factories

pytestmark = pytest.mark.django_db


def apply(trainee, **extra):
    values = {
        "course_title": "Akut omhändertagande av barn",
        "provider": "Kurskompaniet AB",
        "start_date": dt.date(2027, 3, 8),
        "end_date": dt.date(2027, 3, 10),
        "costs": [services.Cost("fee", 9500), services.Cost("lodging", 2400)],
    }
    values.update(extra)
    return services.submit_application(actor=trainee.user, trainee=trainee, **values)


def approve(application, director):
    return services.decide_application(
        actor=director,
        application=application,
        approved=True,
        comment="Bra.",
        exception_reason="Ges inte i regionen.",
    )


def test_submitting_and_deciding_are_audited_p3(trainee, study_director):
    application = apply(trainee)
    approve(application, study_director)
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["funding_application.submitted", "funding_application.approved"]


def test_a_second_decision_is_a_conflict_p3(trainee, study_director, regional_study_director):
    application = apply(trainee)
    approve(application, study_director)
    with pytest.raises(ServiceError) as refused:
        services.decide_application(
            actor=regional_study_director, application=application, approved=False, comment="x"
        )
    assert refused.value.code == "already_decided"
    assert refused.value.status == 409


def test_who_decides_the_trainees_directors_only_p3(
    trainee, study_director, regional_study_director, other_area_director, supervisor, course_admin
):
    application = apply(trainee)
    for person in (trainee.user, other_area_director, supervisor, course_admin):
        with pytest.raises(PermissionDenied):
            services.decide_application(
                actor=person, application=application, approved=False, comment="Nej"
            )
    decided = services.decide_application(
        actor=regional_study_director, application=application, approved=False, comment="Nej"
    )
    assert decided.status == FundingStatus.REJECTED


def test_a_rejection_needs_a_comment_and_the_trainee_is_told_p3(trainee, study_director):
    application = apply(trainee)
    with pytest.raises(ValidationFailed) as refused:
        services.decide_application(actor=study_director, application=application, approved=False)
    assert "comment" in refused.value.fields
    services.decide_application(
        actor=study_director, application=application, approved=False, comment="Täcks av LEKA."
    )
    mail = OutboxMessage.objects.get(kind="funding_application_decided")
    assert mail.recipient == trainee.user
    assert "Täcks av LEKA." in mail.body


def test_only_the_trainee_or_staff_apply_p3(trainee, supervisor, study_director, course_admin):
    for person in (supervisor, study_director):
        with pytest.raises(PermissionDenied):
            services.submit_application(
                actor=person,
                trainee=trainee,
                course_title="X",
                provider="Y",
                start_date=dt.date(2027, 1, 1),
                costs=[services.Cost("fee", 1)],
            )
    made = services.submit_application(
        actor=course_admin,
        trainee=trainee,
        course_title="X",
        provider="Y",
        start_date=dt.date(2027, 1, 1),
        costs=[services.Cost("fee", 1)],
    )
    assert made.submitted_by == course_admin


def test_goals_must_be_of_the_trainees_curriculum_p3(trainee):
    other_version = Goal.objects.exclude(version=trainee.curriculum_version).first()
    with pytest.raises(ValidationFailed) as refused:
        apply(trainee, goal_codes=["a1", "nonsense"])
    assert "nonsense" in refused.value.fields["goals"][0]
    if (
        other_version is not None
        and not Goal.objects.filter(
            version=trainee.curriculum_version, code=other_version.code
        ).exists()
    ):
        with pytest.raises(ValidationFailed):
            apply(trainee, goal_codes=[other_version.code])


def test_an_attached_certificate_makes_the_course_count_in_coverage_p3(trainee, study_director):
    """P1/P3: an approved external course counts once its certificate is attached."""
    subject = MandatorySubject.objects.filter(
        specialty=trainee.specialty, version=trainee.curriculum_version
    ).first()
    application = apply(
        trainee, goal_codes=["a1", "b2"], subject_ids=[subject.pk] if subject else []
    )
    application = approve(application, study_director)
    assert coverage_items([trainee.pk]).get(trainee.pk, []) == []
    services.attach_certificate(
        actor=trainee.user, application=application, data=make_pdf(), filename="intyg.pdf"
    )
    items = [i for i in coverage_items([trainee.pk])[trainee.pk] if i.kind == "external_course"]
    assert len(items) == 1
    assert items[0].goal_codes == frozenset({"a1", "b2"})
    assert items[0].subject_ids == (frozenset({subject.pk}) if subject else frozenset())
    assert items[0].on == dt.date(2027, 3, 10)


def test_a_rejected_application_never_counts_in_coverage_p3(trainee, study_director):
    application = apply(trainee, goal_codes=["a1"])
    services.decide_application(
        actor=study_director, application=application, approved=False, comment="Nej"
    )
    with pytest.raises(ServiceError) as refused:
        services.attach_certificate(actor=trainee.user, application=application, data=make_pdf())
    assert refused.value.code == "not_approved"
    assert coverage_items([trainee.pk]).get(trainee.pk, []) == []


def test_the_certificate_must_be_a_real_pdf_p3(trainee, study_director):
    application = approve(apply(trainee), study_director)
    for data in (b"", b"not a pdf at all", b"%PDF-1.7\n garbage that pypdf cannot read"):
        with pytest.raises(ValidationFailed) as refused:
            services.attach_certificate(actor=trainee.user, application=application, data=data)
        assert "file" in refused.value.fields
    fake = b"<html>" + make_pdf()[5:]
    with pytest.raises(ValidationFailed):
        services.attach_certificate(actor=trainee.user, application=application, data=fake)


def test_the_certificate_is_size_capped_p3(trainee, study_director, settings):
    settings.FUNDING_CERTIFICATE_MAX_BYTES = 2000
    application = approve(apply(trainee), study_director)
    big = make_pdf(pages=40)
    assert len(big) > 2000
    with pytest.raises(ValidationFailed) as refused:
        services.attach_certificate(actor=trainee.user, application=application, data=big)
    assert "too large" in refused.value.fields["file"][0]


def test_the_stored_certificate_is_stripped_of_active_content_p3(trainee, study_director):
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(  # noqa: SLF001
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    out = io.BytesIO()
    writer.write(out)
    application = approve(apply(trainee), study_director)
    services.attach_certificate(actor=trainee.user, application=application, data=out.getvalue())
    kept = selectors.certificate_bytes(application)
    assert kept is not None
    assert "/OpenAction" not in PdfReader(io.BytesIO(kept)).trailer["/Root"]


def test_invoicing_details_only_on_an_approved_application_p3(trainee, study_director, area):
    AreaFundingSettings.objects.create(area=area, gln="7350000000017", bank="Nordbanken")
    application = apply(trainee)
    assert selectors.invoice_of(application) is None
    approved = approve(application, study_director)
    invoice = selectors.invoice_of(selectors.applications().get(pk=approved.pk))
    assert invoice is not None
    assert invoice.purchaser_id == area.purchaser_id
    assert ("GLN address", "7350000000017") in invoice.identifiers()
    assert all(value for _label, value in invoice.identifiers())


@time_machine.travel(dt.datetime(2027, 3, 20, 12, tzinfo=dt.UTC), tick=False)
def test_what_waits_for_the_director_and_the_trainee_p3(trainee, study_director):
    first = apply(trainee)
    apply(trainee, start_date=dt.date(2027, 6, 1), end_date=None)
    labels = [item.label for item in waiting_for(study_director)]
    assert "2 funding applications wait for your decision." in labels
    first = approve(first, study_director)
    mine = [item for item in waiting_for(trainee.user) if item.url == reverse("funding:mine")]
    assert [item.count for item in mine] == [1]  # the course is over, no certificate yet
    services.attach_certificate(actor=trainee.user, application=first, data=make_pdf())
    assert not [item for item in waiting_for(trainee.user) if item.url == reverse("funding:mine")]


def test_spending_per_area_and_year_for_staff_of_the_region_p3(
    trainee, study_director, course_admin, outsider_admin, area
):
    approve(apply(trainee), study_director)
    apply(trainee)  # submitted: not spending
    rows = selectors.spending_rows(course_admin)
    assert len(rows) == 1
    assert (rows[0].area, rows[0].year, rows[0].total) == (area.name, 2027, 11900)
    assert rows[0].by_kind["lodging"] == 2400
    assert selectors.spending_rows(outsider_admin) == []


@pytest.mark.parametrize("count", [3, 30])
def test_lists_answer_in_a_constant_number_of_queries_p3(
    count, trainee, study_director, django_assert_max_num_queries, client
):
    AreaFundingSettings.objects.create(area=trainee.home_unit.area, yearly_limit=100_000)
    for index in range(count):
        apply(trainee, goal_codes=["a1"], course_title=f"Kurs {index}")
    client.force_login(study_director)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("funding:to_decide")).status_code == 200
    client.force_login(trainee.user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("funding:mine")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/api/v1/funding-applications").status_code == 200
    other = factories.TraineeFactory()
    with django_assert_max_num_queries(8):
        assert coverage_items([trainee.pk, other.pk]) == {}
