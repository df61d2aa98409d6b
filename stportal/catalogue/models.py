"""The course catalogue (SPEC 5 P2): providers of courses, preferred (the region's own) or
other, and the external courses they give, each with the goals and mandatory subjects it
serves. The region's own programme is the courses app's; the catalogue lists both."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stportal.accounts.models import Region
from stportal.curricula.models import Goal, MandatorySubject


class ProviderKind(models.TextChoices):
    PREFERRED = "preferred", _("preferred")
    OTHER = "other", _("other")


class Provider(models.Model):
    """A course provider of a region's catalogue. Choosing a course of an *other* provider
    needs the study director's exception (P2)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ProviderKind.choices, default=ProviderKind.OTHER
    )
    url = models.URLField(_("web address"), blank=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course provider")
        verbose_name_plural = _("course providers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="provider_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def preferred(self) -> bool:
        return self.kind == ProviderKind.PREFERRED


class ExternalCourse(models.Model):
    """A course of the catalogue given by a provider (not the region's own programme)."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("web address"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    cost = models.PositiveIntegerField(_("cost (SEK)"), null=True, blank=True)
    certified = models.BooleanField(
        _("certified"),
        default=False,
        help_text=_("The provider issues Socialstyrelsen's course certificate."),
    )
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="+")
    subjects = models.ManyToManyField(
        MandatorySubject, verbose_name=_("mandatory subjects"), blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("external course")
        verbose_name_plural = _("external courses")
        ordering = ["start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="external_course_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title
