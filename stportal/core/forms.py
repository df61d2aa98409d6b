"""The barrier report form of the accessibility statement."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.core import bounds


class BarrierReportForm(forms.Form):
    page = forms.CharField(
        label=_("Which page (its address or name)"),
        required=False,
        max_length=300,
    )
    description = forms.CharField(
        label=_("What did not work for you?"),
        help_text=_("Describe what you tried to do and what stopped you."),
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address, if you want an answer"),
        required=False,
        max_length=254,
    )
