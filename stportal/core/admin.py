"""The back office: the Django admin for course admins and regional study directors (SPEC 8).

Reference data (regions, home units, curricula, series …) is edited here and keeps its history
through django-simple-history. What a rule governs (course week states, capacity,
registrations, fees, results, audit events) is read-only here and changes only through admin
actions that call the services (STYLE rules 1 and 5).

This module also sets up the site itself: its Swedish title, who may enter (the staff roles of
SPEC 2, from RoleAssignment rows; no `is_staff` flag needed) and the log-in, which is the
product's own rate-limited log-in page (SPEC 7) rather than a second, unthrottled form.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template import engines
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from stportal.core import permissions, personnummer
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.core.models import AuditEvent, BarrierReport

# --- The site -------------------------------------------------------------------------------

admin.site.site_header = _("ST-portalen – administration")
admin.site.site_title = _("ST-portalen – administration")
admin.site.index_title = _("Back office")


def _has_permission(request) -> bool:
    """Superusers, and course admins and regional study directors of any region (SPEC 2)."""
    return permissions.can_use_admin(request.user)


_NOT_AUTHORISED_PAGE = """{% extends "admin/base_site.html" %}
{% block content %}
<p class="errornote">{{ message }}</p>
<p><a href="{{ home_url }}">{{ home_label }}</a></p>
{% endblock %}"""


def _login(request, extra_context=None):
    """The admin's log-in goes to the product's log-in page (django-allauth: rate limited,
    two-factor and single sign-on where configured). A signed-in person without a staff role
    is told so instead of being sent round in a loop."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': next_url})}")
    if _has_permission(request):
        return HttpResponseRedirect(next_url)
    context = {
        **admin.site.each_context(request),
        "title": gettext("No access to the back office"),
        "message": gettext(
            "You are signed in as %(user)s, who does not hold the role of course admin or "
            "regional study director."
        )
        % {"user": request.user.get_username()},
        "home_url": "/",
        "home_label": gettext("Back to ST-portalen"),
    }
    page = engines["django"].from_string(_NOT_AUTHORISED_PAGE)
    return HttpResponse(page.render(context, request), status=403)


admin.site.has_permission = _has_permission
admin.site.login = _login


# --- Helpers for every app's admin ---------------------------------------------------------


def adopt(target: models.Model, created: models.Model) -> models.Model:
    """Make the admin's unsaved form instance stand for the object a service created, so that
    the admin's log entry and redirect point at it."""
    for field in created._meta.concrete_fields:
        setattr(target, field.attname, getattr(created, field.attname))
    target._state.adding = False
    target._state.db = created._state.db
    return target


def add_service_errors(form, exc: ValidationFailed) -> None:
    """Show a service's field errors (Appendix A `fields`) on the admin form."""
    for field, problems in exc.fields.items():
        form.add_error(field if field in form.fields else None, list(problems))
    if not exc.fields:
        form.add_error(None, exc.message)


class ScopedFormMixin:
    """A form whose choice fields get per-request querysets (the person's own regions).

    The admin makes a subclass per request with `scoped_querysets` filled in, and the form
    applies them to its own copy of the fields, so no request changes a shared field."""

    scoped_querysets: dict[str, Any] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in self.scoped_querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset


def with_querysets(form_class, **querysets):
    """A subclass of `form_class` (a ScopedFormMixin) with these field querysets."""
    return type(form_class.__name__, (form_class,), {"scoped_querysets": querysets})


