"""Supervisor statements (handledarutlåtanden, P5) and every version of them.

A statement changes only through `statements.services` (states by compare-and-swap, audited);
each save of the text, each submit and each review keeps a `StatementVersion`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import TraineeProfile
from stportal.core import bounds
from stportal.statements import workflow

# A statement is a page or two of prose; far more is a paste gone wrong.
TEXT_MAX_LENGTH = 20_000


class StatementStatus(models.TextChoices):
    DRAFT = workflow.DRAFT, _("Draft")
    READY_FOR_REVIEW = workflow.READY_FOR_REVIEW, _("Ready for review")
    REVIEWED = workflow.REVIEWED, _("Reviewed")


class VersionEvent(models.TextChoices):
    """What made a version: the first text, a later save, a submit, or a review."""

    CREATED = "created", _("Written")
    EDITED = "edited", _("Saved")
    SUBMITTED = "submitted", _("Marked ready for review")
    REVIEWED = "reviewed", _("Reviewed")
    SENT_BACK = "sent_back", _("Sent back to draft")


class SupervisorStatement(models.Model):
    trainee = models.ForeignKey(
        TraineeProfile,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="supervisor_statements",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period to"), null=True, blank=True)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StatementStatus.choices,
        default=StatementStatus.DRAFT,
    )
    # The number of the newest version; every write moves it on by one.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    submitted_at = models.DateTimeField(_("marked ready for review"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(
        _("review comment"), max_length=bounds.NOTE_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("supervisor statement")
        verbose_name_plural = _("supervisor statements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["trainee", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee} {self.created_at:%Y-%m-%d} ({self.status})"


class StatementVersion(models.Model):
    statement = models.ForeignKey(
        SupervisorStatement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("number"))
    event = models.CharField(_("event"), max_length=20, choices=VersionEvent.choices)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=20, choices=StatementStatus.choices)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("when"))
    comment = models.TextField(_("comment"), max_length=bounds.NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("statement version")
        verbose_name_plural = _("statement versions")
        ordering = ["statement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"], name="statement_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} v{self.number}"
