"""Planned ST completion (SPEC C5a, issue 9 rule fix 3): the trainee proposes a new date with a
reason, the study director of the trainee's area confirms or rejects it, each change is kept,
and the allocation preview flags a date changed after the registration deadline."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from stportal.accounts import completion_services
from stportal.accounts.models import (
    PlannedCompletionChange,
    PlannedCompletionSource,
    PlannedCompletionStatus,
    Role,
    TraineeProfile,
)
from stportal.accounts.tokens import issue_api_token
from stportal.core.dates import STOCKHOLM
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses import services as course_services
from stportal.curricula.models import Goal
from stportal.notifications.models import OutboxMessage
from stportal.registrations import services as registration_services
from stportal.testing import factories


def at(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=STOCKHOLM)


OPEN = at(2026, 9, 15)
AFTER_DEADLINE = at(2026, 10, 20)
BEFORE_DEADLINE = at(2026, 10, 1)


@pytest.fixture
def area(home_unit):
    return home_unit.area


@pytest.fixture
def study_director(region, area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=area, username="studierektor-omrade"
    )


@pytest.fixture
def other_area_director(region):
    other = factories.AreaFactory(region=region, name="Annat område")
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=other, username="studierektor-annat"
    )


@pytest.fixture
def supervisor(region, trainee):
    user = factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-test")
    TraineeProfile.objects.filter(pk=trainee.pk).update(supervisor=user)
    return user


@pytest.fixture
def closed_week(series, course_admin, trainee):
    """A week whose deadline (2026-10-15) has passed, with the trainee registered on time."""
    week = course_services.create_course_week(
        actor=course_admin,
        series=series,
        title="LEKA A 2027",
        start_date=dt.date(2027, 3, 22),
        end_date=dt.date(2027, 3, 26),
        place="Umeå",
        capacity=60,
        invitation_date=dt.date(2026, 9, 1),
        registration_deadline=dt.date(2026, 10, 15),
        late_cancellation_fee=3000,
    )
    course_services.add_course(
        actor=course_admin,
        week=week,
        title="Etik",
        days=[dt.date(2027, 3, 22)],
        goals=Goal.objects.filter(code__in=["a2"]),
    )
    week = course_services.publish_course_week(actor=course_admin, week=week, now=OPEN)
    registration_services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=OPEN
    )
    return week


def _flagged(week, admin, now):
    result = registration_services.run_allocation(actor=admin, week=week, dry_run=True, now=now)
    return {
        p.trainee_id: p.planned_completion_changed_after_deadline
        for course in result.courses
        for p in course.placed
    }


def test_proposal_confirmed_after_the_deadline_is_flagged_in_the_allocation_preview(
    trainee, study_director, course_admin, closed_week
):
    """C5a: the trainee proposes a later date, the area's study director confirms it, the
    profile's date changes with its history, both are told, and the preview flags it."""
    assert _flagged(closed_week, course_admin, AFTER_DEADLINE) == {trainee.pk: False}
    proposal = completion_services.propose_planned_completion_change(
        actor=trainee.user,
        trainee=trainee,
        planned_completion=dt.date(2029, 3, 31),
        reason="Föräldraledighet i sex månader.",
        now=AFTER_DEADLINE,
    )
    assert proposal.status == PlannedCompletionStatus.PROPOSED
    assert proposal.source == PlannedCompletionSource.TRAINEE
    # A proposal is not a change yet: the date and the preview stay as they were.
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2028, 6, 30)
    assert _flagged(closed_week, course_admin, AFTER_DEADLINE) == {trainee.pk: False}
    told = OutboxMessage.objects.get(kind="planned_completion_proposed")
    assert told.recipient == study_director
    assert "2029" in told.body and "Föräldraledighet" in told.body

    decided = completion_services.decide_planned_completion_change(
        actor=study_director,
        change=proposal,
        approved=True,
        comment="Stämmer med IUP.",
        now=AFTER_DEADLINE,
    )
    assert decided.status == PlannedCompletionStatus.APPROVED
    profile = TraineeProfile.objects.get(pk=trainee.pk)
    assert profile.planned_completion == dt.date(2029, 3, 31)
    row = PlannedCompletionChange.objects.get(pk=proposal.pk)
    assert (row.old_date, row.new_date) == (dt.date(2028, 6, 30), dt.date(2029, 3, 31))
    assert (row.decided_by, row.changed_by, row.changed_at) == (
        study_director,
        study_director,
        AFTER_DEADLINE,
    )
    assert OutboxMessage.objects.get(kind="planned_completion_decided").recipient == trainee.user
    assert AuditEvent.objects.filter(
        action="planned_completion.approved", object_id=str(proposal.pk)
    ).exists()
    assert _flagged(closed_week, course_admin, AFTER_DEADLINE) == {trainee.pk: True}