class StaffAccessMixin:
    """Access for the staff roles, each within their own regions (SPEC 2); superusers see all.

    `region_lookup` is the path from the model to its Region ("pk" for Region itself; None for
    data shared by every region, such as curricula). Every object the admin fetches goes through
    `get_queryset`, so an object of another region answers "not found".

    `allow_add` / `allow_change` / `allow_delete` are the model's policy for everyone,
    superusers included (False for what a rule governs); `superuser_only` names the operations
    that only a superuser may do.
    """

    region_lookup: str | None = None
    allow_add = True
    allow_change = True
    allow_delete = False
    superuser_only: frozenset[str] = frozenset()

    def _may(self, request, operation: str) -> bool:
        if not getattr(self, f"allow_{operation}", False):
            return False
        user = request.user
        if user.is_superuser:
            return user.is_active
        if operation in self.superuser_only:
            return False
        return bool(permissions.staff_region_ids(user))

    def has_module_permission(self, request):
        return permissions.can_use_admin(request.user) and "view" not in self.superuser_only

    def has_view_permission(self, request, obj=None):
        if "view" in self.superuser_only and not request.user.is_superuser:
            return False
        return permissions.can_use_admin(request.user)

    def has_add_permission(self, request, *args):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete")

    def scope_queryset(self, request, queryset):
        return permissions.scope_to_regions(request.user, queryset, self.region_lookup)

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        # The admin's search travels in the address (`?q=`), which access logs and browser
        # histories keep: a personal identity number is neither searched for nor shown back
        # (SPEC 7). Staff find a trainee by the number with a form that posts it.
        if personnummer.looks_like(request.GET.get(SEARCH_VAR)):
            self.message_user(
                request,
                gettext(
                    "Personal identity numbers are not searched for here, because the search "
                    "is sent in the page address. Use “Find by personal identity number” on "
                    "the trainees page."
                ),
                messages.WARNING,
            )
            kept = request.GET.copy()
            del kept[SEARCH_VAR]
            query = kept.urlencode()
            return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
        return super().changelist_view(request, extra_context)

    def related_choices(self, request, model):
        """Choices for a foreign key or many-to-many field: what the related model's admin
        lets this person see (their own regions), never every row."""
        related_admin = self.admin_site._registry.get(model)
        if related_admin is None or not hasattr(related_admin, "scope_queryset"):
            return None
        queryset = related_admin.scope_queryset(request, model._default_manager.all())
        ordering = related_admin.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            choices = self.related_choices(request, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            choices = self.related_choices(request, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ServiceErrorMixin:
    """A rule that says no while saving (a race the form could not foresee) is shown as a
    message; the whole save is rolled back by the admin's transaction."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class StaffModelAdmin(StaffAccessMixin, ServiceErrorMixin, admin.ModelAdmin):
    """A region-scoped admin for the staff roles."""


class ReadOnlyAdmin(StaffModelAdmin):
    """Rule-governed rows: visible with filters, never added, changed or deleted here."""

    allow_add = False
    allow_change = False
    allow_delete = False


class StaffHistoryAdmin(StaffAccessMixin, ServiceErrorMixin, SimpleHistoryAdmin):
    """Reference data with its history (django-simple-history), region-scoped.

    The history pages are scoped like the change pages (simple-history itself would show the
    history of any id), and reverting to an old version, which writes the row directly, is
    allowed only where `allow_revert` says the data carries no rule.
    """

    allow_revert = True
    # Fields whose old and new values the history page must not print (SPEC 7 privacy).
    history_hidden_fields: tuple[str, ...] = ()

    def has_view_history_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return self.allow_revert and self.has_change_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return not self.has_change_history_permission(request, obj)

    def _require_in_scope(self, request, object_id) -> None:
        if request.user.is_superuser:
            return  # a superuser may also read the history of a deleted row
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        if request.method == "POST":
            obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
            if not self.has_change_history_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=self.history_hidden_fields,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class StaffInlineMixin:
    """Inline rows follow the same policy flags and region scoping as the admins."""

    allow_add = True
    allow_change = True
    allow_delete = False
    region_lookup: str | None = None

    def _may(self, request, operation: str) -> bool:
        if not getattr(self, f"allow_{operation}", False):
            return False
        return request.user.is_superuser or bool(permissions.staff_region_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return permissions.can_use_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete")

    def get_queryset(self, request):
        return permissions.scope_to_regions(
            request.user, super().get_queryset(request), self.region_lookup
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related_admin = self.admin_site._registry.get(db_field.related_model)
            if related_admin is not None and hasattr(related_admin, "scope_queryset"):
                kwargs["queryset"] = related_admin.scope_queryset(
                    request, db_field.related_model._default_manager.all()
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def admin_link(obj: models.Model | None, text: Any = None) -> str:
    """A link to the object's change page in the admin, or its text when it has none."""
    if obj is None:
        return "–"
    try:
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return str(text if text is not None else obj)
    return format_html('<a href="{}">{}</a>', url, text if text is not None else obj)


# --- The audit trail -----------------------------------------------------------------------


def _pretty_json(value: Any) -> str:
    if value is None:
        return "–"
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    return format_html('<pre style="margin:0;white-space:pre-wrap">{}</pre>', text)


@admin.register(BarrierReport)
class BarrierReportAdmin(ReadOnlyAdmin):
    """Barriers reported from the accessibility statement, read by the staff who answer them.
    The installation's, not a region's: the form is public and names no region."""

    list_display = ("at", "page", "short_description", "email", "language")
    search_fields = ("page", "description", "email")
    date_hierarchy = "at"
    fields = ("at", "reporter", "page", "description", "email", "language")
    readonly_fields = fields

    def scope_queryset(self, request, queryset):
        return queryset

    @admin.display(description=_("what did not work"))
    def short_description(self, report: BarrierReport) -> str:
        text = report.description
        return text if len(text) <= 80 else text[:79] + "…"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Who did what, when, before and after (SPEC 7). Written by the services in the same
    transaction as the change; nobody adds, changes or deletes an event, not even a superuser.
    Staff see the events about objects of their own regions."""

    list_display = ("at", "actor", "action", "object_display", "short_reason")
    list_filter = ("action", "object_type")
    search_fields = (
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "reason",
        "actor__username",
        "actor__first_name",
        "actor__last_name",
    )
    date_hierarchy = "at"
    list_select_related = ("actor",)
    fields = (
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_display",
        "reason",
        "before_pretty",
        "after_pretty",
    )
    readonly_fields = fields
    show_full_result_count = False

    def scope_queryset(self, request, queryset):
        return permissions.audit_events_in_scope(request.user, queryset)

    @admin.display(description=_("object"), ordering="object_repr")
    def object_display(self, event: AuditEvent) -> str:
        text = event.object_repr or f"{event.object_type} #{event.object_id}"
        app_label, _dot, model_name = event.object_type.partition(".")
        try:
            url = reverse(f"admin:{app_label}_{model_name}_change", args=[event.object_id])
        except NoReverseMatch:
            return text
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.display(description=_("reason"))
    def short_reason(self, event: AuditEvent) -> str:
        return event.reason if len(event.reason) <= 80 else event.reason[:79] + "…"

    @admin.display(description=_("before"))
    def before_pretty(self, event: AuditEvent) -> str:
        return _pretty_json(event.before)

    @admin.display(description=_("after"))
    def after_pretty(self, event: AuditEvent) -> str:
        return _pretty_json(event.after)
