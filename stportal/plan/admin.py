"""Back office for the education plan (SPEC 5 P11): read-only and for superusers only. The
plan is the trainee's own, read by their supervisor and study director and nobody else, so the
region's other staff do not see it here either. The trainee keeps the plan through its pages
and the API (the services), each change audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stportal.core.admin import ReadOnlyAdmin
from stportal.plan.models import PlanItem


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("title", "trainee", "kind", "status", "start_date", "end_date", "certificate")
    list_filter = ("kind", "status")
    list_select_related = ("trainee__user",)
    date_hierarchy = "start_date"
    fields = (
        "trainee",
        "kind",
        "status",
        "title",
        "place",
        "start_date",
        "end_date",
        "extent_percent",
        "bt_part",
        "goals",
        "note",
        "certificate_filename",
        "certificate_size",
        "certificate_uploaded_at",
        "created_by",
        "created_at",
        "updated_at",
    )

    def has_module_permission(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request, obj=None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    @admin.display(boolean=True, description=_("certificate"))
    def certificate(self, obj: PlanItem) -> bool:
        return obj.has_certificate
