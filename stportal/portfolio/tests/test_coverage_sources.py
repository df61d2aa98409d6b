"""Coverage of a trainee's curriculum from the course programme (SPEC 5 P1): a passed course
and an issued certificate cover the course's goals in the trainee's own curriculum version;
a revoked certificate no longer counts."""

from __future__ import annotations

import datetime as dt

from stportal.attendance.tests.fixtures import AFTER_COURSE, LATER
from stportal.certificates import services as certificate_services
from stportal.curricula.coverage import CERTIFICATE, COURSE
from stportal.portfolio import selectors


def _goal(coverage, code):
    return next(row for row in coverage.goals if row.goal.code == code)


def _subject(coverage, name):
    return next(row for row in coverage.subjects if row.subject.name == name)


def test_passed_course_covers_its_goals_and_subjects_p1(closed, etik):
    asa, _goran, _bo = (registration.trainee for registration in closed)
    coverage = selectors.coverage_for(asa)
    a2 = _goal(coverage, "a2")
    assert a2.covered
    (item,) = a2.covered_by
    assert item.kind == COURSE and item.id == etik.pk
    assert item.title == "Etik, mångfald och jämlikhet (LEKA A 2027)"
    assert item.on == dt.date(2027, 3, 24)  # the course's last day, not the week's
    assert _goal(coverage, "b1").covered
    assert _goal(coverage, "c7").covered  # the trainee's own specialty's goal
    assert not _goal(coverage, "a1").covered  # Ledarskap: not passed
    assert "c9" not in {row.goal.code for row in coverage.goals}  # psykiatri's goal
    assert _subject(coverage, "Etik, mångfald och jämlikhet").covered
    assert _subject(coverage, "Kommunikation med patienter och närstående").covered
    assert not _subject(coverage, "Läkemedel").covered
    assert len(coverage.remaining_subjects) == 10


def test_passed_course_counts_in_the_trainees_own_version_p1(closed):
    _asa, goran, _bo = (registration.trainee for registration in closed)
    coverage = selectors.coverage_for(goran)
    codes = {row.goal.code for row in coverage.goals if row.covered}
    assert codes == {"STa4", "STb1"}
    assert any(row.goal.code == "BT1" for row in coverage.goals)  # BT goals in 2021
    assert coverage.subjects == ()  # no mandatory subjects for allmänmedicin 2021 in the seed


def test_a_course_not_passed_covers_nothing_p1(closed):
    bo = closed[2].trainee
    coverage = selectors.coverage_for(bo)
    assert not any(row.covered for row in coverage.goals)
    assert len(coverage.remaining_subjects) == 12


def test_issued_certificate_counts_and_a_revoked_one_no_longer_p1(
    closed, etik, regional_study_director
):
    asa = closed[0].trainee
    issued = certificate_services.issue_certificates(
        actor=regional_study_director, course=etik, now=AFTER_COURSE
    )
    certificate = next(c for c in issued if c.line.registration.trainee_id == asa.pk)
    kinds = {(i.kind, i.id) for i in _goal(selectors.coverage_for(asa), "a2").covered_by}
    assert kinds == {(COURSE, etik.pk), (CERTIFICATE, certificate.pk)}

    certificate_services.revoke_certificate(
        actor=regional_study_director, certificate=certificate, reason="Fel kurs.", now=LATER
    )
    kinds = {(i.kind, i.id) for i in _goal(selectors.coverage_for(asa), "a2").covered_by}
    assert kinds == {(COURSE, etik.pk)}  # the passed course still counts


def test_bt_goals_only_in_the_2021_version_p1(make_participant):
    trainee = make_participant("2015")
    kinds = {row.goal.code[:2] for row in selectors.coverage_for(trainee).goals}
    assert "BT" not in kinds
