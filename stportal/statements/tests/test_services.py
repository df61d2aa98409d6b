"""The statement services (P5): who is told, versions kept, and concurrent reviews."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from stportal.accounts.models import Role, RoleAssignment
from stportal.core.errors import NotFound, PermissionDenied, ServiceError
from stportal.curricula.seed import load_seed
from stportal.notifications.models import OutboxMessage
from stportal.statements import selectors, services
from stportal.statements.models import SupervisorStatement
from stportal.testing import factories

TEXT = "Hon arbetar självständigt och är omtyckt av patienterna."


def _submitted(people):
    statement = services.write_statement(actor=people.supervisor, trainee=people.owner, text=TEXT)
    return services.submit_statement(actor=people.supervisor, statement=statement)


@pytest.mark.django_db
def test_submitting_tells_the_study_director_named_on_the_record_and_of_the_area_p5(
    people, django_capture_on_commit_callbacks
):
    named = factories.UserFactory()
    people.owner.study_director = named
    people.owner.save(update_fields=["study_director"])
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(people)
    told = set(
        OutboxMessage.objects.filter(kind="statement_submitted").values_list("recipient", flat=True)
    )
    assert told == {named.pk, people.area_director.pk}


@pytest.mark.django_db
def test_without_a_study_director_the_regional_study_director_is_told_p5(
    people, django_capture_on_commit_callbacks
):
    RoleAssignment.objects.filter(user=people.area_director).delete()
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(people)
    told = list(
        OutboxMessage.objects.filter(kind="statement_submitted").values_list("recipient", flat=True)
    )
    assert told == [people.regional_director.pk]


@pytest.mark.django_db
def test_sending_back_tells_the_supervisor_not_the_trainee_p5(
    people, django_capture_on_commit_callbacks
):
    statement = _submitted(people)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_statement(
            actor=people.area_director, statement=statement, accepted=False, comment="Mer om c4."
        )
    told = list(
        OutboxMessage.objects.filter(kind="statement_reviewed").values_list("recipient", flat=True)
    )
    assert told == [people.supervisor.pk]


@pytest.mark.django_db
def test_only_the_current_supervisor_writes_p5(people):
    statement = services.write_statement(actor=people.supervisor, trainee=people.owner, text=TEXT)
    people.owner.supervisor = people.other_supervisor
    people.owner.save(update_fields=["supervisor"])
    statement = selectors.get_statement_for_user(people.other_supervisor, statement.pk)
    # The former supervisor no longer reaches the record; the new one carries on.
    with pytest.raises(NotFound):
        selectors.get_statement_for_user(people.supervisor, statement.pk)
    with pytest.raises(NotFound):
        services.edit_statement(actor=people.supervisor, statement=statement, text="Ändrat.")
    edited = services.edit_statement(
        actor=people.other_supervisor, statement=statement, text="Ändrat."
    )
    assert edited.versions.last().written_by == people.other_supervisor


@pytest.mark.django_db
def test_a_save_that_changes_nothing_keeps_no_new_version_p5(people):
    statement = services.write_statement(actor=people.supervisor, trainee=people.owner, text=TEXT)
    services.edit_statement(actor=people.supervisor, statement=statement, text=f"  {TEXT} ")
    assert statement.versions.count() == 1


@pytest.mark.django_db
def test_the_trainee_may_neither_write_nor_read_drafts_p5(people):
    with pytest.raises(PermissionDenied):
        services.write_statement(actor=people.owner.user, trainee=people.owner, text=TEXT)
    draft = services.write_statement(actor=people.supervisor, trainee=people.owner, text=TEXT)
    with pytest.raises(NotFound):
        selectors.get_statement_for_user(people.owner.user, draft.pk)


@pytest.fixture
def seeded(transactional_db):
    """The curricula seed again: a transactional test run before this one emptied the tables,
    the migration's seed data with them."""
    load_seed()


@pytest.mark.django_db(transaction=True)
def test_two_reviews_at_once_one_wins_the_other_is_told_p5(seeded, people):
    """STYLE rule 4: compare-and-swap on the state; on PostgreSQL with real threads."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    statement = _submitted(people)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def review(actor, accepted):
        try:
            barrier.wait()
            services.review_statement(
                actor=actor,
                statement=SupervisorStatement.objects.get(pk=statement.pk),
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
    statement.refresh_from_db()
    assert statement.versions.count() == 3  # written, submitted, one review


@pytest.mark.django_db
def test_a_study_director_of_another_region_cannot_reach_the_statement_p5(people, other_region):
    statement = _submitted(people)
    outsider = factories.user_with_role(Role.STUDY_DIRECTOR, region=other_region)
    with pytest.raises(NotFound):
        services.review_statement(actor=outsider, statement=statement, accepted=True)
