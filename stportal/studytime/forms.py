"""Forms of the study-time pages (SPEC 5 P6)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.core import bounds
from stportal.studytime.models import HOURS_STEP, MAX_ENTRY_HOURS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(forms.Form):
    """Study time used: the day, the hours and what they went to."""

    day = forms.DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        validators=[bounds.DateInRangeValidator()],
        help_text=_("Format: YYYY-MM-DD."),
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=HOURS_STEP,
        max_value=MAX_ENTRY_HOURS,
        max_digits=4,
        decimal_places=2,
        step_size=HOURS_STEP,
        # "1,5" as a Swedish reader writes it, and "1.5".
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        initial=Decimal(1),
        help_text=_("In quarter hours, for example 1.5."),
    )
    activity = forms.TypedChoiceField(label=_("Used for"), coerce=int, choices=())
    note = forms.CharField(
        label=_("Note"),
        max_length=bounds.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, activities=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("Choose…"))] + [
            (activity.pk, activity.label) for activity in activities
        ]
