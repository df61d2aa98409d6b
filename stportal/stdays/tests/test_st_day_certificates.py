"""ST-day certificates through the services (SPEC 5 P4, seed 004: "ibland motsvarar
föreläsningen på en ST-dag en obligatorisk kurs. I dessa fall får du ett intyg utfärdat av
din handledare efter examination"): who issues, what the certificate says on Socialstyrelsen's
form (read back with pypdf), copies, revoking and coverage."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from stportal.accounts.models import Role
from stportal.certificates import lifecycle
from stportal.certificates import services as certificate_services
from stportal.certificates.pdf import COPY_MARK, NOT_OFFICIAL
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.curricula.coverage import ST_DAY
from stportal.curricula.models import CurriculumVersion, Goal, MandatorySubject, Specialty
from stportal.curricula.sources import coverage_items
from stportal.notifications.models import OutboxMessage
from stportal.stdays import selectors, services
from stportal.stdays.documents import st_day_certificate_pdf
from stportal.stdays.models import StDayCertificate
from stportal.stdays.tests.conftest import NOW, issue, reference_form, subject
from stportal.testing import factories


def text_of(pdf: bytes) -> str:
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", raw)


def upload_form(version: str, region, actor):
    return certificate_services.upload_certificate_form(
        actor=actor,
        region=region,
        version=version,
        pdf_bytes=reference_form(version),
        filename=f"{version}.pdf",
    )


# --- who issues (P4) -------------------------------------------------------------------------


def test_the_supervisor_issues_an_st_day_certificate_p4(sara, supervisor):
    certificate = issue(supervisor, sara)
    assert certificate.trainee == sara
    assert certificate.subject.name == "Läkemedel"
    assert certificate.title == "Läkemedel"  # the subject's name when no heading is given
    assert certificate.goal_codes == ["b3"]
    assert certificate.issued_by == supervisor
    assert certificate.version == "2015"
    assert lifecycle.normalise_code(certificate.verification_code) == certificate.verification_code
    assert certificate.content["certifier_workplace"] == "Hälsocentralen Ålidhem, Region Testland"
    assert certificate.content["place_and_date"] == "Umeå 2027-04-12"
    event = AuditEvent.objects.get(action="st_day_certificate.issued")
    assert event.object_id == str(certificate.pk)
    assert event.actor_id == supervisor.pk


def test_the_trainee_is_told_by_email_when_issued_p4(sara, supervisor):
    certificate = issue(supervisor, sara)
    message = OutboxMessage.objects.get(kind="st_day_certificate_issued")
    assert message.recipient == sara.user
    assert "Läkemedel" in message.subject
    assert certificate.verification_code in message.body
    assert "/st-dagar/" in message.body


def test_another_supervisor_is_answered_not_found_p4(sara, other_supervisor):
    with pytest.raises(NotFound):
        issue(other_supervisor, sara)
    assert not StDayCertificate.objects.exists()


def test_the_trainee_cannot_issue_their_own_p4(sara):
    with pytest.raises(PermissionDenied):
        issue(sara.user, sara)


def test_study_directors_and_staff_do_not_issue_p4(
    sara, study_director, other_study_director, regional_study_director, course_admin
):
    """The trainee's own study director and staff read the record (403); a study director of
    another area does not even see it (404)."""
    for reader in (study_director, regional_study_director, course_admin):
        with pytest.raises(PermissionDenied):
            issue(reader, sara)
    with pytest.raises(NotFound):
        issue(other_study_director, sara)


def test_a_subject_outside_the_trainees_curriculum_is_refused_p4(sara, supervisor):
    psychiatry = MandatorySubject.objects.create(
        specialty=Specialty.objects.get(code="psykiatri"),
        version=CurriculumVersion.objects.get(code="2015"),
        name="Psykoterapi",
    )
    other_version = MandatorySubject.objects.create(
        specialty=Specialty.objects.get(code="allmanmedicin"),
        version=CurriculumVersion.objects.get(code="2021"),
        name="Läkemedel",
    )
    for wrong in (psychiatry, other_version, 10**12):
        with pytest.raises(ValidationFailed) as caught:
            issue(supervisor, sara, subject=wrong)
        assert "subject" in caught.value.fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_day": dt.date(2027, 4, 13)}, "first_day"),
        ({"last_day": dt.date(2027, 4, 6)}, "last_day"),
        ({"examined_on": dt.date(2027, 4, 6)}, "examined_on"),
        ({"examined_on": dt.date(2027, 4, 13)}, "examined_on"),
        ({"examination": "  "}, "examination"),
        ({"first_day": dt.date(1999, 12, 31)}, "first_day"),
        ({"title": "x" * 201}, "title"),
        ({"description": "a\x00b"}, "description"),
        ({"goal_codes": ["a1"]}, "goal_codes"),
    ],
)
def test_what_the_supervisor_records_is_checked_p4(sara, supervisor, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        issue(supervisor, sara, **changes)
    assert field in caught.value.fields


def test_goals_are_named_for_a_subject_without_numbered_goals_p4(sara, supervisor):
    """ "BVC, barnmedicin" is one of the specialty's "c" subjects: the supervisor names the
    goals; without any, the certificate says "c"."""
    named = issue(supervisor, sara, name="BVC, barnmedicin", goal_codes=["c7", " c8", "c7"])
    assert named.goal_codes == ["c7", "c8"]
    unnamed = issue(supervisor, sara, name="BVC, barnmedicin")
    assert unnamed.goal_codes == ["c"]


# --- the PDF (P4 on Socialstyrelsen's form) -----------------------------------------------------


def test_the_pdf_on_the_2015_form_has_the_fields_and_the_handledare_box_p4(
    region, sara, supervisor, regional_study_director
):
    upload_form("2015", region, regional_study_director)
    certificate = issue(
        supervisor,
        sara,
        name="Läkemedel",
        title="Läkemedel i primärvården",
        last_day=dt.date(2027, 4, 8),
    )
    assert certificate.form is not None
    pdf = st_day_certificate_pdf(certificate=certificate, copy=False)
    reader = PdfReader(io.BytesIO(pdf))
    assert "/AcroForm" not in reader.trailer["/Root"]  # flattened
    text = text_of(pdf)
    for expected in (
        "Berglund-Öhman",
        "Sara Åsa",
        "19850315-2384",
        "Allmänmedicin",
        "b3",
        "Läkemedel i primärvården, 270407 – 270408",
        "Föreläsningar om rationell läkemedelsbehandling",
        "Folkets hus, Umeå",
        "Examinerad av handledaren 270409: Fallseminarium med handledaren.",
        "Hanna Handledarsson",
        "Hälsocentralen Ålidhem, Region Testland",
        "Umeå 2027-04-12",
        certificate.verification_code,
        "/st-dagar/verifiera/",
    ):
        assert expected in text, expected
    assert COPY_MARK not in text
    # The supervisor's specialty is in its box; the course leader's box stays empty.
    assert text.count("Allmänmedicin") == 2
    # The box "Handledare" is ticked: its "on" appearance is painted by the overlay.
    overlay = reader.pages[0]["/Resources"]["/XObject"]["/STPCertificate"].get_object()
    assert b"/STPTick2 Do" in overlay.get_data()
    assert b"/STPTick1 Do" not in overlay.get_data()


def test_the_pdf_on_the_2021_form_ticks_handledare_p4(
    region, goran, supervisor, regional_study_director
):
    upload_form("2021", region, regional_study_director)
    insurance = MandatorySubject.objects.create(
        specialty=Specialty.objects.get(code="allmanmedicin"),
        version=CurriculumVersion.objects.get(code="2021"),
        name="Försäkringsmedicin",
    )
    insurance.goals.set(Goal.objects.filter(version__code="2021", code="STb3"))
    certificate = issue(supervisor, goran, subject=insurance)
    pdf = st_day_certificate_pdf(certificate=certificate, copy=False)
    text = text_of(pdf)
    for expected in ("Ärlig", "Göran", "19920410-1233", "STb3", "Försäkringsmedicin"):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(pdf))
    overlay = reader.pages[0]["/Resources"]["/XObject"]["/STPCertificate"].get_object()
    # On the 2021 form the first box is "Handledare".
    assert b"/STPTick1 Do" in overlay.get_data()
    assert b"/STPTick2 Do" not in overlay.get_data()


def test_without_an_uploaded_form_the_own_rendition_says_so_p4(sara, supervisor):
    certificate = issue(supervisor, sara)
    text = text_of(st_day_certificate_pdf(certificate=certificate, copy=False))
    assert NOT_OFFICIAL.format(reference="SOSFS 2015:8 bilaga 5")[:40] in text
    assert "Berglund-Öhman" in text and "b3" in text


def test_the_trainee_gets_a_copy_the_supervisor_and_staff_the_original_p4(
    sara, supervisor, course_admin, study_director, other_study_director
):
    certificate = issue(supervisor, sara)
    assert selectors.get_certificate_for_user(sara.user, certificate.pk).copy
    assert selectors.get_certificate_for_user(study_director, certificate.pk).copy
    assert not selectors.get_certificate_for_user(supervisor, certificate.pk).copy
    assert not selectors.get_certificate_for_user(course_admin, certificate.pk).copy
    with pytest.raises(NotFound):
        selectors.get_certificate_for_user(other_study_director, certificate.pk)
    copy = text_of(st_day_certificate_pdf(certificate=certificate, copy=True))
    assert COPY_MARK in copy


# --- revoking and coverage (P4, P1) ------------------------------------------------------------


def test_the_coverage_source_returns_the_certificate_p4(sara, supervisor):
    certificate = issue(supervisor, sara)
    items = coverage_items([sara.pk])[sara.pk]
    st_days = [item for item in items if item.kind == ST_DAY]
    assert len(st_days) == 1
    item = st_days[0]
    assert item.id == certificate.pk
    assert item.goal_codes == frozenset({"b3"})
    assert item.subject_ids == frozenset({subject("Läkemedel").pk})
    assert item.on == dt.date(2027, 4, 12)


def test_revoking_stops_it_counting_p4(sara, supervisor):
    certificate = issue(supervisor, sara)
    services.revoke_st_day_certificate(
        actor=supervisor, certificate=certificate, reason="Fel ämne.", now=NOW
    )
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoke_reason == "Fel ämne."
    assert not [i for i in coverage_items([sara.pk]).get(sara.pk, []) if i.kind == ST_DAY]
    assert AuditEvent.objects.filter(action="st_day_certificate.revoked").count() == 1
    verification = selectors.verify(certificate.verification_code)
    assert verification is not None and verification.revoked and not verification.valid
    with pytest.raises(ServiceError) as caught:
        services.revoke_st_day_certificate(
            actor=supervisor, certificate=certificate, reason="Igen."
        )
    assert caught.value.code == "already_revoked"


def test_who_revokes_p4(
    sara, supervisor, other_supervisor, course_admin, study_director, outsider_admin
):
    certificate = issue(supervisor, sara)
    with pytest.raises(PermissionDenied):
        services.revoke_st_day_certificate(actor=sara.user, certificate=certificate, reason="x")
    with pytest.raises(PermissionDenied):
        services.revoke_st_day_certificate(
            actor=study_director, certificate=certificate, reason="x"
        )
    for outsider in (other_supervisor, outsider_admin):
        with pytest.raises(NotFound):
            services.revoke_st_day_certificate(actor=outsider, certificate=certificate, reason="x")
    with pytest.raises(ValidationFailed):
        services.revoke_st_day_certificate(actor=course_admin, certificate=certificate, reason=" ")
    services.revoke_st_day_certificate(actor=course_admin, certificate=certificate, reason="Fel")


def test_a_former_supervisor_keeps_what_they_issued_p4(sara, supervisor, other_supervisor):
    certificate = issue(supervisor, sara)
    sara.supervisor = other_supervisor
    sara.save()
    assert certificate in selectors.certificates_for_supervisor(supervisor)
    assert certificate in selectors.certificates_for_supervisor(other_supervisor)
    with pytest.raises(NotFound):
        issue(supervisor, sara)


def test_the_coverage_source_answers_in_one_query_p4(unit, supervisor, django_assert_num_queries):
    trainees = [factories.TraineeFactory(home_unit=unit, supervisor=supervisor) for _ in range(3)]
    for profile in trainees:
        issue(supervisor, profile)
        issue(supervisor, profile, name="Försäkringsmedicin")
    with django_assert_num_queries(1):
        found = selectors.coverage_source([p.pk for p in trainees])
    assert sum(len(v) for v in found.values()) >= 6


def test_a_supervisor_role_is_not_needed_only_the_link_p4(unit, region):
    """The trainee's record names the supervisor; that link is what counts."""
    named = factories.UserFactory(username="namnd-handledare")
    profile = factories.TraineeFactory(home_unit=unit, supervisor=named)
    assert issue(named, profile).issued_by == named
    assert not named.role_assignments.filter(role=Role.SUPERVISOR).exists()
