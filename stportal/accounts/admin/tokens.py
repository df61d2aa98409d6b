"""Back office for personal API tokens: only their prefix is known."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import (
    ApiToken,
)
from stportal.core.admin import (
    ReadOnlyAdmin,
)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Personal API tokens: only their prefix is known. A superuser may revoke them."""

    superuser_only = frozenset({"view"})
    list_display = ("user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "prefix")
    list_select_related = ("user",)
    fields = ("user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_tokens",)

    def has_revoke_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("Revoke the selected tokens"), permissions=("revoke",))
    def revoke_tokens(self, request, queryset):
        from stportal.accounts.tokens import revoke_api_token

        for token in queryset:
            revoke_api_token(actor=request.user, token=token)
        self.message_user(request, gettext("The tokens are revoked."), messages.SUCCESS)
