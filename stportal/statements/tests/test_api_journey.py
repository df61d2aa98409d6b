"""The statement journey through the API alone (Appendix A, P5): create, edit, submit, 409
`locked`, sent back, submitted again, reviewed; refusals for the trainee, another supervisor
and another area's study director."""

from __future__ import annotations

import pytest

from stportal.core.models import AuditEvent
from stportal.notifications.models import OutboxMessage
from stportal.statements.tests.conftest import api

TEXT = (
    "Sara har under perioden arbetat självständigt på vårdcentralen och tar ansvar för sina "
    "patienter.\nHon behöver fortsätta utveckla sin handläggning av multisjuka äldre."
)


@pytest.mark.django_db
def test_statement_journey_through_the_api_p5(people, django_capture_on_commit_callbacks):
    owner, supervisor, director = people.owner, people.supervisor, people.area_director
    created = api(
        supervisor,
        "POST",
        "supervisor-statements",
        {
            "trainee_id": owner.pk,
            "text": TEXT,
            "period_from": "2026-01-01",
            "period_to": "2026-06-30",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["trainee_id"] == owner.pk
    sid = body["id"]

    patched = api(supervisor, "PATCH", f"supervisor-statements/{sid}", {"text": TEXT + " Bra."})
    assert patched.status_code == 200 and patched.json()["text"].endswith("Bra.")
    assert patched.json()["period_from"] == "2026-01-01"  # the period stays when not sent

    # The trainee does not see the draft (existence private: 404), nor in their list.
    assert api(owner.user, "GET", f"supervisor-statements/{sid}").status_code == 404
    assert api(owner.user, "GET", f"trainees/{owner.pk}/supervisor-statements").json() == []

    with django_capture_on_commit_callbacks(execute=True):
        submitted = api(supervisor, "POST", f"supervisor-statements/{sid}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "ready_for_review"
    assert OutboxMessage.objects.get(kind="statement_submitted").recipient == director

    locked = api(supervisor, "PATCH", f"supervisor-statements/{sid}", {"text": "Ändrad."})
    assert locked.status_code == 409 and locked.json()["code"] == "locked"

    # The trainee now reads it, but may not review it: 403.
    assert api(owner.user, "GET", f"supervisor-statements/{sid}").status_code == 200
    refused = api(owner.user, "POST", f"supervisor-statements/{sid}/review", {"accepted": True})
    assert refused.status_code == 403
    # The supervisor may not review their own statement either.
    assert (
        api(supervisor, "POST", f"supervisor-statements/{sid}/review", {"accepted": True})
    ).status_code == 403

    no_comment = api(director, "POST", f"supervisor-statements/{sid}/review", {"accepted": False})
    assert no_comment.status_code == 422 and "comment" in no_comment.json()["fields"]

    back = api(
        director,
        "POST",
        f"supervisor-statements/{sid}/review",
        {"accepted": False, "comment": "Beskriv även delmål c4."},
    )
    assert back.status_code == 200
    assert back.json()["status"] == "draft"
    assert back.json()["review_comment"] == "Beskriv även delmål c4."

    again = api(supervisor, "PATCH", f"supervisor-statements/{sid}", {"text": TEXT + " c4 ok."})
    assert again.status_code == 200
    assert api(supervisor, "POST", f"supervisor-statements/{sid}/submit").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = api(
            director,
            "POST",
            f"supervisor-statements/{sid}/review",
            {"accepted": True, "comment": ""},
        )
    assert done.status_code == 200 and done.json()["status"] == "reviewed"
    told = set(
        OutboxMessage.objects.filter(kind="statement_reviewed").values_list("recipient", flat=True)
    )
    assert {supervisor.pk, owner.user.pk} <= told

    detail = api(supervisor, "GET", f"supervisor-statements/{sid}").json()
    events = [v["event"] for v in detail["versions"]]
    assert events == [
        "created",
        "edited",
        "submitted",
        "sent_back",
        "edited",
        "submitted",
        "reviewed",
    ]
    assert [v["number"] for v in detail["versions"]] == list(range(1, 8))
    assert detail["versions"][3]["comment"] == "Beskriv även delmål c4."
    # Every change audited.
    actions = list(
        AuditEvent.objects.filter(object_type="statements.supervisorstatement", object_id=str(sid))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "statement.written",
        "statement.edited",
        "statement.submitted",
        "statement.sent_back",
        "statement.edited",
        "statement.submitted",
        "statement.reviewed",
    ]
    # A reviewed statement is final.
    assert (
        api(director, "POST", f"supervisor-statements/{sid}/review", {"accepted": True})
    ).status_code == 409
    assert (api(supervisor, "PATCH", f"supervisor-statements/{sid}", {"text": "Nytt."})).json()[
        "code"
    ] == "locked"


@pytest.fixture
def submitted(people):
    response = api(
        people.supervisor,
        "POST",
        "supervisor-statements",
        {"trainee_id": people.owner.pk, "text": TEXT},
    )
    sid = response.json()["id"]
    api(people.supervisor, "POST", f"supervisor-statements/{sid}/submit")
    return sid


@pytest.mark.django_db
def test_another_supervisor_is_refused_for_someone_elses_trainee_p5(people, submitted):
    other = people.other_supervisor
    create = api(
        other, "POST", "supervisor-statements", {"trainee_id": people.owner.pk, "text": TEXT}
    )
    assert create.status_code == 404
    assert api(other, "GET", f"supervisor-statements/{submitted}").status_code == 404
    assert (
        api(other, "PATCH", f"supervisor-statements/{submitted}", {"text": "x"}).status_code == 404
    )
    assert api(other, "GET", f"trainees/{people.owner.pk}/supervisor-statements").status_code == 404


@pytest.mark.django_db
def test_a_study_director_of_another_area_is_refused_p5(people, submitted):
    outsider = people.other_area_director
    review = api(outsider, "POST", f"supervisor-statements/{submitted}/review", {"accepted": True})
    assert review.status_code == 404
    assert api(outsider, "GET", f"supervisor-statements/{submitted}").status_code == 404
    b = people.b_regional_director
    assert (
        api(b, "POST", f"supervisor-statements/{submitted}/review", {"accepted": True})
    ).status_code == 404


@pytest.mark.django_db
def test_the_regional_study_director_reviews_and_staff_only_read_p5(people, submitted):
    admin = people.course_admin
    assert api(admin, "GET", f"supervisor-statements/{submitted}").status_code == 200
    assert (
        api(admin, "POST", f"supervisor-statements/{submitted}/review", {"accepted": True})
    ).status_code == 403
    done = api(
        people.regional_director,
        "POST",
        f"supervisor-statements/{submitted}/review",
        {"accepted": True},
    )
    assert done.status_code == 200 and done.json()["status"] == "reviewed"


@pytest.mark.django_db
def test_a_study_director_may_not_write_a_statement_p5(people):
    response = api(
        people.area_director,
        "POST",
        "supervisor-statements",
        {"trainee_id": people.owner.pk, "text": TEXT},
    )
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"text": "x" * 20_001},
        {"text": "Med\x00NUL"},
        {"text": "   "},
        {"text": "ok", "period_from": "0001-01-01"},
        {"text": "ok", "period_from": "2026-06-01", "period_to": "2026-01-01"},
        {"trainee_id": 2**63, "text": "ok"},
    ],
)
def test_bad_input_answers_422_or_404_never_500_p5(people, body):
    payload = {"trainee_id": people.owner.pk, **body}
    response = api(people.supervisor, "POST", "supervisor-statements", payload)
    assert response.status_code == 422, response.content


@pytest.mark.django_db
def test_the_trainees_list_has_a_constant_number_of_queries_p5(
    people, django_assert_max_num_queries
):
    def make(count):
        for n in range(count):
            api(
                people.supervisor,
                "POST",
                "supervisor-statements",
                {"trainee_id": people.owner.pk, "text": f"Utlåtande {n}."},
            )

    make(3)
    with django_assert_max_num_queries(12):
        assert (
            len(
                api(
                    people.supervisor, "GET", f"trainees/{people.owner.pk}/supervisor-statements"
                ).json()
            )
            == 3
        )
    make(27)
    with django_assert_max_num_queries(12):
        assert (
            len(
                api(
                    people.supervisor, "GET", f"trainees/{people.owner.pk}/supervisor-statements"
                ).json()
            )
            == 30
        )
