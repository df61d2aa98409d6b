"""Back office for annual reports (SPEC 5 P13): read-only, scoped to the staff member's
regions. Reports change only through their services, which lock, keep a version and audit."""

from __future__ import annotations

from django.contrib import admin

from stportal.annualreport.models import AnnualReport, AnnualReportVersion
from stportal.core.admin import ReadOnlyAdmin


class VersionInline(admin.TabularInline):
    model = AnnualReportVersion
    extra = 0
    can_delete = False
    fields = ("number", "event", "status", "written_by", "written_at", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("trainee", "year", "status", "updated_at")
    list_filter = ("status", "year")
    search_fields = ("trainee__user__last_name", "trainee__user__first_name")
    list_select_related = ("trainee__user", "trainee__home_unit")
    fields = (
        "trainee",
        "year",
        "period_start",
        "period_end",
        "status",
        "sections",
        "sections_at",
        "trainee_text",
        "supervisor_text",
        "supervisor",
        "version",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "submitted_by",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    )
    readonly_fields = fields
    inlines = (VersionInline,)
