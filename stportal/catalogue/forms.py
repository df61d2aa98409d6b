"""The catalogue's search form (SPEC 5 P2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stportal.catalogue import listing
from stportal.curricula.models import Goal, MandatorySubject

KIND_CHOICES = [
    ("", _("All courses")),
    (listing.PROGRAMME, _("The region's own programme")),
    (listing.EXTERNAL, _("External courses")),
    (listing.PREFERRED, pgettext_lazy("providers", "Preferred providers")),
    (listing.OTHER, pgettext_lazy("providers", "Other providers (need an exception)")),
]


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    goal = forms.ChoiceField(label=_("Goal"), required=False)
    subject = forms.TypedChoiceField(
        label=_("Mandatory subject"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind of course"), required=False, choices=KIND_CHOICES)

    def __init__(
        self, *args, goals: list[Goal], subjects: list[MandatorySubject], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        grouped: dict[str, list[tuple[str, str]]] = {}
        for goal in goals:
            grouped.setdefault(goal.version.regulation or goal.version.code, []).append(
                (goal.code, f"{goal.code} {goal.title}")
            )
        self.fields["goal"].choices = [("", _("Any goal")), *grouped.items()]
        self.fields["subject"].choices = [
            ("", _("Any subject")),
            *(
                (
                    str(s.pk),
                    f"{s.name} ({s.specialty.name} {s.version.code})",
                )
                for s in subjects
            ),
        ]
