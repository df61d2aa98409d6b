"""Forms of the ST-day certificate pages (SPEC 5 P4)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.core import bounds
from stportal.stdays.models import (
    DESCRIPTION_MAX_LENGTH,
    EXAMINATION_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StDayCertificateForm(forms.Form):
    """An examined ST-day: the subject it corresponds to, the day, and the examination."""

    subject = forms.TypedChoiceField(label=_("Mandatory subject"), coerce=int, choices=())
    title = forms.CharField(
        label=_("Subject heading"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("As it goes on the certificate. Empty: the subject's name."),
    )
    first_day = forms.DateField(
        label=_("Date of the ST-day"),
        widget=DATE_WIDGET,
        validators=[bounds.DateInRangeValidator()],
        help_text=_("Format: YYYY-MM-DD."),
    )
    last_day = forms.DateField(
        label=_("Last day, if it lasted several days"),
        widget=DATE_WIDGET,
        required=False,
        validators=[bounds.DateInRangeValidator()],
    )
    place = forms.CharField(
        label=_("Place of the ST-day"), max_length=PLACE_MAX_LENGTH, required=False
    )
    description = forms.CharField(
        label=_("Description of the day"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The lectures and what they covered, as the certificate describes the course."),
    )
    goal_codes = forms.CharField(
        label=_("Goals"),
        max_length=200,
        required=False,
        help_text=_(
            "Only for a subject whose goals are not numbered in the curriculum (such as the "
            "specialty's own c goals): the goal codes, separated by commas, e.g. c1, c3."
        ),
    )
    examined_on = forms.DateField(
        label=_("Date of the examination"),
        widget=DATE_WIDGET,
        validators=[bounds.DateInRangeValidator()],
    )
    examination = forms.CharField(
        label=_("How the trainee was examined"),
        max_length=EXAMINATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a case discussion with the supervisor, a written assignment."),
    )

    def __init__(self, *args, subjects=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", _("Choose a subject"))] + [
            (subject.pk, subject.name) for subject in subjects
        ]

    def goal_list(self) -> list[str]:
        text = self.cleaned_data.get("goal_codes") or ""
        return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
