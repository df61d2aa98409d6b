"""Forms of the annual report pages (SPEC 5 P13)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.annualreport import rules
from stportal.annualreport.models import TEXT_MAX_LENGTH
from stportal.core import bounds

SAVE = "save"
SUBMIT = "submit"


class CreateForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=rules.FIRST_YEAR,
        max_value=rules.LAST_YEAR,
        help_text=_("The calendar year the report covers, 1 January to 31 December."),
    )


class PartForm(forms.Form):
    """The caller's own part; its label is set by the page (reflection or assessment)."""

    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def __init__(self, *args, part: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        if part == rules.TRAINEE:
            field.label = _("Your reflection")
            field.help_text = _(
                "What went well this year, what you want to develop, and your goals for next "
                "year. At most 20,000 characters."
            )
        else:
            field.label = _("Your assessment")
            field.help_text = _(
                "How the trainee has developed this year, towards which goals, and what to "
                "focus on next year. At most 20,000 characters."
            )


class ReviewForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Review"),
        choices=(("yes", _("Reviewed")), ("no", _("Back to draft"))),
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