def test_date_changed_before_the_deadline_is_not_flagged(
    trainee, study_director, course_admin, closed_week
):
    """C5a: only changes made after the registration deadline are flagged."""
    completion_services.set_planned_completion(
        actor=study_director,
        trainee=trainee,
        planned_completion=dt.date(2029, 3, 31),
        reason="Reviderad IUP.",
        now=BEFORE_DEADLINE,
    )
    assert _flagged(closed_week, course_admin, AFTER_DEADLINE) == {trainee.pk: False}


def test_rejected_proposal_keeps_the_date_and_tells_the_trainee_why(trainee, study_director):
    """C5a: a rejection needs a comment; the date stays, the proposal is kept as rejected."""
    proposal = completion_services.propose_planned_completion_change(
        actor=trainee.user,
        trainee=trainee,
        planned_completion=dt.date(2030, 1, 1),
        reason="Vill gå kurser senare.",
    )
    with pytest.raises(ValidationFailed) as refused:
        completion_services.decide_planned_completion_change(
            actor=study_director, change=proposal, approved=False, comment=""
        )
    assert "comment" in refused.value.fields
    completion_services.decide_planned_completion_change(
        actor=study_director, change=proposal, approved=False, comment="Inte enligt IUP."
    )
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2028, 6, 30)
    row = PlannedCompletionChange.objects.get(pk=proposal.pk)
    assert row.status == PlannedCompletionStatus.REJECTED
    assert row.changed_at is None and row.decision_comment == "Inte enligt IUP."
    mail = OutboxMessage.objects.get(kind="planned_completion_decided")
    assert mail.recipient == trainee.user and "Inte enligt IUP." in mail.body
    with pytest.raises(ServiceError) as again:
        completion_services.decide_planned_completion_change(
            actor=study_director, change=proposal, approved=True
        )
    assert again.value.code == "already_decided"


def test_study_director_of_another_area_may_not_decide(
    trainee, other_area_director, outsider_admin, study_director
):
    """C5a, SPEC 2: only the study director of the trainee's area (or named), and staff of the
    region, decide; the trainee never confirms their own date."""
    proposal = completion_services.propose_planned_completion_change(
        actor=trainee.user, trainee=trainee, planned_completion=dt.date(2029, 1, 1), reason="x"
    )
    for refused in (other_area_director, outsider_admin, trainee.user):
        with pytest.raises(PermissionDenied):
            completion_services.decide_planned_completion_change(
                actor=refused, change=proposal, approved=True
            )
        with pytest.raises(PermissionDenied):
            completion_services.set_planned_completion(
                actor=refused, trainee=trainee, planned_completion=dt.date(2029, 2, 1), reason="x"
            )
    assert PlannedCompletionChange.objects.get(pk=proposal.pk).status == "proposed"
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2028, 6, 30)


def test_named_study_director_decides_even_without_the_area_role(trainee, other_area_director):
    """C5a: the study director named on the trainee's record decides too."""
    TraineeProfile.objects.filter(pk=trainee.pk).update(study_director=other_area_director)
    trainee.refresh_from_db()
    proposal = completion_services.propose_planned_completion_change(
        actor=trainee.user, trainee=trainee, planned_completion=dt.date(2029, 1, 1), reason="x"
    )
    completion_services.decide_planned_completion_change(
        actor=other_area_director, change=proposal, approved=True
    )
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2029, 1, 1)


