"""The education plan and service portfolio (SPEC 5 P11: *individuellt utbildningsprogram*,
*tjänstgöringsportfölj*): what a trainee has done and plans to do during the ST, each item
linked to the goals of the trainee's curriculum it serves.

Changed only through `plan.services` (every change audited); the trainee keeps the plan
current, the supervisor and study director read it and may record supervision meetings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stportal.core import bounds

TITLE_MAX_LENGTH = 200
PLACE_MAX_LENGTH = 200
FILENAME_MAX_LENGTH = 200
MAX_GOALS = 60


class ItemKind(models.TextChoices):
    PLACEMENT = "placement", _("Clinical service")
    AUSKULTATION = "auskultation", _("Auskultation")
    COURSE = "course", _("Other course")
    RESEARCH = "research", _("Research")
    QUALITY_WORK = "quality_work", _("Quality-improvement work")
    WRITTEN_WORK = "written_work", _("Written scientific work")
    SUPERVISION = "supervision", _("Supervision meeting")
    LEAVE = "leave", _("Parental leave")
    ABSENCE = "absence", _("Other absence")
    BT = "bt", _("BT (basic training)")
    OTHER = "other", _("Other")


# Kinds that serve no goal (time away from the ST).
WITHOUT_GOALS = frozenset({ItemKind.LEAVE, ItemKind.ABSENCE})
# Kinds that take place on one day.
ONE_DAY = frozenset({ItemKind.SUPERVISION})
# Kinds only a trainee under HSLF-FS 2021:8 has.
BT_VERSION = "2021"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")


class BtPart(models.TextChoices):
    """Which part of BT a placement is (HSLF-FS 2021:8: at least three months each)."""

    NONE = "", _("Not part of BT")
    PRIMARY_CARE = "primary_care", _("BT in primary care")
    ACUTE_CARE = "acute_care", _("BT in acute care")


class PlanItem(models.Model):
    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    place = models.CharField(_("place"), max_length=PLACE_MAX_LENGTH, blank=True)
    start_date = models.DateField(_("start"), validators=[bounds.validate_date_in_range])
    end_date = models.DateField(_("end"), validators=[bounds.validate_date_in_range])
    # A placement's extent in percent of full time.
    extent_percent = models.PositiveSmallIntegerField(_("extent (percent)"), null=True, blank=True)
    bt_part = models.CharField(
        _("part of BT"), max_length=20, choices=BtPart.choices, default=BtPart.NONE, blank=True
    )
    goals = models.ManyToManyField(
        "curricula.Goal", verbose_name=_("goals"), related_name="plan_items", blank=True
    )
    note = models.TextField(_("note"), max_length=bounds.NOTE_MAX_LENGTH, blank=True)
    # The signed certificate of the item (a checked PDF, as funding keeps its certificates).
    certificate_pdf = models.BinaryField(_("certificate"), null=True, blank=True)
    certificate_filename = models.CharField(
        _("file name"), max_length=FILENAME_MAX_LENGTH, blank=True
    )
    certificate_size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    certificate_uploaded_at = models.DateTimeField(_("certificate attached"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["start_date", "end_date", "pk"]
        indexes = [models.Index(fields=["trainee", "kind", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="plan_item_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(extent_percent__isnull=True)
                | models.Q(extent_percent__gte=1, extent_percent__lte=100),
                name="plan_item_extent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def has_certificate(self) -> bool:
        return self.certificate_uploaded_at is not None

    @property
    def is_done(self) -> bool:
        return self.status == ItemStatus.DONE

    @property
    def is_meeting(self) -> bool:
        return self.kind == ItemKind.SUPERVISION
