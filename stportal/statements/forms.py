"""Forms of the supervisor statement pages (P5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.core import bounds
from stportal.statements.models import TEXT_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SAVE = "save"
SUBMIT = "submit"


class StatementForm(forms.Form):
    """The statement's period and text; the button says whether it is saved as a draft or
    also marked ready for review."""

    period_from = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("The first day the statement covers. Format: YYYY-MM-DD."),
        validators=[bounds.DateInRangeValidator()],
    )
    period_to = forms.DateField(
        label=_("Period to"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("The last day the statement covers. Format: YYYY-MM-DD."),
        validators=[bounds.DateInRangeValidator()],
    )
    text = forms.CharField(
        label=_("Statement"),
        max_length=TEXT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "How the trainee has developed during the period, towards which goals, and what "
            "remains. At most 20,000 characters."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The period ends before it begins."))
        return cleaned


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
        help_text=_("Required when you send the statement back. The supervisor sees it."),
    )


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Compare version"), min_value=1, max_value=1_000_000)
    b = forms.IntegerField(label=_("with version"), min_value=1, max_value=1_000_000)