def test_one_proposal_waits_at_a_time(trainee, study_director):
    """C5a: a second proposal while one waits answers 409 `proposal_pending`."""
    first = completion_services.propose_planned_completion_change(
        actor=trainee.user, trainee=trainee, planned_completion=dt.date(2029, 1, 1), reason="a"
    )
    with pytest.raises(ServiceError) as conflict:
        completion_services.propose_planned_completion_change(
            actor=trainee.user, trainee=trainee, planned_completion=dt.date(2029, 2, 1), reason="b"
        )
    assert conflict.value.code == "proposal_pending"
    assert conflict.value.extra == {"existing_change_id": first.pk}
    assert PlannedCompletionChange.objects.count() == 1


# --- API (Appendix A) --------------------------------------------------------------------------


def _api(user, method, path, body=None):
    token = issue_api_token(actor=None, user=user)
    client = Client()
    send = getattr(client, method.lower())
    headers = {"Authorization": f"Bearer {token}"}
    if method == "GET":
        return send(f"/api/v1/{path}", headers=headers)
    return send(
        f"/api/v1/{path}",
        data=body if body is not None else "",
        content_type="application/json",
        headers=headers,
    )


def test_api_proposal_and_decision_update_the_trainees_planned_completion(
    trainee, study_director, supervisor
):
    """Appendix A: POST …/planned-completion-changes → proposed; POST …/decision → approved;
    GET /trainees/{id} shows the new date. The supervisor reads but may not propose."""
    response = _api(
        trainee.user,
        "POST",
        f"trainees/{trainee.pk}/planned-completion-changes",
        {"planned_completion": "2029-03-31", "reason": "Föräldraledighet."},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "proposed" and body["planned_completion"] == "2029-03-31"
    assert body["trainee_planned_completion"] == "2028-06-30"
    assert _api(supervisor, "GET", f"trainees/{trainee.pk}").status_code == 200
    refused = _api(
        supervisor,
        "POST",
        f"trainees/{trainee.pk}/planned-completion-changes",
        {"planned_completion": "2029-04-30", "reason": "x"},
    )
    assert refused.status_code == 403
    own = _api(
        trainee.user,
        "POST",
        f"planned-completion-changes/{body['id']}/decision",
        {"approved": True, "comment": ""},
    )
    assert own.status_code == 403
    pending = _api(study_director, "GET", "planned-completion-changes")
    assert [c["id"] for c in pending.json()] == [body["id"]]
    decided = _api(
        study_director,
        "POST",
        f"planned-completion-changes/{body['id']}/decision",
        {"approved": True, "comment": "OK"},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved"
    assert _api(trainee.user, "GET", f"trainees/{trainee.pk}").json()["planned_completion"] == (
        "2029-03-31"
    )
    history = _api(trainee.user, "GET", f"trainees/{trainee.pk}/planned-completion-changes")
    assert [c["status"] for c in history.json()] == ["approved"]


def test_api_staff_set_the_date_directly_with_confirmed(trainee, course_admin):
    """Appendix A: `"confirmed": true` from staff answers `approved` and changes the date; a
    trainee sending it is refused."""
    response = _api(
        course_admin,
        "POST",
        f"trainees/{trainee.pk}/planned-completion-changes",
        {"planned_completion": "2028-12-31", "reason": "Ny IUP.", "confirmed": True},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "approved"
    assert response.json()["source"] == "staff"
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2028, 12, 31)
    refused = _api(
        trainee.user,
        "POST",
        f"trainees/{trainee.pk}/planned-completion-changes",
        {"planned_completion": "2029-12-31", "reason": "Själv.", "confirmed": True},
    )
    assert refused.status_code == 403
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2028, 12, 31)


def test_api_unknown_and_foreign_ids_answer_404(
    trainee, outsider_admin, other_area_director, study_director
):
    """Appendix A: an unknown id and one outside the caller's reach answer alike."""
    proposal = completion_services.propose_planned_completion_change(
        actor=trainee.user, trainee=trainee, planned_completion=dt.date(2029, 1, 1), reason="x"
    )
    for user, path in (
        (study_director, "planned-completion-changes/999999/decision"),
        (outsider_admin, f"planned-completion-changes/{proposal.pk}/decision"),
        (other_area_director, f"planned-completion-changes/{proposal.pk}/decision"),
        (outsider_admin, f"trainees/{trainee.pk}/planned-completion-changes"),
        (study_director, "trainees/999999/planned-completion-changes"),
    ):
        body = {"approved": True, "comment": ""}
        if path.endswith("changes"):
            body = {"planned_completion": "2029-02-01", "reason": "x"}
        response = _api(user, "POST", path, body)
        assert response.status_code == 404, (path, response.content)
        assert response.json()["code"] == "not_found"
    assert PlannedCompletionChange.objects.get(pk=proposal.pk).status == "proposed"


def test_api_proposal_validates_the_date_and_reason(trainee):
    """C5a: a reason is required; a date before the ST start or equal to today's is refused."""
    path = f"trainees/{trainee.pk}/planned-completion-changes"
    for body, field in (
        ({"planned_completion": "2029-01-01", "reason": " "}, "reason"),
        ({"planned_completion": "2020-01-01", "reason": "x"}, "planned_completion"),
        ({"planned_completion": "2028-06-30", "reason": "x"}, "planned_completion"),
    ):
        response = _api(trainee.user, "POST", path, body)
        assert response.status_code == 422, response.content
        assert field in response.json()["fields"]
    assert not PlannedCompletionChange.objects.exists()


# --- Pages -------------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_trainee_proposes_on_min_st_and_study_director_confirms_on_the_web(trainee, study_director):
    """C5a: the trainee's page, the study director's list of proposals, the decision form."""
    page = _client(trainee.user).get(reverse("accounts:my_st"))
    assert page.status_code == 200
    assert "2028-06-30" in page.content.decode()
    # The page leads on to the whole record (P11-P14 live there).
    assert f'href="{reverse("portfolio:record", args=[trainee.pk])}"' in page.content.decode()
    sent = _client(trainee.user).post(
        reverse("accounts:my_st"),
        {"planned_completion": "2029-03-31", "reason": "Föräldraledighet."},
    )
    assert sent.status_code == 302
    proposal = PlannedCompletionChange.objects.get()
    listing = _client(study_director).get(reverse("accounts:completion_proposals"))
    assert listing.status_code == 200
    assert trainee.user.display_name in listing.content.decode()
    decided = _client(study_director).post(
        reverse("accounts:decide_completion", args=[proposal.pk]),
        {"approved": "yes", "comment": ""},
    )
    assert decided.status_code == 302
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2029, 3, 31)
    history = _client(study_director).get(reverse("accounts:trainee", args=[trainee.pk]))
    assert history.status_code == 200
    assert "Föräldraledighet." in history.content.decode()


