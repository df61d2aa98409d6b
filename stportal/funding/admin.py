"""Back office for training funds (P3): each area's funding settings and electronic-invoicing
identifiers, edited by staff of the area's region (with their history); the applications
themselves are read-only here and change only through the services (STYLE rules 1 and 5)."""

from __future__ import annotations

from django.contrib import admin

from stportal.core.admin import ReadOnlyAdmin, StaffHistoryAdmin
from stportal.funding.models import AreaFundingSettings, FundingApplication


@admin.register(AreaFundingSettings)
class AreaFundingSettingsAdmin(StaffHistoryAdmin):
    region_lookup = "area__region"
    allow_delete = True
    list_display = (
        "area",
        "register_before_approval",
        "expected_courses_per_year",
        "yearly_limit",
        "gln",
        "customer_number",
    )
    list_select_related = ("area",)
    search_fields = ("area__name",)
    fields = (
        "area",
        "register_before_approval",
        "expected_courses_per_year",
        "yearly_limit",
        "gln",
        "organisation_number",
        "customer_number",
        "vat_registration_number",
        "vat_number",
        "bank",
        "bic",
    )


@admin.register(FundingApplication)
class FundingApplicationAdmin(ReadOnlyAdmin):
    region_lookup = "region"
    list_display = ("course_title", "trainee", "provider", "start_date", "status", "area")
    list_filter = ("status", ("area", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("trainee__user", "area")
    search_fields = ("course_title", "provider", "trainee__user__last_name")
    exclude = ("certificate_pdf",)
