"""Funding applications for courses (ST-medel, SPEC 5 P3) and each area's funding settings.

A trainee applies for a course (from the catalogue or written in) with its cost items; the
study director of the trainee's area decides it with a comment. An approved application shows
the area's invoicing details for the provider; after the course the trainee attaches the
course certificate, and the course then counts in coverage. Changes go through
`stportal.funding.services`.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from stportal.accounts.models import Area, Region, TraineeProfile, User
from stportal.catalogue.models import ExternalCourse
from stportal.core import bounds
from stportal.curricula.models import Goal, MandatorySubject

# A cost item and the yearly limit are whole SEK, at most this much.
MAX_COST = bounds.MAX_AMOUNT
# An application has at most this many cost items.
MAX_COST_ITEMS = 20


class AreaFundingSettings(models.Model):
    """How an area handles funding applications, and the electronic-invoicing identifiers the
    provider needs (the invoice address and purchaser id are the area's own fields)."""

    area = models.OneToOneField(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="funding_settings"
    )
    register_before_approval = models.BooleanField(
        _("trainees may register with the provider before approval"), default=False
    )
    expected_courses_per_year = models.PositiveSmallIntegerField(
        _("expected courses per year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(50)],
    )
    yearly_limit = models.PositiveIntegerField(
        _("yearly amount per trainee (SEK)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_COST)],
        help_text=_(
            "A warning is shown when a trainee's approved and submitted applications of a year "
            "exceed it; it never blocks."
        ),
    )
    gln = models.CharField(_("GLN address"), max_length=13, blank=True)
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    customer_number = models.CharField(_("customer number (I-kundnr)"), max_length=40, blank=True)
    vat_registration_number = models.CharField(
        _("VAT registration number"), max_length=20, blank=True
    )
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    bank = models.CharField(_("bank"), max_length=80, blank=True)
    bic = models.CharField(_("BIC/SWIFT"), max_length=11, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area funding settings")
        verbose_name_plural = _("area funding settings")

    def __str__(self) -> str:
        return str(self.area)


class FundingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class CostKind(models.TextChoices):
    FEE = "fee", _("course fee")
    TRAVEL = "travel", _("travel")
    LODGING = "lodging", _("lodging")
    OTHER = "other", pgettext_lazy("cost", "other")


class FundingApplication(models.Model):
    """A trainee's application for funds for one course (P3)."""

    trainee = models.ForeignKey(
        TraineeProfile,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    # The trainee's region and area when they applied: whose money and whose invoice.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    course = models.ForeignKey(
        ExternalCourse,
        verbose_name=_("catalogue course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    course_title = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="+")
    subjects = models.ManyToManyField(
        MandatorySubject, verbose_name=_("mandatory subjects"), blank=True, related_name="+"
    )
    motivation = models.TextField(_("motivation"), blank=True)
    other_provider = models.BooleanField(
        _("other provider"),
        default=True,
        help_text=_("Not one of the region's preferred providers: approval needs an exception."),
    )
    exception_reason = models.TextField(_("reason for the exception"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=FundingStatus.choices,
        default=FundingStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        User,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    # The course certificate the trainee attaches after the course (a checked PDF).
    certificate_pdf = models.BinaryField(_("course certificate"), null=True, blank=True)
    certificate_filename = models.CharField(_("file name"), max_length=200, blank=True)
    certificate_size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    certificate_uploaded_at = models.DateTimeField(_("certificate attached"), null=True, blank=True)
    certificate_uploaded_by = models.ForeignKey(
        User,
        verbose_name=_("certificate attached by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="funding_application_dates_in_order",
            )
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    def __str__(self) -> str:
        return f"{self.course_title} ({self.trainee})"

    @property
    def has_certificate(self) -> bool:
        return self.certificate_uploaded_at is not None

    @property
    def last_day(self):
        return self.end_date or self.start_date


class FundingCost(models.Model):
    """One cost item of an application, whole SEK."""

    application = models.ForeignKey(
        FundingApplication,
        verbose_name=_("funding application"),
        on_delete=models.CASCADE,
        related_name="costs",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CostKind.choices)
    amount = models.PositiveIntegerField(
        _("amount (SEK)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COST)]
    )

    class Meta:
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
