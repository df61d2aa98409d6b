"""Back office for role assignments (SPEC 2): granted and revoked only through
`grant_role` and `revoke_role`, which decide who may grant what and audit it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

from stportal.accounts import permissions as account_permissions
from stportal.accounts import services
from stportal.accounts.models import (
    RoleAssignment,
)
from stportal.core.admin import (
    StaffHistoryAdmin,
    StaffInlineMixin,
    adopt,
)
from stportal.core.errors import ServiceError


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "region", "area", "home_unit")

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        for name in ("area", "home_unit"):
            value = cleaned.get(name)
            if value is not None and region is not None and value.region_id != region.pk:
                self.add_error(name, gettext("It belongs to another region."))
        return cleaned


def _roles_the_editor_may_grant(request, field):
    """Only the roles the editor may grant somewhere are offered (`grant_role` still decides
    each grant against its person and region)."""
    allowed = set(account_permissions.grantable_roles(request.user))
    field.choices = [c for c in field.choices if not c[0] or c[0] in allowed]
    return field


class RoleAssignmentInline(StaffInlineMixin, admin.TabularInline):
    """The roles a person holds, and where (SPEC 2). Staff see the rows of their own regions;
    a row is added or removed (through `grant_role` and `revoke_role`), never changed in
    place; for a person the editor may not manage, the rows are read-only."""

    model = RoleAssignment
    form = RoleAssignmentForm
    fk_name = "user"
    fields = ("role", "region", "area", "home_unit")
    extra = 0
    allow_change = False
    allow_delete = True
    region_lookup = "region"

    def _may(self, request, operation, obj=None):
        if obj is not None and operation in ("add", "delete"):
            if not account_permissions.may_edit_roles_of(request.user, obj):
                return False
        return super()._may(request, operation)

    def has_add_permission(self, request, obj=None):
        return self._may(request, "add", obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete", obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        return _roles_the_editor_may_grant(request, field) if db_field.name == "role" else field


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(StaffHistoryAdmin):
    """Role grants (security review finding 3): added and removed only through `grant_role`
    and `revoke_role`, which decide who may grant what and audit it; never changed in place."""

    region_lookup = "region"
    allow_change = False
    allow_delete = True
    allow_revert = False
    form = RoleAssignmentForm
    list_display = ("user", "role", "region", "area", "home_unit")
    list_filter = ("role", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    list_select_related = ("user", "region", "area", "home_unit")
    autocomplete_fields = ("user",)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        return _roles_the_editor_may_grant(request, field) if db_field.name == "role" else field

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not account_permissions.may_manage_role(
            request.user, user=obj.user, role=obj.role, region_id=obj.region_id
        ):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = services.grant_role(
            actor=request.user,
            user=obj.user,
            role=obj.role,
            region=obj.region,
            area=obj.area,
            home_unit=obj.home_unit,
        )
        adopt(obj, created)

    def delete_model(self, request, obj):
        services.revoke_role(actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        # All or nothing: one refusal keeps every selected role.
        with transaction.atomic():
            for assignment in queryset.select_related("user"):
                services.revoke_role(actor=request.user, assignment=assignment)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:accounts_roleassignment_changelist"))

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
