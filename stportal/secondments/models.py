"""Secondments, the training allowance and credited prior service (SPEC 5 P7, P8, P9).

Reference data (the kinds of secondment and which a specialty requires) is edited by staff in
the admin, its history kept. The trainee's rows (secondments, the allowance, credit decisions)
change only through `secondments.services`, each change audited in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stportal.core import bounds
from stportal.secondments import allowance

PLACE_MAX_LENGTH = 200
NAME_MAX_LENGTH = 120
MAX_DEFAULT_WEEKS = 104
MAX_QUEUE_POSITION = 100_000
MAX_CREDITED_MONTHS = 120  # ten years: more than any ST lasts


class SecondmentKind(models.Model):
    """A kind of secondment (sidotjänstgöring) with its default length (seed 004: internal
    medicine 16 weeks, psychiatry 12 weeks). Staff add other kinds in the admin."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("Swedish name"), max_length=NAME_MAX_LENGTH)
    name_en = models.CharField(_("English name"), max_length=NAME_MAX_LENGTH)
    default_weeks = models.PositiveSmallIntegerField(
        _("default length in weeks"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DEFAULT_WEEKS)],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kind of secondment")
        verbose_name_plural = _("kinds of secondment")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(default_weeks__gte=1, default_weeks__lte=MAX_DEFAULT_WEEKS),
                name="secondment_kind_default_weeks_range",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language."""
        language = get_language() or "sv"
        return self.name_en if language.startswith("en") and self.name_en else self.name


class MandatorySecondment(models.Model):
    """A kind of secondment a specialty requires (of one curriculum version, or of every
    version when none is given)."""

    specialty = models.ForeignKey(
        "curricula.Specialty",
        verbose_name=_("specialty"),
        on_delete=models.CASCADE,
        related_name="mandatory_secondments",
    )
    version = models.ForeignKey(
        "curricula.CurriculumVersion",
        verbose_name=_("curriculum version"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every curriculum version of the specialty."),
    )
    kind = models.ForeignKey(
        SecondmentKind,
        verbose_name=_("kind of secondment"),
        on_delete=models.CASCADE,
        related_name="required_by",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandatory secondment")
        verbose_name_plural = _("mandatory secondments")
        ordering = ["specialty__name", "kind__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialty", "version", "kind"], name="mandatory_secondment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.specialty}: {self.kind}"


class Secondment(models.Model):
    """One planned (or done) secondment of a trainee, both ends included."""

    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="secondments",
    )
    kind = models.ForeignKey(
        SecondmentKind,
        verbose_name=_("kind of secondment"),
        on_delete=models.PROTECT,
        related_name="secondments",
    )
    place = models.CharField(_("place"), max_length=PLACE_MAX_LENGTH)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    end_from_default = models.BooleanField(
        _("end date from the default length"),
        default=False,
        help_text=_("The end date was not given and follows from the kind's default length."),
    )
    note = models.TextField(_("note"), max_length=bounds.NOTE_MAX_LENGTH, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["start_date", "end_date", "pk"]
        indexes = [models.Index(fields=["trainee", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="secondment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.start_date.isoformat()}–{self.end_date.isoformat()})"


class Allowance(models.Model):
    """A trainee's training allowance (ST-ersättning): the queue position and the months paid,
    in total and of them on secondment (at most 60 and 18)."""

    trainee = models.OneToOneField(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="allowance",
    )
    queue_position = models.PositiveIntegerField(
        _("queue position"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUEUE_POSITION)],
    )
    months_paid = models.PositiveSmallIntegerField(
        _("months paid"), default=0, validators=[MaxValueValidator(allowance.TOTAL_MONTHS)]
    )
    secondment_months_paid = models.PositiveSmallIntegerField(
        _("months paid on secondment"),
        default=0,
        validators=[MaxValueValidator(allowance.SECONDMENT_MONTHS)],
    )
    note = models.TextField(_("note"), max_length=bounds.NOTE_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("changed"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("training allowance")
        verbose_name_plural = _("training allowances")
        ordering = ["trainee__user__last_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    months_paid__lte=allowance.TOTAL_MONTHS,
                    secondment_months_paid__lte=allowance.SECONDMENT_MONTHS,
                )
                & models.Q(secondment_months_paid__lte=models.F("months_paid")),
                name="allowance_months_within_limits",
            )
        ]

    def __str__(self) -> str:
        return str(self.trainee)


class ServiceCredit(models.Model):
    """A study director's decision to credit prior service (tillgodoräknande): the period,
    the months credited and a comment. Kept when withdrawn (with a reason); the trainee's
    credited months are the sum of the decisions in force."""

    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="service_credits",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    months = models.PositiveSmallIntegerField(
        _("months credited"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CREDITED_MONTHS)],
    )
    comment = models.TextField(_("comment"), max_length=bounds.NOTE_MAX_LENGTH, blank=True)
    decided_at = models.DateTimeField(_("decided"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdraw_reason = models.TextField(
        _("reason for withdrawing"), max_length=bounds.NOTE_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("credit of prior service")
        verbose_name_plural = _("credits of prior service")
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["trainee", "withdrawn_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="service_credit_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.months}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
