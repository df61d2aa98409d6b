"""Questions and answers (SPEC 5 P10): per region, by topic, in Swedish and English, edited by
the region's staff and searchable by everyone of the region."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import Region
from stportal.core import bounds


class Question(models.Model):
    """One question with its answer. The Swedish text is required; the English is shown to
    readers who chose English, and the Swedish where the English is missing."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic (Swedish)"), max_length=100)
    topic_en = models.CharField(_("topic (English)"), max_length=100, blank=True)
    question = models.CharField(_("question (Swedish)"), max_length=300)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    answer = models.TextField(_("answer (Swedish)"), max_length=bounds.DESCRIPTION_MAX_LENGTH)
    answer_en = models.TextField(
        _("answer (English)"), max_length=bounds.DESCRIPTION_MAX_LENGTH, blank=True
    )
    published = models.BooleanField(_("published"), default=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("last updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions and answers")
        ordering = ["region", "position", "pk"]

    def __str__(self) -> str:
        return self.question

    def _in_language(self, swedish: str, english: str) -> str:
        language = (get_language() or "sv").split("-")[0]
        return english if language == "en" and english else swedish

    @property
    def shown_topic(self) -> str:
        return self._in_language(self.topic, self.topic_en)

    @property
    def shown_question(self) -> str:
        return self._in_language(self.question, self.question_en)

    @property
    def shown_answer(self) -> str:
        return self._in_language(self.answer, self.answer_en)
