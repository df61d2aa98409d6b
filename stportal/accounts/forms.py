"""Forms of the planned completion pages and the HR import page (C5a)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stportal.core import bounds

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlannedCompletionForm(forms.Form):
    """A new date with its reason: the trainee's proposal, or a direct change by the study
    director or staff."""

    planned_completion = forms.DateField(
        label=_("New planned completion date"),
        widget=DATE_WIDGET,
        help_text=_("As in the approved individual training programme. Format: YYYY-MM-DD."),
        validators=[bounds.DateInRangeValidator()],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: parental leave, part-time work or a revised training plan."),
    )


class DecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Decision"),
        choices=(
            ("yes", pgettext_lazy("decision", "Confirm")),
            ("no", pgettext_lazy("decision", "Reject")),
        ),
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject the proposal. The trainee sees it."),
    )


class TraineeFilterForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=100)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("The HR system's export (CSV or Excel)"),
        help_text=_(
            "Columns: personnummer, förnamn, efternamn, e-post, basenhet (name or cost centre), "
            "specialitet, målbeskrivning, planerat slutdatum, tjänstgöringsgrad, ST-start."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only report what the import would do"),
        required=False,
        initial=True,
    )
