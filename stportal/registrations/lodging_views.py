"""The lodging list of a course week and the nights of each participant (C20), for staff.

Who, which nights, what it costs per person, per home unit and in all; preliminary before
the allocation, for booking hotels early. Staff adjust a participant's nights (arriving the
evening before, leaving early) on a page of its own; the service keeps the change and its
audit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.core import errors
from stportal.registrations import lodging as rules
from stportal.registrations import staff_selectors as sel
from stportal.registrations.lodging_services import set_lodging_nights
from stportal.registrations.staff_views.common import (
    Column,
    download_or_none,
    file_stem,
    staff_page,
)


def _night(day: dt.date) -> str:
    return formats.date_format(day, "l j F")


def _sek(amount: int) -> str:
    return _("%(amount)s SEK") % {"amount": formats.number_format(amount, force_grouping=True)}


@staff_page
def lodging(request: HttpRequest, week_id: int) -> HttpResponse:
    """C20: who needs lodging and which nights, and what it costs, per person, per home unit
    and in all, at the week's nightly rate; preliminary before the allocation."""
    week = sel.get_week_for_staff(request.user, week_id)
    found = sel.lodging_for_week(week)
    summary = found.summary
    columns: list[Column] = [
        ("name", _("Name")),
        ("home_unit", _("Home unit")),
        ("courses", _("Courses")),
        ("nights", _("Nights")),
        ("night_count", _("Number of nights")),
        ("cost", _("Cost (SEK)")),
        ("preliminary", _("Preliminary")),
    ]
    rows: list[dict[str, Any]] = [
        {
            "name": guest.guest.name,
            "home_unit": guest.guest.home_unit,
            "courses": ", ".join(found.courses_of[guest.guest.key]),
            "nights": ", ".join(night.isoformat() for night in guest.nights),
            "night_count": len(guest.nights),
            "cost": guest.cost,
            "preliminary": found.preliminary,
        }
        for guest in summary.guests
    ]
    # The cost per home unit, then the whole week, under the people (same columns).
    rows += [
        {
            "name": _("Total for the home unit"),
            "home_unit": unit.home_unit,
            "courses": "",
            "nights": "",
            "night_count": unit.nights,
            "cost": unit.cost,
            "preliminary": found.preliminary,
        }
        for unit in summary.units
    ]
    if summary.guests:
        rows.append(
            {
                "name": _("Total"),
                "home_unit": "",
                "courses": "",
                "nights": "",
                "night_count": summary.total_nights,
                "cost": summary.total_cost,
                "preliminary": found.preliminary,
            }
        )
    download = download_or_none(
        request,
        columns,
        rows,
        filename=file_stem("logi-preliminar" if found.preliminary else "logi", week),
        sheet_title=_("Lodging"),
    )
    if download is not None:
        return download
    guests = [
        {
            "guest": guest,
            "registration": found.registrations[guest.guest.key],
            "courses": found.courses_of[guest.guest.key],
            "stays": [
                {
                    "check_in": _night(stay.check_in),
                    "check_out": _night(stay.check_out),
                    "nights": stay.nights,
                }
                for stay in guest.stays
            ],
        }
        for guest in summary.guests
    ]
    return render(
        request,
        "staff/lodging.html",
        {
            "week": week,
            "preliminary": found.preliminary,
            "summary": summary,
            "guests": guests,
            "units": summary.units,
            "rooms": [(_night(night), count) for night, count in summary.rooms_per_night],
        },
    )


class LodgingNightsForm(forms.Form):
    """The nights a participant is lodged, as a choice among the week's possible nights."""

    nights = forms.MultipleChoiceField(
        label=gettext_lazy("Nights at the host site"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, possible: tuple[dt.date, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nights"].choices = [(night.isoformat(), _night(night)) for night in possible]

    def chosen_nights(self) -> list[dt.date]:
        return [dt.date.fromisoformat(value) for value in self.cleaned_data["nights"]]


@staff_page
def lodging_nights(request: HttpRequest, week_id: int, registration_id: int) -> HttpResponse:
    """C20: staff set which nights one participant is lodged (arriving the evening before,
    leaving early), or put them back to the default: the night before each course day."""
    week = sel.get_week_for_staff(request.user, week_id)
    registration = sel.get_registration_for_staff(request.user, registration_id)
    if registration.course_week_id != week.pk:
        raise errors.NotFound()
    days = sel.lodging_days_of(registration, week)
    guest = sel.guest_for(registration, days)
    default = rules.nights_before(days)
    current = rules.adjusted_nights(default, extra=guest.extra_nights, skipped=guest.skipped_nights)
    possible = rules.possible_nights(week.start_date, week.end_date)
    name = registration.trainee.user.display_name
    if request.method == "POST":
        form = LodgingNightsForm(request.POST, possible=possible)
        reset = "reset" in request.POST
        if reset or form.is_valid():
            try:
                set_lodging_nights(
                    actor=request.user,
                    registration=registration,
                    nights=None if reset else form.chosen_nights(),
                )
            except errors.ValidationFailed as exc:
                for message in exc.fields.get("nights", []):
                    form.add_error("nights", message)
            else:
                if reset:
                    text = _("The nights of %(name)s are back to the default.")
                else:
                    text = _("The nights of %(name)s have been saved.")
                messages.success(request, text % {"name": name})
                return redirect("staff:lodging", week.pk)
    else:
        form = LodgingNightsForm(
            initial={"nights": [night.isoformat() for night in current]}, possible=possible
        )
    return render(
        request,
        "staff/lodging_nights.html",
        {
            "week": week,
            "registration": registration,
            "name": name,
            "form": form,
            "default": [_night(night) for night in default],
            "adjusted": current != default,
            "rate": _sek(week.lodging_nightly_rate),
        },
    )
