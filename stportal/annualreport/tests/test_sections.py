"""The annual report's sections of the course programme (SPEC 5 P13): a finished course week
built through the services (Etik passed with full attendance, Ledarskap confirmed), its course
certificate, and nothing of it in another year. The sections answer in a constant number of
queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stportal.annualreport import sections
from stportal.attendance import services as attendance_services
from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.attendance.tests.fixtures import AFTER_COURSE, attend
from stportal.certificates import services as certificate_services
from stportal.core.yearly import year_sections

YEAR = (dt.date(2027, 1, 1), dt.date(2027, 12, 31))


@pytest.fixture
def asa(make_participant, seat, etik, course_leader):
    """Åsa, seated in the whole week, passed Etik (present every day); the register closed."""
    trainee = make_participant("2015", user__first_name="Åsa", user__last_name="Öberg")
    (registration,) = seat(trainee)
    attend(course_leader, etik, registration, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    return trainee


@pytest.mark.django_db
def test_the_year_s_course_weeks_with_results_and_attendance_p13(asa, etik):
    section = sections.course_weeks(asa.pk, *YEAR)
    assert section.title == "Kursveckor och resultat"
    etik_line = next(line for line in section.lines if etik.title in line)
    assert etik_line.startswith("2027-03-22 – 2027-03-26: ")
    assert "godkänd" in etik_line and "närvarande 3 av 3 dagar" in etik_line
    assert len(section.lines) == 2  # Ledarskap too, where Åsa holds a seat
    other_year = sections.course_weeks(asa.pk, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert other_year.lines == [] and other_year.empty_text == "Inga kursveckor i år."


@pytest.mark.django_db
def test_the_year_s_course_certificates_p13(asa, etik, regional_study_director):
    assert sections.course_certificates(asa.pk, *YEAR).lines == []
    certificate_services.issue_certificates(
        actor=regional_study_director, course=etik, now=AFTER_COURSE
    )
    lines = sections.course_certificates(asa.pk, *YEAR).lines
    assert len(lines) == 1 and lines[0].startswith("2027-03-29: ") and etik.title in lines[0]


@pytest.mark.django_db
def test_each_section_answers_in_one_query_and_all_are_registered_p13(asa):
    sources = (
        sections.course_weeks,
        sections.course_certificates,
        sections.st_day_certificates,
        sections.funded_courses,
        sections.reviewed_statements,
    )
    for source in sources:
        with CaptureQueriesContext(connection) as queries:
            source(asa.pk, *YEAR)
        assert len(queries) == 1, source.__name__
    keys = {s.key for s in year_sections(asa.pk, *YEAR)}
    assert {
        "course_weeks",
        "course_certificates",
        "st_days",
        "funded_courses",
        "statements",
    } <= keys
