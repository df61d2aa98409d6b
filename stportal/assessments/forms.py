"""Forms of the competence assessment pages (SPEC 5 P12)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.assessments.models import (
    CONTEXT_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Independence,
    Kind,
)
from stportal.core import bounds

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _goal_choices(goals) -> list[tuple[str, str]]:
    return [(goal.code, f"{goal.code} {goal.title}") for goal in goals]


class RequestForm(forms.Form):
    """The trainee starts an assessment and names the assessor."""

    kind = forms.ChoiceField(label=_("Kind of assessment"), choices=Kind.choices)
    goals = forms.MultipleChoiceField(
        label=_("Goals"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        help_text=_("The goals of your curriculum the assessment concerns."),
    )
    assessor_name = forms.CharField(label=_("Assessor's name"), max_length=NAME_MAX_LENGTH)
    assessor_email = forms.EmailField(
        label=_("Assessor's e-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("The assessor is sent a link there and needs no account."),
    )
    context = forms.CharField(
        label=_("Situation or context"),
        max_length=CONTEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a consultation about chest pain at the health centre."),
    )

    def __init__(self, *args, goals=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = _goal_choices(goals)


class CompleteForm(forms.Form):
    """The assessor's judgement."""

    assessed_on = forms.DateField(
        label=_("Date of the assessment"),
        widget=DATE_WIDGET,
        validators=[bounds.DateInRangeValidator()],
        help_text=_("Format: YYYY-MM-DD."),
    )
    goals = forms.MultipleChoiceField(
        label=_("Goals assessed"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        help_text=_("The goals the trainee named. Untick any the situation did not cover."),
    )
    independence = forms.ChoiceField(
        label=_("Degree of independence"),
        widget=forms.RadioSelect,
        choices=Independence.choices,
        help_text=_("How independently the trainee managed what you assessed."),
    )
    feedback = forms.CharField(
        label=_("Feedback to the trainee"),
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What went well, and what the trainee should work on."),
    )

    def __init__(self, *args, goals=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = _goal_choices(goals)
