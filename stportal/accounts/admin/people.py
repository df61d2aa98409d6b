"""Back office for people: their accounts and the roles they hold (SPEC 2).

New people are made by `create_person` and changed by `change_user`, which decide and audit
each field; only a superuser grants superuser or Django permissions or sets passwords.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.accounts import permissions as account_permissions
from stportal.accounts import services
from stportal.accounts.admin.roles import RoleAssignmentInline
from stportal.accounts.models import (
    Area,
    HomeUnit,
    Region,
    Role,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core import permissions
from stportal.core.admin import (
    ScopedFormMixin,
    ServiceErrorMixin,
    StaffAccessMixin,
    adopt,
    with_querysets,
)
from stportal.core.errors import PermissionDenied as ServicePermissionDenied
from stportal.core.errors import ServiceError


class StaffUserCreationForm(ScopedFormMixin, forms.ModelForm):
    """A new person with their first role. Passwords are not set here: the person uses the
    password reset or single sign-on. Trainees are added as trainees (with their personal
    identity number), not here."""

    # The roles offered; the admin narrows them to what the editor may grant.
    role_choices = [c for c in Role.choices if c[0] != Role.TRAINEE]
    role = forms.ChoiceField(label=_("role"), choices=())
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.all())
    area = forms.ModelChoiceField(
        label=_("area"),
        queryset=Area.objects.all(),
        required=False,
        help_text=_("For a study director: the area they serve."),
    )
    home_unit = forms.ModelChoiceField(
        label=_("home unit"),
        queryset=HomeUnit.objects.all(),
        required=False,
        help_text=_("For a unit manager: the home unit they manage."),
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "language")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = self.role_choices

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        for name in ("area", "home_unit"):
            value = cleaned.get(name)
            if value is not None and region is not None and value.region_id != region.pk:
                self.add_error(name, gettext("It belongs to another region."))
        return cleaned


@admin.register(User)
class UserAdmin(StaffAccessMixin, ServiceErrorMixin, BaseUserAdmin):
    """People. Staff see the people holding a role in their regions (and that region's
    trainees); only a superuser grants superuser or Django permissions or sets passwords."""

    add_form = StaffUserCreationForm
    add_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email", "language")}),
        (_("First role"), {"fields": ("role", "region", "area", "home_unit")}),
    )
    staff_fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "language")}),
        (_("Course certificates"), {"fields": ("specialist_in",)}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Language"), {"fields": ("language",)}),
        (_("Course certificates"), {"fields": ("specialist_in",)}),
    )
    list_display = ("username", "first_name", "last_name", "email", "role_list", "is_active")
    list_filter = (
        "is_active",
        "role_assignments__role",
        ("role_assignments__region", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("last_name", "first_name", "username")
    inlines = (RoleAssignmentInline,)
    actions = ("anonymise_people",)

    @admin.action(description=_("Anonymise (after the retention period)"))
    def anonymise_people(self, request, queryset):
        """GDPR erasure of the chosen people past retention, through the service that the
        erase-personal-data command uses; anyone not past retention is refused by name."""
        today = timezone.localdate()
        done = 0
        for person in queryset.order_by("pk"):
            name = person.get_full_name() or person.username
            try:
                services.anonymise_person(actor=request.user, user_id=person.pk, today=today)
            except ServiceError as exc:
                self.message_user(request, f"{name}: {exc.message}", messages.ERROR)
                continue
            done += 1
        if done:
            self.message_user(
                request,
                gettext("%(count)s people anonymised.") % {"count": done},
                messages.SUCCESS,
            )

    def scope_queryset(self, request, queryset):
        user = request.user
        if user.is_superuser:
            return queryset
        regions = permissions.staff_region_ids(user)
        return queryset.filter(
            Q(pk__in=RoleAssignment.objects.filter(region_id__in=regions).values("user_id"))
            | Q(
                pk__in=TraineeProfile.objects.filter(home_unit__region_id__in=regions).values(
                    "user_id"
                )
            )
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_assignments")

    @admin.display(description=_("roles"))
    def role_list(self, user: User) -> str:
        labels = sorted({a.get_role_display() for a in user.role_assignments.all()})
        return ", ".join(str(label) for label in labels)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.staff_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            # The fields that hand over an account are read-only for a person the editor may
            # not manage (security review finding 2); `change_user` refuses them as well.
            protected = account_permissions.read_only_user_fields(request.user, obj)
            shown = [name for name in ("username", "email", "is_active") if name in protected]
            return ("last_login", "date_joined", *shown)
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form = with_querysets(
                form,
                region=self.related_choices(request, Region),
                area=self.related_choices(request, Area),
                home_unit=self.related_choices(request, HomeUnit),
            )
            allowed = set(account_permissions.grantable_roles(request.user))
            form.role_choices = [c for c in form.role_choices if c[0] in allowed]
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # The password was set (the User model revoked the person's API tokens).
            user = self.get_object(request, unquote(id))
            services.record_password_set(actor=request.user, user=user)
        return response

    def save_model(self, request, obj, form, change):
        if change:
            names = set(services.USER_FIELDS) | set(services.USER_MANY_FIELDS)
            changes = {n: form.cleaned_data[n] for n in form.changed_data if n in names}
            # The form has already copied the values onto `obj`: change the row from what is
            # stored, through the service that decides and audits each field.
            changed = services.change_user(actor=request.user, user=obj, changes=changes)
            adopt(obj, changed)
            return
        created = services.create_person(
            actor=request.user,
            username=obj.username,
            first_name=obj.first_name,
            last_name=obj.last_name,
            email=obj.email,
            language=obj.language,
            role=form.cleaned_data["role"],
            region=form.cleaned_data["region"],
            area=form.cleaned_data.get("area"),
            home_unit=form.cleaned_data.get("home_unit"),
        )
        adopt(obj, created)

    def save_related(self, request, form, formsets, change):
        # Groups and permissions were set by `change_user` in `save_model`; only the role rows
        # are left, and they go through the role services.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        if formset.changed_objects:
            raise ServicePermissionDenied(
                gettext("A role is removed and granted anew, not changed.")
            )
        for assignment in formset.deleted_objects:
            services.revoke_role(actor=request.user, assignment=assignment)
        for assignment in formset.new_objects:
            created = services.grant_role(
                actor=request.user,
                user=form.instance,
                role=assignment.role,
                region=assignment.region,
                area=assignment.area,
                home_unit=assignment.home_unit,
            )
            adopt(assignment, created)
