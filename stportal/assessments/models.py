"""Competence assessments (kompetensbedömningar, SPEC 5 P12) and each region's expectation of
how many a trainee completes a year.

An assessment changes only through `assessments.services` (state by compare-and-swap, each
change audited). The assessor's link is a random token sent by e-mail; only its SHA-256 digest
is stored, so a copy of the database opens no form.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stportal.assessments import rules
from stportal.core import bounds

NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
CONTEXT_MAX_LENGTH = bounds.NOTE_MAX_LENGTH
FEEDBACK_MAX_LENGTH = 10_000
GOAL_CODE_MAX_LENGTH = 20
MAX_GOALS = 30
MAX_PER_YEAR = 100


class Kind(models.TextChoices):
    MINI_CEX = rules.MINI_CEX, _("Mini-CEX")
    CBD = rules.CBD, _("CBD (case-based discussion)")
    DOPS = rules.DOPS, _("DOPS (direct observation of procedural skills)")
    MSF = rules.MSF, _("360° (multi-source feedback)")


class Independence(models.TextChoices):
    DIRECT_SUPERVISION = rules.DIRECT_SUPERVISION, _("Under direct supervision")
    SUPERVISION_ON_REQUEST = rules.SUPERVISION_ON_REQUEST, _("With supervision when needed")
    INDEPENDENT = rules.INDEPENDENT, _("Independently")


class Status(models.TextChoices):
    REQUESTED = rules.REQUESTED, _("Waiting for the assessor")
    COMPLETED = rules.COMPLETED, _("Completed")
    WITHDRAWN = rules.WITHDRAWN, _("Withdrawn")


class Assessment(models.Model):
    """One assessment the trainee asked an assessor for, and the assessor's judgement.

    `goal_codes` are the goals the trainee named; `assessed_goal_codes` those the assessor
    confirmed when completing (the assessed situation may have touched fewer).
    """

    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    goal_codes = models.JSONField(_("goals"), default=list)
    context = models.TextField(_("situation or context"), max_length=CONTEXT_MAX_LENGTH, blank=True)
    assessor_name = models.CharField(_("assessor's name"), max_length=NAME_MAX_LENGTH)
    assessor_email = models.EmailField(_("assessor's e-mail"), max_length=EMAIL_MAX_LENGTH)
    # SHA-256 of the link's token; replaced when the link is sent again, kept after use so
    # that a used link answers "already completed" rather than "unknown".
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    link_sent_at = models.DateTimeField(_("link sent"))
    link_expires_at = models.DateTimeField(_("link expires"))
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    created_at = models.DateTimeField(_("requested"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by (account)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_on = models.DateField(_("date of the assessment"), null=True, blank=True)
    independence = models.CharField(
        _("degree of independence"), max_length=30, choices=Independence.choices, blank=True
    )
    feedback = models.TextField(_("feedback"), max_length=FEEDBACK_MAX_LENGTH, blank=True)
    assessed_goal_codes = models.JSONField(_("assessed goals"), default=list)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    # The token of a link just made, held in memory only (for the e-mail, the demo and tests):
    # it is never stored.
    fresh_token: str = ""

    class Meta:
        verbose_name = _("competence assessment")
        verbose_name_plural = _("competence assessments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["trainee", "status"]),
            models.Index(fields=["status", "assessor_email"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d} ({self.status})"

    @property
    def goals_shown(self) -> list[str]:
        """The goals the assessment is tagged with: those the assessor confirmed once it is
        completed, else those the trainee named."""
        if self.status == rules.COMPLETED and self.assessed_goal_codes:
            return [str(code) for code in self.assessed_goal_codes]
        return [str(code) for code in self.goal_codes]


class RegionExpectation(models.Model):
    """How many completed assessments a trainee of the region is expected to have a year
    (SPEC 5 P12: "a setting, for example at least four a year"). Without a row the
    installation's `STPORTAL_ASSESSMENTS_PER_YEAR` applies. Edited by the region's staff in
    the back office, with its history."""

    region = models.OneToOneField(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="assessment_expectation",
    )
    per_year = models.PositiveSmallIntegerField(
        _("assessments expected a year"),
        validators=[MaxValueValidator(MAX_PER_YEAR)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expected assessments a year")
        verbose_name_plural = _("expected assessments a year")

    def __str__(self) -> str:
        return f"{self.region}: {self.per_year}"
