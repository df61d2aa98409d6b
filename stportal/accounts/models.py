"""People, regions, the organisation they belong to, and the roles they hold (SPEC 2)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stportal.core import personnummer


class User(AbstractUser):
    """A person who logs in. Roles come from RoleAssignment rows."""

    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="sv"
    )
    # C18: the certifier's block of Socialstyrelsen's course certificate asks for the
    # certifier's specialty, if they are a specialist.
    specialist_in = models.ForeignKey(
        "curricula.Specialty",
        verbose_name=_("specialist in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "For a physician who signs course certificates: the specialty they are a "
            "specialist in, printed in the certifier's block of the certificate."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # `set_password` leaves the new password in `_password` until the row is saved (a
        # hasher upgrade at log-in clears it first). Revoking the tokens here is the one place
        # every way of changing a password passes: allauth's change and reset, the admin,
        # `changepassword`. A security invariant, not a workflow.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from stportal.accounts.tokens import revoke_all_api_tokens

            revoke_all_api_tokens(actor=None, user=self, reason="password_changed")


class Region(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A part of a region (område) with its invoice address and purchaser id (Beställar-id)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="areas"
    )
    name = models.CharField(_("name"), max_length=120)
    purchaser_id = models.CharField(_("purchaser id"), max_length=40, blank=True)
    invoice_address = models.TextField(_("invoice address"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="area_unique_name_per_region")
        ]

    def __str__(self) -> str:
        return self.name


class HomeUnit(models.Model):
    """A basenhet: pays salary and fees; has a cost centre."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="home_units"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="home_units",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=160)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)
    away_from_host_site = models.BooleanField(
        _("away from the host site"),
        default=False,
        help_text=_("Participants from this unit get lodging paid centrally."),
    )
    invoice_address = models.TextField(
        _("invoice address"),
        blank=True,
        help_text=_("Only for units outside the region's own organisation."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("home unit")
        verbose_name_plural = _("home units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="home_unit_unique_name_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TRAINEE = "trainee", _("ST trainee")
    SUPERVISOR = "supervisor", _("supervisor")
    STUDY_DIRECTOR = "study_director", _("study director")
    REGIONAL_STUDY_DIRECTOR = "regional_study_director", _("regional study director")
    COURSE_LEADER = "course_leader", _("course leader")
    COURSE_ADMIN = "course_admin", _("course admin")
    UNIT_MANAGER = "unit_manager", _("unit manager")


STAFF_ROLES = frozenset({Role.COURSE_ADMIN, Role.REGIONAL_STUDY_DIRECTOR})


class RoleAssignment(models.Model):
    """A role a person holds within a region, optionally narrowed to an area or a home unit.

    A study director's area, a unit manager's home unit. Trainee, supervisor and course leader
    roles are also derived from the objects they attach to; an explicit row makes them visible
    even before such objects exist.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    home_unit = models.ForeignKey(
        HomeUnit,
        verbose_name=_("home unit"),
        on_delete=models.PROTECT,
        related_name="manager_assignments",
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "area", "home_unit"],
                name="role_assignment_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        scope = self.home_unit or self.area or self.region
        return f"{self.user} – {self.get_role_display()} ({scope})"


class TraineeProfile(models.Model):
    """An ST trainee's record. It follows the person across regions (the home unit says where)."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="trainee_profile"
    )
    # Unique among trainees who have one; an anonymised trainee's is empty (GDPR erasure).
    personal_id = models.CharField(
        _("personal identity number"),
        max_length=12,
        help_text=_("Stored as 12 digits, YYYYMMDDNNNC."),
    )
    specialty = models.ForeignKey(
        "curricula.Specialty", verbose_name=_("specialty"), on_delete=models.PROTECT
    )
    curriculum_version = models.ForeignKey(
        "curricula.CurriculumVersion",
        verbose_name=_("curriculum version"),
        on_delete=models.PROTECT,
    )
    st_start = models.DateField(_("ST start"), null=True, blank=True)
    planned_completion = models.DateField(
        _("planned ST completion"),
        help_text=_("From the approved individual training programme."),
    )
    employment_percent = models.PositiveSmallIntegerField(_("employment percent"), default=100)
    home_unit = models.ForeignKey(
        HomeUnit, verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="trainees"
    )
    supervisor = models.ForeignKey(
        User,
        verbose_name=_("supervisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_trainees",
    )
    study_director = models.ForeignKey(
        User,
        verbose_name=_("study director"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directed_trainees",
    )
    credited_months = models.PositiveSmallIntegerField(_("credited months"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employment_percent__gte=1, employment_percent__lte=100),
                name="trainee_employment_percent_range",
            ),
            models.UniqueConstraint(
                fields=["personal_id"],
                condition=~models.Q(personal_id=""),
                name="trainee_personal_id_unique",
                violation_error_message=_("A trainee with this personal identity number exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def region(self) -> Region:
        return self.home_unit.region

    @property
    def masked_personal_id(self) -> str:
        return personnummer.mask(self.personal_id)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


class PlannedCompletionStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class PlannedCompletionSource(models.TextChoices):
    """Who asked for the change."""

    TRAINEE = "trainee", _("the trainee's proposal")
    STUDY_DIRECTOR = "study_director", _("study director")
    STAFF = "staff", _("course administration")
    HR_IMPORT = "hr_import", _("HR import")


class PlannedCompletionChange(models.Model):
    """C5a: the confirmed planned ST completion date keeps its history; allocation uses the
    date confirmed when it runs, and its preview shows changes made after the deadline.

    A row is a proposal (the trainee's, waiting for the study director), a rejected proposal,
    or an approved change. Only an approved change has `changed_at`: the instant the confirmed
    date changed, which the allocation preview compares with the registration deadline.
    `old_date` is the date the change replaced (for a proposal: the date when it was made).
    """

    trainee = models.ForeignKey(
        TraineeProfile,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="planned_completion_changes",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlannedCompletionStatus.choices,
        default=PlannedCompletionStatus.APPROVED,
    )
    old_date = models.DateField(_("old date"), null=True, blank=True)
    new_date = models.DateField(_("new date"))
    source = models.CharField(_("source"), max_length=40, choices=PlannedCompletionSource.choices)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
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
    changed_by = models.ForeignKey(
        User,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(
        _("changed"),
        null=True,
        blank=True,
        help_text=_("When the confirmed date changed (approved changes only)."),
    )

    class Meta:
        verbose_name = _("planned completion change")
        verbose_name_plural = _("planned completion changes")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One proposal at a time waits for the study director (C5a).
            models.UniqueConstraint(
                fields=["trainee"],
                condition=models.Q(status="proposed"),
                name="planned_completion_one_open_proposal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.old_date} → {self.new_date}"
