"""Course series, course weeks and their courses (SPEC 4, C1–C4)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stportal.core import bounds
from stportal.courses import states


class PriorityPolicy(models.TextChoices):
    """C9: how seats are given when a course has more on-time requests than seats."""

    SHORTEST_REMAINING = (
        "shortest_remaining",
        _("Shortest remaining time to planned ST completion first"),
    )
    LONGEST_SERVED = "longest_served", _("Longest time served in ST first")
    SHORTEST_SERVED = "shortest_served", _("Shortest time served in ST first (early-ST courses)")
    MONTHS_SERVED_FEWEST_COURSES = (
        "months_served_fewest_courses",
        _("Most months of ST served first, ties by fewest courses taken"),
    )


class CourseSeries(models.Model):
    """A recurring course week such as LEKA A (C1)."""

    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="course_series",
    )
    name = models.CharField(_("name"), max_length=80)
    default_iso_week = models.PositiveSmallIntegerField(_("default ISO week"))
    invitation_month = models.PositiveSmallIntegerField(
        _("invitation month"), help_text=_("Month the invitation is published.")
    )
    invitation_months_before = models.BooleanField(
        _("invitation in the year before the course"), default=True
    )
    deadline_day = models.PositiveSmallIntegerField(_("deadline day"))
    deadline_month = models.PositiveSmallIntegerField(_("deadline month"))
    deadline_in_year_before = models.BooleanField(
        _("deadline in the year before the course"), default=True
    )
    main_goals = models.CharField(
        _("goals mainly covered"), max_length=200, blank=True, help_text=_("e.g. a-goals of 2015")
    )
    priority_policy = models.CharField(
        _("priority policy"),
        max_length=40,
        choices=PriorityPolicy.choices,
        default=PriorityPolicy.SHORTEST_REMAINING,
    )
    default_place = models.CharField(_("default place"), max_length=200, blank=True)
    default_capacity = models.PositiveIntegerField(
        _("default capacity"), default=60, validators=bounds.CAPACITY_VALIDATORS
    )
    default_fee = models.PositiveIntegerField(
        _("default late-cancellation fee (SEK)"), default=0, validators=bounds.AMOUNT_VALIDATORS
    )
    host_site = models.CharField(_("host site"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course series")
        verbose_name_plural = _("course series")
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="series_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Certifier(models.TextChoices):
    """C18: who certifies a course week's certificates and which box is ticked."""

    REGIONAL_STUDY_DIRECTOR_AS_LEADER = (
        "regional_study_director",
        _("Regional study director (box: Kursledare)"),
    )
    COURSE_LEADER = "course_leader", _("Each course's leader (box: Kursledare)")


def default_lodging_nightly_rate() -> int:
    """C20: a new week's nightly lodging rate, from the installation's setting."""
    return settings.LODGING_NIGHTLY_RATE_SEK


