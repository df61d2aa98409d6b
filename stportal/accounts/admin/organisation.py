"""Back office for regions, areas and home units (SPEC 2).

Reference data keeps its history (django-simple-history). New home units are made by
`create_home_unit`, which validates them and writes the audit event.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.accounts import services
from stportal.accounts.models import (
    Area,
    HomeUnit,
    Region,
)
from stportal.core.admin import (
    ScopedFormMixin,
    StaffHistoryAdmin,
    StaffInlineMixin,
    adopt,
)


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
