"""Forms of the trainee's registration pages (C5, C6, C14).

The forms only check what a person typed; the rules (who may register when, lateness, fees)
are the services'. Their errors come back as `ServiceError` and are shown by the view in the
same error summary (`add_service_error`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from stportal.core import bounds
from stportal.core.errors import ServiceError
from stportal.courses.models import Course
from stportal.registrations.models import Registration

# Service field names (Appendix A) → form field names.
SERVICE_FIELDS = {
    "course_ids": "courses",
    "course_id": "courses",
    "needs_lodging": "needs_lodging",
    "dietary_needs": "dietary_needs",
    "earlier_courses_note": "earlier_courses_note",
    "note": "note",
    "reason": "reason",
}


class CourseChoiceForm(forms.Form):
    """A form whose `courses` field is a group of checkboxes, one per course."""

    courses = forms.MultipleChoiceField(
        label=_("Courses"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one course.")},
    )

    def __init__(self, *args, courses: Sequence[Course], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.course_list = list(courses)
        self.fields["courses"].choices = [(str(c.pk), c.title) for c in self.course_list]

    def chosen_ids(self) -> list[int]:
        return sorted(int(pk) for pk in self.cleaned_data.get("courses", []))

    def checked(self) -> set[str]:
        """The boxes to show ticked: what was sent, or the initial choice."""
        if self.is_bound:
            return {str(v) for v in self.data.getlist(self.add_prefix("courses"))}
        return {str(v) for v in self.initial.get("courses", [])}

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary at the top of the page, in the order
        of the fields; a group of checkboxes is reached through its first box."""
        items: list[tuple[str, str]] = [("", str(e)) for e in self.non_field_errors()]
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            anchor = self[name].auto_id
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                anchor = f"{anchor}_0"
            items.extend((anchor, str(e)) for e in self.errors[name])
        return items

    def add_service_error(self, error: ServiceError) -> None:
        """Show a rule's answer in the error summary, on the field it names if any."""
        placed = False
        for name, problems in (error.fields or {}).items():
            target = SERVICE_FIELDS.get(name.split(".")[0])
            if target in self.fields:
                for problem in problems:
                    self.add_error(target, problem)
                placed = True
        if not placed:
            self.add_error(None, error.message)


class RegistrationDetailsMixin(forms.Form):
    earlier_courses_note = forms.CharField(
        label=_("Which earlier courses cover the rest?"),
        help_text=_(
            "Only needed when you do not choose every course: name the courses you have "
            "already taken (course, year) that cover the ones you leave out."
        ),
        required=False,
        max_length=Registration._meta.get_field("earlier_courses_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    needs_lodging = forms.BooleanField(label=_("I need lodging"), required=False)
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        help_text=_("For example vegetarian, gluten-free or allergies. Leave empty if none."),
        required=False,
        max_length=Registration._meta.get_field("dietary_needs").max_length,
    )
    note = forms.CharField(
        label=_("Note to the course administration"),
        required=False,
        max_length=Registration._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def check_earlier_courses(self) -> None:
        """C5: choosing only some courses asks which earlier courses cover the rest."""
        chosen = set(self.cleaned_data.get("courses") or [])
        offered = {str(c.pk) for c in self.course_list}
        if chosen and chosen != offered and not self.cleaned_data.get("earlier_courses_note"):
            self.add_error(
                "earlier_courses_note",
                _(
                    "You have not chosen every course: write which earlier courses cover the "
                    "ones you leave out."
                ),
            )


class RegistrationForm(RegistrationDetailsMixin, CourseChoiceForm):
    """Register for the whole week or chosen courses (C5)."""

    field_order = ["courses", "earlier_courses_note", "needs_lodging", "dietary_needs", "note"]

    def clean(self):
        cleaned = super().clean()
        self.check_earlier_courses()
        return cleaned

    def all_chosen(self) -> bool:
        return set(self.chosen_ids()) == {c.pk for c in self.course_list}


class ChangeRegistrationForm(RegistrationDetailsMixin, CourseChoiceForm):
    """Change a registration (C6). Before the registration deadline courses may be added and
    removed freely. After it a course may still be added, late and space permitting (C7,
    C10), and giving up a confirmed seat is a cancellation with its fee (C14): the page tells
    the cost and asks again before saving (`expected_charge` carries what was shown). Nothing
    about courses changes once the week started.
    """

    field_order = ["courses", "earlier_courses_note", "needs_lodging", "dietary_needs", "note"]

    expected_charge = forms.IntegerField(
        required=False, min_value=0, max_value=bounds.MAX_AMOUNT, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args,
        courses: Sequence[Course],
        held: Sequence[int],
        after_deadline: bool,
        courses_editable: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(*args, courses=courses, **kwargs)
        self.held = {str(pk) for pk in held}
        self.after_deadline = after_deadline  # courses added now are late (C7)
        self.courses_editable = courses_editable
        if not courses_editable:
            # Held courses are shown ticked but disabled, so a browser sends none of them;
            # `clean_courses` adds them back.
            self.fields["courses"].required = False

    def checked(self) -> set[str]:
        if not self.courses_editable:
            return set(self.held)
        return super().checked()

    def clean_courses(self) -> list[str]:
        if not self.courses_editable:
            return sorted(self.held)
        chosen = set(self.cleaned_data.get("courses") or [])
        if not chosen:
            raise forms.ValidationError(_("Choose at least one course."), code="required")
        return sorted(chosen)

    def clean(self):
        cleaned = super().clean()
        self.check_earlier_courses()
        return cleaned

    def courses_changed(self) -> bool:
        return {str(pk) for pk in self.chosen_ids()} != self.held

    def removed_ids(self) -> list[int]:
        return sorted({int(pk) for pk in self.held} - set(self.chosen_ids()))


class CancelForm(CourseChoiceForm):
    """Cancel a registration or some of its courses, or leave a waiting list (C14, C15)."""

    reason = forms.CharField(
        label=_("Reason for cancelling"),
        help_text=_(
            "For example illness or a changed rota. The reason is kept with the cancellation."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why you cancel.")},
    )
    expected_charge = forms.IntegerField(
        required=False, min_value=0, max_value=bounds.MAX_AMOUNT, widget=forms.HiddenInput
    )

    def __init__(self, *args, courses: Sequence[Course], **kwargs) -> None:
        super().__init__(*args, courses=courses, **kwargs)
        self.fields["courses"].label = _("Courses to cancel")
        self.fields["courses"].error_messages["required"] = _(
            "Choose at least one course to cancel."
        )
