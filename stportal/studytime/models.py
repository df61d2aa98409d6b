"""Study time (SPEC 5 P6): what the trainee used the weekly study time for.

The entitlement is computed (`studytime.rules`), never stored. What the trainee logs are
entries: a day, hours in quarter hours, an activity from seed 004's list and a note. The
activities are reference data (seeded by a data migration, editable in the admin).
Entries change only through `studytime.services`, each change audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stportal.core import bounds

# One entry holds at most a working day of study time; finer than a quarter hour is noise.
MAX_ENTRY_HOURS = Decimal(8)
HOURS_STEP = Decimal("0.25")
NAME_MAX_LENGTH = 120


class StudyActivity(models.Model):
    """What study time may go to (seed 004 "Vad ska jag ägna kompetensutvecklingstiden åt?")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Swedish)"), max_length=NAME_MAX_LENGTH)
    name_en = models.CharField(_("name (English)"), max_length=NAME_MAX_LENGTH, blank=True)
    description = models.TextField(_("description"), max_length=bounds.NOTE_MAX_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Only active activities are offered for new entries."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("study activity")
        verbose_name_plural = _("study activities")
        ordering = ["position", "name", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (Swedish unless English is asked for and given)."""
        language = get_language() or "sv"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class StudyTimeEntry(models.Model):
    """Study time the trainee used: on which day, how many hours, for what."""

    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="study_time_entries",
    )
    day = models.DateField(_("date"), validators=[bounds.validate_date_in_range])
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    activity = models.ForeignKey(
        StudyActivity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    note = models.TextField(_("note"), max_length=bounds.NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("logged"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("study time entry")
        verbose_name_plural = _("study time entries")
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["trainee", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=MAX_ENTRY_HOURS),
                name="study_time_entry_hours_in_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()}: {self.hours} h"
