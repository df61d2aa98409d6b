"""Every change to the questions and answers (SPEC 5 P10). Each service checks on its own that
the actor is staff of the region, checks the text against its bounds, writes, and records the
audit event (before and after) in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import Region, User
from stportal.core import audit, bounds
from stportal.core.errors import ValidationFailed
from stportal.faq import permissions
from stportal.faq.models import Question

TEXT_FIELDS = ("topic", "topic_en", "question", "question_en", "answer", "answer_en")
FIELDS = (*TEXT_FIELDS, "published", "position")
REQUIRED = ("topic", "question", "answer")
# Changing these is changing the question or its answer: the reader sees a new date.
CONTENT_FIELDS = frozenset(TEXT_FIELDS)
MAX_POSITION = 1_000_000


def _required_message(name: str) -> str:
    if name == "topic":
        return _("Write the topic in Swedish.")
    if name == "question":
        return _("Write the question in Swedish.")
    return _("Write the answer in Swedish.")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        if name not in values:
            continue
        text = "" if values[name] is None else str(values[name]).strip()
        limit = (
            getattr(Question._meta.get_field(name), "max_length", None)
            or bounds.DESCRIPTION_MAX_LENGTH
        )
        if bounds.NUL in text:
            errors[name] = [bounds.nul_message()]
        elif len(text) > limit:
            errors[name] = [_("Write at most %(count)d characters.") % {"count": limit}]
        elif name in REQUIRED and not text:
            errors[name] = [_required_message(name)]
        values[name] = text
    if "published" in values:
        values["published"] = bool(values["published"])
    if "position" in values:
        position = values["position"]
        if not (
            isinstance(position, int)
            and not isinstance(position, bool)
            and 0 <= position <= MAX_POSITION
        ):
            errors["position"] = [
                _("Enter a whole number between 0 and %(max)d.") % {"max": MAX_POSITION}
            ]
    if errors:
        raise ValidationFailed(errors)
    return values


def create_question(
    *,
    actor: User | None,
    region: Region,
    topic: str,
    question: str,
    answer: str,
    topic_en: str = "",
    question_en: str = "",
    answer_en: str = "",
    published: bool = True,
    position: int | None = None,
) -> Question:
    """Add a question and its answer to a region's questions.

    1. Only staff of the region may (404 for staff of another region, 403 for anyone else).
    2. Topic, question and answer in Swedish are required; English is optional.
    3. Without a position it goes last. Created and audited in one transaction.
    """
    permissions.check_edit_questions(actor, region.pk)
    values = _clean(
        {
            "topic": topic,
            "topic_en": topic_en,
            "question": question,
            "question_en": question_en,
            "answer": answer,
            "answer_en": answer_en,
            "published": published,
            **({"position": position} if position is not None else {}),
        }
    )
    with transaction.atomic():
        if "position" not in values:
            last = Question.objects.filter(region=region).aggregate(last=Max("position"))["last"]
            values["position"] = min((last or 0) + 10, MAX_POSITION)
        created = Question.objects.create(
            region=region, updated_at=timezone.now(), updated_by=actor, **values
        )
        audit.record(
            actor=actor,
            action="faq_question.created",
            obj=created,
            after=audit.snapshot(created, ("region_id", *FIELDS)),
        )
    return created


def update_question(
    *, actor: User | None, question: Question, changes: Mapping[str, Any]
) -> Question:
    """Change a question: its texts, whether it is published, its place in the order. A change
    of the texts gives it a new last-updated date; publishing or moving it does not."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValueError(f"not fields of a question: {', '.join(unknown)}")
    permissions.check_edit_questions(actor, question.region_id)
    values = _clean(dict(changes))
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        before = audit.snapshot(locked, FIELDS)
        for name, value in values.items():
            setattr(locked, name, value)
        after = audit.snapshot(locked, FIELDS)
        changed = [name for name in FIELDS if before[name] != after[name]]
        if not changed:
            return locked
        if CONTENT_FIELDS & set(changed):
            locked.updated_at = timezone.now()
            locked.updated_by = actor
        locked.save()
        audit.record(
            actor=actor,
            action="faq_question.changed",
            obj=locked,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return locked


def remove_question(*, actor: User | None, question: Question) -> None:
    permissions.check_edit_questions(actor, question.region_id)
    with transaction.atomic():
        locked = Question.objects.select_for_update().filter(pk=question.pk).first()
        if locked is None:
            return
        audit.record(
            actor=actor,
            action="faq_question.removed",
            obj=locked,
            before=audit.snapshot(locked, ("region_id", *FIELDS)),
        )
        locked.delete()
