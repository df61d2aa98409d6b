"""Back office for secondments, the training allowance and credited service (SPEC 5 P7–P9).

The kinds of secondment and which kinds a specialty requires are editable reference data
(staff add a kind, such as paediatrics, with its usual length), shared by every region and
kept with their history; only a superuser deletes one. The trainees' rows are read-only here,
scoped to the staff member's regions: they change through the services only (the record's
page and the API), each change audited.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stportal.core.admin import ReadOnlyAdmin, StaffHistoryAdmin
from stportal.secondments.models import (
    Allowance,
    MandatorySecondment,
    Secondment,
    SecondmentKind,
    ServiceCredit,
)


class ReferenceAdmin(StaffHistoryAdmin):
    region_lookup = None
    allow_delete = True
    superuser_only = frozenset({"delete"})


@admin.register(SecondmentKind)
class SecondmentKindAdmin(ReferenceAdmin):
    list_display = ("name", "name_en", "code", "default_weeks", "position")
    search_fields = ("name", "name_en", "code")
    prepopulated_fields = {"code": ("name_en",)}


@admin.register(MandatorySecondment)
class MandatorySecondmentAdmin(ReferenceAdmin):
    list_display = ("specialty", "version", "kind")
    list_filter = ("specialty", "version", "kind")
    list_select_related = ("specialty", "version", "kind")


@admin.register(Secondment)
class SecondmentAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("trainee", "kind", "place", "start_date", "end_date", "mandatory")
    list_filter = ("kind", "mandatory")
    list_select_related = ("trainee__user", "kind")
    date_hierarchy = "start_date"
    search_fields = ("trainee__user__last_name", "trainee__user__first_name", "place")


@admin.register(Allowance)
class AllowanceAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = (
        "trainee",
        "queue_position",
        "months_paid",
        "secondment_months_paid",
        "updated_at",
    )
    list_select_related = ("trainee__user",)
    search_fields = ("trainee__user__last_name", "trainee__user__first_name")


@admin.register(ServiceCredit)
class ServiceCreditAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("trainee", "period_start", "period_end", "months", "decided_at", "withdrawn")
    list_filter = (("withdrawn_at", admin.EmptyFieldListFilter),)
    list_select_related = ("trainee__user",)
    search_fields = ("trainee__user__last_name", "trainee__user__first_name")

    @admin.display(boolean=True, description=_("withdrawn"))
    def withdrawn(self, obj: ServiceCredit) -> bool:
        return obj.is_withdrawn
