"""Questions and answers (SPEC 5 P10): the published questions of the caller's regions, in the
caller's language (Swedish where no English is written), searchable by words and topic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from stportal.api.auth import AUTH, caller
from stportal.api.types import ShortText
from stportal.core.dates import local_date
from stportal.faq import selectors
from stportal.faq.models import Question

router = Router(tags=["faq"])


class QuestionOut(Schema):
    id: int
    region_id: int
    topic: str = Field(description="In the caller's language, Swedish where no English.")
    question: str
    answer: str = Field(description="Plain text: blank lines between paragraphs.")
    language: str = Field(description="`sv` or `en`: the language of these texts.")
    updated_on: dt.date = Field(description="The answer's last-updated date (Swedish time).")
    url: str = Field(description="The question on the questions-and-answers page.")

    @staticmethod
    def resolve_topic(obj: Any) -> str:
        return obj.shown_topic

    @staticmethod
    def resolve_question(obj: Any) -> str:
        return obj.shown_question

    @staticmethod
    def resolve_answer(obj: Any) -> str:
        return obj.shown_answer

    @staticmethod
    def resolve_language(obj: Any) -> str:
        wanted = (get_language() or "sv").split("-")[0]
        return "en" if wanted == "en" and obj.question_en and obj.answer_en else "sv"

    @staticmethod
    def resolve_updated_on(obj: Any) -> dt.date:
        return local_date(obj.updated_at)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"{reverse('faq:questions')}#fraga-{obj.pk}"


class FaqQuery(Schema):
    q: ShortText = Field("", description="Words found in the question or the answer.")  # type: ignore[valid-type]
    topic: ShortText = Field("", description="A topic, by its Swedish or English name.")  # type: ignore[valid-type]


@router.get(
    "/faq",
    auth=AUTH,
    response=list[QuestionOut],
    summary="Questions and answers of the caller's regions",
)
def list_questions(request: HttpRequest, filters: Query[FaqQuery]) -> list[Question]:
    found = selectors.questions_for(caller(request), query=filters.q, topic=filters.topic)
    return [question for group in found.groups for question in group.questions]
