"""Back office for the completion pack (SPEC 5 P14): read-only, scoped to the staff member's
regions. Summary certificates are kept by the trainee on the pack's page and application forms
uploaded by staff on the application forms page, through the services, each change audited."""

from __future__ import annotations

from django.contrib import admin

from stportal.completion.models import ApplicationForm, SummaryCertificate
from stportal.core.admin import ReadOnlyAdmin


@admin.register(SummaryCertificate)
class SummaryCertificateAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("trainee", "kind", "present", "updated_at")
    list_filter = ("kind",)
    list_select_related = ("trainee__user",)
    fields = ("trainee", "kind", "filename", "size", "updated_at", "updated_by")

    @admin.display(boolean=True)
    def present(self, obj: SummaryCertificate) -> bool:
        return obj.present


@admin.register(ApplicationForm)
class ApplicationFormAdmin(ReadOnlyAdmin):
    region_lookup = "region"
    list_display = ("version", "region", "filename", "size", "uploaded_at", "uploaded_by")
    list_filter = ("version",)
    list_select_related = ("region", "uploaded_by")
    fields = ("version", "region", "filename", "size", "sha256", "uploaded_at", "uploaded_by")
