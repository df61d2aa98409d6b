"""Back office for course series, course weeks and courses (C1–C4).

A course week's state, its publication, allocation and cancellation are governed by rules:
they are read-only here and change through the admin actions "Publicera" and "Ställ in",
which call the services. Adding a week goes through `create_course_week`, changing one
through `update_course_week`, adding a course through `add_course` (STYLE rule 1); each writes
its audit event. Series are reference data and keep their history.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import Region
from stportal.core.admin import (
    ScopedFormMixin,
    StaffHistoryAdmin,
    StaffInlineMixin,
    add_service_errors,
    adopt,
)
from stportal.core.dates import local_date
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.courses import permissions, services
from stportal.courses.models import Course, CourseSeries, CourseWeek
from stportal.courses.states import StoredState, WeekState
from stportal.registrations.lines import SEAT_TAKING
from stportal.registrations.models import LineStatus

# "cancelled" reads "inställd" for a week but "avbokad" for a registration line; the models
# share one msgid, so the admin names the week's states with a context of its own.
WEEK_STATE_LABELS = {
    WeekState.DRAFT: pgettext_lazy("course week state", "draft"),
    WeekState.PUBLISHED: pgettext_lazy("course week state", "published"),
    WeekState.CLOSED: pgettext_lazy("course week state", "closed"),
    WeekState.ALLOCATED: pgettext_lazy("course week state", "allocated"),
    WeekState.RUNNING: pgettext_lazy("course week state", "running"),
    WeekState.FINISHED: pgettext_lazy("course week state", "finished"),
    WeekState.CANCELLED: pgettext_lazy("course week state", "cancelled"),
}
_ACTIVE = (StoredState.PUBLISHED, StoredState.ALLOCATED)


def state_condition(state: str, today: dt.date) -> Q:
    """The weeks whose `state_at(now)` is `state` on the Stockholm date `today`, as a query
    (C4: a date-deadline ends at the end of its day; the week runs from its first day)."""
    started = Q(start_date__lte=today)
    ended = Q(end_date__lt=today)
    conditions = {
        WeekState.DRAFT: Q(stored_state=StoredState.DRAFT),
        WeekState.CANCELLED: Q(stored_state=StoredState.CANCELLED),
        WeekState.FINISHED: Q(stored_state__in=_ACTIVE) & ended,
        WeekState.RUNNING: Q(stored_state__in=_ACTIVE) & started & ~ended,
        WeekState.ALLOCATED: Q(stored_state=StoredState.ALLOCATED) & ~started,
        WeekState.CLOSED: Q(stored_state=StoredState.PUBLISHED)
        & Q(registration_deadline__lt=today)
        & ~started,
        WeekState.PUBLISHED: Q(stored_state=StoredState.PUBLISHED)
        & Q(registration_deadline__gte=today)
        & ~started,
    }
    return conditions[state]


class WeekStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(WEEK_STATE_LABELS.items())

    def queryset(self, request, queryset):
        value = self.value()
        if value not in WEEK_STATE_LABELS:
            return queryset
        return queryset.filter(state_condition(value, local_date(timezone.now())))


# --- Series ---------------------------------------------------------------------------------


@admin.register(CourseSeries)
class CourseSeriesAdmin(StaffHistoryAdmin):
    """LEKA A, LEKA B …: defaults for planning a year and the priority policy (C1, C9)."""

    region_lookup = "region"
    allow_delete = True
    list_display = (
        "name",
        "region",
        "default_iso_week",
        "invitation_month",
        "deadline",
        "priority_policy",
        "default_capacity",
        "default_fee",
        "week_count",
    )
    list_filter = (("region", admin.RelatedOnlyFieldListFilter), "priority_policy")
    search_fields = ("name", "main_goals", "default_place")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("region").annotate(_weeks=Count("weeks"))
        )

    @admin.display(description=_("registration deadline"))
    def deadline(self, series: CourseSeries) -> str:
        return f"{series.deadline_day}/{series.deadline_month}"

    @admin.display(description=_("course weeks"), ordering="_weeks")
    def week_count(self, series: CourseSeries) -> int:
        return series._weeks


# --- Courses inside a week ------------------------------------------------------------------


def _courses_with_counts(queryset):
    return (
        queryset.select_related("week")
        .prefetch_related("days", "leaders", "goals")
        .annotate(
            _seats_taken=Count("lines", filter=Q(lines__status__in=SEAT_TAKING), distinct=True),
            _waiting=Count("lines", filter=Q(lines__status=LineStatus.WAITLISTED), distinct=True),
        )
    )


class CourseDisplayMixin:
    @admin.display(description=_("days"))
    def days_display(self, course: Course) -> str:
        return ", ".join(day.date.isoformat() for day in course.days.all())

    @admin.display(description=_("capacity"))
    def capacity_display(self, course: Course) -> str:
        if course.own_capacity is None:
            return gettext("%(capacity)d (the week's)") % {"capacity": course.capacity}
        return str(course.capacity)

    @admin.display(description=_("seats taken"), ordering="_seats_taken")
    def seats_taken(self, course: Course) -> int:
        return course._seats_taken

    @admin.display(description=_("waiting list"), ordering="_waiting")
    def waiting(self, course: Course) -> int:
        return course._waiting

    @admin.display(description=_("course leaders"))
    def leaders_display(self, course: Course) -> str:
        return ", ".join(leader.display_name for leader in course.leaders.all())

    @admin.display(description=_("goals"))
    def goal_codes(self, course: Course) -> str:
        return ", ".join(goal.code for goal in course.goals.all())


class CourseInline(CourseDisplayMixin, StaffInlineMixin, admin.TabularInline):
    """The courses of a week, read-only here; each opens its own page."""

    model = Course
    fields = (
        "title",
        "days_display",
        "capacity_display",
        "seats_taken",
        "waiting",
        "leaders_display",
        "goal_codes",
        "removed_at",
    )
    readonly_fields = fields
    extra = 0
    show_change_link = True
    allow_add = False
    allow_change = False
    region_lookup = "week__series__region"

    def get_queryset(self, request):
        return _courses_with_counts(super().get_queryset(request))


# --- Course weeks ---------------------------------------------------------------------------


class CourseWeekForm(ScopedFormMixin, forms.ModelForm):
    """Checked by the same rules as the service (C3) so that a mistake shows on its field."""

    class Meta:
        model = CourseWeek
        fields = ("series", *services.WEEK_FIELDS, services.OPEN_TO_REGIONS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "guest_seat_price" in self.fields:
            self.fields["guest_seat_price"].required = False  # empty: no price (C23)
        if "cancellation_deadline" in self.fields and self.instance.pk is None:
            self.fields["cancellation_deadline"].required = False
            self.fields["cancellation_deadline"].help_text = _(
                "Empty: 14 days before the first day."
            )

    def clean(self):
        cleaned = super().clean()
        if "guest_seat_price" in cleaned and cleaned["guest_seat_price"] is None:
            cleaned["guest_seat_price"] = 0
        if self.errors:
            return cleaned
        values = {
            name: cleaned[name] if name in cleaned else getattr(self.instance, name)
            for name in services.WEEK_FIELDS
        }
        if values["cancellation_deadline"] is None and values["start_date"] is not None:
            values["cancellation_deadline"] = services.default_cancellation_deadline(
                values["start_date"]
            )
        if any(values[name] is None for name in ("start_date", "end_date", "invitation_date")):
            return cleaned
        try:
            services._validate_week(values)
            if self.instance.pk is not None:
                # C4: moving the week moves its courses; a day left outside refuses it.
                services.check_week_move(
                    week=self.instance, start_date=values["start_date"], end_date=values["end_date"]
                )
        except ValidationFailed as exc:
            add_service_errors(self, exc)
        except ServiceError as exc:
            self.add_error(None, exc.message)
        return cleaned


class CancelWeeksForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancelling the course week"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=CourseWeek._meta.get_field("cancel_reason").max_length,
        help_text=_("Shown to everyone registered, who is told that the week is cancelled."),
    )


_CANCEL_PAGE = """{% extends "admin/base_site.html" %}
{% block breadcrumbs %}<div class="breadcrumbs"><a href="{{ index_url }}">{{ home_label }}</a>
&rsaquo; <a href="{{ changelist_url }}">{{ opts.verbose_name_plural|capfirst }}</a>
&rsaquo; {{ title }}</div>{% endblock %}
{% block content %}
<p>{{ intro }}</p>
<ul>{% for week in weeks %}<li>{{ week }}</li>{% endfor %}</ul>
<p>{{ no_fee }}</p>
<form method="post">{% csrf_token %}
{% for week in weeks %}
<input type="hidden" name="{{ checkbox_name }}" value="{{ week.pk }}">{% endfor %}
<input type="hidden" name="action" value="cancel_weeks">
<input type="hidden" name="confirm" value="yes">
{{ form.as_div }}
<div class="submit-row">
<input type="submit" value="{{ submit_label }}">
<a href="{{ changelist_url }}" class="button cancel-link">{{ back_label }}</a>
</div>
</form>
{% endblock %}"""


def _open_to(data: dict) -> str | list[int]:
    """The admin form's C23 fields in the service's shape: "all", or the regions' ids."""
    if data.get("open_to_all_regions"):
        return "all"
    return [region.pk for region in data.get("open_to_regions") or ()]


