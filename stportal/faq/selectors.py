"""Reads of the questions and answers (SPEC 5 P10), in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from stportal.accounts.models import User
from stportal.core.errors import NotFound
from stportal.core.textsearch import matches, terms
from stportal.faq import permissions
from stportal.faq.models import Question


@dataclass
class TopicGroup:
    topic: str
    questions: list[Question] = field(default_factory=list)


@dataclass(frozen=True)
class Questions:
    groups: list[TopicGroup]
    topics: list[str]  # every topic of the reader's questions, for the filter
    count: int
    editor: bool  # the reader edits the questions of one of the regions


def _topic_matches(question: Question, topic: str) -> bool:
    wanted = topic.strip().casefold()
    return wanted in (question.topic.casefold(), question.topic_en.casefold())


def published_questions(user: User) -> QuerySet[Question]:
    return Question.objects.filter(
        region_id__in=permissions.reader_region_ids(user), published=True
    ).order_by("region_id", "position", "pk")


def questions_for(user: User, *, query: str = "", topic: str = "") -> Questions:
    """The published questions of the person's regions, grouped by topic in the order staff
    gave them; narrowed by the words of `query` (found in the question or the answer, in
    Swedish or English) and by topic (its Swedish or English name)."""
    everything = list(published_questions(user))
    words = terms(query)
    found = [
        q
        for q in everything
        if (not topic or _topic_matches(q, topic))
        and matches(words, (q.question, q.question_en, q.answer, q.answer_en))
    ]
    groups: dict[str, TopicGroup] = {}
    for question in found:
        shown = question.shown_topic
        groups.setdefault(shown.casefold(), TopicGroup(shown)).questions.append(question)
    topics: dict[str, str] = {}
    for question in everything:
        topics.setdefault(question.shown_topic.casefold(), question.shown_topic)
    return Questions(
        groups=list(groups.values()),
        topics=list(topics.values()),
        count=len(found),
        editor=bool(permissions.editor_region_ids(user) or user.is_superuser),
    )


def questions_for_editor(user: User) -> QuerySet[Question]:
    """Every question, published or not, of the regions where the person edits them."""
    permissions.check_editor(user)
    queryset = Question.objects.select_related("region", "updated_by")
    if not user.is_superuser:
        queryset = queryset.filter(region_id__in=permissions.editor_region_ids(user))
    return queryset.order_by("region__name", "position", "pk")


def get_question_for_editor(user: User, question_id: int) -> Question:
    """A question the person may change: 403 for someone who edits nowhere, 404 for one outside
    their regions or unknown."""
    permissions.check_editor(user)
    question = Question.objects.select_related("region").filter(pk=question_id).first()
    if question is None or not permissions.may_edit_questions(user, question.region_id):
        raise NotFound()
    return question
