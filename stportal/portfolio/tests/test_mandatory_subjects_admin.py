"""Staff define mandatory subjects for other specialties and versions in the back office, with
the goals each serves, and the subject then shows in those trainees' coverage (SPEC 5 P1)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stportal.curricula.models import CurriculumVersion, Goal, MandatorySubject, Specialty
from stportal.portfolio import selectors


def test_course_admin_defines_a_mandatory_subject_that_shows_in_coverage_p1(
    closed, course_admin, make_participant
):
    psykiatri = Specialty.objects.get(code="psykiatri")
    version = CurriculumVersion.objects.get(code="2021")
    trainee = make_participant("2021", specialty=psykiatri)
    assert selectors.coverage_for(trainee).subjects == ()
    ethics = Goal.objects.get(version=version, specialty=None, code="STa4")
    client = Client()
    client.force_login(course_admin)
    answer = client.post(
        reverse("admin:curricula_mandatorysubject_add"),
        {
            "specialty": psykiatri.pk,
            "version": version.pk,
            "name": "Etik i psykiatrin",
            "goals": [ethics.pk],
            "goal_note": "",
            "position": 1,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    subject = MandatorySubject.objects.get(name="Etik i psykiatrin")
    assert list(subject.goals.values_list("code", flat=True)) == ["STa4"]

    (row,) = selectors.coverage_for(trainee).subjects
    assert row.subject.name == "Etik i psykiatrin" and not row.covered
    # Göran (allmänmedicin 2021) passed Etik, which serves STa4, but the subject is
    # psykiatri's: his coverage has no mandatory subjects.
    goran = closed[1].trainee
    assert selectors.coverage_for(goran).subjects == ()


def test_a_subject_is_covered_by_a_passed_course_serving_its_goals_p1(closed, course_admin):
    goran = closed[1].trainee
    version = CurriculumVersion.objects.get(code="2021")
    client = Client()
    client.force_login(course_admin)
    client.post(
        reverse("admin:curricula_mandatorysubject_add"),
        {
            "specialty": goran.specialty_id,
            "version": version.pk,
            "name": "Etik",
            "goals": [Goal.objects.get(version=version, specialty=None, code="STa4").pk],
            "goal_note": "",
            "position": 1,
        },
    )
    (row,) = selectors.coverage_for(goran).subjects
    assert row.covered
    assert [item.title for item in row.covered_by] == ["Etik, mångfald och jämlikhet (LEKA A 2027)"]
