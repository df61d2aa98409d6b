"""The ST completion pack (SPEC 5 P14).

- `SummaryCertificate`: a once-only certificate the product does not issue elsewhere (the
  specialist competence, the completed specialist service, the completed BT and the basic
  competence): the trainee uploads the signed copy, or marks it as to come.
- `ApplicationForm`: Socialstyrelsen's application for the specialist certificate (SOSFS
  2015:8 bilaga 1, HSLF-FS 2021:8 bilaga 5) as staff uploaded it, for one region or the whole
  installation. The forms are Socialstyrelsen's documents: never shipped, always uploaded.

Rule-governed: these rows change only through `completion.services`, each change audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stportal.curricula import attachments

SUMMARY_KINDS = (
    attachments.SPECIALIST_COMPETENCE,
    attachments.SERVICE_COMPLETED,
    attachments.BT_COMPLETED,
    attachments.BT_COMPETENCE,
)


class SummaryKind(models.TextChoices):
    SPECIALIST_COMPETENCE = attachments.SPECIALIST_COMPETENCE, _("Specialist competence attained")
    SERVICE_COMPLETED = attachments.SERVICE_COMPLETED, _("Specialist service completed")
    BT_COMPLETED = attachments.BT_COMPLETED, _("Basic service (BT) completed")
    BT_COMPETENCE = attachments.BT_COMPETENCE, _("Basic competence attained")


class SummaryCertificate(models.Model):
    """One once-only certificate of a trainee: uploaded (`pdf` set) or marked as to come."""

    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="summary_certificates",
    )
    kind = models.CharField(_("certificate"), max_length=32, choices=SummaryKind.choices)
    pdf = models.BinaryField(_("signed copy"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("summary certificate")
        verbose_name_plural = _("summary certificates")
        ordering = ["trainee", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "kind"], name="completion_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.trainee_id})"

    @property
    def present(self) -> bool:
        return self.size is not None


class ApplicationVersion(models.TextChoices):
    V2015 = "2015", _("SOSFS 2015:8 bilaga 1")
    V2021 = "2021", _("HSLF-FS 2021:8 bilaga 5")


class ApplicationForm(models.Model):
    """Socialstyrelsen's fillable application for the specialist certificate of one
    curriculum version, for one region or (no region) the installation. The latest upload is
    the current one; older ones are kept. `pdf` is the upload stripped of everything active;
    `sha256` the digest of the file as uploaded."""

    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the form of the whole installation."),
    )
    version = models.CharField(
        _("curriculum version"), max_length=4, choices=ApplicationVersion.choices
    )
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the uploaded file"), max_length=64)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")
        ordering = ["version", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["region", "version", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.get_version_display()} ({self.uploaded_at:%Y-%m-%d})"
