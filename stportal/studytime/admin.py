"""Back office for study time (SPEC 5 P6): the activities are reference data staff edit
(shared by every region, so only a superuser deletes one; an activity no longer offered is
made inactive); the trainees' logs are read-only, scoped to the staff member's regions, and
change only through the services (the trainee's page and the API), each change audited."""

from __future__ import annotations

from django.contrib import admin

from stportal.core.admin import ReadOnlyAdmin, StaffHistoryAdmin
from stportal.studytime.models import StudyActivity, StudyTimeEntry


@admin.register(StudyActivity)
class StudyActivityAdmin(StaffHistoryAdmin):
    region_lookup = None
    allow_delete = True
    superuser_only = frozenset({"delete"})
    list_display = ("name", "name_en", "code", "position", "active")
    list_editable = ("position", "active")
    search_fields = ("name", "name_en", "code")


@admin.register(StudyTimeEntry)
class StudyTimeEntryAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("day", "trainee", "hours", "activity", "created_at")
    list_filter = ("activity",)
    list_select_related = ("trainee__user", "activity")
    date_hierarchy = "day"
    fields = ("trainee", "day", "hours", "activity", "note", "created_at", "created_by")
