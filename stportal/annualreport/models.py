"""Annual reports (årsrapporter, SPEC 5 P13) and every version of them.

A report changes only through `annualreport.services` (states by compare-and-swap, audited);
each save, refresh of the sections, submit and review keeps an `AnnualReportVersion`.
The sections of the year are frozen as JSON when the report is assembled, so a report reads
the same whatever happens to the record later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import TraineeProfile
from stportal.core import bounds
from stportal.statements import workflow

# Each part is a page or two of prose; far more is a paste gone wrong.
TEXT_MAX_LENGTH = 20_000


class ReportStatus(models.TextChoices):
    DRAFT = workflow.DRAFT, _("Draft")
    READY_FOR_REVIEW = workflow.READY_FOR_REVIEW, _("Ready for review")
    REVIEWED = workflow.REVIEWED, _("Reviewed")


class ReportEvent(models.TextChoices):
    """What made a version."""

    CREATED = "created", _("Assembled")
    EDITED = "edited", _("Saved")
    REFRESHED = "refreshed", _("Sections refreshed")
    SUBMITTED = "submitted", _("Marked ready for review")
    REVIEWED = "reviewed", _("Reviewed")
    SENT_BACK = "sent_back", _("Sent back to draft")


class AnnualReport(models.Model):
    trainee = models.ForeignKey(
        TraineeProfile,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    # [{key, title, lines, order, empty_text}] as the sections said when assembled.
    sections = models.JSONField(_("sections"), default=list)
    sections_at = models.DateTimeField(_("sections assembled"))
    trainee_text = models.TextField(_("trainee's reflection"), blank=True)
    supervisor_text = models.TextField(_("supervisor's assessment"), blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessment written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The number of the newest version; every write moves it on by one.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    submitted_at = models.DateTimeField(_("marked ready for review"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked ready by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "year"], name="annual_report_one_per_year")
        ]
        indexes = [models.Index(fields=["trainee", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee} {self.year} ({self.status})"


class AnnualReportVersion(models.Model):
    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("annual report"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("number"))
    event = models.CharField(_("event"), max_length=20, choices=ReportEvent.choices)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices)
    sections = models.JSONField(_("sections"), default=list)
    trainee_text = models.TextField(_("trainee's reflection"), blank=True)
    supervisor_text = models.TextField(_("supervisor's assessment"), blank=True)
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
        verbose_name = _("annual report version")
        verbose_name_plural = _("annual report versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="annual_report_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"
