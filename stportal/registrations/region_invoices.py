"""What other regions owe for their trainees' seats on our course weeks (C23, Appendix A:
`GET /api/v1/region-invoices`): for staff of the host region, per week, per guest region and
home unit. The amounts come from the pure rule (`invoicing`); this module reads the guests'
registrations of the caller's weeks in a fixed number of queries per week with guests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.core import spreadsheets
from stportal.core.permissions import staff_region_ids
from stportal.courses.models import CourseWeek
from stportal.registrations.invoicing import (
    GuestRegistration,
    InvoiceRow,
    invoice_row,
    owed_per_region,
)
from stportal.registrations.lines import SEAT_HELD
from stportal.registrations.models import Fee, FeeStatus, Registration
from stportal.registrations.staff_selectors import lodging_for_week


def _guest_registrations(week_ids: list[int]):
    """Registrations on the weeks whose home unit lies in another region than the week's."""
    return (
        Registration.objects.filter(course_week_id__in=week_ids)
        .exclude(home_unit__region_id=F("course_week__series__region_id"))
        .select_related("trainee__user", "home_unit__region", "course_week")
        .annotate(
            seats=Count("lines", filter=Q(lines__status__in=SEAT_HELD), distinct=True),
            # One fee at most per registration (C14); a subquery, so the lines' join does not
            # count it once per line.
            fees_charged=Subquery(
                Fee.objects.filter(registration=OuterRef("pk"), status=FeeStatus.CHARGED).values(
                    "amount"
                )[:1]
            ),
        )
        .order_by("course_week__start_date", "course_week_id", "home_unit__region__name", "pk")
    )


def region_invoice_rows(
    user: User, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[InvoiceRow]:
    """Every guest registration of the weeks of the caller's staff regions starting between
    `date_from` and `date_to`, with what its region owes. Staff nowhere see nothing."""
    weeks = CourseWeek.objects.filter(series__region_id__in=staff_region_ids(user))
    if date_from is not None:
        weeks = weeks.filter(start_date__gte=date_from)
    if date_to is not None:
        weeks = weeks.filter(start_date__lte=date_to)
    by_id = {week.pk: week for week in weeks.select_related("series")}
    guests = list(_guest_registrations(list(by_id)))
    nights: dict[int, int] = {}
    for week_id in sorted({registration.course_week_id for registration in guests}):
        for stay in lodging_for_week(by_id[week_id]).summary.guests:
            nights[stay.guest.key] = len(stay.nights)
    rows = []
    for registration in guests:
        week = by_id[registration.course_week_id]
        guest = GuestRegistration(
            region=registration.home_unit.region.name,
            course_week_id=week.pk,
            course_week=week.title,
            registration_id=registration.pk,
            trainee_name=registration.trainee.user.display_name,
            home_unit=registration.home_unit.name,
            seats=registration.seats,
            nights=nights.get(registration.pk, 0),
            fees=registration.fees_charged or 0,
        )
        rate = week.guest_lodging_nightly_rate
        rows.append(
            invoice_row(
                guest,
                seat_price=week.guest_seat_price,
                nightly_rate=week.lodging_nightly_rate if rate is None else rate,
            )
        )
    return rows


COLUMNS = (
    ("region", "Region"),
    ("course_week_id", "Course week id"),
    ("course_week", "Course week"),
    ("registration_id", "Registration id"),
    ("trainee_name", "Trainee"),
    ("home_unit", "Home unit"),
    ("seats", "Seats"),
    ("seat_price", "Price per seat (SEK)"),
    ("nights", "Lodging nights"),
    ("nightly_rate", "Price per night (SEK)"),
    ("fees", "Fees (SEK)"),
    ("amount", "Amount (SEK)"),
)


WIDE = frozenset({"region", "course_week", "trainee_name", "home_unit"})


def as_dict(row: InvoiceRow) -> dict[str, Any]:
    return {key: getattr(row, key) for key, _label in COLUMNS}


def invoice_table(rows: list[InvoiceRow]) -> spreadsheets.Table:
    """The report as a spreadsheet: one row per guest registration, then each region's total."""
    totals = owed_per_region(rows)
    amount_index = len(COLUMNS) - 1
    footer = []
    for region, total in totals.items():
        line: list[Any] = [""] * len(COLUMNS)
        line[0] = _("Total owed by %(region)s") % {"region": region}
        line[amount_index] = total
        footer.append(line)
    return spreadsheets.Table(
        title=_("Other regions"),
        header=[_(label) for _key, label in COLUMNS],
        rows=([getattr(row, key) for key, _label in COLUMNS] for row in rows),
        widths=[
            24 if key in {"region", "course_week", "trainee_name", "home_unit"} else 14
            for key, _l in COLUMNS
        ],
        footer=footer,
    )
