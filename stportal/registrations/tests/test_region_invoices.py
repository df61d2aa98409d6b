"""What other regions owe (C23, Appendix A `GET /api/v1/region-invoices`): each guest
registration on a week of the host region, with seats × the week's price per seat, lodging
nights × its guest price per night and any fee charged, as JSON, CSV and Excel; staff of the
host region see their weeks' guests, staff of the guest's region see none of the host's weeks.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from stportal.accounts.tokens import issue_api_token
from stportal.courses import services as course_services
from stportal.registrations import services
from stportal.registrations.invoicing import GuestRegistration, invoice_row, owed_per_region
from stportal.registrations.models import LineStatus
from stportal.registrations.tests.conftest import AFTER_DEADLINE, INSIDE_CANCEL_PERIOD, OPEN
from stportal.testing import factories

# --- the pure rule ---------------------------------------------------------------------------


guests = st.builds(
    GuestRegistration,
    region=st.sampled_from(["Region Norr", "Region Syd"]),
    course_week_id=st.integers(1, 5),
    course_week=st.just("LEKA A 2027"),
    registration_id=st.integers(1, 10_000),
    trainee_name=st.just("Ann Gäst"),
    home_unit=st.just("Hälsocentral Gäst"),
    seats=st.integers(0, 5),
    nights=st.integers(0, 5),
    fees=st.integers(0, 5000),
)


@given(st.lists(guests, max_size=20), st.integers(0, 20_000), st.integers(0, 3000))
def test_each_region_owes_the_sum_of_its_guests_seats_nights_and_fees(rows, price, rate):
    """C23: a row's amount is seats × price + nights × rate + fees; a region's total is the
    sum of its rows, and nothing is owed by a region without guests."""
    invoiced = [invoice_row(guest, seat_price=price, nightly_rate=rate) for guest in rows]
    for guest, row in zip(rows, invoiced, strict=True):
        assert row.amount == guest.seats * price + guest.nights * rate + guest.fees
        assert row.amount >= 0
    totals = owed_per_region(invoiced)
    assert sum(totals.values()) == sum(row.amount for row in invoiced)
    assert set(totals) == {guest.region for guest in rows}


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        GuestRegistration("R", 1, "W", 1, "N", "U", seats=-1, nights=0, fees=0)


# --- the report --------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest_unit(other_region):
    return factories.HomeUnitFactory(
        region=other_region, name="Vårdcentral Gästby", away_from_host_site=True
    )


@pytest.fixture
def guest(guest_unit):
    return factories.TraineeFactory(
        home_unit=guest_unit,
        user__username="stlakare2",
        user__first_name="Gun",
        user__last_name="Gästsson",
    )


@pytest.fixture
def open_week(make_week, course_admin, other_region):
    week = make_week()
    return course_services.update_course_week(
        actor=course_admin,
        week=week,
        changes={
            "open_to_regions": [other_region.pk],
            "guest_seat_price": 4000,
            "guest_lodging_nightly_rate": 900,
        },
        now=OPEN,
    )


def api_get(user, **query):
    client = Client()
    token = issue_api_token(actor=None, user=user)
    return client.get(
        "/api/v1/region-invoices", data=query, headers={"Authorization": f"Bearer {token}"}
    )


def seated_guest(open_week, guest, course_admin, *, lodging=True):
    registration = services.register_for_course_week(
        actor=guest.user, week=open_week, trainee=guest, needs_lodging=lodging, now=OPEN
    )
    services.run_allocation(actor=course_admin, week=open_week, dry_run=False, now=AFTER_DEADLINE)
    return registration


def test_the_host_sees_what_the_guests_region_owes(open_week, guest, course_admin, trainee):
    registration = seated_guest(open_week, guest, course_admin)
    services.register_for_course_week(
        actor=trainee.user, week=open_week, trainee=trainee, now=OPEN
    )  # the host's own trainee: never on the invoice
    response = api_get(course_admin)
    assert response.status_code == 200
    (row,) = response.json()
    # Two courses seated, a night before each of the two course days, no fee.
    assert row == {
        "region": "Region Annanstans",
        "course_week_id": open_week.pk,
        "course_week": "LEKA A 2027",
        "registration_id": registration.pk,
        "trainee_name": "Gun Gästsson",
        "home_unit": "Vårdcentral Gästby",
        "seats": 2,
        "seat_price": 4000,
        "nights": 2,
        "nightly_rate": 900,
        "fees": 0,
        "amount": 2 * 4000 + 2 * 900,
    }


def test_a_late_cancellation_is_owed_as_its_fee_not_as_a_seat(open_week, guest, course_admin):
    registration = seated_guest(open_week, guest, course_admin, lodging=False)
    first = registration.lines.order_by("course__position").first()
    services.cancel_registration_lines(
        actor=guest.user,
        registration=registration,
        course_ids=[first.course_id],
        reason="Sjuk",
        now=INSIDE_CANCEL_PERIOD,
    )
    assert registration.lines.filter(status=LineStatus.CANCELLED).count() == 1
    (row,) = api_get(course_admin).json()
    assert (row["seats"], row["fees"]) == (1, 3000)
    assert row["amount"] == 4000 + 3000


def test_the_guests_region_sees_nothing_of_the_hosts_weeks(
    open_week, guest, course_admin, outsider_admin
):
    seated_guest(open_week, guest, course_admin)
    assert api_get(outsider_admin).json() == []


def test_trainees_and_anonymous_callers_are_refused(open_week, guest, course_admin):
    seated_guest(open_week, guest, course_admin)
    assert api_get(guest.user).status_code == 403
    assert Client().get("/api/v1/region-invoices").status_code == 401


def test_weeks_outside_the_dates_are_left_out(open_week, guest, course_admin):
    seated_guest(open_week, guest, course_admin)
    assert api_get(course_admin, **{"from": "2027-04-01"}).json() == []
    assert len(api_get(course_admin, to="2027-03-22").json()) == 1


def test_csv_and_excel_carry_the_rows_and_each_regions_total(open_week, guest, course_admin):
    seated_guest(open_week, guest, course_admin)
    csv = api_get(course_admin, format="csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode()
    assert "Gun Gästsson" in text and "9800" in text
    assert "Region Annanstans" in text.splitlines()[-1]
    xlsx = api_get(course_admin, format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][4] == "Gun Gästsson" and values[1][-1] == 9800
    assert values[-1][-1] == 9800


def test_a_name_that_starts_a_formula_stays_text(open_week, guest, course_admin):
    guest.user.first_name = "=HYPERLINK(1)"
    guest.user.save()
    seated_guest(open_week, guest, course_admin)
    sheet = load_workbook(io.BytesIO(api_get(course_admin, format="xlsx").content)).active
    assert sheet.cell(row=2, column=5).value.startswith("'=")
