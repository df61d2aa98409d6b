"""Registrations, their course lines and fees (SPEC 4, C5–C16).

Rule-governed: these rows change only through registrations.services. Nothing is deleted
(C15): a cancelled line stays with who cancelled it, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stportal.core import bounds


class LineStatus(models.TextChoices):
    PENDING = "pending", _("registered")
    CONFIRMED = "confirmed", _("confirmed")
    OFFERED = "offered", _("offered a seat")
    WAITLISTED = "waitlisted", _("on the waiting list")
    # A line is cancelled by a person (avbokad); a week is cancelled by the organiser
    # (inställd): the same English word, two Swedish ones.
    CANCELLED = "cancelled", pgettext_lazy("line status", "cancelled")
    NOT_SEATED = "not_seated", _("not seated")
    NO_SHOW = "no_show", _("no-show")
    PASSED = "passed", _("passed")
    NOT_PASSED = "not_passed", _("not passed")
    INCOMPLETE = "incomplete", _("incomplete")


class Registration(models.Model):
    """One registration per trainee per course week (C6), listing the courses asked for."""

    course_week = models.ForeignKey(
        "courses.CourseWeek",
        verbose_name=_("course week"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    curriculum_version = models.ForeignKey(
        "curricula.CurriculumVersion",
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
    )
    home_unit = models.ForeignKey(
        "accounts.HomeUnit",
        verbose_name=_("home unit (pays any fee)"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    needs_lodging = models.BooleanField(_("lodging wanted"), default=False)
    # C20: staff's adjustments to the default nights (the night before each seated course
    # day), as ISO dates. Kept apart from the default so that a course given up later still
    # drops its own night; `lodging.adjusted_nights` combines them.
    lodging_extra_nights = models.JSONField(_("extra lodging nights"), default=list, blank=True)
    lodging_skipped_nights = models.JSONField(
        _("lodging nights left out"), default=list, blank=True
    )
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    earlier_courses_note = models.TextField(
        _("earlier courses covering the rest"), blank=True, max_length=bounds.NOTE_MAX_LENGTH
    )
    note = models.TextField(_("note"), blank=True, max_length=bounds.NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("registered"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            # C6/C13: never two registrations for one trainee and week, under any concurrency.
            models.UniqueConstraint(
                fields=["trainee", "course_week"], name="registration_one_per_trainee_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.course_week}"


class RegistrationLine(models.Model):
    """One course asked for in a registration, with its state (section 4, line states)."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="lines"
    )
    course = models.ForeignKey(
        "courses.Course", verbose_name=_("course"), on_delete=models.PROTECT, related_name="lines"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LineStatus.choices, default=LineStatus.PENDING
    )
    late = models.BooleanField(_("late"), default=False)
    requested_at = models.DateTimeField(_("requested"))
    queue_order = models.PositiveBigIntegerField(_("queue order"), null=True, blank=True)
    reason_code = models.CharField(_("reason code"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.TextField(
        _("reason for cancellation"), blank=True, max_length=bounds.NOTE_MAX_LENGTH
    )
    result_reason = models.TextField(
        _("reason for the result"), blank=True, max_length=bounds.NOTE_MAX_LENGTH
    )
    fee = models.ForeignKey(
        "Fee",
        verbose_name=_("fee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        help_text=_(
            "The registration's fee, on the confirmed lines whose cancellation it followed."
        ),
    )

    class Meta:
        verbose_name = _("registration line")
        verbose_name_plural = _("registration lines")
        ordering = ["course__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "course"],
                condition=~models.Q(status="cancelled"),
                name="line_one_active_per_course",
            )
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.registration} / {self.course.title}: {self.status}"


class FeeStatus(models.TextChoices):
    CHARGED = "charged", _("charged")
    WAIVED = "waived", _("waived")


class Fee(models.Model):
    """C14: at most one late-cancellation fee per registration, charged to its home unit."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="fee"
    )
    home_unit = models.ForeignKey(
        "accounts.HomeUnit", verbose_name=_("home unit"), on_delete=models.PROTECT
    )
    amount = models.PositiveIntegerField(_("amount (SEK)"))
    status = models.CharField(_("status"), max_length=10, choices=FeeStatus.choices)
    cause = models.CharField(_("cause"), max_length=30)  # late_cancellation | no_show
    reason = models.TextField(_("reason"), blank=True, max_length=bounds.NOTE_MAX_LENGTH)
    # C17: waived because a corrected register no longer shows a no-show; such a fee is
    # charged again if a later closing makes the registration a no-show again. A fee waived
    # by staff for an acceptable reason (C14) has it False and stays waived.
    waived_by_correction = models.BooleanField(_("waived after a correction"), default=False)
    charged_at = models.DateTimeField(_("charged"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["-charged_at"]

    def __str__(self) -> str:
        return f"{self.amount} SEK {self.get_status_display()} – {self.registration}"