class CourseWeek(models.Model):
    """One occurrence of a series, e.g. "LEKA A 2027" (C3). Its state follows C4."""

    series = models.ForeignKey(
        CourseSeries, verbose_name=_("series"), on_delete=models.PROTECT, related_name="weeks"
    )
    title = models.CharField(_("title"), max_length=160)
    start_date = models.DateField(_("first day"), validators=[bounds.validate_date_in_range])
    end_date = models.DateField(_("last day"), validators=[bounds.validate_date_in_range])
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=60, validators=bounds.CAPACITY_VALIDATORS
    )
    invitation_date = models.DateField(
        _("invitation date"), validators=[bounds.validate_date_in_range]
    )
    registration_deadline = models.DateField(
        _("registration deadline"), validators=[bounds.validate_date_in_range]
    )
    cancellation_deadline = models.DateField(
        _("cancellation deadline"), validators=[bounds.validate_date_in_range]
    )
    late_cancellation_fee = models.PositiveIntegerField(
        _("late-cancellation fee (SEK)"), validators=bounds.AMOUNT_VALIDATORS
    )
    host_site = models.CharField(_("host site"), max_length=120, blank=True)
    lodging_nightly_rate = models.PositiveIntegerField(
        _("lodging: price per night (SEK)"),
        default=default_lodging_nightly_rate,
        validators=bounds.AMOUNT_VALIDATORS,
        help_text=_("What one night at the host site costs, for the lodging list's cost."),
    )
    certifier = models.CharField(
        _("certifier"),
        max_length=40,
        choices=Certifier.choices,
        default=Certifier.REGIONAL_STUDY_DIRECTOR_AS_LEADER,
    )
    # C23: trainees of other regions on the installation may take part, seated after the host
    # region's own on-time registrations; their seats are invoiced to their region.
    open_to_all_regions = models.BooleanField(
        _("open to every other region"),
        default=False,
        help_text=_("Trainees of every other region may register, after this region's own."),
    )
    open_to_regions = models.ManyToManyField(
        "accounts.Region",
        verbose_name=_("open to these other regions"),
        blank=True,
        related_name="guest_weeks",
    )
    guest_seat_price = models.PositiveIntegerField(
        _("price per seat for other regions (SEK)"),
        default=0,
        validators=bounds.AMOUNT_VALIDATORS,
        help_text=_("Invoiced to the trainee's region for each course a guest is seated in."),
    )
    guest_lodging_nightly_rate = models.PositiveIntegerField(
        _("lodging for other regions: price per night (SEK)"),
        null=True,
        blank=True,
        validators=bounds.AMOUNT_VALIDATORS,
        help_text=_("Empty: the week's own price per night."),
    )
    stored_state = models.CharField(
        _("state set by staff"),
        max_length=20,
        choices=states.StoredState.choices,
        default=states.StoredState.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    allocated_at = models.DateTimeField(_("allocated"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(
        _("reason for cancellation"), blank=True, max_length=bounds.NOTE_MAX_LENGTH
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course week")
        verbose_name_plural = _("course weeks")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="week_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_deadline__gte=models.F("invitation_date")),
                name="week_deadline_after_invitation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def state_at(self, now: dt.datetime) -> str:
        return states.effective_state(
            stored=self.stored_state,
            registration_deadline=self.registration_deadline,
            start_date=self.start_date,
            end_date=self.end_date,
            now=now,
        )

    @property
    def windows(self) -> states.WeekWindows:
        """The week's instants: registration open, late, cancellation deadline, start (C7,
        C11, C14); every page, service and e-mail asks these."""
        return states.week_windows(self)

    @property
    def state(self) -> str:
        from django.utils import timezone

        return self.state_at(timezone.now())

    @property
    def region(self):
        return self.series.region


class Course(models.Model):
    """A delkurs: one part of a course week with its own leader, goals and certificate."""

    week = models.ForeignKey(
        CourseWeek, verbose_name=_("course week"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, max_length=bounds.DESCRIPTION_MAX_LENGTH
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    own_capacity = models.PositiveIntegerField(
        _("own capacity"),
        null=True,
        blank=True,
        help_text=_("Empty: follows the course week's capacity."),
        validators=bounds.CAPACITY_VALIDATORS,
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("course leaders"),
        blank=True,
        related_name="led_courses",
    )
    goals = models.ManyToManyField(
        "curricula.Goal", verbose_name=_("goals"), blank=True, related_name="courses"
    )
    goals_2008_text = models.CharField(
        _("goals, SOSFS 2008:17 (free text)"), max_length=300, blank=True
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[goals])

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["week", "position", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.week.title})"

    @property
    def capacity(self) -> int:
        """C3: a course without its own capacity follows the week's, live."""
        return self.own_capacity if self.own_capacity is not None else self.week.capacity


class CourseDay(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), validators=[bounds.validate_date_in_range])

    class Meta:
        verbose_name = _("course day")
        verbose_name_plural = _("course days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["course", "date"], name="course_day_unique")]

    def __str__(self) -> str:
        return self.date.isoformat()


class InformationPage(models.Model):
    """C21: the programme's information page, edited by staff; deadlines come from the data."""

    region = models.OneToOneField(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="information_page",
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction"), blank=True, max_length=bounds.DESCRIPTION_MAX_LENGTH
    )
    how_to_register = models.TextField(
        _("how to register"), blank=True, max_length=bounds.DESCRIPTION_MAX_LENGTH
    )
    cancellation_and_fees = models.TextField(
        _("cancellation and fees"), blank=True, max_length=bounds.DESCRIPTION_MAX_LENGTH
    )
    lodging = models.TextField(_("lodging"), blank=True, max_length=bounds.DESCRIPTION_MAX_LENGTH)
    contact = models.TextField(_("contact"), blank=True, max_length=bounds.DESCRIPTION_MAX_LENGTH)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")

    def __str__(self) -> str:
        return self.title
