"""Questions and answers (SPEC 5 P10): staff of the region edit them on the product's pages,
audited; everyone of the region searches them, in Swedish or English, each with its
last-updated date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from stportal.accounts.tokens import issue_api_token
from stportal.core.dates import STOCKHOLM
from stportal.core.errors import NotFound, PermissionDenied, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.faq import selectors, services, text
from stportal.faq.models import Question

pytestmark = pytest.mark.django_db


def ask(actor, region, question="Hur anmäler jag mig till en kurs?", **extra):
    values = {
        "topic": "Kurser",
        "topic_en": "Courses",
        "answer": "På kursgivarens webbplats.",
        "question_en": "How do I register for a course?",
        "answer_en": "On the provider's website.",
        **extra,
    }
    return services.create_question(actor=actor, region=region, question=question, **values)


def test_staff_add_a_question_and_it_is_audited_p10(region, course_admin):
    question = ask(course_admin, region)
    event = AuditEvent.objects.get(action="faq_question.created")
    assert event.actor == course_admin and event.object_id == str(question.pk)


def test_a_trainee_may_not_edit_questions_p10(region, trainee, course_admin):
    with pytest.raises(PermissionDenied):
        ask(trainee.user, region)
    question = ask(course_admin, region)
    with pytest.raises(PermissionDenied):
        services.update_question(actor=trainee.user, question=question, changes={"answer": "x"})


def test_staff_of_another_region_cannot_see_or_change_our_questions_p10(
    region, course_admin, outsider_admin
):
    question = ask(course_admin, region)
    with pytest.raises(NotFound):
        services.remove_question(actor=outsider_admin, question=question)
    with pytest.raises(NotFound):
        selectors.get_question_for_editor(outsider_admin, question.pk)
    assert selectors.questions_for(outsider_admin).count == 0


def test_the_swedish_question_and_answer_are_required_p10(region, course_admin):
    with pytest.raises(ValidationFailed) as caught:
        ask(course_admin, region, question=" ", answer="", topic="Kurser\x00")
    assert set(caught.value.fields) == {"question", "answer", "topic"}


def test_changing_the_answer_gives_a_new_date_but_publishing_does_not_p10(region, course_admin):
    with time_machine.travel(dt.datetime(2027, 3, 1, 10, tzinfo=STOCKHOLM), tick=False):
        question = ask(course_admin, region)
    with time_machine.travel(dt.datetime(2027, 4, 1, 10, tzinfo=STOCKHOLM), tick=False):
        services.update_question(
            actor=course_admin, question=question, changes={"published": False}
        )
    question.refresh_from_db()
    assert question.updated_at.astimezone(STOCKHOLM).date() == dt.date(2027, 3, 1)
    with time_machine.travel(dt.datetime(2027, 5, 2, 10, tzinfo=STOCKHOLM), tick=False):
        services.update_question(actor=course_admin, question=question, changes={"answer": "Nytt"})
    question.refresh_from_db()
    assert question.updated_at.astimezone(STOCKHOLM).date() == dt.date(2027, 5, 2)
    event = AuditEvent.objects.filter(action="faq_question.changed").latest("pk")
    assert event.before == {"answer": "På kursgivarens webbplats."} and event.after == {
        "answer": "Nytt"
    }


def test_search_finds_words_in_question_or_answer_in_either_language_p10(
    region, course_admin, trainee
):
    ask(course_admin, region)
    ask(
        course_admin,
        region,
        "Vad är fakturaadressen?",
        topic="Fakturering",
        answer="Se ansökan.",
        answer_en="See the application.",
    )
    found = selectors.questions_for(trainee.user, query="WEBBPLATS")
    assert [q.question for g in found.groups for q in g.questions] == [
        "Hur anmäler jag mig till en kurs?"
    ]
    assert selectors.questions_for(trainee.user, query="provider's").count == 1
    assert selectors.questions_for(trainee.user, topic="Invoicing").count == 0
    assert selectors.questions_for(trainee.user, topic="Fakturering").count == 1


def test_unpublished_questions_are_hidden_from_readers_p10(region, course_admin, trainee):
    ask(course_admin, region, published=False)
    assert selectors.questions_for(trainee.user).count == 0
    assert len(selectors.questions_for_editor(course_admin)) == 1


def test_the_reader_sees_english_where_written_and_swedish_otherwise_p10(region, course_admin):
    both = ask(course_admin, region)
    only_swedish = ask(course_admin, region, "Bara svenska?", question_en="", answer_en="")
    with translation.override("en"):
        assert both.shown_question == "How do I register for a course?"
        assert only_swedish.shown_question == "Bara svenska?"
    with translation.override("sv"):
        assert both.shown_answer == "På kursgivarens webbplats."


def test_an_answer_is_laid_out_as_paragraphs_and_lists_p10():
    blocks = text.blocks("Till exempel:\n- planera\n- läsa\n\nSlut.")
    assert blocks == [
        text.Block("p", ("Till exempel:",)),
        text.Block("ul", ("planera", "läsa")),
        text.Block("p", ("Slut.",)),
    ]


@given(st.text(max_size=200))
def test_laying_out_an_answer_loses_no_word_p10(answer):
    laid_out = " ".join(line for block in text.blocks(answer) for line in block.lines)
    for word in answer.replace("\r", " ").split():
        if word in ("-", "•", "*"):
            continue
        assert word.lstrip("-•*") in laid_out or word in laid_out


# --- Pages ------------------------------------------------------------------------------------


def test_course_admin_edits_an_answer_on_the_page_and_a_trainee_finds_it_p10(
    client, region, course_admin, trainee
):
    question = ask(course_admin, region)
    client.force_login(course_admin)
    edit_url = reverse("faq:edit", args=[question.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "topic": "Kurser",
            "topic_en": "Courses",
            "question": question.question,
            "question_en": question.question_en,
            "answer": "Anmäl dig hos kursgivaren, länken finns i kurskatalogen.",
            "answer_en": "",
            "position": "10",
            "published": "on",
        },
        follow=True,
    )
    assert "Frågan är sparad." in response.content.decode()
    client.force_login(trainee.user)
    page = client.get(reverse("faq:questions"), {"q": "länken"}).content.decode()
    assert "länken finns i kurskatalogen" in page
    assert f'id="fraga-{question.pk}"' in page


def test_a_form_error_keeps_what_was_written_p10(client, region, course_admin):
    client.force_login(course_admin)
    response = client.post(
        reverse("faq:create"),
        {"region": region.pk, "topic": "Kurser", "question": "Min fråga", "answer": ""},
    )
    assert response.status_code == 422
    assert "Min fråga" in response.content.decode()
    assert not Question.objects.exists()


def test_staff_remove_a_question_after_confirming_p10(client, region, course_admin):
    question = ask(course_admin, region)
    client.force_login(course_admin)
    url = reverse("faq:remove", args=[question.pk])
    assert client.get(url).status_code == 200
    client.post(url)
    assert not Question.objects.exists()
    assert AuditEvent.objects.filter(action="faq_question.removed").exists()


def test_the_questions_page_answers_in_constant_queries_p10(
    client, region, course_admin, trainee, django_assert_max_num_queries
):
    client.force_login(trainee.user)

    def count(n: int) -> int:
        for number in range(n):
            ask(course_admin, region, f"Fråga {number}?", topic=f"Ämne {number % 4}")
        with django_assert_max_num_queries(30) as captured:
            response = client.get(reverse("faq:questions"), {"q": "fråga"})
        assert response.status_code == 200
        return len(captured.captured_queries)

    assert count(3) == count(30)


def test_the_information_page_links_to_the_questions_p10(client, region):
    page = client.get(reverse("courses:info"), {"region": region.code}).content.decode()
    assert reverse("faq:questions") in page


# --- API --------------------------------------------------------------------------------------


def test_api_lists_the_questions_in_the_callers_language_p10(region, course_admin, trainee):
    ask(course_admin, region)
    token = issue_api_token(actor=None, user=trainee.user)
    client = Client()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    found = client.get("/api/v1/faq", {"q": "register"}, headers=headers).json()
    assert [(q["question"], q["topic"]) for q in found] == [
        ("How do I register for a course?", "Courses")
    ]
    assert found[0]["url"].endswith(f"#fraga-{found[0]['id']}")


def test_absurd_input_is_refused_without_a_server_error_p10(client, region, course_admin):
    client.force_login(course_admin)
    huge = client.post(
        reverse("faq:create"),
        {"region": "9" * 40, "topic": "Kurser", "question": "Fråga", "answer": "Svar"},
    )
    assert huge.status_code == 404
    assert client.get(reverse("faq:questions"), {"q": "a\x00b"}).status_code == 400
    assert client.get(reverse("faq:questions"), {"topic": "x" * 5000}).status_code == 422
    long_answer = client.post(
        reverse("faq:create"),
        {"region": region.pk, "topic": "Kurser", "question": "Fråga", "answer": "x" * 20_000},
    )
    assert long_answer.status_code == 422
    assert not Question.objects.exists()
