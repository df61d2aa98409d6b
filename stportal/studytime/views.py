"""Pages of study time (SPEC 5 P6), mounted at /studietid/.

- The start page: the trainee's own study time ("Min studietid"); for a supervisor, study
  director or staff, the trainees whose record they read.
- A trainee's study time, a quarter at a time with the previous and next: per week the hours
  it gives (zero weeks with their reason) and the hours used, the log, and for the trainee a
  form to log time used and to remove an entry.
Server-rendered and working without JavaScript; reads through the selectors, writes through
the services, which decide who may (`studytime.permissions`) on their own.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stportal.core import bounds, pages
from stportal.core.dates import local_date
from stportal.core.errors import ServiceError
from stportal.studytime import permissions, rules, selectors, services
from stportal.studytime.forms import EntryForm

QUARTER_PARAMETER = re.compile(r"^(\d{4})-([1-4])$")


def _to_index(request: HttpRequest, kwargs: dict) -> HttpResponse:
    return redirect("studytime:index")


page = pages.service_page(pages.message_and_redirect(_to_index))


def _quarter(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The quarter asked for (`?kvartal=2027-2`), else the current one."""
    found = QUARTER_PARAMETER.match(request.GET.get("kvartal", ""))
    if found:
        year, number = int(found.group(1)), int(found.group(2))
        if bounds.MIN_DATE.year <= year <= bounds.MAX_DATE.year:
            return rules.quarter_of(dt.date(year, 3 * number - 2, 1))
    return selectors.default_range()


def _quarter_key(day: dt.date) -> str:
    return f"{day.year}-{(day.month - 1) // 3 + 1}"


def _neighbours(start: dt.date, end: dt.date) -> tuple[str | None, str | None]:
    before = start - dt.timedelta(days=1)
    after = end + dt.timedelta(days=1)
    return (
        _quarter_key(before) if before >= bounds.MIN_DATE else None,
        _quarter_key(after) if after <= bounds.MAX_DATE else None,
    )


def _form_errors(form: EntryForm, exc: ServiceError) -> None:
    named = False
    for name, problems in exc.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            named = True
    if not named:
        form.add_error(None, pages.refusal_text(exc))


@page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """A trainee's own study time ("Min studietid"); for others, whose they read."""
    profile = selectors.own_profile(request.user)
    if profile is not None:
        return _trainee_page(request, profile)
    return render(
        request,
        "studytime/index.html",
        {"trainees": list(selectors.readable_others(request.user))},
    )


@page
@require_http_methods(["GET", "POST"])
def trainee(request: HttpRequest, trainee_id: int) -> HttpResponse:
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    return _trainee_page(request, profile)


def _trainee_page(request: HttpRequest, profile) -> HttpResponse:
    start, end = _quarter(request)
    may_log = permissions.may_log(request.user, profile)
    form = None
    status = 200
    if may_log:
        form = EntryForm(
            request.POST or None,
            activities=list(selectors.activities()),
            initial={"day": local_date(timezone.now())},
        )
    elif request.method == "POST":
        permissions.check_may_log(request.user, profile)
    if form is not None and request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.log_study_time(
                    actor=request.user,
                    trainee=profile,
                    day=data["day"],
                    hours=data["hours"],
                    activity=data["activity"],
                    note=data["note"],
                )
            except ServiceError as exc:
                if exc.status in (403, 404):
                    raise
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Study time logged: %(hours)s h on %(day)s.")
                    % {"hours": selectors.hours_text(entry.hours), "day": entry.day.isoformat()},
                )
                warning = selectors.over_warning(selectors.week_of(profile, entry.day))
                if warning:
                    messages.warning(request, warning)
                return redirect(_page_url(profile, request.user, entry.day))
        status = 422
    summary = selectors.study_time(profile, start, end)
    previous, following = _neighbours(start, end)
    return render(
        request,
        "studytime/trainee.html",
        {
            "profile": profile,
            "summary": summary,
            "quarter_start": start,
            "quarter_end": end,
            "quarter_label": _("Quarter %(number)s %(year)s")
            % {"number": (start.month - 1) // 3 + 1, "year": start.year},
            "quarter_key": _quarter_key(start),
            "previous": previous,
            "following": following,
            "entries": list(selectors.entries_of(profile, summary.start, summary.end)),
            "form": form,
            "may_log": may_log,
            "is_self": profile.user_id == request.user.pk,
            "page_url": _page_url(profile, request.user),
        },
        status=status,
    )


def _page_url(profile, user, day: dt.date | None = None) -> str:
    if profile.user_id == user.pk:
        url = reverse("studytime:index")
    else:
        url = reverse("studytime:trainee", args=[profile.pk])
    return f"{url}?kvartal={_quarter_key(day)}" if day else url


@page
@require_POST
def remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.get_entry_for_user(request.user, entry_id)
    services.remove_study_time(actor=request.user, entry=entry)
    messages.success(
        request,
        _("The entry of %(day)s is removed.") % {"day": entry.day.isoformat()},
    )
    return redirect(_page_url(entry.trainee, request.user, entry.day))
