"""Forms of the staff's course pages (C3, C4). They check the shape of the input; the rules
(days in the week, leaders of the region, the capacity rule) are the services' to decide."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stportal.accounts.models import Role, User
from stportal.core import bounds
from stportal.courses.models import Course

_CODE_SEPARATORS = re.compile(r"[,;\s]+")


def week_days(course: Course) -> list[dt.date]:
    """The days a course of this week may be held on: Monday to Friday of the week (C2, C3)."""
    week = course.week
    count = (week.end_date - week.start_date).days + 1
    every = [week.start_date + dt.timedelta(days=n) for n in range(count)]
    return [day for day in every if day.weekday() < 5]  # noqa: PLR2004 - Saturday


def _codes(text: str) -> list[str]:
    return [code for code in _CODE_SEPARATORS.split(text.strip()) if code]


class CourseEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Course._meta.get_field("title").max_length)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=bounds.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    days = forms.TypedMultipleChoiceField(
        label=_("Course days"),
        coerce=dt.date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The days of the week the course is held."),
        error_messages={"required": _("Choose at least one day.")},
    )
    capacity = forms.IntegerField(
        label=_("Number of seats"),
        min_value=0,
        max_value=bounds.MAX_CAPACITY,
        required=False,
        error_messages={"invalid": _("Write the number of seats as a whole number.")},
    )
    leaders = forms.TypedMultipleChoiceField(
        label=_("Course leaders"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals_2015 = forms.CharField(
        label=_("Goals, SOSFS 2015:8"),
        required=False,
        max_length=500,
        help_text=_("Goal codes separated by commas, e.g. a1, a2."),
    )
    goals_2021 = forms.CharField(
        label=_("Goals, HSLF-FS 2021:8"),
        required=False,
        max_length=500,
        help_text=_("Goal codes separated by commas, e.g. STa3, STa4."),
    )
    goals_2008 = forms.CharField(
        label=_("Goals, SOSFS 2008:17 (free text)"),
        required=False,
        max_length=Course._meta.get_field("goals_2008_text").max_length,
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        goals: dict[str, list[str]] = {"2015": [], "2021": []}
        for goal in course.goals.all():
            goals.setdefault(goal.version.code, []).append(goal.code)
        current_days = [day.date for day in course.days.all()]
        current_leaders = [user.pk for user in course.leaders.all()]
        kwargs.setdefault(
            "initial",
            {
                "title": course.title,
                "description": course.description,
                "days": [day.isoformat() for day in current_days],
                "capacity": course.own_capacity,
                "leaders": current_leaders,
                "goals_2015": ", ".join(sorted(goals["2015"])),
                "goals_2021": ", ".join(sorted(goals["2021"])),
                "goals_2008": course.goals_2008_text,
            },
        )
        super().__init__(*args, **kwargs)
        self.course = course
        days = sorted(set(week_days(course)) | set(current_days))
        self.fields["days"].choices = [
            (day.isoformat(), formats.date_format(day, "l j F Y")) for day in days
        ]
        region_id = course.week.series.region_id
        leaders = (
            User.objects.filter(
                Q(role_assignments__role=Role.COURSE_LEADER, role_assignments__region_id=region_id)
                | Q(pk__in=current_leaders)
            )
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["leaders"].choices = [(user.pk, user.display_name) for user in leaders]
        self.fields["capacity"].help_text = ngettext(
            "Leave empty to follow the course week's capacity (%(capacity)d seat).",
            "Leave empty to follow the course week's capacity (%(capacity)d seats).",
            course.week.capacity,
        ) % {"capacity": course.week.capacity}

    @property
    def goal_codes(self) -> dict[str, list[str]]:
        return {
            "2015": _codes(self.cleaned_data["goals_2015"]),
            "2021": _codes(self.cleaned_data["goals_2021"]),
        }


class RemoveCourseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the course removed?"),
        help_text=_("The participants read this in the e-mail that tells them."),
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason.")},
    )
