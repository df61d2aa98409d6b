"""The supervisor statement pages (P5): write, save, submit and the lock, review, versions side
by side, and who sees what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stportal.statements import services
from stportal.statements.models import SupervisorStatement
from stportal.statements.waiting import waiting_statements as waiting_for

TEXT = "Sara arbetar självständigt.\nHon behöver träna handläggning av multisjuka."


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _write(people, text=TEXT):
    return services.write_statement(actor=people.supervisor, trainee=people.owner, text=text)


@pytest.mark.django_db
def test_the_supervisor_writes_a_draft_then_submits_and_it_is_locked_p5(people):
    client = _client(people.supervisor)
    index = client.get(reverse("statements:index"))
    assert index.status_code == 200
    assert reverse("statements:new", args=[people.owner.pk]) in index.content.decode()

    new = client.post(
        reverse("statements:new", args=[people.owner.pk]),
        {"period_from": "2026-01-01", "period_to": "2026-06-30", "text": TEXT, "action": "save"},
    )
    statement = SupervisorStatement.objects.get()
    assert new.status_code == 302 and statement.status == "draft"
    assert statement.period_to.isoformat() == "2026-06-30"

    page = client.get(reverse("statements:detail", args=[statement.pk]))
    assert 'name="text"' in page.content.decode()

    submitted = client.post(
        reverse("statements:detail", args=[statement.pk]),
        {"text": TEXT + " Klar.", "action": "submit"},
        follow=True,
    )
    statement.refresh_from_db()
    assert statement.status == "ready_for_review" and statement.text.endswith("Klar.")
    body = submitted.content.decode()
    assert 'name="text"' not in body  # the edit form is gone
    assert 'role="status"' in body  # and a message says it is locked

    again = client.post(
        reverse("statements:detail", args=[statement.pk]), {"text": "Ändrad.", "action": "save"}
    )
    statement.refresh_from_db()
    assert again.status_code == 302 and statement.text.endswith("Klar.")


@pytest.mark.django_db
def test_a_bad_form_keeps_the_supervisors_text_p5(people):
    client = _client(people.supervisor)
    response = client.post(
        reverse("statements:new", args=[people.owner.pk]),
        {"period_from": "2026-06-01", "period_to": "2026-01-01", "text": "Min text här."},
    )
    assert response.status_code == 422
    assert "Min text här." in response.content.decode()
    assert not SupervisorStatement.objects.exists()


@pytest.mark.django_db
def test_the_study_director_sends_back_with_a_comment_then_reviews_p5(people):
    statement = _write(people)
    services.submit_statement(actor=people.supervisor, statement=statement)
    client = _client(people.area_director)
    listing = client.get(reverse("statements:review_list"))
    assert reverse("statements:review", args=[statement.pk]) in listing.content.decode()

    no_comment = client.post(
        reverse("statements:review", args=[statement.pk]), {"accepted": "no", "comment": ""}
    )
    assert no_comment.status_code == 422
    statement.refresh_from_db()
    assert statement.status == "ready_for_review"

    back = client.post(
        reverse("statements:review", args=[statement.pk]),
        {"accepted": "no", "comment": "Skriv om delmål c4."},
    )
    statement.refresh_from_db()
    assert back.status_code == 302 and statement.status == "draft"
    assert statement.review_comment == "Skriv om delmål c4."
    # The supervisor sees the comment on the statement page and may edit again.
    page = _client(people.supervisor).get(reverse("statements:detail", args=[statement.pk]))
    assert "Skriv om delmål c4." in page.content.decode()
    assert 'name="text"' in page.content.decode()

    services.submit_statement(actor=people.supervisor, statement=statement)
    done = client.post(reverse("statements:review", args=[statement.pk]), {"accepted": "yes"})
    statement.refresh_from_db()
    assert done.status_code == 302 and statement.status == "reviewed"


@pytest.mark.django_db
def test_the_trainee_sees_a_statement_once_ready_for_review_not_as_a_draft_p5(people):
    statement = _write(people)
    client = _client(people.owner.user)
    assert client.get(reverse("statements:detail", args=[statement.pk])).status_code == 404
    assert TEXT.split("\n")[0] not in client.get(reverse("statements:index")).content.decode()
    services.submit_statement(actor=people.supervisor, statement=statement)
    page = client.get(reverse("statements:detail", args=[statement.pk]))
    assert page.status_code == 200 and "Sara arbetar självständigt." in page.content.decode()
    assert 'name="text"' not in page.content.decode()
    assert 'name="accepted"' not in page.content.decode()
    # The trainee may not review: 403.
    refused = client.post(reverse("statements:review", args=[statement.pk]), {"accepted": "yes"})
    assert refused.status_code == 403


@pytest.mark.django_db
def test_outsiders_are_refused_p5(people):
    statement = _write(people)
    other = _client(people.other_supervisor)
    assert other.get(reverse("statements:new", args=[people.owner.pk])).status_code == 404
    assert other.get(reverse("statements:detail", args=[statement.pk])).status_code == 404
    director = _client(people.area_director)
    assert director.get(reverse("statements:new", args=[people.owner.pk])).status_code == 403
    far = _client(people.other_area_director)
    assert far.get(reverse("statements:detail", args=[statement.pk])).status_code == 404
    services.submit_statement(actor=people.supervisor, statement=statement)
    assert (
        far.post(reverse("statements:review", args=[statement.pk]), {"accepted": "yes"})
    ).status_code == 404
    review_url = reverse("statements:review", args=[statement.pk])
    assert review_url not in far.get(reverse("statements:review_list")).content.decode()


@pytest.mark.django_db
def test_two_versions_side_by_side_with_the_differences_marked_and_escaped_p5(people):
    statement = _write(people, "Första stycket.\nAndra <b>stycket</b>.")
    services.edit_statement(
        actor=people.supervisor,
        statement=statement,
        text="Första stycket.\nAndra <b>stycket</b> <script>alert(1)</script>.",
    )
    client = _client(people.supervisor)
    page = client.get(reverse("statements:compare", args=[statement.pk]), {"a": 1, "b": 2})
    body = page.content.decode()
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.</ins>" in body
    assert "<script>alert" not in body
    assert "Första stycket." in body
    missing = client.get(reverse("statements:compare", args=[statement.pk]), {"a": 1, "b": 9})
    assert missing.status_code == 422


@pytest.mark.django_db
def test_what_waits_for_the_director_and_the_supervisor_p5(people, django_assert_max_num_queries):
    statement = _write(people)
    _write(people, "Ett andra utkast.")
    assert [w.count for w in waiting_for(people.supervisor)] == [2]
    services.submit_statement(actor=people.supervisor, statement=statement)
    with django_assert_max_num_queries(3):
        found = waiting_for(people.area_director)
    assert [(w.count, w.url) for w in found] == [(1, reverse("statements:review_list"))]
    services.review_statement(
        actor=people.area_director, statement=statement, accepted=False, comment="Mer om c4."
    )
    counts = sorted(w.count for w in waiting_for(people.supervisor))
    assert counts == [1, 1]  # one sent back, one draft never sent
    assert waiting_for(people.area_director) == []


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 30])
def test_the_lists_have_a_constant_number_of_queries_p5(
    people, rows, django_assert_max_num_queries
):
    for n in range(rows):
        statement = _write(people, f"Utlåtande {n}.")
        if n % 2:
            services.submit_statement(actor=people.supervisor, statement=statement)
    supervisor, director = _client(people.supervisor), _client(people.area_director)
    with django_assert_max_num_queries(16):
        assert supervisor.get(reverse("statements:index")).status_code == 200
    with django_assert_max_num_queries(16):
        assert director.get(reverse("statements:review_list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert director.get(reverse("statements:detail", args=[statement.pk])).status_code == 200


@pytest.mark.django_db
def test_staff_read_statements_of_their_region_in_the_back_office_read_only_p5(
    people, other_region
):
    from stportal.accounts.models import Role
    from stportal.testing import factories

    statement = _write(people)
    url = reverse("admin:statements_supervisorstatement_change", args=[statement.pk])
    admin = people.course_admin
    page = _client(admin).get(url)
    assert page.status_code == 200 and "Sara arbetar självständigt." in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    outsider = factories.user_with_role(Role.COURSE_ADMIN, region=other_region)
    assert _client(outsider).get(url).status_code in (302, 404)
