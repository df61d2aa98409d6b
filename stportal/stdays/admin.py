"""Back office for ST-day certificates (SPEC 5 P4): read-only, scoped to the staff member's
regions. They are issued and revoked through the services only (the supervisor's pages and the
API), each change audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stportal.core.admin import ReadOnlyAdmin
from stportal.stdays.models import StDayCertificate


@admin.register(StDayCertificate)
class StDayCertificateAdmin(ReadOnlyAdmin):
    region_lookup = "trainee__home_unit__region"
    list_display = ("title", "trainee", "subject", "first_day", "issued_by", "issued_at", "revoked")
    list_filter = ("version", ("revoked_at", admin.EmptyFieldListFilter))
    list_select_related = ("trainee__user", "subject", "issued_by")
    date_hierarchy = "issued_at"
    # The fixed content holds the trainee's personal identity number: not shown here.
    fields = (
        "trainee",
        "subject",
        "title",
        "first_day",
        "last_day",
        "place",
        "description",
        "goal_codes",
        "examined_on",
        "examination",
        "version",
        "form",
        "verification_code",
        "issued_at",
        "issued_by",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
    )

    @admin.display(boolean=True, description=_("revoked"))
    def revoked(self, obj: StDayCertificate) -> bool:
        return obj.is_revoked
