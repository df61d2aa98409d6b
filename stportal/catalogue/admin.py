"""The back office of the course catalogue (SPEC 5 P2): staff of a region add, change and
remove its providers and external courses; nobody sees another region's. Every save and delete
goes through the catalogue's services, which check the region and write the audit trail."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from stportal.catalogue import services
from stportal.catalogue.models import ExternalCourse, Provider
from stportal.core import bounds
from stportal.core.admin import StaffHistoryAdmin, adopt
from stportal.core.errors import ServiceError


class _ServiceBackedAdmin(StaffHistoryAdmin):
    allow_delete = True
    # Reverting to an old version would write the row past the services and their audit.
    allow_revert = False

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                self.delete_model(request, obj)
            except ServiceError as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.ERROR)


@admin.register(Provider)
class ProviderAdmin(_ServiceBackedAdmin):
    """A region's course providers, preferred (the region's own) or other."""

    region_lookup = "region"
    list_display = ("name", "kind", "region", "course_count", "url")
    list_filter = ("kind", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "description")
    fields = ("region", "name", "kind", "url", "description")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("region")
            .annotate(_courses=Count("courses"))
        )

    def get_readonly_fields(self, request, obj=None):
        return ("region",) if obj is not None else ()

    @admin.display(description=_("external courses"), ordering="_courses")
    def course_count(self, provider: Provider) -> int:
        return provider._courses  # type: ignore[attr-defined]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.create_provider(
                actor=request.user,
                region=data["region"],
                name=data["name"],
                kind=data["kind"],
                url=data.get("url", ""),
                description=data.get("description", ""),
            )
            adopt(obj, created)
            return
        changes = {
            name: data[name] for name in form.changed_data if name in services.PROVIDER_FIELDS
        }
        if changes:
            adopt(obj, services.update_provider(actor=request.user, provider=obj, changes=changes))

    def delete_model(self, request, obj):
        services.remove_provider(actor=request.user, provider=obj)


class ExternalCourseForm(forms.ModelForm):
    class Meta:
        model = ExternalCourse
        fields = (
            "provider",
            "title",
            "url",
            "start_date",
            "end_date",
            "place",
            "cost",
            "certified",
            "description",
            "goals",
            "subjects",
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        cost = cleaned.get("cost")
        if cost is not None and cost > bounds.MAX_AMOUNT:
            self.add_error(
                "cost",
                _("Enter a whole amount in SEK between 0 and %(max)d.")
                % {"max": bounds.MAX_AMOUNT},
            )
        return cleaned


@admin.register(ExternalCourse)
class ExternalCourseAdmin(_ServiceBackedAdmin):
    """The external courses of a region's providers, with their goals and mandatory subjects."""

    form = ExternalCourseForm

    region_lookup = "provider__region"
    list_display = ("title", "provider", "start_date", "end_date", "place", "cost", "certified")
    list_filter = ("certified", "provider__kind", ("provider", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "description", "place", "provider__name")
    date_hierarchy = "start_date"
    filter_horizontal = ("goals", "subjects")
    fields = (
        "provider",
        "title",
        "url",
        ("start_date", "end_date"),
        "place",
        "cost",
        "certified",
        "description",
        "goals",
        "subjects",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.create_external_course(
                actor=request.user,
                provider=data["provider"],
                title=data["title"],
                url=data.get("url", ""),
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
                place=data.get("place", ""),
                cost=data.get("cost"),
                certified=bool(data.get("certified")),
                description=data.get("description", ""),
                goals=data.get("goals") or [],
                subjects=data.get("subjects") or [],
            )
            adopt(obj, created)
            return
        allowed = {*services.COURSE_FIELDS, "provider", "goals", "subjects"}
        changes = {name: data[name] for name in form.changed_data if name in allowed}
        if changes:
            adopt(
                obj,
                services.update_external_course(actor=request.user, course=obj, changes=changes),
            )

    def save_related(self, request, form, formsets, change):
        # The goals and subjects were set by the service, with the audit event.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.remove_external_course(actor=request.user, course=obj)
