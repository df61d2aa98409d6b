"""Forms of the course administration pages. They check the shape of the input only; the
rules (deadlines, seats, fees) are the services' to decide."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from stportal.accounts.models import HomeUnit, TraineeProfile
from stportal.core import bounds
from stportal.courses.models import Course, InformationPage
from stportal.notifications.models import OutboxStatus
from stportal.registrations.models import Registration, RegistrationLine

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CapacityForm(forms.Form):
    """C12: a course's own capacity; left empty, the course follows the week's (C3)."""

    capacity = forms.IntegerField(
        label=_("Number of seats"),
        min_value=0,
        max_value=bounds.MAX_CAPACITY,
        required=False,
        error_messages={"invalid": _("Write the number of seats as a whole number.")},
    )

    def __init__(self, *args, course: Course, **kwargs) -> None:
        kwargs.setdefault("prefix", f"course-{course.pk}")
        kwargs.setdefault("initial", {"capacity": course.own_capacity})
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["capacity"].help_text = ngettext(
            "Leave empty to follow the course week's capacity (%(capacity)d seat).",
            "Leave empty to follow the course week's capacity (%(capacity)d seats).",
            course.week.capacity,
        ) % {"capacity": course.week.capacity}

    @property
    def new_capacity(self) -> int | None:
        return self.cleaned_data["capacity"]


class TraineeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the trainee"),
        help_text=_("Name, or personal identity number in any common form."),
        required=False,
        max_length=100,
    )


class RegisterOnBehalfForm(forms.Form):
    """C5, C7: staff register a trainee, at any time."""

    trainee = forms.ModelChoiceField(
        label=_("Trainee"),
        queryset=TraineeProfile.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the trainee to register."),
            "invalid_choice": _("Choose the trainee to register."),
        },
    )
    courses = forms.TypedMultipleChoiceField(
        label=_("Courses"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one course.")},
    )
    earlier_courses_note = forms.CharField(
        label=_("Earlier courses covering the rest"),
        help_text=_("Only when some courses are left out: which earlier courses cover them."),
        required=False,
        max_length=Registration._meta.get_field("earlier_courses_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    needs_lodging = forms.BooleanField(label=_("Lodging wanted"), required=False)
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        required=False,
        max_length=Registration._meta.get_field("dietary_needs").max_length,
        help_text=_("For example vegetarian, or a food allergy."),
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("For example: late registration by e-mail on 3 March."),
        required=False,
        max_length=Registration._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args, trainees: QuerySet[TraineeProfile], courses: Iterable[Course], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = trainees
        self.fields["courses"].choices = [(c.pk, c.title) for c in courses]


class CancelForm(forms.Form):
    """C14, C15: staff cancel some or all courses of a registration, always with a reason."""

    courses = forms.TypedMultipleChoiceField(
        label=_("Courses to cancel"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one course to cancel.")},
    )
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write the reason for the cancellation.")},
    )
    acceptable_reason = forms.BooleanField(
        label=_("Acceptable reason (for example illness): no fee"),
        help_text=_(
            "Waives the late-cancellation fee that cancelling a confirmed seat inside the "
            "cancellation period would otherwise charge to the home unit."
        ),
        required=False,
    )

    def __init__(self, *args, lines: Iterable[RegistrationLine], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courses"].choices = [(ln.course_id, ln.course.title) for ln in lines]


class WaiveForm(forms.Form):
    """C14: an acceptable reason recorded afterwards waives the fee."""

    reason = forms.CharField(
        label=_("Acceptable reason"),
        help_text=_("For example: illness, with a doctor's certificate."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Write the acceptable reason.")},
    )


class FeeFilterForm(forms.Form):
    """C16: a period (by the course week's first day) and a home unit."""

    date_from = forms.DateField(
        label=_("Course weeks starting from"),
        required=False,
        validators=[bounds.validate_date_in_range],
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Write the date as YYYY-MM-DD.")},
    )
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        validators=[bounds.validate_date_in_range],
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Write the date as YYYY-MM-DD.")},
    )
    home_unit = forms.ModelChoiceField(
        label=_("Home unit"),
        queryset=HomeUnit.objects.none(),
        required=False,
        empty_label=_("All home units"),
        error_messages={"invalid_choice": _("Choose one of the home units in the list.")},
    )

    def __init__(self, *args, units: QuerySet[HomeUnit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].queryset = units

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class InformationPageForm(forms.Form):
    """C21: the programme's information page. Dates and deadlines are shown from the data."""

    title = forms.CharField(
        label=pgettext_lazy("information page", "Title"),
        max_length=InformationPage._meta.get_field("title").max_length,
        error_messages={"required": _("Write a title.")},
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=InformationPage._meta.get_field("introduction").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the course programme is and who it is for."),
    )
    how_to_register = forms.CharField(
        label=_("How to register"),
        required=False,
        max_length=InformationPage._meta.get_field("how_to_register").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    cancellation_and_fees = forms.CharField(
        label=_("Cancellation and fees"),
        required=False,
        max_length=InformationPage._meta.get_field("cancellation_and_fees").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    lodging = forms.CharField(
        label=_("Lodging"),
        required=False,
        max_length=InformationPage._meta.get_field("lodging").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(
        label=_("Contact"),
        required=False,
        max_length=InformationPage._meta.get_field("contact").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Which e-mails"),
        required=False,
        choices=[
            ("", _("All e-mail")),
            (OutboxStatus.FAILED, _("Failed only")),
            (OutboxStatus.QUEUED, _("Queued only")),
            (OutboxStatus.SENT, _("Sent only")),
        ],
    )
