"""Forms of the funding pages (P3): the application, the decision, the certificate upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stportal.core import bounds
from stportal.funding.models import MAX_COST

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COST_FIELDS = (
    ("fee", _("Course fee (SEK)")),
    ("travel", _("Travel (SEK)")),
    ("lodging", _("Lodging (SEK)")),
    ("other", _("Other costs (SEK)")),
)


class ApplicationForm(forms.Form):
    """A new application; the goals and subjects offered are those of the trainee's
    curriculum version and specialty."""

    course = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=bounds.MAX_ID
    )
    course_title = forms.CharField(label=pgettext_lazy("external course", "Course"), max_length=200)
    provider = forms.CharField(
        label=_("Provider"),
        max_length=200,
        help_text=_(
            "A provider that is not one of the region's preferred providers needs the study "
            "director's exception."
        ),
    )
    start_date = forms.DateField(
        label=_("First day"),
        widget=DATE_WIDGET,
        validators=[bounds.DateInRangeValidator()],
        help_text=_("Format: YYYY-MM-DD."),
    )
    end_date = forms.DateField(
        label=_("Last day"),
        widget=DATE_WIDGET,
        required=False,
        validators=[bounds.DateInRangeValidator()],
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    goals = forms.MultipleChoiceField(
        label=_("Goals the course serves"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subjects = forms.TypedMultipleChoiceField(
        label=_("Mandatory subjects the course serves"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    motivation = forms.CharField(
        label=_("Why this course"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fee = forms.IntegerField(
        label=COST_FIELDS[0][1], required=False, min_value=0, max_value=MAX_COST
    )
    travel = forms.IntegerField(
        label=COST_FIELDS[1][1], required=False, min_value=0, max_value=MAX_COST
    )
    lodging = forms.IntegerField(
        label=COST_FIELDS[2][1], required=False, min_value=0, max_value=MAX_COST
    )
    other = forms.IntegerField(
        label=COST_FIELDS[3][1], required=False, min_value=0, max_value=MAX_COST
    )

    def __init__(self, *args, goals=(), subjects=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = [(g.code, f"{g.code} {g.title}") for g in goals]
        self.fields["subjects"].choices = [(s.pk, s.name) for s in subjects]

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name, _label in COST_FIELDS):
            raise forms.ValidationError(_("Give at least one cost in whole SEK."))
        return data


class DecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Decision"),
        choices=(("yes", _("Approve")), ("no", _("Reject"))),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject the application. The trainee sees it."),
    )
    exception_reason = forms.CharField(
        label=_("Reason for the exception"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to approve a course of a provider that is not preferred."),
    )


class CertificateForm(forms.Form):
    file = forms.FileField(
        label=_("Course certificate (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
