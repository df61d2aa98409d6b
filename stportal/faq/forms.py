"""Forms of the questions-and-answers pages (SPEC 5 P10)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import Region
from stportal.faq.models import Question
from stportal.faq.services import MAX_POSITION


def _length(name: str) -> int | None:
    return Question._meta.get_field(name).max_length


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the questions"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, topics: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics")), *((t, t) for t in topics)]


class QuestionForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    topic = forms.CharField(
        label=_("Topic in Swedish"),
        max_length=_length("topic"),
        help_text=_("Questions with the same topic are shown together, for example Kurser."),
    )
    topic_en = forms.CharField(
        label=_("Topic in English"), max_length=_length("topic_en"), required=False
    )
    question = forms.CharField(label=_("Question in Swedish"), max_length=_length("question"))
    question_en = forms.CharField(
        label=_("Question in English"), max_length=_length("question_en"), required=False
    )
    answer = forms.CharField(
        label=_("Answer in Swedish"),
        max_length=_length("answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text. A blank line starts a new paragraph; lines starting with “- ” "
            "become a list. Web addresses become links."
        ),
    )
    answer_en = forms.CharField(
        label=_("Answer in English"),
        max_length=_length("answer_en"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Readers who chose English see the Swedish answer where this is empty."),
    )
    position = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=MAX_POSITION,
        required=False,
        help_text=_("Lower numbers come first. Empty: last."),
    )
    published = forms.BooleanField(
        label=_("Published"),
        required=False,
        initial=True,
        help_text=_("Only published questions are shown to readers."),
    )

    def __init__(self, *args, regions, with_region: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_region:
            self.fields["region"].queryset = regions
            if regions.count() == 1:
                self.fields["region"].initial = regions.first()
                self.fields["region"].widget = forms.HiddenInput()
        else:
            del self.fields["region"]