@admin.register(CourseWeek)
class CourseWeekAdmin(StaffHistoryAdmin):
    """Kursveckor. Their state is read-only and moves by the actions Publicera / Ställ in."""

    region_lookup = "series__region"
    allow_revert = False  # an old version would bypass the rules of C4
    form = CourseWeekForm
    list_display = (
        "title",
        "series",
        "region",
        "state_display",
        "start_date",
        "end_date",
        "invitation_date",
        "registration_deadline",
        "cancellation_deadline",
        "capacity",
        "course_count",
        "registration_count",
    )
    list_filter = (
        ("series__region", admin.RelatedOnlyFieldListFilter),
        ("series", admin.RelatedOnlyFieldListFilter),
        WeekStateFilter,
    )
    search_fields = ("title", "place", "series__name", "courses__title")
    date_hierarchy = "start_date"
    inlines = (CourseInline,)
    actions = ("publish_weeks", "cancel_weeks")
    state_fields = (
        "state_display",
        "stored_state",
        "published_at",
        "allocated_at",
        "cancelled_at_display",
        "cancel_reason_display",
        "created_at",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("series", "series__region")
            .annotate(
                _courses=Count(
                    "courses", filter=Q(courses__removed_at__isnull=True), distinct=True
                ),
                _registrations=Count("registrations", distinct=True),
            )
        )

    # -- columns

    @admin.display(description=_("region"), ordering="series__region__name")
    def region(self, week: CourseWeek) -> str:
        return str(week.series.region)

    @admin.display(description=_("state"))
    def state_display(self, week: CourseWeek) -> str:
        return str(WEEK_STATE_LABELS.get(week.state_at(timezone.now()), week.stored_state))

    @admin.display(description=pgettext_lazy("course week", "cancelled"))
    def cancelled_at_display(self, week: CourseWeek) -> str:
        if week.cancelled_at is None:
            return self.get_empty_value_display()
        return date_format(timezone.localtime(week.cancelled_at), "DATETIME_FORMAT")

    @admin.display(description=pgettext_lazy("course week", "reason for cancellation"))
    def cancel_reason_display(self, week: CourseWeek) -> str:
        return week.cancel_reason

    @admin.display(description=_("courses"), ordering="_courses")
    def course_count(self, week: CourseWeek) -> int:
        return week._courses

    @admin.display(description=_("registrations"), ordering="_registrations")
    def registration_count(self, week: CourseWeek) -> int:
        return week._registrations

    @admin.display(description=_("add a course"))
    def add_course_link(self, week: CourseWeek) -> str:
        url = reverse("admin:courses_course_add") + f"?week={week.pk}"
        return format_html('<a class="addlink" href="{}">{}</a>', url, gettext("Add a course"))

    # -- form

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("series", "title", "place", "host_site", "certifier")}),
            (
                _("Dates and deadlines"),
                {
                    "fields": (
                        "start_date",
                        "end_date",
                        "invitation_date",
                        "registration_deadline",
                        "cancellation_deadline",
                    )
                },
            ),
            (
                _("Seats, fee and lodging"),
                {"fields": ("capacity", "late_cancellation_fee", "lodging_nightly_rate")},
            ),
            (
                _("Trainees of other regions"),
                {
                    "fields": (
                        "open_to_all_regions",
                        "open_to_regions",
                        "guest_seat_price",
                        "guest_lodging_nightly_rate",
                    )
                },
            ),
        ]
        if obj is not None:
            fieldsets.append((_("State"), {"fields": self.state_fields}))
            if self.has_change_permission(request, obj):
                fieldsets.append((_("Courses"), {"fields": ("add_course_link",)}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        readonly = [*self.state_fields, "add_course_link"]
        if obj.stored_state != StoredState.DRAFT:
            # Who is registered depends on these; once published, the capacity changes only
            # through the services' capacity rules (C12), never here.
            readonly += ["series", "capacity"]
        return readonly

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state_at(timezone.now()) in (
            WeekState.CANCELLED,
            WeekState.FINISHED,
        ):
            return False  # `update_course_week` answers `locked` (C4)
        return super().has_change_permission(request, obj)

    def has_publish_permission(self, request):
        return self._may(request, "change")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            week = services.create_course_week(
                actor=request.user,
                series=data["series"],
                title=data["title"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                place=data.get("place", ""),
                capacity=data["capacity"],
                invitation_date=data["invitation_date"],
                registration_deadline=data["registration_deadline"],
                cancellation_deadline=data.get("cancellation_deadline"),
                late_cancellation_fee=data["late_cancellation_fee"],
                host_site=data.get("host_site", ""),
                certifier=data.get("certifier"),
                lodging_nightly_rate=data.get("lodging_nightly_rate"),
                open_to_regions=_open_to(data),
                guest_seat_price=data.get("guest_seat_price") or 0,
                guest_lodging_nightly_rate=data.get("guest_lodging_nightly_rate"),
            )
            adopt(obj, week)
            return
        allowed = {"series", *services.WEEK_FIELDS}
        changes = {name: data[name] for name in form.changed_data if name in allowed}
        if {"open_to_all_regions", "open_to_regions"} & set(form.changed_data):
            changes.pop("open_to_all_regions", None)
            changes[services.OPEN_TO_REGIONS] = _open_to(data)
        if changes:
            week = services.update_course_week(actor=request.user, week=obj, changes=changes)
            adopt(obj, week)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "open_to_regions":
            # C23: a week is opened to the installation's other regions, not the editor's own.
            kwargs["queryset"] = Region.objects.order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # The service has set the other regions the week is opened to (C23).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Course:
            # The courses inline is read-only: nothing of it is saved (courses are added
            # through `add_course`), but the change message expects the formset's lists.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_formset(request, form, formset, change)

    # -- actions

    @admin.action(description=_("Publish"), permissions=("publish",))
    def publish_weeks(self, request, queryset):
        """C4: staff publish a draft week; the service checks it and writes the audit."""
        published = 0
        for week in queryset.order_by("start_date", "pk"):
            try:
                services.publish_course_week(actor=request.user, week=week)
            except ServiceError as exc:
                self.message_user(request, f"{week}: {exc.message}", messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d course week published.",
                    "%(count)d course weeks published.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )

    @admin.action(description=_("Cancel the week"), permissions=("publish",))
    def cancel_weeks(self, request, queryset):
        """C4: the organiser cancels a week, with a reason; no fee is ever charged for it."""
        weeks = list(queryset.order_by("start_date", "pk"))
        form = CancelWeeksForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            cancelled = 0
            for week in weeks:
                try:
                    services.cancel_course_week(
                        actor=request.user, week=week, reason=form.cleaned_data["reason"]
                    )
                except ServiceError as exc:
                    self.message_user(request, f"{week}: {exc.message}", messages.ERROR)
                else:
                    cancelled += 1
            if cancelled:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d course week cancelled.",
                        "%(count)d course weeks cancelled.",
                        cancelled,
                    )
                    % {"count": cancelled},
                    messages.SUCCESS,
                )
            return None
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Cancel course weeks"),
            "opts": opts,
            "weeks": weeks,
            "form": form,
            "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "index_url": reverse("admin:index"),
            "home_label": gettext("Home"),
            "changelist_url": reverse("admin:courses_courseweek_changelist"),
            "intro": gettext("These course weeks will be cancelled:"),
            "no_fee": gettext(
                "Everyone registered is told. Cancellation by the organiser never charges a fee."
            ),
            "submit_label": gettext("Cancel the course weeks"),
            "back_label": gettext("No, go back"),
        }
        page = engines["django"].from_string(_CANCEL_PAGE)
        return HttpResponse(page.render(context, request))


# --- Courses --------------------------------------------------------------------------------

_DAY_SEPARATORS = re.compile(r"[,;\s]+")


class CourseForm(ScopedFormMixin, forms.ModelForm):
    days_text = forms.CharField(
        label=_("days"),
        required=False,
        help_text=_("Dates separated by commas, e.g. 2027-03-22, 2027-03-23. Empty: every day."),
    )
    position = forms.IntegerField(
        label=_("position"),
        required=False,
        min_value=0,
        max_value=1_000,
        help_text=_("Empty: after the week's other courses."),
    )

    class Meta:
        model = Course
        fields = (
            "week",
            "title",
            "description",
            "position",
            "own_capacity",
            "leaders",
            "goals",
            "goals_2008_text",
        )

    def clean_position(self):
        position = self.cleaned_data.get("position")
        if position is None and self.instance.pk is not None:
            return self.instance.position
        return position

    def clean_days_text(self):
        text = self.cleaned_data.get("days_text", "").strip()
        days = []
        for part in filter(None, _DAY_SEPARATORS.split(text)):
            try:
                days.append(dt.date.fromisoformat(part))
            except ValueError as exc:
                raise forms.ValidationError(
                    gettext("%(value)s is not a date (YYYY-MM-DD).") % {"value": part}
                ) from exc
        return sorted(set(days))

    def clean(self):
        cleaned = super().clean()
        week, days = cleaned.get("week"), cleaned.get("days_text")
        if week is not None and days:
            outside = [d for d in days if not week.start_date <= d <= week.end_date]
            for day in outside:
                self.add_error(
                    "days_text",
                    gettext("%(day)s is outside the course week.") % {"day": day.isoformat()},
                )
        if week is not None and week.stored_state == StoredState.CANCELLED:
            self.add_error("week", gettext("The week is cancelled."))
        if self.instance.pk is not None and self.instance.removed_at is not None:
            self.add_error(None, gettext("The course has been removed from its week."))
        week = week or (self.instance.week if self.instance.week_id else None)
        leaders = cleaned.get("leaders")
        if week is not None and leaders is not None:
            # Leading a course makes one a member of the region: the same rule as the service.
            try:
                permissions.check_leaders([u.pk for u in leaders], week, field="leaders")
            except ValidationFailed as exc:
                for message in exc.fields["leaders"]:
                    self.add_error("leaders", message)
        return cleaned


@admin.register(Course)
class CourseAdmin(CourseDisplayMixin, StaffHistoryAdmin):
    """Delkurser. Added through `add_course`; afterwards title, description, leaders and goals
    are edited here with their history, while the week, days and capacity stay as the rules
    left them (seats and attendance depend on them)."""

    region_lookup = "week__series__region"
    allow_revert = False
    form = CourseForm
    list_display = (
        "title",
        "week",
        "days_display",
        "capacity_display",
        "seats_taken",
        "waiting",
        "leaders_display",
        "goal_codes",
    )
    list_filter = (
        ("week__series__region", admin.RelatedOnlyFieldListFilter),
        ("week__series", admin.RelatedOnlyFieldListFilter),
        ("week", admin.RelatedOnlyFieldListFilter),
        "goals__version",
        ("removed_at", admin.EmptyFieldListFilter),
    )
    search_fields = (
        "title",
        "description",
        "week__title",
        "goals__code",
        "leaders__first_name",
        "leaders__last_name",
    )
    filter_horizontal = ("goals",)
    autocomplete_fields = ("leaders",)

    def get_queryset(self, request):
        return _courses_with_counts(super().get_queryset(request)).select_related(
            "week__series__region"
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            first = ("week", "title", "description", "days_text", "own_capacity", "position")
        else:
            first = (
                "week",
                "title",
                "description",
                "days_display",
                "capacity_display",
                "seats_taken",
                "waiting",
                "position",
                "removed_at",
            )
        return [
            (None, {"fields": first}),
            (_("Course leaders and goals"), {"fields": ("leaders", "goals", "goals_2008_text")}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("week", "days_display", "capacity_display", "seats_taken", "waiting", "removed_at")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "week" in form.base_fields:
            weeks = form.base_fields["week"].queryset.exclude(stored_state=StoredState.CANCELLED)
            form = type(form.__name__, (form,), {"scoped_querysets": {"week": weeks}})
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            # Through the service like every other edit (STYLE rule 1), audited there.
            changed = set(form.changed_data)

            def given(name):
                return data.get(name) if name in changed else None

            course = services.update_course(
                actor=request.user,
                course=obj,
                title=given("title"),
                description=given("description"),
                goals_2008_text=given("goals_2008_text"),
                position=given("position"),
                leaders=list(data["leaders"]) if "leaders" in changed else None,
                goals=list(data["goals"]) if "goals" in changed else None,
            )
            adopt(obj, course)
            return None
        week = data["week"]
        days = data.get("days_text") or [
            week.start_date + dt.timedelta(days=n)
            for n in range((week.end_date - week.start_date).days + 1)
        ]
        course = services.add_course(
            actor=request.user,
            week=week,
            title=data["title"],
            description=data.get("description", ""),
            days=days,
            capacity=data.get("own_capacity"),
            leaders=list(data.get("leaders") or ()),
            goals=list(data.get("goals") or ()),
            goals_2008_text=data.get("goals_2008_text", ""),
            position=data.get("position"),
        )
        adopt(obj, course)

    def save_related(self, request, form, formsets, change):
        # `add_course` and `update_course` have set the leaders and goals already.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        return None
