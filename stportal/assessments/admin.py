"""Back office for competence assessments (SPEC 5 P12): the assessments read-only (they change
only through the services: the trainee's and assessor's pages and the API), and each region's
expectation of assessments a year, which the region's staff edit here, with its history."""

from __future__ import annotations

from django.contrib import admin

from stportal.assessments.models import Assessment, RegionExpectation
from stportal.core.admin import ReadOnlyAdmin, StaffHistoryAdmin


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("kind", "trainee", "assessor_name", "status", "created_at", "assessed_on")
    list_filter = ("kind", "status", "independence")
    list_select_related = ("trainee__user",)
    date_hierarchy = "created_at"
    # The link's token digest is not shown: the back office has no use for it.
    fields = (
        "trainee",
        "kind",
        "status",
        "goal_codes",
        "context",
        "assessor_name",
        "assessor_email",
        "link_sent_at",
        "link_expires_at",
        "times_sent",
        "created_at",
        "created_by",
        "completed_at",
        "completed_by",
        "assessed_on",
        "independence",
        "feedback",
        "assessed_goal_codes",
        "withdrawn_at",
    )


@admin.register(RegionExpectation)
class RegionExpectationAdmin(StaffHistoryAdmin):
    region_lookup = "region"
    list_display = ("region", "per_year")
