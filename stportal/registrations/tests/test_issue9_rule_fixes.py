"""Issue 9, rule fixes 8 and 9 (the small ones) of the course programme, each as its story:

- Swedish dates: the not-seated sweep and the fee report use the Stockholm day, at 23:30 UTC
  as on any other hour;
- the Excel fee report's total sits in the amount column;
- an on-time line keeps an on-time reason when staff extend the deadline after allocation;
- the web edit and API PATCH give up a confirmed seat by the same fee rule, and the web page
  shows the fee before confirming;
- the "shortest time served first" policy seats the newest trainee on an early-ST course.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from stportal.api.tests.conftest import Api
from stportal.core.errors import ServiceError
from stportal.core.models import AuditEvent
from stportal.courses import services as course_services
from stportal.courses.models import PriorityPolicy
from stportal.registrations import reports, services
from stportal.registrations.models import Fee, LineStatus, Registration
from stportal.registrations.tests.conftest import (
    AFTER_DEADLINE,
    INSIDE_CANCEL_PERIOD,
    OPEN,
    at,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Tests travel in time; a log-in must outlive the trip."""
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


def register(trainee, week, now=OPEN, **kwargs):
    return services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=now, **kwargs
    )


def allocate(week, admin, now=AFTER_DEADLINE):
    return services.run_allocation(actor=admin, week=week, dry_run=False, now=now)


# --- Swedish dates (rule fix 8) ------------------------------------------------------------


def test_the_not_seated_sweep_at_2330_utc_sees_the_week_has_started_in_stockholm(
    make_week, make_trainee, course_admin
):
    """C11, issue 9: at 23:30 UTC on Sunday 21 March it is 00:30 on Monday 22 March in
    Stockholm, the first course day: the line still waiting is not seated. The server's UTC
    date (still Sunday) used to let it wait on."""
    week = make_week(course_capacities=(1, None))
    seated, waiting = make_trainee(dt.date(2027, 6, 1)), make_trainee(dt.date(2029, 6, 1))
    first = week.courses.order_by("position").first()
    register(seated, week, course_ids=[first.pk])
    waiter = register(waiting, week, course_ids=[first.pk])
    allocate(week, course_admin)
    assert waiter.lines.get().status == LineStatus.WAITLISTED
    late_sunday_utc = dt.datetime(2027, 3, 21, 23, 30, tzinfo=UTC)
    assert services.mark_not_seated_at_start(now=late_sunday_utc) == 1
    line = waiter.lines.get()
    assert line.status == LineStatus.NOT_SEATED and line.reason_code == "not_seated"


def test_the_not_seated_sweep_leaves_the_waiting_list_alone_the_evening_before(
    make_week, make_trainee, course_admin
):
    """The other side of the boundary: 21:30 UTC on Sunday is 22:30 Sunday in Stockholm."""
    week = make_week(course_capacities=(1, None))
    first = week.courses.order_by("position").first()
    register(make_trainee(dt.date(2027, 6, 1)), week, course_ids=[first.pk])
    waiter = register(make_trainee(dt.date(2029, 6, 1)), week, course_ids=[first.pk])
    allocate(week, course_admin)
    assert services.mark_not_seated_at_start(now=dt.datetime(2027, 3, 21, 21, 30, tzinfo=UTC)) == 0
    assert waiter.lines.get().status == LineStatus.WAITLISTED


def test_a_fee_charged_at_2330_utc_is_dated_the_next_day_in_stockholm(
    make_week, make_trainee, course_admin
):
    """C16, issue 9: a seat cancelled at 00:30 on 10 March in Stockholm (23:30 UTC on the
    9th) is charged on 10 March, in the JSON rows and in the CSV."""
    week = make_week()
    registration = register(make_trainee(), week)
    allocate(week, course_admin)
    cancelled_at = dt.datetime(2027, 3, 9, 23, 30, tzinfo=UTC)
    services.cancel_registration_lines(
        actor=registration.trainee.user, registration=registration, reason="Sjuk", now=cancelled_at
    )
    [row] = reports.fee_rows(Fee.objects.all())
    assert row["charged_at"] == dt.date(2027, 3, 10)
    assert ";2027-03-10" in reports.rows_to_csv([row])


# --- the Excel fee report's total (rule fix 9) ---------------------------------------------


