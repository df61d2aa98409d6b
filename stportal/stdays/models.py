"""ST-day certificates (SPEC 5 P4, seed 004: "ibland motsvarar föreläsningen på en ST-dag en
obligatorisk kurs. I dessa fall får du ett intyg utfärdat av din handledare efter
examination").

Rule-governed: these rows change only through `stdays.services`, each change audited. Nothing
is deleted: a certificate that is no longer valid is revoked, with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stportal.core import bounds

TITLE_MAX_LENGTH = 200
PLACE_MAX_LENGTH = 200
EXAMINATION_MAX_LENGTH = bounds.NOTE_MAX_LENGTH
DESCRIPTION_MAX_LENGTH = 4_000
GOAL_CODE_MAX_LENGTH = 20
MAX_GOALS = 30


class StDayCertificate(models.Model):
    """The certificate a supervisor issues after examining the trainee on an ST-day that
    corresponds to a mandatory course subject of the trainee's curriculum.

    The certificate's goals (`goal_codes`) are the subject's goals, fixed when it is issued;
    for a subject whose goals are not numbered (a specialty's "c" subjects) the supervisor
    names them. `content` is what the certificate prints about the trainee and the certifier
    (names, personal identity number, specialty, place of work), fixed when it is issued so
    that every copy says the same. `verification_code` is unique and unguessable.
    """

    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="st_day_certificates",
    )
    subject = models.ForeignKey(
        "curricula.MandatorySubject",
        verbose_name=_("mandatory subject"),
        on_delete=models.PROTECT,
        related_name="st_day_certificates",
    )
    title = models.CharField(_("subject heading"), max_length=TITLE_MAX_LENGTH)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=PLACE_MAX_LENGTH, blank=True)
    description = models.TextField(
        _("description of the day"), max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    goal_codes = models.JSONField(_("goals"), default=list)
    examined_on = models.DateField(_("examined on"))
    examination = models.TextField(_("how it was examined"), max_length=EXAMINATION_MAX_LENGTH)
    version = models.CharField(_("curriculum version"), max_length=4)
    # The course-certificate form of the trainee's version in use when it was issued: every
    # original and copy is filled on it. Empty: the product's own rendition.
    form = models.ForeignKey(
        "certificates.CertificateForm",
        verbose_name=_("certificate form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content = models.JSONField(_("content"), default=dict)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(
        _("reason for revoking"), max_length=bounds.NOTE_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("ST-day certificate")
        verbose_name_plural = _("ST-day certificates")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["trainee", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.first_day.isoformat()})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def trainee_name(self) -> str:
        """The holder's name as issued; for a holder anonymised after retention (GDPR), a
        word saying so."""
        if self.content.get("anonymised"):
            return str(_("(anonymised)"))
        return f"{self.content.get('first_name', '')} {self.content.get('last_name', '')}".strip()

    @property
    def certifier_name(self) -> str:
        return str(self.content.get("certifier_name", ""))
