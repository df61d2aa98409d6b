"""Course certificates on Socialstyrelsen's form, their print batches and the uploaded forms
(C18, C18a, C19).

Rule-governed: these rows change only through certificates.services, each change audited.
Nothing is deleted: a certificate that is no longer valid is revoked, with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FormVersion(models.TextChoices):
    V2015 = "2015", _("SOSFS 2015:8 bilaga 5")
    V2021 = "2021", _("HSLF-FS 2021:8 bilaga 10")


class CertificateForm(models.Model):
    """Socialstyrelsen's fillable course-certificate form of one curriculum version, as staff
    uploaded it (C18a), for one region or, without a region, for the whole installation (a
    superuser's upload). The latest upload of a region per version is that region's current
    form; a region without one uses the installation's. Forms are never changed or deleted: a
    new upload is a new row, and each certificate keeps the row it was issued on.

    `pdf` is the upload stripped of everything active (see `certificates.sanitise`; `removed`
    says what went); `sha256` is the digest of the file as uploaded, so the same file uploaded
    again is recognised. The PDF is kept in the database: it is small (1–2 MB), must never be
    lost from a backup, and is not served to anyone as a file."""

    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate_forms",
        help_text=_("Empty: the form of the whole installation."),
    )
    version = models.CharField(_("curriculum version"), max_length=4, choices=FormVersion.choices)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the uploaded file"), max_length=64)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    fields = models.JSONField(_("form fields found"), default=list)
    removed = models.JSONField(_("removed on upload"), default=list, blank=True)
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
        verbose_name = _("certificate form")
        verbose_name_plural = _("certificate forms")
        ordering = ["version", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["region", "version", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.get_version_display()} ({self.uploaded_at:%Y-%m-%d})"


class CertificateBatch(models.Model):
    """One print batch: the certificates issued for a course in one action (C19)."""

    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="certificate_batches",
    )
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.course.title} {self.created_at:%Y-%m-%d}"


class CertificateState(models.TextChoices):
    ISSUED = "issued", _("issued")
    PRINTED = "printed", _("printed")
    SIGNED = "signed", _("signed")
    HANDED_OUT = "handed_out", _("handed out")
    POSTED = "posted", _("posted")
    REVOKED = "revoked", _("revoked")


class Certificate(models.Model):
    """A course certificate for one passed participant (C18, C19).

    `content` is what the certificate says, fixed when it is issued (the trainee's name and
    personal identity number, specialty, goals in the trainee's version, the course, the
    certifier's block): every print, the trainee's copy and a reissued original say the same.
    `verification_code` is unique and unguessable; anyone may check it on the public page.
    """

    line = models.ForeignKey(
        "registrations.RegistrationLine",
        verbose_name=_("registration line"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    batch = models.ForeignKey(
        CertificateBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    version = models.CharField(_("curriculum version"), max_length=4)
    # The form the certificate was issued on (C18a): every print, copy and new original is
    # filled on it. Empty: the product's own rendition (or the 2008 transfer sheet).
    form = models.ForeignKey(
        CertificateForm,
        verbose_name=_("certificate form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    content = models.JSONField(_("content"))
    state = models.CharField(
        _("state"), max_length=20, choices=CertificateState.choices, default=CertificateState.ISSUED
    )
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    printed_on = models.DateField(_("printed"), null=True, blank=True)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    handed_out_on = models.DateField(_("handed out"), null=True, blank=True)
    posted_on = models.DateField(_("posted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    reissue_of = models.ForeignKey(
        "self",
        verbose_name=_("new original of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissues",
    )
    reissue_reason = models.TextField(_("reason for the new original"), blank=True)

    class Meta:
        verbose_name = _("course certificate")
        verbose_name_plural = _("course certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # C19: one valid certificate per passed participant, however often issuing runs. A
            # new original of a lost one revokes the lost one first; a participant whose
            # certificates are all revoked may be issued a new one.
            models.UniqueConstraint(
                fields=["line"],
                condition=~models.Q(state="revoked"),
                name="certificate_one_valid_per_line",
            )
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.trainee_name} – {self.course_title}"

    @property
    def trainee_name(self) -> str:
        """The holder's name as issued; for a holder anonymised after retention (GDPR), a
        word saying so."""
        if self.content.get("anonymised"):
            return str(_("(anonymised)"))
        return f"{self.content.get('first_name', '')} {self.content.get('last_name', '')}".strip()

    @property
    def course_title(self) -> str:
        return str(self.content.get("subject", ""))

    @property
    def is_revoked(self) -> bool:
        return self.state == CertificateState.REVOKED


class ReplacementOutcome(models.TextChoices):
    OPEN = "open", pgettext_lazy("replacement request", "open")
    REISSUED = "reissued", pgettext_lazy("replacement request", "new original issued")
    DECLINED = "declined", pgettext_lazy("replacement request", "declined")


class ReplacementRequest(models.Model):
    """A trainee's request for a new original of a lost certificate (C19; seed 000: "begäran om
    nytt intyg som tappats bort"). Staff reissue it (a new original of the same certificate)
    or decline it with a comment; the trainee is told by e-mail. Never deleted."""

    trainee = models.ForeignKey(
        "accounts.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="replacement_requests",
    )
    reason = models.TextField(_("what happened to the original"))
    created_at = models.DateTimeField(pgettext_lazy("replacement request", "requested"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(
        pgettext_lazy("replacement request", "outcome"),
        max_length=20,
        choices=ReplacementOutcome.choices,
        default=ReplacementOutcome.OPEN,
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(pgettext_lazy("replacement request", "comment"), blank=True)
    new_certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("new original"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("request for a new original")
        verbose_name_plural = _("requests for a new original")
        ordering = ["created_at", "id"]
        constraints = [
            # One open request per certificate: asking twice while staff handle it adds nothing.
            models.UniqueConstraint(
                fields=["certificate"],
                condition=models.Q(outcome="open"),
                name="replacement_request_one_open_per_certificate",
            )
        ]
        indexes = [models.Index(fields=["outcome", "created_at"])]

    def __str__(self) -> str:
        return f"{self.certificate} ({self.get_outcome_display()})"

    @property
    def is_open(self) -> bool:
        return self.outcome == ReplacementOutcome.OPEN
