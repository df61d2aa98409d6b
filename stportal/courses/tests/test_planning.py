"""Year planning (C1, C2) as pure functions: no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stportal.courses import planning
from stportal.courses.planning import ExistingWeek, SeriesDefaults

# C1 seed defaults.
LEKA_A = SeriesDefaults(
    name="LEKA A",
    default_iso_week=12,
    invitation_month=9,
    invitation_in_year_before=True,
    deadline_day=15,
    deadline_month=10,
    deadline_in_year_before=True,
)
LEKA_B = SeriesDefaults(
    name="LEKA B",
    default_iso_week=47,
    invitation_month=4,
    invitation_in_year_before=False,
    deadline_day=15,
    deadline_month=5,
    deadline_in_year_before=False,
)

# Facts: Easter Sunday (the Western computus) for the years planned here.
EASTER_SUNDAYS = {
    2024: dt.date(2024, 3, 31),
    2025: dt.date(2025, 4, 20),
    2026: dt.date(2026, 4, 5),
    2027: dt.date(2027, 3, 28),
    2028: dt.date(2028, 4, 16),
    2029: dt.date(2029, 4, 1),
    2030: dt.date(2030, 4, 21),
    2031: dt.date(2031, 4, 13),
    2032: dt.date(2032, 3, 28),
}


def _easter_holidays_on_weekdays(year: int) -> set[dt.date]:
    """Good Friday and Easter Monday: the Easter holidays that fall on course days.

    Ascension Day (Easter + 39) is in May, far from weeks 12 and 47; the other Swedish public
    holidays near them (All Saints' Day) fall on a Saturday.
    """
    easter = EASTER_SUNDAYS[year]
    return {easter - dt.timedelta(days=2), easter + dt.timedelta(days=1)}


def _monday_to_friday(year: int, week: int) -> set[dt.date]:
    monday = dt.date.fromisocalendar(year, week, 1)
    return {monday + dt.timedelta(days=n) for n in range(5)}


@pytest.mark.parametrize("year", sorted(EASTER_SUNDAYS))
def test_library_agrees_with_the_easter_table(year: int) -> None:
    easter = EASTER_SUNDAYS[year]
    found = {h.date: h.name_sv for h in planning.holidays_between(easter - dt.timedelta(7), easter)}
    assert found[easter - dt.timedelta(days=2)] == "Långfredagen"
    # Easter Sunday is a public holiday, but not a course day: it is never reported.
    assert easter not in found


@pytest.mark.parametrize("year", sorted(EASTER_SUNDAYS))
def test_c2_leka_a_moves_only_when_easter_falls_on_its_course_days(year: int) -> None:
    proposal = planning.propose_course_week(LEKA_A, year)
    clash = _easter_holidays_on_weekdays(year) & _monday_to_friday(year, 12)

    assert proposal.moved is bool(clash)
    if clash:
        # Earlier first: week 11 is free of Easter whenever week 12 holds it.
        assert proposal.iso_week == 11
        assert {h.date for h in proposal.holidays_in_default_week} == clash
    else:
        assert proposal.iso_week == 12
    assert not _easter_holidays_on_weekdays(year) & _monday_to_friday(year, proposal.iso_week)
    assert proposal.holidays_in_week == ()


@pytest.mark.parametrize("year", sorted(EASTER_SUNDAYS))
def test_c2_leka_b_keeps_week_47(year: int) -> None:
    proposal = planning.propose_course_week(LEKA_B, year)

    assert proposal.iso_week == 47
    assert not proposal.moved
    assert proposal.start_date == dt.date.fromisocalendar(year, 47, 1)


def test_c2_leka_a_2027_moves_from_good_friday_to_week_11() -> None:
    proposal = planning.propose_course_week(LEKA_A, 2027)

    # Week 12 of 2027 is 22–26 March; Good Friday is 26 March.
    assert planning.course_days(2027, 12) == (dt.date(2027, 3, 22), dt.date(2027, 3, 26))
    assert proposal.moved
    assert proposal.iso_week == 11
    assert (proposal.start_date, proposal.end_date) == (dt.date(2027, 3, 15), dt.date(2027, 3, 19))
    assert proposal.holidays_in_default_week == (
        planning.Holiday(dt.date(2027, 3, 26), "Långfredagen", "Good Friday"),
    )
    assert proposal.reason_sv == (
        "Vecka 12 innehåller Långfredagen (2027-03-26); flyttad till vecka 11, "
        "närmaste vecka utan allmän helgdag måndag–fredag."
    )
    assert proposal.reason_en == (
        "Week 12 includes Good Friday (2027-03-26); moved to week 11, "
        "the nearest week without a public holiday Monday to Friday."
    )
    assert proposal.title == "LEKA A 2027"


def test_c2_leka_a_2026_keeps_week_12() -> None:
    proposal = planning.propose_course_week(LEKA_A, 2026)

    assert not proposal.moved
    assert proposal.iso_week == 12
    assert (proposal.start_date, proposal.end_date) == (dt.date(2026, 3, 16), dt.date(2026, 3, 20))
    assert proposal.reason_sv == "Standardveckan 12 har ingen allmän helgdag måndag–fredag."


def test_c2_earlier_week_first_then_later() -> None:
    # 2024: week 13 (25–29 March) holds Good Friday, week 14 (1–5 April) Easter Monday.
    # Week 13 goes to the free week 12; week 14 tries 13 first (busy), then 15 (free).
    assert planning.nearest_week_without_holiday(2024, 13) == 12
    assert planning.nearest_week_without_holiday(2024, 14) == 15


def test_c2_two_holidays_in_one_week_are_both_named() -> None:
    # Week 52 of 2024 (23–27 December) holds Christmas Day and Boxing Day.
    found = planning.holidays_between(dt.date(2024, 12, 23), dt.date(2024, 12, 27))
    assert [h.name_sv for h in found] == ["Juldagen", "Annandag jul"]
    proposal = planning.propose_course_week(SeriesDefaults("Jul", 52, 9, True, 15, 10, True), 2024)
    assert proposal.moved
    assert "Juldagen (2024-12-25) och Annandag jul (2024-12-26)" in proposal.reason_sv
    assert "Christmas Day (2024-12-25) and Second Day of Christmas (2024-12-26)" in (
        proposal.reason_en
    )


def test_c2_sundays_and_eves_do_not_move_a_week() -> None:
    """Only public holidays on Monday–Friday count (see the planning module's docstring)."""
    # Midsommarafton 2027 is Friday 25 June (week 25); julafton and nyårsafton 2027 are Fridays
    # 24 and 31 December (weeks 51 and 52). They are not public holidays in law.
    assert planning.holidays_in_week(2027, 25) == ()
    assert planning.holidays_in_week(2027, 51) == ()
    assert planning.holidays_in_week(2027, 52) == ()
    # Skärtorsdagen (Thursday before Easter) is a half day off, not a holiday.
    assert [h.name_sv for h in planning.holidays_in_week(2027, 12)] == ["Långfredagen"]


def test_c2_staff_override_keeps_the_chosen_week_and_warns_of_holidays() -> None:
    proposal = planning.propose_course_week(LEKA_A, 2027, override_week=13)

    assert proposal.overridden
    assert proposal.moved
    assert proposal.iso_week == 13
    assert proposal.start_date == dt.date(2027, 3, 29)
    assert [h.name_sv for h in proposal.holidays_in_week] == ["Annandag påsk"]
    assert proposal.reason_sv == (
        "Vecka 13 vald av personal i stället för standardveckan 12. "
        "Observera att veckan innehåller Annandag påsk (2027-03-29)."
    )


def test_c2_override_to_a_week_the_year_lacks_is_refused() -> None:
    with pytest.raises(planning.PlanningError):
        planning.propose_course_week(LEKA_A, 2027, override_week=53)


def test_c2_moves_stay_inside_the_iso_year() -> None:
    # Week 1 of 2027 (4–8 January) holds Epiphany (Wednesday 6 January): week 0 does not exist,
    # so it moves to week 2.
    proposal = planning.propose_course_week(SeriesDefaults("X", 1, 9, True, 15, 10, True), 2027)
    assert proposal.iso_week == 2


def test_c1_leka_a_invitation_and_deadline_in_the_year_before() -> None:
    proposal = planning.propose_course_week(LEKA_A, 2027)

    assert proposal.invitation_date == dt.date(2026, 9, 1)
    assert proposal.registration_deadline == dt.date(2026, 10, 15)
    # C3: 14 days before the first day (15 March 2027).
    assert proposal.cancellation_deadline == dt.date(2027, 3, 1)


def test_c1_leka_b_invitation_and_deadline_in_the_course_year() -> None:
    proposal = planning.propose_course_week(LEKA_B, 2027)

    assert (proposal.start_date, proposal.end_date) == (
        dt.date(2027, 11, 22),
        dt.date(2027, 11, 26),
    )
    assert proposal.invitation_date == dt.date(2027, 4, 1)
    assert proposal.registration_deadline == dt.date(2027, 5, 15)
    assert proposal.cancellation_deadline == dt.date(2027, 11, 8)


def test_c1_a_deadline_day_the_month_lacks_becomes_its_last_day() -> None:
    defaults = SeriesDefaults("X", 20, 1, False, 29, 2, False)
    assert planning.registration_deadline(defaults, 2027) == dt.date(2027, 2, 28)
    assert planning.registration_deadline(defaults, 2028) == dt.date(2028, 2, 29)


def test_c2_existing_week_of_the_series_that_year_is_not_planned_again() -> None:
    proposals = [
        planning.propose_course_week(LEKA_A, 2027),
        planning.propose_course_week(LEKA_B, 2027),
    ]
    existing = [
        # Staff put LEKA A 2027 in week 12 by hand: still that year's LEKA A.
        ExistingWeek("LEKA A", dt.date(2027, 3, 22), "LEKA A 2027", id=7),
        ExistingWeek("LEKA A", dt.date(2026, 3, 16), "LEKA A 2026", id=3),
        ExistingWeek("LEKA B", dt.date(2026, 11, 16), "LEKA B 2026", id=4),
    ]

    planned = planning.match_existing(proposals, existing)

    assert [p.existing.id if p.existing else None for p in planned] == [7, None]
    assert [p.title for p in planning.weeks_to_create(planned)] == ["LEKA B 2027"]


def test_c2_existing_week_matches_by_title_too() -> None:
    proposal = planning.propose_course_week(LEKA_B, 2027)
    # Dated in the wrong year by mistake, but titled as 2027's week.
    existing = [ExistingWeek("LEKA B", dt.date(2028, 1, 10), "LEKA B 2027", id=9)]

    (planned,) = planning.match_existing([proposal], existing)

    assert planned.exists
    assert planned.existing is not None and planned.existing.id == 9


def test_c2_other_series_weeks_do_not_count() -> None:
    proposal = planning.propose_course_week(LEKA_B, 2027)
    existing = [ExistingWeek("LEKA A", dt.date(2027, 11, 22), "LEKA B 2027", id=1)]

    (planned,) = planning.match_existing([proposal], existing)

    assert not planned.exists


@given(
    year=st.integers(min_value=1960, max_value=2100),
    week=st.integers(min_value=1, max_value=52),
)
def test_c2_property_nearest_holiday_free_week_earlier_first(year: int, week: int) -> None:
    defaults = SeriesDefaults("X", week, 9, True, 15, 10, True)
    proposal = planning.propose_course_week(defaults, year)

    assert proposal.start_date.weekday() == 0
    assert proposal.end_date == proposal.start_date + dt.timedelta(days=4)
    assert proposal.start_date.isocalendar()[:2] == (year, proposal.iso_week)
    assert proposal.cancellation_deadline == proposal.start_date - dt.timedelta(days=14)
    assert planning.holidays_in_week(year, proposal.iso_week) == ()
    assert proposal.moved is (proposal.iso_week != week)
    assert proposal.moved is bool(planning.holidays_in_week(year, week))
    # Every week tried before the chosen one (week-1, week+1, week-2, …) has a holiday.
    distance = abs(proposal.iso_week - week)
    tried_before = [week - d for d in range(1, distance)] + [week + d for d in range(1, distance)]
    if proposal.iso_week > week:
        tried_before.append(week - distance)
    last = planning.iso_weeks_in_year(year)
    for candidate in tried_before:
        if 1 <= candidate <= last:
            assert planning.holidays_in_week(year, candidate), candidate