def test_the_excel_fee_reports_total_sits_in_the_amount_column(
    make_week, make_trainee, course_admin, client
):
    """C16, issue 9: reading the cells back, the total of the charged fees stands under the
    amounts, in the "Belopp (kr)" column, with its label in the first column."""
    week = make_week()
    for _n in range(2):
        registration = register(make_trainee(), week)
        allocate(week, course_admin)
        services.cancel_registration_lines(
            actor=course_admin,
            registration=registration,
            reason="Förhinder",
            now=INSIDE_CANCEL_PERIOD,
        )
    client.force_login(course_admin)
    with time_machine.travel(INSIDE_CANCEL_PERIOD, tick=False):
        response = client.get(reverse("staff:fees") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    amount_column = header.index("Belopp (kr)") + 1
    amounts = [sheet.cell(row=r, column=amount_column).value for r in (2, 3)]
    assert amounts == [3000, 3000]
    total_row = sheet.max_row
    assert sheet.cell(row=total_row, column=1).value == "Summa debiterat"
    assert sheet.cell(row=total_row, column=amount_column).value == 6000
    assert [sheet.cell(row=total_row, column=c).value for c in range(2, amount_column)] == [
        None
    ] * (amount_column - 2)


# --- on-time lines keep an on-time reason (rule fix 9) ------------------------------------


def test_an_on_time_line_made_after_staff_extend_an_allocated_weeks_deadline_is_not_late(
    make_week, make_trainee, course_admin, client
):
    """C7, issue 9: lateness is decided when the line is made and kept. After allocation
    staff extend the deadline to 31 October; a trainee registering on 20 October is on time,
    and the reason says so (it used to read "late registration, after every on-time one")."""
    week = make_week(course_capacities=(1, None))
    first = week.courses.order_by("position").first()
    register(make_trainee(), week, course_ids=[first.pk])
    allocate(week, course_admin)
    course_services.update_course_week(
        actor=course_admin,
        week=week,
        changes={"registration_deadline": dt.date(2026, 10, 31)},
        now=AFTER_DEADLINE,
    )
    newcomer = make_trainee()
    registration = register(newcomer, week, now=at(2026, 10, 20))
    waiting, seated = (
        registration.lines.get(course=first),
        registration.lines.exclude(course=first).get(),
    )
    assert not waiting.late and not seated.late
    assert (waiting.status, waiting.reason_code) == ("waitlisted", "after_allocation_wait")
    assert (seated.status, seated.reason_code) == ("confirmed", "after_allocation_seat")
    assert "sen anmälan" not in waiting.reason + seated.reason
    api = Api(client)
    with time_machine.travel(at(2026, 10, 21), tick=False):
        body = api.get(f"registrations/{registration.pk}", newcomer.user).json()
    assert body["late"] is False
    assert {line["reason"] for line in body["lines"]} == {
        "Reservlista: anmäld i tid efter att platserna fördelats; sist i kön.",
        "Plats: anmäld i tid efter att platserna fördelats; en plats var ledig.",
    }
    # A line registered after the new deadline is late, with the late reason as before.
    late = register(make_trainee(), week, now=at(2026, 11, 2))
    assert {ln.reason_code for ln in late.lines.all()} == {"late_seat", "late_wait"}


# --- web edit and API PATCH: one fee rule (rule fix 9) ------------------------------------


@pytest.fixture
def seated(make_week, make_trainee, course_admin):
    """A trainee holding confirmed seats in both courses of an allocated week."""
    week = make_week()
    trainee = make_trainee()
    registration = register(trainee, week)
    allocate(week, course_admin)
    return registration


def test_giving_up_a_seat_on_the_web_edit_shows_the_fee_then_charges_it_once_confirmed(
    client, seated
):
    """C14, issue 9: inside the cancellation period, unticking a confirmed course on the edit
    page (it used to refuse, while API PATCH charged) first shows the fee and changes
    nothing; confirming with the amount shown gives the seat up and charges the fee."""
    registration = seated
    keep, drop = sorted(ln.course_id for ln in registration.lines.all())
    url = reverse("registrations:edit", args=[registration.pk])
    client.force_login(registration.trainee.user)
    with time_machine.travel(INSIDE_CANCEL_PERIOD, tick=False):
        note = "Ledarskap på LEKA A 2025."
        shown = client.post(url, {"courses": [str(keep)], "earlier_courses_note": note})
        assert not Fee.objects.exists()
        assert registration.lines.filter(status=LineStatus.CONFIRMED).count() == 2
        confirmed = client.post(
            url,
            {
                "courses": [str(keep)],
                "earlier_courses_note": note,
                "expected_charge": "3000",
                "confirm": "1",
            },
        )
    html = " ".join(shown.content.decode().replace("\xa0", " ").split())
    assert shown.status_code == 200
    assert "Att lämna dessa kurser kostar 3 000 kr för basenheten" in html
    assert 'name="expected_charge" value="3000"' in html
    assert confirmed.status_code == 302
    fee = Fee.objects.get()
    assert (fee.registration_id, fee.amount, fee.status) == (registration.pk, 3000, "charged")
    dropped = registration.lines.get(course_id=drop)
    assert dropped.status == LineStatus.CANCELLED and dropped.fee_id == fee.pk
    assert registration.lines.get(course_id=keep).status == LineStatus.CONFIRMED


def test_api_patch_and_the_web_edit_charge_the_same_fee(client, seated, make_trainee, week):
    """Issue 9: the same change through API PATCH charges the same single fee to the same
    home unit (both call `change_registration`, which asks `decide_cancellation`)."""
    registration = seated
    keep = min(ln.course_id for ln in registration.lines.all())
    api = Api(client)
    with time_machine.travel(INSIDE_CANCEL_PERIOD, tick=False):
        answer = api.patch(
            f"registrations/{registration.pk}",
            registration.trainee.user,
            json={"course_ids": [keep]},
        )
    assert answer.status_code == 200, answer.content
    fee = Fee.objects.get()
    assert (fee.amount, fee.status, fee.home_unit_id) == (
        3000,
        "charged",
        registration.home_unit_id,
    )
    cancelled = [line for line in answer.json()["lines"] if line["status"] == "cancelled"]
    assert [line["fee"] for line in cancelled] == [{"status": "charged", "amount": 3000}]


def test_an_edit_is_refused_when_the_fee_differs_from_the_one_shown(seated):
    """C14: nobody is charged an amount they were not shown; the service checks under its
    lock and changes nothing."""
    registration = seated
    keep = min(ln.course_id for ln in registration.lines.all())
    with pytest.raises(ServiceError) as refused:
        services.change_registration(
            actor=registration.trainee.user,
            registration=registration,
            course_ids=[keep],
            expected_charge=0,
            now=INSIDE_CANCEL_PERIOD,
        )
    assert refused.value.code == "fee_changed"
    assert not Fee.objects.exists()
    assert registration.lines.filter(status=LineStatus.CONFIRMED).count() == 2


def test_changing_courses_before_the_registration_deadline_is_free_even_for_a_held_seat(
    make_week, make_trainee, course_admin
):
    """C6: changing courses is an edit, free before the deadline. A week allocated, its
    deadline then extended past a cancellation deadline staff had set earlier: giving up a
    confirmed seat by editing before the new registration deadline costs nothing (a cancel
    would charge)."""
    week = make_week()
    registration = register(make_trainee(), week)
    allocate(week, course_admin)
    course_services.update_course_week(
        actor=course_admin,
        week=week,
        changes={
            "cancellation_deadline": dt.date(2026, 11, 1),
            "registration_deadline": dt.date(2026, 11, 30),
        },
        now=AFTER_DEADLINE,
    )
    keep = min(ln.course_id for ln in registration.lines.all())
    services.change_registration(
        actor=registration.trainee.user,
        registration=registration,
        course_ids=[keep],
        expected_charge=0,
        now=at(2026, 11, 10),
    )
    assert not Fee.objects.exists()
    assert registration.lines.filter(status=LineStatus.CANCELLED).count() == 1


# --- Appendix B: shortest time served first (rule fix 9) ----------------------------------


def test_a_series_set_to_shortest_time_served_seats_the_newest_trainee(
    make_week, make_trainee, course_admin, series, client
):
    """C9, Appendix B, issue 9: a per-series setting, chosen in the admin; allocation seats the
    trainee with the shortest time served in ST, whoever registered first."""
    client.force_login(course_admin)
    with time_machine.travel(OPEN, tick=False):
        form = client.get(reverse("admin:courses_courseseries_change", args=[series.pk]))
    assert b'value="shortest_served"' in form.content
    series.priority_policy = PriorityPolicy.SHORTEST_SERVED
    series.save()
    week = make_week(course_capacities=(1, None))
    first = week.courses.order_by("position").first()
    veteran = register(
        make_trainee(st_start=dt.date(2022, 1, 1)), week, course_ids=[first.pk], now=at(2026, 9, 2)
    )
    newcomer = register(
        make_trainee(st_start=dt.date(2026, 8, 1)), week, course_ids=[first.pk], now=at(2026, 9, 9)
    )
    allocate(week, course_admin)
    assert newcomer.lines.get().status == LineStatus.CONFIRMED
    line = veteran.lines.get()
    assert line.status == LineStatus.WAITLISTED and line.reason_code == "priority_wait"
    assert Registration.objects.get(pk=veteran.pk).course_week.series.priority_policy == (
        "shortest_served"
    )


def test_staff_choose_the_shortest_time_served_policy_through_the_api(
    client, series, course_admin, outsider_admin, trainee
):
    """C9, Appendix B, issue 9: `PATCH /api/v1/course-series/{id}` sets the policy, audited;
    an unknown policy answers 422, a trainee 403 and another region's staff 404."""
    api = Api(client)
    url = f"course-series/{series.pk}"
    with time_machine.travel(OPEN, tick=False):
        answer = api.patch(url, course_admin, json={"priority_policy": "shortest_served"})
        unknown = api.patch(url, course_admin, json={"priority_policy": "oldest_first"})
        by_trainee = api.patch(url, trainee.user, json={"priority_policy": "longest_served"})
        by_outsider = api.patch(url, outsider_admin, json={"priority_policy": "longest_served"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["priority_policy"] == "shortest_served"
    assert (unknown.status_code, by_trainee.status_code, by_outsider.status_code) == (422, 403, 404)
    series.refresh_from_db()
    assert series.priority_policy == "shortest_served"
    event = AuditEvent.objects.get(action="course_series.priority_policy_changed")
    assert event.after == {"priority_policy": "shortest_served"} and event.actor == course_admin
