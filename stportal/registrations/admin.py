"""Back office for registrations, their course lines and fees (C5–C16): read-only.

These rows change only through the registration services (STYLE rules 1 and 5; C15: nothing
is ever deleted), so the admin shows them with filters and search and never adds, changes or
deletes one, not even for a superuser. Personal identity numbers are shown masked.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.core.admin import ReadOnlyAdmin, StaffInlineMixin
from stportal.registrations.models import Fee, Registration, RegistrationLine

_TRAINEE_SEARCH = (
    "trainee__user__first_name",
    "trainee__user__last_name",
    "trainee__user__email",
)


class ReadOnlyInline(StaffInlineMixin, admin.TabularInline):
    allow_add = False
    allow_change = False
    allow_delete = False
    extra = 0
    can_delete = False


class RegistrationLineInline(ReadOnlyInline):
    model = RegistrationLine
    fields = (
        "course",
        "status",
        "late",
        "requested_at",
        "queue_order",
        "reason",
        "confirmed_at",
        "offer_expires_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "fee",
        "result_reason",
    )
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course", "cancelled_by")


class FeeInline(ReadOnlyInline):
    model = Fee
    fields = ("amount", "status", "cause", "reason", "home_unit", "charged_at", "decided_by")
    readonly_fields = fields


class TraineeColumnsMixin:
    """Columns naming the trainee of a registration, with the personal number masked."""

    registration_path = ""  # from the admin's model to the Registration ("" for Registration)

    def _registration(self, obj) -> Registration:
        return obj if not self.registration_path else getattr(obj, self.registration_path)

    @admin.display(description=_("trainee"))
    def trainee_name(self, obj) -> str:
        return self._registration(obj).trainee.user.display_name

    @admin.display(description=_("personal identity number"))
    def masked_personal_id(self, obj) -> str:
        return self._registration(obj).trainee.masked_personal_id


@admin.register(Registration)
class RegistrationAdmin(TraineeColumnsMixin, ReadOnlyAdmin):
    region_lookup = "course_week__series__region"
    list_display = (
        "trainee_name",
        "masked_personal_id",
        "course_week",
        "home_unit",
        "created_at",
        "line_summary",
        "needs_lodging",
        "fee_display",
    )
    list_filter = (
        ("course_week__series__region", admin.RelatedOnlyFieldListFilter),
        ("course_week__series", admin.RelatedOnlyFieldListFilter),
        ("course_week", admin.RelatedOnlyFieldListFilter),
        "lines__status",
        "lines__late",
        "curriculum_version",
        "trainee__specialty",
        ("home_unit__area", admin.RelatedOnlyFieldListFilter),
        ("home_unit", admin.RelatedOnlyFieldListFilter),
        "home_unit__away_from_host_site",
        "needs_lodging",
    )
    search_fields = (
        *_TRAINEE_SEARCH,
        "course_week__title",
        "home_unit__name",
        "home_unit__cost_centre",
    )
    list_select_related = ("trainee__user", "course_week", "home_unit", "fee")
    date_hierarchy = "created_at"
    fields = (
        "trainee",
        "masked_personal_id",
        "course_week",
        "curriculum_version",
        "home_unit",
        "needs_lodging",
        "dietary_needs",
        "earlier_courses_note",
        "note",
        "created_at",
        "created_by",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (RegistrationLineInline, FeeInline)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines__course")

    @admin.display(description=_("courses"))
    def line_summary(self, registration: Registration) -> str:
        return "; ".join(
            f"{line.course.title}: {line.get_status_display()}"
            + (f" ({_('late')})" if line.late else "")
            for line in registration.lines.all()
        )

    @admin.display(description=_("fee"))
    def fee_display(self, registration: Registration) -> str:
        fee = getattr(registration, "fee", None)
        if fee is None:
            return "–"
        return gettext("%(amount)d SEK, %(status)s") % {
            "amount": fee.amount,
            "status": fee.get_status_display(),
        }


@admin.register(RegistrationLine)
class RegistrationLineAdmin(TraineeColumnsMixin, ReadOnlyAdmin):
    region_lookup = "registration__course_week__series__region"
    registration_path = "registration"
    list_display = (
        "trainee_name",
        "masked_personal_id",
        "course",
        "status",
        "late",
        "queue_order",
        "reason",
        "requested_at",
        "confirmed_at",
        "offer_expires_at",
        "cancelled_at",
    )
    list_filter = (
        "status",
        "late",
        ("registration__course_week__series__region", admin.RelatedOnlyFieldListFilter),
        ("registration__course_week", admin.RelatedOnlyFieldListFilter),
        ("course", admin.RelatedOnlyFieldListFilter),
        "registration__curriculum_version",
        "registration__home_unit__away_from_host_site",
    )
    search_fields = (
        *(f"registration__{path}" for path in _TRAINEE_SEARCH),
        "course__title",
        "reason",
        "cancel_reason",
    )
    list_select_related = ("registration__trainee__user", "course__week")
    fields = (
        "registration",
        "trainee_name",
        "masked_personal_id",
        "course",
        "status",
        "late",
        "requested_at",
        "queue_order",
        "reason_code",
        "reason",
        "confirmed_at",
        "offered_at",
        "offer_expires_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "fee",
        "result_reason",
    )
    readonly_fields = fields


@admin.register(Fee)
class FeeAdmin(TraineeColumnsMixin, ReadOnlyAdmin):
    """Late-cancellation fees (utbildningskostnad) charged to or waived for home units."""

    region_lookup = "registration__course_week__series__region"
    registration_path = "registration"
    list_display = (
        "trainee_name",
        "course_week",
        "home_unit",
        "cost_centre",
        "purchaser_id",
        "amount",
        "status",
        "cause",
        "charged_at",
        "decided_by",
    )
    list_filter = (
        "status",
        "cause",
        ("registration__course_week__series__region", admin.RelatedOnlyFieldListFilter),
        ("registration__course_week", admin.RelatedOnlyFieldListFilter),
        ("home_unit__area", admin.RelatedOnlyFieldListFilter),
        ("home_unit", admin.RelatedOnlyFieldListFilter),
        "home_unit__away_from_host_site",
    )
    search_fields = (
        *(f"registration__{path}" for path in _TRAINEE_SEARCH),
        "home_unit__name",
        "home_unit__cost_centre",
        "home_unit__area__purchaser_id",
        "reason",
    )
    list_select_related = (
        "registration__trainee__user",
        "registration__course_week",
        "home_unit__area",
        "decided_by",
    )
    date_hierarchy = "charged_at"
    fields = (
        "registration",
        "trainee_name",
        "masked_personal_id",
        "home_unit",
        "amount",
        "status",
        "cause",
        "reason",
        "charged_at",
        "decided_by",
    )
    readonly_fields = fields

    @admin.display(description=_("course week"), ordering="registration__course_week__start_date")
    def course_week(self, fee: Fee) -> str:
        return str(fee.registration.course_week)

    @admin.display(description=_("cost centre"), ordering="home_unit__cost_centre")
    def cost_centre(self, fee: Fee) -> str:
        return fee.home_unit.cost_centre

    @admin.display(description=_("purchaser id"))
    def purchaser_id(self, fee: Fee) -> str:
        return fee.home_unit.area.purchaser_id if fee.home_unit.area else ""
