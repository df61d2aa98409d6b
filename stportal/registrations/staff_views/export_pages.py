"""The lists per week (C20) and the fee report (C16), on screen and as CSV and Excel files."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from stportal.core import spreadsheets
from stportal.registrations import reasons, reports
from stportal.registrations import staff_selectors as sel
from stportal.registrations.models import FeeStatus
from stportal.registrations.staff_forms import FeeFilterForm
from stportal.registrations.staff_views.common import (
    FEE_CAUSE_LABELS,
    FEE_STATUS_LABELS,
    LINE_STATUS_LABELS,
    Column,
    download_or_none,
    file_stem,
    line_row,
    staff_page,
)


@staff_page
def participants(request: HttpRequest, week_id: int) -> HttpResponse:
    week = sel.get_week_for_staff(request.user, week_id)
    groups = sel.participants_by_course(week)
    columns: list[Column] = [
        ("course", _("Course")),
        ("name", _("Name")),
        ("status", _("Status")),
        ("home_unit", _("Home unit")),
        ("lodging", _("Lodging wanted")),
        ("dietary_needs", _("Dietary needs")),
        ("email", _("E-mail address")),
    ]
    rows = [
        {
            "course": course.title,
            "name": line.registration.trainee.user.display_name,
            "status": str(LINE_STATUS_LABELS[line.status]),
            "home_unit": line.registration.home_unit.name,
            "lodging": line.registration.needs_lodging,
            "dietary_needs": line.registration.dietary_needs,
            "email": line.registration.trainee.user.email,
        }
        for course, lines in groups
        for line in lines
    ]
    return _week_list(
        request,
        week,
        groups,
        columns,
        rows,
        kind="deltagare",
        title=_("Participants"),
        template="staff/participants.html",
    )


@staff_page
def waiting(request: HttpRequest, week_id: int) -> HttpResponse:
    week = sel.get_week_for_staff(request.user, week_id)
    groups = sel.waiting_by_course(week)
    columns: list[Column] = [
        ("course", _("Course")),
        ("position", _("Place in line")),
        ("name", _("Name")),
        ("home_unit", _("Home unit")),
        ("late", _("Late registration")),
        ("requested_at", _("Registered")),
        ("reason", _("Reason")),
    ]
    rows = [
        {
            "course": course.title,
            "position": line.position,
            "name": line.registration.trainee.user.display_name,
            "home_unit": line.registration.home_unit.name,
            "late": line.late,
            "requested_at": line.requested_at,
            "reason": reasons.describe(line),
        }
        for course, lines in groups
        for line in lines
    ]
    return _week_list(
        request,
        week,
        groups,
        columns,
        rows,
        kind="reservlista",
        title=_("Waiting lists"),
        template="staff/waiting.html",
    )


def _week_list(
    request: HttpRequest,
    week: Any,
    groups: list[Any],
    columns: list[Column],
    rows: list[dict],
    *,
    kind: str,
    title: str,
    template: str,
) -> HttpResponse:
    """A week's list per course: the file when `?format=` asks for one, else the page."""
    download = download_or_none(
        request, columns, rows, filename=file_stem(kind, week), sheet_title=title
    )
    if download is not None:
        return download
    return render(
        request,
        template,
        {
            "week": week,
            "groups": [(course, [line_row(line) for line in lines]) for course, lines in groups],
        },
    )


# The lodging list (C20) and its adjustments live in `lodging_views`.


@login_required
def fees(request: HttpRequest) -> HttpResponse:
    """C16: charged and waived fees per home unit for a period, on screen and as CSV and
    Excel. Staff see their regions' fees; a unit manager those of own units."""
    user = request.user
    if not sel.may_see_fees(user):
        raise DjangoPermissionDenied()
    filters = {k: v for k, v in request.GET.items() if k in ("date_from", "date_to", "home_unit")}
    form = FeeFilterForm(filters or None, units=sel.fee_filter_units(user))
    rows: list[dict[str, Any]] = []
    valid = form.is_valid() if form.is_bound else True
    if valid:
        data = form.cleaned_data if form.is_bound else {}
        unit = data.get("home_unit")
        rows = reports.fee_rows(
            reports.fees_visible_to(user),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            home_unit_id=unit.pk if unit else None,
        )
        wanted = request.GET.get("format")
        if wanted == "csv":
            return spreadsheets.file_response(reports.rows_to_csv(rows), filename="avgifter.csv")
        if wanted == "xlsx":
            return spreadsheets.file_response(reports.rows_to_xlsx(rows), filename="avgifter.xlsx")
    staff_regions = sel.staff_region_ids(user)
    per_unit: dict[int, dict[str, Any]] = {}
    for row in rows:
        row["status_label"] = FEE_STATUS_LABELS.get(row["status"], row["status"])
        row["cause_label"] = FEE_CAUSE_LABELS.get(row["cause"], row["cause"])
        unit_total = per_unit.setdefault(
            row["home_unit_id"],
            {
                "name": row["home_unit"],
                "charged": 0,
                "charged_count": 0,
                "waived": 0,
                "waived_count": 0,
            },
        )
        key = "charged" if row["status"] == FeeStatus.CHARGED else "waived"
        unit_total[key] += row["amount"]
        unit_total[f"{key}_count"] += 1
    totals = {
        "charged": sum(u["charged"] for u in per_unit.values()),
        "charged_count": sum(u["charged_count"] for u in per_unit.values()),
        "waived": sum(u["waived"] for u in per_unit.values()),
        "waived_count": sum(u["waived_count"] for u in per_unit.values()),
    }
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "staff/fees.html",
        {
            "form": form,
            "rows": rows,
            "per_unit": list(per_unit.values()),
            "totals": totals,
            "is_staff": bool(staff_regions),
            "query": query,
            "bound_form": form if form.is_bound and form.errors else None,
        },
    )
