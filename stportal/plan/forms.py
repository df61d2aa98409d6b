"""Forms of the education plan's pages (SPEC 5 P11)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.core import bounds
from stportal.plan.models import PLACE_MAX_LENGTH, TITLE_MAX_LENGTH, BtPart, ItemKind, ItemStatus

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanItemForm(forms.Form):
    """One item of the plan. The service checks the fields together (a meeting is one day,
    done only once ended, goals of the trainee's curriculum)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=())
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("For a supervision meeting: a few words about what you talked about."),
    )
    place = forms.CharField(
        label=_("Place (clinic or unit)"),
        max_length=PLACE_MAX_LENGTH,
        required=False,
        help_text=_("For example the clinic or health centre."),
    )
    start_date = forms.DateField(
        label=_("Start (for a meeting: its date)"),
        widget=DATE_WIDGET,
        validators=[bounds.DateInRangeValidator()],
        help_text=_("Format: YYYY-MM-DD."),
    )
    end_date = forms.DateField(
        label=_("End"),
        widget=DATE_WIDGET,
        required=False,
        validators=[bounds.DateInRangeValidator()],
        help_text=_("Not needed for a supervision meeting."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ItemStatus.choices,
        initial=ItemStatus.PLANNED,
        widget=forms.RadioSelect,
    )
    extent_percent = forms.IntegerField(
        label=_("Extent in percent of full time"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Only for clinical service; empty means full time."),
    )
    bt_part = forms.ChoiceField(label=_("Part of BT"), choices=BtPart.choices, required=False)
    goal_codes = forms.MultipleChoiceField(
        label=_("Goals it serves"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=bounds.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kinds=(), goals=(), bt=False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, ItemKind(kind).label) for kind in kinds]
        self.fields["goal_codes"].choices = [
            (goal.code, f"{goal.code} {goal.title}") for goal in goals
        ]
        if not bt:
            del self.fields["bt_part"]


class CertificateForm(forms.Form):
    file = forms.FileField(
        label=_("Signed certificate (PDF)"),
        help_text=_("The certificate signed by the supervisor, scanned as a PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
