"""Forms of the secondment and allowance page (SPEC 5 P7–P9)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stportal.core import bounds
from stportal.secondments import allowance
from stportal.secondments.models import MAX_CREDITED_MONTHS, MAX_QUEUE_POSITION, PLACE_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SecondmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of secondment"), choices=())
    place = forms.CharField(
        label=_("Place of the secondment"),
        max_length=PLACE_MAX_LENGTH,
        help_text=_("The clinic or ward, for example Medicinkliniken, Sahlgrenska."),
    )
    start_date = forms.DateField(
        label=_("Start date"),
        widget=DATE_WIDGET,
        validators=[bounds.DateInRangeValidator()],
        help_text=_("Format: YYYY-MM-DD."),
    )
    end_date = forms.DateField(
        label=_("End date"),
        widget=DATE_WIDGET,
        required=False,
        validators=[bounds.DateInRangeValidator()],
        help_text=_("Empty: the kind's usual length from the start date."),
    )
    mandatory = forms.BooleanField(
        label=_("Mandatory secondment"),
        required=False,
        help_text=_("Ticked by itself for the kinds the specialty requires."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=bounds.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, kinds=(), **kwargs) -> None:
        kwargs.setdefault("auto_id", "secondment_%s")
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a kind"))] + [
            (
                kind.code,
                ngettext(
                    "%(name)s (%(weeks)s week)", "%(name)s (%(weeks)s weeks)", kind.default_weeks
                )
                % {"name": kind.label, "weeks": kind.default_weeks},
            )
            for kind in kinds
        ]


class AllowanceForm(forms.Form):
    queue_position = forms.IntegerField(
        label=_("Queue position"),
        required=False,
        min_value=1,
        max_value=MAX_QUEUE_POSITION,
        help_text=_("Empty when the trainee is not in the queue (or is paid already)."),
    )
    months_paid = forms.IntegerField(
        label=_("Months paid"), min_value=0, max_value=allowance.TOTAL_MONTHS, initial=0
    )
    secondment_months_paid = forms.IntegerField(
        label=_("Of them on secondment"),
        min_value=0,
        max_value=allowance.SECONDMENT_MONTHS,
        initial=0,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=bounds.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "allowance_%s")
        super().__init__(*args, **kwargs)


class CreditForm(forms.Form):
    period_start = forms.DateField(
        label=_("Service from"), widget=DATE_WIDGET, validators=[bounds.DateInRangeValidator()]
    )
    period_end = forms.DateField(
        label=_("Service to"), widget=DATE_WIDGET, validators=[bounds.DateInRangeValidator()]
    )
    months = forms.IntegerField(
        label=_("Months credited"), min_value=1, max_value=MAX_CREDITED_MONTHS
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=bounds.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the service was and why it counts."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "credit_%s")
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
