"""The annual report services (SPEC 5 P13): the statement's states, every version kept, who
writes which part, who submits and reviews, who is told, and concurrent reviews."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from stportal.accounts.models import Role, RoleAssignment
from stportal.annualreport import services
from stportal.annualreport.models import AnnualReport
from stportal.annualreport.tests.conftest import (
    ASSESSMENT,
    REFLECTION,
    YEAR,
    completed,
    draft,
    submitted,
)
from stportal.core.dates import start_of_day
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.curricula.seed import load_seed
from stportal.notifications.models import OutboxMessage
from stportal.statements import services as statement_services
from stportal.testing import factories


@pytest.mark.django_db
def test_the_trainee_assembles_a_draft_for_a_calendar_year_p13(people):
    report = draft(people)
    assert report.status == "draft" and report.version == 1
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (
        "2026-01-01",
        "2026-12-31",
    )
    keys = [s["key"] for s in report.sections]
    for key in ("course_weeks", "course_certificates", "st_days", "funded_courses", "statements"):
        assert key in keys
    assert [v.event for v in report.versions.all()] == ["created"]


@pytest.mark.django_db
def test_one_report_per_year_p13(people):
    report = draft(people)
    with pytest.raises(ServiceError) as refused:
        draft(people)
    assert refused.value.code == "report_exists"
    assert refused.value.extra == {"existing_report_id": report.pk}
    with pytest.raises(ValidationFailed):
        draft(people, year=1999)


@pytest.mark.django_db
def test_only_the_trainee_assembles_it_p13(people):
    with pytest.raises(PermissionDenied):
        services.create_report(actor=people.supervisor, trainee=people.owner, year=YEAR)
    with pytest.raises(NotFound):
        services.create_report(actor=people.neighbour.user, trainee=people.owner, year=YEAR)


@pytest.mark.django_db
def test_each_part_is_written_only_by_its_author_p13(people):
    report = draft(people)
    report = services.write_part(actor=people.owner.user, report=report, text=REFLECTION)
    report = services.write_part(actor=people.supervisor, report=report, text=ASSESSMENT)
    report.refresh_from_db()
    assert (report.trainee_text, report.supervisor_text) == (REFLECTION, ASSESSMENT)
    assert report.supervisor == people.supervisor
    # The study director reads it but writes neither part; others do not reach it.
    with pytest.raises(PermissionDenied):
        services.write_part(actor=people.area_director, report=report, text="Nej.")
    for outsider in (people.neighbour.user, people.other_supervisor, people.b_regional_director):
        with pytest.raises(NotFound):
            services.write_part(actor=outsider, report=report, text="Nej.")
    assert [v.event for v in report.versions.order_by("number")] == ["created", "edited", "edited"]


@pytest.mark.django_db
def test_the_supervisor_submits_once_both_parts_are_written_p13(people):
    report = draft(people)
    report = services.write_part(actor=people.supervisor, report=report, text=ASSESSMENT)
    with pytest.raises(ValidationFailed) as refused:
        services.submit_report(actor=people.supervisor, report=report)
    assert list(refused.value.fields) == ["trainee_text"]
    report = services.write_part(actor=people.owner.user, report=report, text=REFLECTION)
    with pytest.raises(PermissionDenied):
        services.submit_report(actor=people.owner.user, report=report)
    report = services.submit_report(actor=people.supervisor, report=report)
    assert report.status == "ready_for_review" and report.submitted_by == people.supervisor


@pytest.mark.django_db
def test_a_submitted_report_is_locked_for_both_authors_p13(people):
    report = submitted(people)
    for author in (people.owner.user, people.supervisor):
        with pytest.raises(ServiceError) as refused:
            services.write_part(actor=author, report=report, text="Ändrat.")
        assert refused.value.code == "locked"
    with pytest.raises(ServiceError) as refused:
        services.refresh_sections(actor=people.owner.user, report=report)
    assert refused.value.code == "locked"


@pytest.mark.django_db
def test_sent_back_with_a_comment_then_reviewed_every_version_kept_p13(
    people, django_capture_on_commit_callbacks
):
    report = submitted(people)
    with pytest.raises(ValidationFailed) as refused:
        services.review_report(actor=people.area_director, report=report, accepted=False)
    assert list(refused.value.fields) == ["comment"]
    with pytest.raises(PermissionDenied):
        services.review_report(actor=people.supervisor, report=report, accepted=True)
    report = services.review_report(
        actor=people.area_director, report=report, accepted=False, comment="Skriv om målen."
    )
    assert report.status == "draft" and report.review_comment == "Skriv om målen."
    report = services.write_part(
        actor=people.owner.user, report=report, text=REFLECTION + "\nMål: c4 och c7."
    )
    report = services.submit_report(actor=people.supervisor, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.review_report(actor=people.area_director, report=report, accepted=True)
    report.refresh_from_db()
    assert report.status == "reviewed" and report.reviewed_by == people.area_director
    events = [v.event for v in report.versions.order_by("number")]
    assert events == [
        "created",
        "edited",
        "edited",
        "submitted",
        "sent_back",
        "edited",
        "submitted",
        "reviewed",
    ]
    assert report.versions.get(number=2).trainee_text == REFLECTION
    # A reviewed report is final.
    with pytest.raises(ServiceError) as final:
        services.review_report(
            actor=people.area_director, report=report, accepted=False, comment="x"
        )
    assert final.value.code == "invalid_transition"
    told = set(
        OutboxMessage.objects.filter(kind="annual_report_reviewed").values_list(
            "recipient", flat=True
        )
    )
    assert told == {people.owner.user.pk, people.supervisor.pk}


@pytest.mark.django_db
def test_submitting_tells_the_study_director_and_the_trainee_p13(
    people, django_capture_on_commit_callbacks
):
    report = completed(people)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(actor=people.supervisor, report=report)
    told = set(
        OutboxMessage.objects.filter(kind="annual_report_submitted").values_list(
            "recipient", flat=True
        )
    )
    assert told == {people.area_director.pk, people.owner.user.pk}


@pytest.mark.django_db
def test_without_an_area_director_the_regional_study_director_reviews_and_is_told_p13(
    people, django_capture_on_commit_callbacks
):
    RoleAssignment.objects.filter(user=people.area_director).delete()
    with django_capture_on_commit_callbacks(execute=True):
        report = submitted(people)
    told = set(
        OutboxMessage.objects.filter(kind="annual_report_submitted").values_list(
            "recipient", flat=True
        )
    )
    assert told == {people.regional_director.pk, people.owner.user.pk}
    reviewed = services.review_report(actor=people.regional_director, report=report, accepted=True)
    assert reviewed.status == "reviewed"
    with pytest.raises(NotFound):
        services.review_report(actor=people.b_regional_director, report=report, accepted=True)


@pytest.mark.django_db
def test_refreshing_the_sections_brings_in_what_happened_since_p13(people):
    """A statement reviewed after the report was assembled is in it once refreshed."""
    report = draft(people)
    statement = statement_services.write_statement(
        actor=people.supervisor, trainee=people.owner, text="Bra år."
    )
    statement = statement_services.submit_statement(actor=people.supervisor, statement=statement)
    statement_services.review_statement(
        actor=people.area_director,
        statement=statement,
        accepted=True,
        now=start_of_day(dt.date(YEAR, 6, 1)) + dt.timedelta(hours=10),
    )
    frozen = {s["key"]: s for s in report.sections}["statements"]
    assert frozen["lines"] == []
    report = services.refresh_sections(actor=people.supervisor, report=report)
    lines = {s["key"]: s for s in report.sections}["statements"]["lines"]
    assert len(lines) == 1 and "Hanna Handledare" in lines[0]
    assert report.versions.order_by("-number").first().event == "refreshed"
    # Nothing new: no new version.
    again = services.refresh_sections(actor=people.owner.user, report=report)
    assert again.version == report.version


@pytest.fixture
def seeded(transactional_db):
    """The curricula seed again: a transactional test run before this one emptied the tables,
    the migration's seed data with them."""
    load_seed()


@pytest.mark.django_db(transaction=True)
def test_two_reviews_at_once_one_wins_the_other_is_told_p13(seeded, people):
    """STYLE rule 4: compare-and-swap on the state; on PostgreSQL with real threads."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    report = submitted(people)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def review(actor, accepted):
        try:
            barrier.wait()
            services.review_report(
                actor=actor,
                report=AnnualReport.objects.get(pk=report.pk),
                accepted=accepted,
                comment="" if accepted else "Komplettera.",
            )
            results.append("ok")
        except ServiceError as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=review, args=(people.area_director, True)),
        threading.Thread(target=review, args=(people.regional_director, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["invalid_transition", "ok"]
    # assembled, two parts written, submitted, one review
    assert AnnualReport.objects.get(pk=report.pk).versions.count() == 5


@pytest.mark.django_db
def test_a_study_director_of_another_area_cannot_review_p13(people):
    report = submitted(people)
    with pytest.raises(NotFound):
        services.review_report(actor=people.other_area_director, report=report, accepted=True)
    outsider = factories.user_with_role(Role.STUDY_DIRECTOR, region=people.owner.home_unit.region)
    with pytest.raises(NotFound):
        services.review_report(actor=outsider, report=report, accepted=True)
