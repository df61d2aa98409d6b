"""Curriculum versions, goals, specialties and mandatory subjects (SPEC 5 P1, Appendix B).

Loaded as editable seed data: staff correct a title or add a specialty's goals in the admin.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CurriculumVersion(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)  # "2008", "2015", "2021"
    regulation = models.CharField(_("regulation"), max_length=40)  # "SOSFS 2015:8"
    name = models.CharField(_("name"), max_length=200)
    goal_numbers_per_specialty = models.BooleanField(
        _("goal numbers differ per specialty"),
        default=False,
        help_text=_("True for SOSFS 2008:17, whose goals are given as free text on courses."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("curriculum version")
        verbose_name_plural = _("curriculum versions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.regulation} ({self.code})"


class Specialty(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GoalKind(models.TextChoices):
    GENERAL_A = "a", _("general (a / STa)")
    GENERAL_B = "b", _("general (b / STb)")
    SPECIALTY = "c", _("specialty-specific (c / STc)")
    BT = "bt", _("BT")


class Goal(models.Model):
    """A delmål of one curriculum version; specialty-specific goals name their specialty."""

    version = models.ForeignKey(
        CurriculumVersion,
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=4, choices=GoalKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["version__code", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "specialty", "code"],
                name="goal_unique_code",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class MandatorySubject(models.Model):
    """A course subject a specialty's curriculum requires (P1)."""

    specialty = models.ForeignKey(
        Specialty,
        verbose_name=_("specialty"),
        on_delete=models.PROTECT,
        related_name="mandatory_subjects",
    )
    version = models.ForeignKey(
        CurriculumVersion, verbose_name=_("curriculum version"), on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=200)
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True)
    goal_note = models.CharField(
        _("goal note"), max_length=60, blank=True, help_text=_("For example 'c' when unspecified.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandatory subject")
        verbose_name_plural = _("mandatory subjects")
        ordering = ["specialty__name", "version__code", "position"]

    def __str__(self) -> str:
        return self.name
