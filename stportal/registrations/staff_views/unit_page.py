"""The unit manager's page (SPEC 2)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stportal.core.dates import local_date
from stportal.registrations import staff_selectors as sel
from stportal.registrations.staff_views.common import (
    FEE_STATUS_LABELS,
    LINE_BADGES,
    LINE_STATUS_LABELS,
    staff_page,
)


@staff_page
def unit(request: HttpRequest) -> HttpResponse:
    """SPEC 2: a unit manager sees the registrations and fees charged to own home units."""
    overviews = sel.units_overview(request.user)
    units = []
    for overview in overviews:
        units.append(
            {
                "overview": overview,
                "rows": [
                    {
                        "registration": r,
                        "lines": [
                            {
                                "title": line.course.title,
                                "label": LINE_STATUS_LABELS.get(line.status, line.status),
                                "badge": LINE_BADGES.get(line.status, "draft"),
                            }
                            for line in r.lines.all()
                        ],
                        "fee": sel.fee_of(r),
                    }
                    for r in overview.registrations
                ],
            }
        )
    totals = {
        "registrations": sum(len(o.registrations) for o in overviews),
        "confirmed_seats": sum(o.confirmed_seats for o in overviews),
        "charged_amount": sum(o.charged_amount for o in overviews),
        "charged_count": sum(o.charged_count for o in overviews),
        "waived_amount": sum(o.waived_amount for o in overviews),
        "waived_count": sum(o.waived_count for o in overviews),
    }
    return render(
        request,
        "staff/unit.html",
        {
            "units": units,
            "totals": totals,
            "fee_labels": FEE_STATUS_LABELS,
            "today": local_date(timezone.now()),
        },
    )
