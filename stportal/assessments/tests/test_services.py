"""Competence assessments' services (SPEC 5 P12): the link works once and expires; sending
again kills the old link; withdrawing; the assessor with an account; audit without the token;
the year's count and the annual report's section."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from stportal.assessments import rules, selectors, services
from stportal.assessments.models import Assessment, RegionExpectation
from stportal.assessments.tests.conftest import ASSESSOR_EMAIL, NOW, judgement, start
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.core.yearly import year_sections
from stportal.notifications.models import OutboxMessage


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_trainee_starts_an_assessment_and_the_assessor_gets_the_link_p12(sara):
    assessment = start(sara)
    assert assessment.status == "requested"
    assert assessment.goal_codes == ["a1", "b1"]
    token = assessment.fresh_token
    stored = Assessment.objects.get()
    assert stored.token_digest == selectors.digest_of(token)
    assert token not in str(Assessment.objects.values().get())
    message = OutboxMessage.objects.get(kind="assessment_requested")
    assert message.to_email == ASSESSOR_EMAIL
    assert f"/bedomningar/bedom/{token}/" in message.body
    assert "Sara Berglund" in message.body
    assert "198503152384" not in message.body


def test_the_link_works_once_p12(sara):
    token = start(sara).fresh_token
    done = services.complete_assessment_by_link(token=token, **judgement())
    assert done.status == "completed"
    assert done.independence == "supervision_on_request"
    with pytest.raises(ServiceError) as again:
        services.complete_assessment_by_link(token=token, **judgement(feedback="Igen"))
    assert again.value.status == 410 and again.value.code == "link_used"
    assert Assessment.objects.get().feedback.startswith("Strukturerad")
    assert OutboxMessage.objects.filter(kind="assessment_completed").count() == 1


def test_the_link_expires_p12(sara, settings):
    settings.ASSESSMENT_LINK_DAYS = 30
    token = start(sara).fresh_token
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        with pytest.raises(ServiceError) as expired:
            services.complete_assessment_by_link(token=token, **judgement())
    assert expired.value.status == 410 and expired.value.code == "link_expired"
    with time_machine.travel(NOW + dt.timedelta(days=29, hours=23), tick=False):
        assert services.complete_assessment_by_link(token=token, **judgement()).status == (
            "completed"
        )


def test_sending_again_kills_the_old_link_p12(sara):
    first = start(sara)
    old = first.fresh_token
    again = services.resend_assessment_link(actor=sara.user, assessment=first)
    assert again.fresh_token != old
    assert again.times_sent == 2
    with pytest.raises(NotFound):
        services.complete_assessment_by_link(token=old, **judgement())
    assert OutboxMessage.objects.filter(kind="assessment_requested").count() == 2
    services.complete_assessment_by_link(token=again.fresh_token, **judgement())


def test_withdrawing_closes_the_link_and_only_the_trainee_may_p12(sara, supervisor):
    assessment = start(sara)
    with pytest.raises(PermissionDenied):
        services.withdraw_assessment(actor=supervisor, assessment=assessment)
    services.withdraw_assessment(actor=sara.user, assessment=assessment)
    with pytest.raises(ServiceError) as closed:
        services.complete_assessment_by_link(token=assessment.fresh_token, **judgement())
    assert closed.value.code == "link_withdrawn"
    with pytest.raises(ServiceError) as twice:
        services.withdraw_assessment(actor=sara.user, assessment=assessment)
    assert twice.value.code == "not_pending"
    with pytest.raises(ServiceError):
        services.resend_assessment_link(actor=sara.user, assessment=assessment)


def test_only_the_trainee_starts_one_and_for_goals_of_their_curriculum_p12(
    sara, supervisor, other_study_director
):
    with pytest.raises(PermissionDenied):
        services.request_assessment(
            actor=supervisor,
            trainee=sara,
            kind="cbd",
            assessor_name="X",
            assessor_email="x@example.org",
            goal_codes=["a1"],
        )
    with pytest.raises(NotFound):
        services.request_assessment(
            actor=other_study_director,
            trainee=sara,
            kind="cbd",
            assessor_name="X",
            assessor_email="x@example.org",
            goal_codes=["a1"],
        )
    for changes, field in (
        ({"goal_codes": ["STa1"]}, "goals"),
        ({"goal_codes": []}, "goals"),
        ({"kind": "osce"}, "kind"),
        ({"assessor_email": "inte-en-adress"}, "assessor_email"),
        ({"assessor_email": "sara@example.org"}, "assessor_email"),
        ({"assessor_name": " "}, "assessor_name"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            start(sara, **changes)
        assert field in refused.value.fields, changes
    assert not Assessment.objects.exists()


def test_the_assessor_confirms_only_named_goals_and_no_future_date_p12(sara):
    token = start(sara).fresh_token
    for changes, field in (
        ({"goal_codes": ["a2"]}, "goals"),
        ({"assessed_on": dt.date(2027, 5, 1)}, "assessed_on"),
        ({"independence": "expert"}, "independence"),
        ({"feedback": ""}, "feedback"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.complete_assessment_by_link(token=token, **judgement(**changes))
        assert field in refused.value.fields
    done = services.complete_assessment_by_link(token=token, **judgement(goal_codes=["b1"]))
    assert done.goals_shown == ["b1"]


def test_the_assessor_with_a_verified_account_completes_in_the_product_p12(
    sara, assessor_account, supervisor
):
    assessment = start(sara)
    assert list(selectors.to_assess(assessor_account)) == [assessment]
    with pytest.raises(PermissionDenied):
        services.complete_assessment(actor=supervisor, assessment=assessment, **judgement())
    done = services.complete_assessment(
        actor=assessor_account, assessment=assessment, **judgement()
    )
    assert done.completed_by == assessor_account
    with pytest.raises(ServiceError) as used:
        services.complete_assessment_by_link(token=assessment.fresh_token, **judgement())
    assert used.value.code == "link_used"


def test_an_unverified_address_is_not_the_assessor_p12(sara, assessor_account):
    assessor_account.emailaddress_set.update(verified=False)
    assessment = start(sara)
    assert not selectors.to_assess(assessor_account).exists()
    with pytest.raises(NotFound):
        services.complete_assessment(actor=assessor_account, assessment=assessment, **judgement())


def test_the_audit_never_holds_the_token_p12(sara):
    assessment = start(sara)
    token = assessment.fresh_token
    again = services.resend_assessment_link(actor=sara.user, assessment=assessment)
    services.complete_assessment_by_link(token=again.fresh_token, **judgement())
    events = list(AuditEvent.objects.filter(object_type="assessments.assessment"))
    assert sorted(e.action for e in events) == [
        "assessment.completed",
        "assessment.link_resent",
        "assessment.requested",
    ]
    for event in events:
        text = f"{event.before} {event.after}"
        assert token not in text and "token" not in text
        assert selectors.digest_of(token) not in text


def test_the_count_against_the_region_expectation_p12(sara, region):
    for day in (dt.date(2026, 12, 1), dt.date(2027, 1, 20)):
        token = start(sara).fresh_token
        services.complete_assessment_by_link(token=token, **judgement(assessed_on=day))
    progress = selectors.progress_of(sara, dt.date(2027, 4, 12))
    assert (progress.done, progress.expected) == (1, 4)
    assert selectors.progress_text(progress) in ("1 av 4 i år", "1 of 4 this year")
    assert not progress.behind  # one is due by mid-April
    RegionExpectation.objects.create(region=region, per_year=12)
    progress = selectors.progress_of(sara, dt.date(2027, 4, 12))
    assert progress.expected == 12 and progress.behind


def test_the_year_section_lists_the_completed_assessments_p12_p13(sara):
    token = start(sara, kind="cbd").fresh_token
    services.complete_assessment_by_link(token=token, **judgement(independence="independent"))
    start(sara)  # pending: not in the report
    sections = [s for s in year_sections(sara.pk, dt.date(2027, 1, 1), dt.date(2027, 12, 31))]
    section = next(s for s in sections if s.key == "assessments")
    assert len(section.lines) == 2
    assert "2027-04-12" in section.lines[0] and "a1, b1" in section.lines[0]
    assert "4" in section.lines[1]


def test_two_submissions_cannot_both_win_p12(sara):
    """The compare-and-swap: a second completion against the same pending row (as a racing
    request would find it) changes nothing."""
    assessment = start(sara)
    stale = Assessment.objects.get(pk=assessment.pk)
    services.complete_assessment_by_link(token=assessment.fresh_token, **judgement())
    swapped = Assessment.objects.filter(
        pk=stale.pk, status=rules.REQUESTED, token_digest=stale.token_digest
    ).update(feedback="x")
    assert swapped == 0
