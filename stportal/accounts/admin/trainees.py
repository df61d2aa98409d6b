"""Back office for ST trainees and their planned completion (SPEC 2, C5a).

New trainees are made by `create_trainee`. Personal identity numbers are shown masked and
are never printed in the history or travel in an address (SPEC 7).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.accounts import services
from stportal.accounts.models import (
    PlannedCompletionChange,
    TraineeProfile,
    User,
)
from stportal.core import personnummer
from stportal.core.admin import (
    ReadOnlyAdmin,
    ScopedFormMixin,
    StaffHistoryAdmin,
    StaffInlineMixin,
    admin_link,
    adopt,
)


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
