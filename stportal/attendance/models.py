"""Attendance per course day, results and the course's register (C17).

Rule-governed: these rows change only through attendance.services, each change audited. The
line's own status (registrations) is the result the rest of the product reads (passed,
not passed, incomplete, no-show); `CourseResult` keeps who recorded it, why, and whether
closing the register decided it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseRegister(models.Model):
    """The register of one course: open until the leader closes it; staff may reopen it."""

    course = models.OneToOneField(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="register",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        verbose_name = _("course register")
        verbose_name_plural = _("course registers")
        ordering = ["course__week__start_date", "course__position", "course_id"]

    def __str__(self) -> str:
        return str(self.course)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class AttendanceRecord(models.Model):
    """Present or absent on one course day, for one participant's line (C17)."""

    line = models.ForeignKey(
        "registrations.RegistrationLine",
        verbose_name=_("registration line"),
        on_delete=models.PROTECT,
        related_name="attendance_records",
    )
    date = models.DateField(_("course day"))
    present = models.BooleanField(_("present"))
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["line_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["line", "date"], name="attendance_one_per_line_day")
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.date.isoformat()}: {'present' if self.present else 'absent'}"


class ResultKind(models.TextChoices):
    PASSED = "passed", _("passed")
    NOT_PASSED = "not_passed", _("not passed")
    INCOMPLETE = "incomplete", _("incomplete")
    NO_SHOW = "no_show", _("no-show")


class CourseResult(models.Model):
    """Who recorded a participant's result, why, and whether closing decided it (C17).

    `result` is empty when the line has no result (a reopened register sends automatic results
    back). `makeup` keeps what an incomplete participant had to make up after they pass.
    """

    line = models.OneToOneField(
        "registrations.RegistrationLine",
        verbose_name=_("registration line"),
        on_delete=models.PROTECT,
        related_name="course_result",
    )
    result = models.CharField(_("result"), max_length=20, choices=ResultKind.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    makeup = models.TextField(_("to make up"), blank=True)
    automatic = models.BooleanField(
        _("decided when the register was closed"),
        default=False,
        help_text=_("Full attendance passed, or absent on every day: a no-show."),
    )
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("course result")
        verbose_name_plural = _("course results")
        ordering = ["line_id"]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.result or '-'}"
