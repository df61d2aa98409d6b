"""Back office for supervisor statements (P5): read-only, scoped to the staff member's regions.

Statements change only through their services (write, edit, submit, review), which lock, keep
a version and audit (STYLE rules 1 and 5); the admin reads them and their versions.
"""

from __future__ import annotations

from django.contrib import admin

from stportal.core.admin import ReadOnlyAdmin
from stportal.statements.models import StatementVersion, SupervisorStatement


class VersionInline(admin.TabularInline):
    model = StatementVersion
    extra = 0
    can_delete = False
    fields = ("number", "event", "status", "written_by", "written_at", "comment", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupervisorStatement)
class SupervisorStatementAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("trainee", "supervisor", "period_from", "period_to", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("trainee__user__last_name", "trainee__user__first_name")
    list_select_related = ("trainee__user", "trainee__home_unit", "supervisor")
    fields = (
        "trainee",
        "supervisor",
        "period_from",
        "period_to",
        "status",
        "text",
        "version",
        "created_at",
        "updated_at",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    )
    readonly_fields = fields
    inlines = (VersionInline,)
