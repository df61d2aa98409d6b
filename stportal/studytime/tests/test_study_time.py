"""Study time with the database (SPEC 5 P6): the entitlement read from every period source
(course weeks with a confirmed or passed seat, examined ST-days, secondments), the log of
time used, refusals, the warning, the year section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from stportal.core.audit import AuditEvent
from stportal.core.errors import NotFound, PermissionDenied, ValidationFailed
from stportal.core.periods import COURSE_WEEK, ST_DAY, periods_of
from stportal.core.yearly import year_sections
from stportal.registrations import services as registration_services
from stportal.registrations.models import LineStatus, RegistrationLine
from stportal.studytime import selectors, services
from stportal.studytime.models import StudyActivity, StudyTimeEntry
from stportal.studytime.tests.conftest import (
    COURSE_MONDAY,
    NOW,
    Q1_END,
    Q1_START,
    SECONDMENT_START,
    SECONDMENT_TITLE,
)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def activity(code: str = "reading") -> StudyActivity:
    return StudyActivity.objects.get(code=code)


def test_the_activities_of_seed_004_are_seeded_p6(db):
    names = list(StudyActivity.objects.values_list("name", flat=True))
    assert names == [
        "Planering",
        "Dokumentation",
        "Fördjupning och läsning",
        "Studiebesök",
        "Medsittning hos kollegor",
        "Deltagande i Balint",
    ]


def test_75_percent_over_a_quarter_with_a_course_week_and_a_secondment_p6(seated_sara):
    """Issue 11, must show 2: 3 hours in ordinary weeks, zero with the reason in the course
    week and the four weeks of secondment."""
    summary = selectors.study_time(seated_sara, Q1_START, Q1_END)
    assert len(summary.weeks) == 14
    zero = {w.week: w.reasons for w in summary.weeks if w.entitled_minutes == 0}
    secondment_weeks = [SECONDMENT_START + dt.timedelta(days=7 * i) for i in range(4)]
    assert set(zero) == {*secondment_weeks, COURSE_MONDAY}
    for monday in secondment_weeks:
        assert zero[monday] == [f"Sidotjänstgöring: {SECONDMENT_TITLE}"]
    assert zero[COURSE_MONDAY] == ["Kursvecka: LEKA A 2027"]
    ordinary = [w for w in summary.weeks if w.week not in zero]
    assert len(ordinary) == 9
    assert all(w.entitled_hours == 3 and w.reason_if_zero is None for w in ordinary)
    assert summary.entitled_hours == 27


def test_a_course_week_counts_only_with_a_confirmed_or_passed_seat_p6(
    sara, leka, course_admin, secondments
):
    from stportal.attendance.tests.fixtures import OPEN

    registration = registration_services.register_for_course_week(
        actor=sara.user, week=leka, trainee=sara, now=OPEN
    )
    assert [p for p in periods_of(sara.pk) if p.kind == COURSE_WEEK] == []  # pending
    RegistrationLine.objects.filter(registration=registration).update(status=LineStatus.WAITLISTED)
    assert [p for p in periods_of(sara.pk) if p.kind == COURSE_WEEK] == []
    RegistrationLine.objects.filter(registration=registration).update(status=LineStatus.PASSED)
    found = [p for p in periods_of(sara.pk) if p.kind == COURSE_WEEK]
    assert [(p.start, p.end, p.title) for p in found] == [
        (dt.date(2027, 3, 22), dt.date(2027, 3, 26), "LEKA A 2027")
    ]


def test_an_examined_st_day_takes_its_week_until_revoked_p6(sara, supervisor):
    from stportal.curricula.models import MandatorySubject
    from stportal.stdays import services as stday_services

    day = dt.date(2027, 2, 10)
    certificate = stday_services.issue_st_day_certificate(
        actor=supervisor,
        trainee=sara,
        subject=MandatorySubject.objects.get(
            specialty__code="allmanmedicin", version__code="2015", name="Läkemedel"
        ),
        title="ST-dag: Läkemedel",
        first_day=day,
        examined_on=day,
        examination="Fallseminarium.",
    )
    week = selectors.week_of(sara, day)
    assert week.entitled_hours == 0
    assert week.reasons == ["ST-dag: Läkemedel"]
    assert [p.kind for p in periods_of(sara.pk)] == [ST_DAY]
    stday_services.revoke_st_day_certificate(
        actor=supervisor, certificate=certificate, reason="Fel ämne."
    )
    assert selectors.week_of(sara, day).entitled_hours == 3


def test_the_trainee_logs_time_and_is_warned_not_stopped_beyond_the_week_p6(seated_sara):
    day = dt.date(2027, 1, 13)
    entry = services.log_study_time(
        actor=seated_sara.user,
        trainee=seated_sara,
        day=day,
        hours=Decimal("2.5"),
        activity=activity(),
        note="Läste om KOL.",
    )
    assert AuditEvent.objects.filter(action="study_time.logged", object_id=str(entry.pk)).exists()
    week = selectors.week_of(seated_sara, day)
    assert (week.used_hours, week.over) == (2.5, False)
    assert selectors.over_warning(week) == ""
    services.log_study_time(
        actor=seated_sara.user, trainee=seated_sara, day=day, hours=1, activity=activity("balint")
    )
    week = selectors.week_of(seated_sara, day)
    assert (week.used_hours, week.over) == (3.5, True)
    assert "3,5" in selectors.over_warning(week)
    summary = selectors.study_time(seated_sara, Q1_START, Q1_END)
    assert summary.used_hours == 3.5
    assert summary.used_hours == sum(w.used_hours for w in summary.weeks)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours": 0}, "hours"),
        ({"hours": -1}, "hours"),
        ({"hours": 9}, "hours"),
        ({"hours": "1.1"}, "hours"),
        ({"hours": "NaN"}, "hours"),
        ({"hours": "1e9"}, "hours"),
        ({"day": dt.date(2027, 4, 13)}, "day"),
        ({"day": dt.date(1999, 1, 1)}, "day"),
        ({"day": None}, "day"),
        ({"activity": 2**40}, "activity"),
        ({"note": "a\x00b"}, "note"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_absurd_entries_are_refused_p6(sara, changes, field):
    values = {"day": dt.date(2027, 4, 1), "hours": 1, "activity": activity(), "note": ""}
    values.update(changes)
    with pytest.raises(ValidationFailed) as refused:
        services.log_study_time(actor=sara.user, trainee=sara, **values)
    assert field in refused.value.fields
    assert not StudyTimeEntry.objects.exists()


def test_an_inactive_activity_is_not_offered_p6(sara):
    StudyActivity.objects.filter(code="balint").update(active=False)
    assert "balint" not in [a.code for a in selectors.activities()]
    with pytest.raises(ValidationFailed):
        services.log_study_time(
            actor=sara.user,
            trainee=sara,
            day=dt.date(2027, 4, 1),
            hours=1,
            activity=StudyActivity.objects.get(code="balint"),
        )


def test_only_the_trainee_logs_and_removes_p6(
    sara, supervisor, study_director, other_supervisor, other_trainee
):
    values = {"day": dt.date(2027, 4, 1), "hours": 1, "activity": activity()}
    with pytest.raises(PermissionDenied):
        services.log_study_time(actor=supervisor, trainee=sara, **values)
    with pytest.raises(PermissionDenied):
        services.log_study_time(actor=study_director, trainee=sara, **values)
    with pytest.raises(NotFound):
        services.log_study_time(actor=other_supervisor, trainee=sara, **values)
    with pytest.raises(NotFound):
        services.log_study_time(actor=other_trainee.user, trainee=sara, **values)
    entry = services.log_study_time(actor=sara.user, trainee=sara, **values)
    with pytest.raises(PermissionDenied):
        services.remove_study_time(actor=supervisor, entry=entry)
    services.remove_study_time(actor=sara.user, entry=entry)
    assert not StudyTimeEntry.objects.exists()
    assert AuditEvent.objects.filter(action="study_time.removed").count() == 1


def test_ranges_are_bounded_p6(sara):
    with pytest.raises(ValidationFailed):
        selectors.study_time(sara, dt.date(2027, 4, 1), dt.date(2027, 3, 1))
    with pytest.raises(ValidationFailed):
        selectors.study_time(sara, dt.date(2000, 1, 1), dt.date(2011, 1, 1))
    assert len(selectors.study_time(sara, dt.date(2017, 1, 1), dt.date(2026, 12, 31)).weeks) > 500


def test_the_year_section_gives_hours_and_what_they_went_to_p6(seated_sara):
    for day, hours, code in (
        (dt.date(2027, 1, 13), 2, "reading"),
        (dt.date(2027, 1, 20), "1.5", "reading"),
        (dt.date(2027, 3, 3), 1, "balint"),
    ):
        services.log_study_time(
            actor=seated_sara.user,
            trainee=seated_sara,
            day=day,
            hours=hours,
            activity=activity(code),
        )
    sections = {
        s.key: s for s in year_sections(seated_sara.pk, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    }
    section = sections["study_time"]
    assert section.title == "Studietid"
    assert section.lines == [
        "Studietid: 27 tim att disponera, 4,5 tim använda.",
        "Fördjupning och läsning: 3,5 tim",
        "Deltagande i Balint: 1 tim",
    ]


def test_hours_are_written_without_trailing_zeros_p6(db):
    assert [selectors.hours_text(v) for v in (10, 27.0, Decimal("1.50"), 0.25, 0)] == [
        "10",
        "27",
        "1,5",
        "0,25",
        "0",
    ]


def test_the_course_week_and_st_day_sources_answer_in_one_query_each_p6(
    seated_sara, django_assert_num_queries
):
    from stportal.registrations.periods import course_week_periods
    from stportal.stdays.periods import st_day_periods

    with django_assert_num_queries(1):
        weeks = course_week_periods(seated_sara.pk)
    assert [(p.kind, p.title, p.planned) for p in weeks] == [(COURSE_WEEK, "LEKA A 2027", False)]
    with django_assert_num_queries(1):
        assert st_day_periods(seated_sara.pk) == []
