"""`stportal plan-year YEAR` (C1, C2): proposals, moves with reasons, drafts, no duplicates."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from stportal.accounts.models import Region
from stportal.cli import main as cli_main
from stportal.core.models import AuditEvent
from stportal.courses.models import CourseSeries, CourseWeek
from stportal.courses.states import StoredState


@pytest.fixture
def leka(db) -> tuple[CourseSeries, CourseSeries]:
    """A region with LEKA A and LEKA B on the seed defaults (C1)."""
    region = Region.objects.create(name="Region Planland", code="planland")
    leka_a = CourseSeries.objects.create(
        region=region,
        name="LEKA A",
        default_iso_week=12,
        invitation_month=9,
        invitation_months_before=True,
        deadline_day=15,
        deadline_month=10,
        deadline_in_year_before=True,
        default_place="Umeå",
        default_capacity=60,
        default_fee=3000,
        host_site="NUS",
    )
    leka_b = CourseSeries.objects.create(
        region=region,
        name="LEKA B",
        default_iso_week=47,
        invitation_month=4,
        invitation_months_before=False,
        deadline_day=15,
        deadline_month=5,
        deadline_in_year_before=False,
        default_place="Skellefteå",
        default_capacity=40,
        default_fee=2500,
        host_site="Skellefteå lasarett",
    )
    return leka_a, leka_b


def run(*args: str, language: str = "en") -> str:
    """The command's output. Its own words are asserted in English (the msgids), so that the
    Swedish translation can change freely; the planning reasons in both languages."""
    out = StringIO()
    with translation.override(language):
        call_command("plan_year", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_c2_plan_2027_moves_leka_a_and_creates_drafts(leka) -> None:
    leka_a, leka_b = leka

    output = run("2027")

    assert "LEKA A 2027: week 11, 2027-03-15 – 2027-03-19" in output
    assert "Moved: Week 12 includes Good Friday (2027-03-26); moved to week 11" in output
    assert "LEKA B 2027: week 47, 2027-11-22 – 2027-11-26" in output
    week_a = CourseWeek.objects.get(series=leka_a)
    assert week_a.title == "LEKA A 2027"
    assert week_a.stored_state == StoredState.DRAFT
    assert (week_a.start_date, week_a.end_date) == (dt.date(2027, 3, 15), dt.date(2027, 3, 19))
    # C1: invitation and deadline in the year before for LEKA A.
    assert week_a.invitation_date == dt.date(2026, 9, 1)
    assert week_a.registration_deadline == dt.date(2026, 10, 15)
    assert week_a.cancellation_deadline == dt.date(2027, 3, 1)
    # The series' defaults (C3).
    assert (week_a.place, week_a.capacity, week_a.late_cancellation_fee, week_a.host_site) == (
        "Umeå",
        60,
        3000,
        "NUS",
    )
    week_b = CourseWeek.objects.get(series=leka_b)
    assert week_b.invitation_date == dt.date(2027, 4, 1)
    assert week_b.registration_deadline == dt.date(2027, 5, 15)
    assert (week_b.place, week_b.capacity, week_b.late_cancellation_fee, week_b.host_site) == (
        "Skellefteå",
        40,
        2500,
        "Skellefteå lasarett",
    )
    # The service wrote its audit events.
    assert AuditEvent.objects.filter(action="course_week.created").count() == 2


def test_c2_reason_is_swedish_in_the_swedish_interface(leka) -> None:
    output = run("2027", "--dry-run", language="sv")

    assert "Vecka 12 innehåller Långfredagen (2027-03-26); flyttad till vecka 11" in output


def test_c2_running_again_creates_no_duplicates(leka) -> None:
    run("2027")

    output = run("2027")

    assert CourseWeek.objects.count() == 2
    assert output.count("Already exists") == 2
    assert "0 created as drafts, 2 already existed." in output


def test_c2_a_week_staff_moved_by_hand_still_counts_as_existing(leka) -> None:
    leka_a, _ = leka
    run("2027", "--series", "LEKA A", "--override-week", "10")
    assert CourseWeek.objects.get(series=leka_a).start_date == dt.date(2027, 3, 8)

    output = run("2027")

    assert CourseWeek.objects.filter(series=leka_a).count() == 1
    assert "Already exists: LEKA A 2027" in output


def test_c2_plan_2026_keeps_week_12(leka) -> None:
    leka_a, _ = leka

    output = run("2026", language="sv")

    assert "2026-03-16 – 2026-03-20" in output
    assert "Standardveckan 12 har ingen allmän helgdag måndag–fredag." in output
    week_a = CourseWeek.objects.get(series=leka_a)
    assert week_a.start_date == dt.date(2026, 3, 16)
    assert week_a.cancellation_deadline == dt.date(2026, 3, 2)


def test_c2_dry_run_creates_nothing(leka) -> None:
    output = run("2027", "--dry-run")

    assert CourseWeek.objects.count() == 0
    assert "Dry run: 2 would be created, 0 already exist." in output


def test_c2_staff_override_warns_of_a_holiday(leka) -> None:
    leka_a, _ = leka

    output = run("2027", "--series", "leka a", "--override-week", "13", language="sv")

    assert "Vecka 13 vald av personal i stället för standardveckan 12." in output
    assert "Annandag påsk (2027-03-29)" in output
    assert CourseWeek.objects.get(series=leka_a).start_date == dt.date(2027, 3, 29)
    assert not CourseWeek.objects.filter(series__name="LEKA B").exists()


def test_override_needs_one_series(leka) -> None:
    with pytest.raises(CommandError):
        run("2027", "--override-week", "13")


def test_region_filter(leka) -> None:
    other = Region.objects.create(name="Region Annanland", code="annanland")
    CourseSeries.objects.create(
        region=other,
        name="LEKA A",
        default_iso_week=12,
        invitation_month=9,
        deadline_day=15,
        deadline_month=10,
    )

    run("2027", "--region", "annanland")

    assert list(CourseWeek.objects.values_list("series__region__code", flat=True)) == ["annanland"]
    with pytest.raises(CommandError):
        run("2027", "--region", "okand")


def test_console_script_accepts_plan_year_with_a_dash(leka, capsys) -> None:
    with translation.override("en"):
        cli_main(["stportal", "plan-year", "2027", "--dry-run"])

    assert "LEKA A 2027: week 11, 2027-03-15 – 2027-03-19" in capsys.readouterr().out


def test_a_week_the_service_refuses_is_reported_and_others_still_created(leka) -> None:
    leka_a, leka_b = leka
    # A deadline after the course's first day: the service refuses the week (C3).
    CourseSeries.objects.filter(pk=leka_a.pk).update(
        deadline_in_year_before=False, invitation_months_before=False
    )
    err = StringIO()

    with translation.override("en"), pytest.raises(CommandError):
        call_command("plan_year", "2027", stdout=StringIO(), stderr=err)

    assert "Not created" in err.getvalue()
    assert "registration_deadline" in err.getvalue()
    assert not CourseWeek.objects.filter(series=leka_a).exists()
    assert CourseWeek.objects.filter(series=leka_b).exists()
