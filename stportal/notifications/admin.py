"""The e-mail outbox in the back office (C22): failed sends are visible to staff, who can have
them queued again. Messages are never written here, only read; "try again" calls the service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import RoleAssignment
from stportal.core import permissions
from stportal.core.admin import ReadOnlyAdmin
from stportal.notifications import services
from stportal.notifications.models import OutboxMessage, OutboxStatus


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Staff see the messages to people of their own regions (a message names people and
    their registrations); messages to a bare address, or to someone with no role in any
    region, only superusers see."""

    list_display = (
        "created_at",
        "kind",
        "to_email",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "kind", "language")
    search_fields = ("to_email", "subject", "kind", "dedupe_key")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    fields = (
        "kind",
        "recipient",
        "to_email",
        "language",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "dedupe_key",
    )
    readonly_fields = fields
    actions = ["try_again"]
    show_full_result_count = False

    def scope_queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        user = request.user
        if getattr(user, "is_superuser", False):
            return queryset
        regions = permissions.staff_region_ids(user)
        people = RoleAssignment.objects.filter(region_id__in=regions).values("user_id")
        return queryset.filter(
            Q(recipient_id__in=people)
            | Q(recipient__trainee_profile__home_unit__region_id__in=regions)
        )

    @admin.display(description=_("last error"))
    def short_error(self, message: OutboxMessage) -> str:
        error = message.last_error
        return error if len(error) <= 80 else error[:79] + "…"

    def has_retry_permission(self, request: HttpRequest) -> bool:
        # Trying a failed send again changes no rule-governed data: whoever may see the
        # outbox may do it.
        return self.has_view_permission(request)

    @admin.action(description=_("Try sending again"), permissions=["retry"])
    def try_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        ids = list(queryset.filter(status=OutboxStatus.FAILED).values_list("pk", flat=True))
        if not ids:
            self.message_user(
                request, gettext("None of the chosen e-mails has failed."), messages.WARNING
            )
            return
        # Queued again for the mail worker (sent at once only where no worker runs).
        report = services.retry_failed(ids=ids, now=timezone.now())
        level = messages.SUCCESS if not (report.failed or report.gave_up) else messages.WARNING
        self.message_user(request, services.retry_summary(report), level)