def test_pages_refuse_those_who_may_not_decide(trainee, other_area_director, outsider_admin):
    """SPEC 2: another area's study director and another region's staff see no proposal of
    ours and cannot open or change our trainee's history."""
    proposal = completion_services.propose_planned_completion_change(
        actor=trainee.user, trainee=trainee, planned_completion=dt.date(2029, 1, 1), reason="x"
    )
    for user in (other_area_director, outsider_admin):
        listing = _client(user).get(reverse("accounts:completion_proposals"))
        assert listing.status_code == 200
        assert trainee.user.display_name not in listing.content.decode()
        assert _client(user).get(reverse("accounts:trainee", args=[trainee.pk])).status_code == 404
        posted = _client(user).post(
            reverse("accounts:decide_completion", args=[proposal.pk]), {"approved": "yes"}
        )
        assert posted.status_code == 404
    assert _client(trainee.user).get(reverse("accounts:completion_proposals")).status_code == 403
    assert PlannedCompletionChange.objects.get(pk=proposal.pk).status == "proposed"


def test_allocate_dry_run_command_flags_a_date_confirmed_after_the_deadline(
    trainee, study_director, closed_week
):
    """C5a: `stportal allocate WEEK --dry-run` shows the flag read from the history."""
    proposal = completion_services.propose_planned_completion_change(
        actor=trainee.user,
        trainee=trainee,
        planned_completion=dt.date(2029, 3, 31),
        reason="Föräldraledighet.",
        now=AFTER_DEADLINE,
    )
    completion_services.decide_planned_completion_change(
        actor=study_director, change=proposal, approved=True, now=AFTER_DEADLINE
    )
    out = io.StringIO()
    with time_machine.travel(AFTER_DEADLINE, tick=False), translation.override("en"):
        call_command("allocate", str(closed_week.pk), "--dry-run", stdout=out)
    assert "planned completion changed after the deadline" in out.getvalue()
    assert "2029-03-31" in out.getvalue()
