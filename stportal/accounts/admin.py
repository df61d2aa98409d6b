"""Back office for people, regions, areas, home units and roles (SPEC 2).

Reference data keeps its history (django-simple-history). New home units, trainees and role
assignments are made by the services, which validate them and write the audit event.
Personal identity numbers are shown masked and are never printed in the history (SPEC 7).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.accounts import permissions as account_permissions
from stportal.accounts import services
from stportal.accounts.models import (
    ApiToken,
    Area,
    HomeUnit,
    PlannedCompletionChange,
    Region,
    Role,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core import permissions, personnummer
from stportal.core.admin import (
    ReadOnlyAdmin,
    ScopedFormMixin,
    ServiceErrorMixin,
    StaffAccessMixin,
    StaffHistoryAdmin,
    StaffInlineMixin,
    admin_link,
    adopt,
    with_querysets,
)
from stportal.core.errors import PermissionDenied as ServicePermissionDenied
from stportal.core.errors import ServiceError

# --- Regions, areas, home units ------------------------------------------------------------


@admin.register(Region)
class RegionAdmin(StaffHistoryAdmin):
    region_lookup = "pk"
    allow_delete = True
    superuser_only = frozenset({"add", "delete"})
    list_display = ("name", "code")
    search_fields = ("name", "code")


class HomeUnitInlineForm(forms.ModelForm):
    class Meta:
        model = HomeUnit
        fields = ("name", "cost_centre", "away_from_host_site", "invoice_address")
        widgets = {"invoice_address": forms.Textarea(attrs={"rows": 2, "cols": 30})}

    # The region of the area the inline belongs to; set by the formset.
    parent_region_id: int | None = None

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        region_id = self.instance.region_id or self.parent_region_id
        if region_id is not None:
            duplicates = HomeUnit.objects.filter(region_id=region_id, name=name)
            if self.instance.pk:
                duplicates = duplicates.exclude(pk=self.instance.pk)
            if duplicates.exists():
                raise forms.ValidationError(gettext("A home unit with this name already exists."))
        return name


class HomeUnitInlineFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.parent_region_id = self.instance.region_id
        return form


class HomeUnitInline(StaffInlineMixin, admin.TabularInline):
    """The home units (basenheter) of an area. New ones are made by `create_home_unit`."""

    model = HomeUnit
    form = HomeUnitInlineForm
    formset = HomeUnitInlineFormSet
    extra = 0
    show_change_link = True
    region_lookup = "region"


@admin.register(Area)
class AreaAdmin(StaffHistoryAdmin):
    region_lookup = "region"
    allow_delete = True
    list_display = ("name", "region", "purchaser_id", "home_unit_count")
    list_filter = (("region", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "purchaser_id", "region__name")
    fields = ("region", "name", "purchaser_id", "invoice_address")
    inlines = (HomeUnitInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("region")
            .annotate(_home_units=Count("home_units"))
        )

    @admin.display(description=_("home units"), ordering="_home_units")
    def home_unit_count(self, area: Area) -> int:
        return area._home_units

    def get_readonly_fields(self, request, obj=None):
        # An area's region is fixed once it has home units of that region.
        return ("region",) if obj is not None else ()

    def save_formset(self, request, form, formset, change):
        if formset.model is not HomeUnit:
            return super().save_formset(request, form, formset, change)
        area = form.instance
        units = formset.save(commit=False)
        for unit in units:
            if unit.pk is None:
                created = services.create_home_unit(
                    actor=request.user,
                    region=area.region,
                    area=area,
                    name=unit.name,
                    cost_centre=unit.cost_centre,
                    away_from_host_site=unit.away_from_host_site,
                    invoice_address=unit.invoice_address,
                )
                adopt(unit, created)
            else:
                unit.save()


class HomeUnitForm(ScopedFormMixin, forms.ModelForm):
    class Meta:
        model = HomeUnit
        fields = ("region", "area", "name", "cost_centre", "away_from_host_site", "invoice_address")

    def clean(self):
        cleaned = super().clean()
        region, area = cleaned.get("region"), cleaned.get("area")
        if region is not None and area is not None and area.region_id != region.pk:
            self.add_error("area", gettext("The area belongs to another region."))
        return cleaned


@admin.register(HomeUnit)
class HomeUnitAdmin(StaffHistoryAdmin):
    """Basenheter: who pays salaries and fees (C14, C16), with cost centre and address."""

    region_lookup = "region"
    allow_delete = True
    form = HomeUnitForm
    list_display = (
        "name",
        "area",
        "region",
        "cost_centre",
        "away_from_host_site",
        "purchaser_id",
        "trainee_count",
    )
    list_filter = (
        ("region", admin.RelatedOnlyFieldListFilter),
        ("area", admin.RelatedOnlyFieldListFilter),
        "away_from_host_site",
    )
    search_fields = ("name", "cost_centre", "area__name", "area__purchaser_id")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("region", "area")
            .annotate(_trainees=Count("trainees"))
        )

    @admin.display(description=_("purchaser id"), ordering="area__purchaser_id")
    def purchaser_id(self, unit: HomeUnit) -> str:
        return unit.area.purchaser_id if unit.area else ""

    @admin.display(description=_("trainees"), ordering="_trainees")
    def trainee_count(self, unit: HomeUnit) -> int:
        return unit._trainees

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = services.create_home_unit(
            actor=request.user,
            region=obj.region,
            area=obj.area,
            name=obj.name,
            cost_centre=obj.cost_centre,
            away_from_host_site=obj.away_from_host_site,
            invoice_address=obj.invoice_address,
        )
        adopt(obj, created)


# --- Roles and users -----------------------------------------------------------------------


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


# --- Trainees -------------------------------------------------------------------------------


def _clean_personal_id(value: str) -> str:
    try:
        return personnummer.normalise(value)
    except personnummer.InvalidPersonnummer as exc:
        raise forms.ValidationError(str(exc)) from exc


class TraineeAddForm(ScopedFormMixin, forms.ModelForm):
    """A new ST trainee. The personal identity number is validated (check digit,
    samordningsnummer, century sign; Appendix B) and stored in its 12-digit form."""

    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    email = forms.EmailField(label=_("e-mail address"), help_text=_("Also the user name."))

    class Meta:
        model = TraineeProfile
        fields = (
            "personal_id",
            "specialty",
            "curriculum_version",
            "st_start",
            "planned_completion",
            "employment_percent",
            "home_unit",
            "supervisor",
            "study_director",
        )
        help_texts = {"personal_id": _("YYYYMMDD-NNNN or YYMMDD-NNNN.")}

    def clean_personal_id(self):
        return _clean_personal_id(self.cleaned_data["personal_id"])

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(username=email.lower()).exists():
            raise forms.ValidationError(gettext("This user name is taken."))
        return email


class FindTraineeForm(forms.Form):
    personal_id = forms.CharField(
        label=_("personal identity number"),
        max_length=20,
        help_text=_("YYYYMMDD-NNNN or YYMMDD-NNNN."),
    )

    def clean_personal_id(self):
        return _clean_personal_id(self.cleaned_data["personal_id"])


class TraineeChangeForm(ScopedFormMixin, forms.ModelForm):
    """The full personal identity number is never printed on the page; a corrected number
    may be entered and replaces it."""

    new_personal_id = forms.CharField(
        label=_("new personal identity number"),
        required=False,
        help_text=_("Only to correct the number. Leave empty to keep it."),
    )

    class Meta:
        model = TraineeProfile
        fields = (
            "specialty",
            "curriculum_version",
            "st_start",
            "employment_percent",
            "home_unit",
            "supervisor",
            "study_director",
            "credited_months",
        )

    def clean_new_personal_id(self):
        value = self.cleaned_data.get("new_personal_id", "").strip()
        if not value:
            return ""
        stored = _clean_personal_id(value)
        others = TraineeProfile.objects.filter(personal_id=stored).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                gettext("A trainee with this personal identity number exists.")
            )
        return stored


class PlannedCompletionChangeInline(StaffInlineMixin, admin.TabularInline):
    """C5a: the history of the confirmed planned ST completion date, read-only."""

    model = PlannedCompletionChange
    fields = ("requested_at", "old_date", "new_date", "status", "source", "reason", "decided_by")
    readonly_fields = fields
    extra = 0
    allow_add = False
    allow_change = False
    region_lookup = "trainee__home_unit__region"


@admin.register(PlannedCompletionChange)
class PlannedCompletionChangeAdmin(ReadOnlyAdmin):
    """C5a: proposals and changes of planned ST completion, kept for allocation's preview.
    Read-only: they are made on the product's pages, the API and the HR import."""

    region_lookup = "trainee__home_unit__region"
    list_display = ("trainee", "new_date", "status", "source", "decided_by", "changed_at")
    list_filter = ("status", ("trainee__home_unit__region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("trainee__user__first_name", "trainee__user__last_name")
    list_select_related = ("trainee__user", "decided_by")
    date_hierarchy = "requested_at"


@admin.register(TraineeProfile)
class TraineeProfileAdmin(StaffHistoryAdmin):
    """ST-läkare. Scoped by their home unit's region; personal identity numbers masked.

    The list is searched by name, e-mail and home unit only: the admin's search travels in
    the address (`?q=`), where a personal identity number must never go (SPEC 7). Staff find
    a trainee by the number with "Find by personal identity number", a form that posts it.
    """

    region_lookup = "home_unit__region"
    allow_revert = False  # planned completion and home unit carry rules (C5a, C14)
    history_hidden_fields = ("personal_id",)
    list_display = (
        "name",
        "masked_personal_id_display",
        "specialty",
        "curriculum_version",
        "home_unit",
        "st_start",
        "planned_completion",
        "supervisor",
    )
    list_filter = (
        ("home_unit__region", admin.RelatedOnlyFieldListFilter),
        ("home_unit__area", admin.RelatedOnlyFieldListFilter),
        "specialty",
        "curriculum_version",
        "home_unit__away_from_host_site",
        ("home_unit", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "user__first_name",
        "user__last_name",
        "user__email",
        "user__username",
        "home_unit__name",
        "home_unit__cost_centre",
    )
    list_select_related = (
        "user",
        "specialty",
        "curriculum_version",
        "home_unit",
        "supervisor",
    )
    autocomplete_fields = ("home_unit", "supervisor", "study_director")
    add_fieldsets = (
        (None, {"fields": ("first_name", "last_name", "email", "personal_id")}),
        (
            _("ST"),
            {
                "fields": (
                    "specialty",
                    "curriculum_version",
                    "st_start",
                    "planned_completion",
                    "employment_percent",
                    "home_unit",
                    "supervisor",
                    "study_director",
                )
            },
        ),
    )
    change_fieldsets = (
        (None, {"fields": ("user_link", "masked_personal_id_display", "new_personal_id")}),
        (
            _("ST"),
            {
                "fields": (
                    "specialty",
                    "curriculum_version",
                    "st_start",
                    "planned_completion",
                    "employment_percent",
                    "credited_months",
                    "home_unit",
                    "supervisor",
                    "study_director",
                )
            },
        ),
    )

    @admin.display(description=_("name"), ordering="user__last_name")
    def name(self, trainee: TraineeProfile) -> str:
        return trainee.user.display_name

    @admin.display(description=_("personal identity number"))
    def masked_personal_id_display(self, trainee: TraineeProfile) -> str:
        return trainee.masked_personal_id

    @admin.display(description=_("user"))
    def user_link(self, trainee: TraineeProfile) -> str:
        return admin_link(trainee.user, trainee.user.username)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.change_fieldsets

    def get_urls(self):
        find = self.admin_site.admin_view(self.find_by_personal_id_view)
        return [
            path("find/", find, name="accounts_traineeprofile_find"),
            *super().get_urls(),
        ]

    def find_by_personal_id_view(self, request):
        """A trainee by personal identity number, posted so that the number never travels in
        an address (SPEC 7); the answer is the trainee's page, whose address holds only an id.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FindTraineeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            found = (
                self.get_queryset(request)
                .filter(personal_id=form.cleaned_data["personal_id"])
                .first()
            )
            if found is not None:
                return HttpResponseRedirect(
                    reverse("admin:accounts_traineeprofile_change", args=[found.pk])
                )
            form.add_error(
                "personal_id",
                gettext("No trainee in your regions has this personal identity number."),
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Find a trainee by personal identity number"),
            "form": form,
        }
        return TemplateResponse(request, "admin/accounts/traineeprofile/find.html", context)

    def get_readonly_fields(self, request, obj=None):
        # Planned completion drives allocation priority and keeps its own history (C5a): it
        # is set from the training programme by the study director or an HR import, not here.
        if obj is None:
            return ()
        return ("user_link", "masked_personal_id_display", "planned_completion")

    def get_inlines(self, request, obj):
        return (PlannedCompletionChangeInline,) if obj is not None else ()

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = TraineeAddForm if obj is None else TraineeChangeForm
        kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            if data.get("new_personal_id"):
                obj.personal_id = data["new_personal_id"]
            return super().save_model(request, obj, form, change)
        created = services.create_trainee(
            actor=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            personal_id=data["personal_id"],
            specialty=data["specialty"],
            curriculum_version=data["curriculum_version"],
            planned_completion=data["planned_completion"],
            home_unit=data["home_unit"],
            employment_percent=data["employment_percent"],
            st_start=data.get("st_start"),
            supervisor=data.get("supervisor"),
            study_director=data.get("study_director"),
        )
        adopt(obj, created)


# --- API tokens -----------------------------------------------------------------------------


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
