"""Back office for course registers, attendance and results (C17): read-only.

These rows change only through attendance.services (STYLE rules 1 and 5). The admin lists
them with filters; reopening a closed register is an admin action that calls the service.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.attendance import services
from stportal.attendance.models import AttendanceRecord, CourseRegister, CourseResult
from stportal.core import permissions
from stportal.core.admin import ReadOnlyAdmin
from stportal.core.errors import ServiceError


@admin.register(CourseRegister)
class CourseRegisterAdmin(ReadOnlyAdmin):
    region_lookup = "course__week__series__region"
    list_display = ("course", "week", "closed_at", "closed_by", "reopened_at", "reopened_by")
    list_filter = (
        ("course__week__series__region", admin.RelatedOnlyFieldListFilter),
        ("course__week", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("course__title", "course__week__title")
    list_select_related = ("course__week", "closed_by", "reopened_by")
    fields = (
        "course",
        "closed_at",
        "closed_by",
        "reopened_at",
        "reopened_by",
        "reopen_reason",
    )
    readonly_fields = fields
    actions = ("reopen_registers",)

    @admin.display(description=_("course week"), ordering="course__week__start_date")
    def week(self, register: CourseRegister) -> str:
        return str(register.course.week)

    @admin.action(description=_("Reopen the selected registers"), permissions=("reopen",))
    def reopen_registers(self, request, queryset):
        reopened = 0
        for register in queryset.select_related("course"):
            try:
                services.reopen_register(
                    actor=request.user,
                    course=register.course,
                    reason=gettext("Reopened in the back office."),
                )
            except ServiceError as exc:
                self.message_user(request, f"{register.course}: {exc.message}", messages.ERROR)
            else:
                reopened += 1
        if reopened:
            self.message_user(
                request,
                gettext("Registers reopened: %(count)d.") % {"count": reopened},
                messages.SUCCESS,
            )

    def has_reopen_permission(self, request) -> bool:
        # Staff of a region (the service checks the region of each register again).
        return request.user.is_superuser or bool(permissions.staff_region_ids(request.user))


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(ReadOnlyAdmin):
    region_lookup = "line__course__week__series__region"
    list_display = ("trainee", "course", "date", "present", "note", "recorded_at", "recorded_by")
    list_filter = (
        "present",
        ("line__course__week", admin.RelatedOnlyFieldListFilter),
        ("line__course", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "line__registration__trainee__user__first_name",
        "line__registration__trainee__user__last_name",
        "line__course__title",
        "note",
    )
    list_select_related = ("line__registration__trainee__user", "line__course", "recorded_by")
    fields = ("line", "date", "present", "note", "recorded_at", "recorded_by")
    readonly_fields = fields

    @admin.display(description=_("trainee"))
    def trainee(self, record: AttendanceRecord) -> str:
        return record.line.registration.trainee.user.display_name

    @admin.display(description=_("course"))
    def course(self, record: AttendanceRecord) -> str:
        return str(record.line.course)


@admin.register(CourseResult)
class CourseResultAdmin(ReadOnlyAdmin):
    region_lookup = "line__course__week__series__region"
    list_display = ("trainee", "course", "result", "automatic", "reason", "recorded_at")
    list_filter = (
        "result",
        "automatic",
        ("line__course__week", admin.RelatedOnlyFieldListFilter),
        ("line__course", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "line__registration__trainee__user__first_name",
        "line__registration__trainee__user__last_name",
        "line__course__title",
        "reason",
        "makeup",
    )
    list_select_related = ("line__registration__trainee__user", "line__course", "recorded_by")
    fields = ("line", "result", "reason", "makeup", "automatic", "recorded_at", "recorded_by")
    readonly_fields = fields

    @admin.display(description=_("trainee"))
    def trainee(self, result: CourseResult) -> str:
        return result.line.registration.trainee.user.display_name

    @admin.display(description=_("course"))
    def course(self, result: CourseResult) -> str:
        return str(result.line.course)
