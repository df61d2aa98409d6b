"""What of the course programme covers a trainee's goals (SPEC 5 P1): the coverage sources
this app registers with `stportal.curricula.sources` in its `AppConfig.ready()`.

- `course`: every registration line the course's register marked passed; the goals are the
  course's goals of the trainee's curriculum version, the date the course's last day.
- `certificate`: every issued course certificate that is not revoked, with the same goals;
  the date is the day it was issued (Stockholm).

Each source answers for any number of trainees in a constant number of queries (three).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.db.models import Max
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile
from stportal.certificates.models import Certificate, CertificateState
from stportal.core.dates import local_date
from stportal.courses.models import Course
from stportal.curricula.coverage import CERTIFICATE, COURSE, Covering
from stportal.registrations.models import LineStatus, RegistrationLine


def _versions(trainee_ids: Collection[int]) -> dict[int, int]:
    """Each trainee's curriculum version (id)."""
    return dict(
        TraineeProfile.objects.filter(pk__in=trainee_ids).values_list("pk", "curriculum_version_id")
    )


def _goal_codes(course_ids: Collection[int]) -> dict[tuple[int, int], frozenset[str]]:
    """(course id, version id) -> the course's goal codes in that version."""
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    rows = Course.goals.through.objects.filter(course_id__in=set(course_ids)).values_list(
        "course_id", "goal__version_id", "goal__code"
    )
    for course_id, version_id, code in rows:
        found[(course_id, version_id)].add(code)
    return {key: frozenset(codes) for key, codes in found.items()}


def course_title(title: str, week_title: str) -> str:
    return _("%(course)s (%(week)s)") % {"course": title, "week": week_title}


def passed_courses(trainee_ids: Collection[int]) -> dict[int, list[Covering]]:
    """The passed courses of the programme, per trainee."""
    if not trainee_ids:
        return {}
    versions = _versions(trainee_ids)
    lines = list(
        RegistrationLine.objects.filter(
            status=LineStatus.PASSED, registration__trainee_id__in=trainee_ids
        )
        .annotate(last_day=Max("course__days__date"))
        .values_list(
            "registration__trainee_id",
            "course_id",
            "course__title",
            "course__week__title",
            "course__week__end_date",
            "last_day",
        )
    )
    goals = _goal_codes({line[1] for line in lines})
    found: dict[int, list[Covering]] = defaultdict(list)
    for trainee_id, course_id, title, week_title, week_end, last_day in lines:
        found[trainee_id].append(
            Covering(
                kind=COURSE,
                id=course_id,
                title=course_title(title, week_title),
                goal_codes=goals.get((course_id, versions.get(trainee_id, 0)), frozenset()),
                on=last_day or week_end,
            )
        )
    return dict(found)


def issued_certificates(trainee_ids: Collection[int]) -> dict[int, list[Covering]]:
    """The course certificates issued and not revoked, per trainee."""
    if not trainee_ids:
        return {}
    versions = _versions(trainee_ids)
    certificates = list(
        Certificate.objects.filter(line__registration__trainee_id__in=trainee_ids)
        .exclude(state=CertificateState.REVOKED)
        .values_list(
            "pk",
            "line__registration__trainee_id",
            "line__course_id",
            "line__course__title",
            "line__course__week__title",
            "issued_at",
        )
    )
    goals = _goal_codes({row[2] for row in certificates})
    found: dict[int, list[Covering]] = defaultdict(list)
    for pk, trainee_id, course_id, title, week_title, issued_at in certificates:
        found[trainee_id].append(
            Covering(
                kind=CERTIFICATE,
                id=pk,
                title=course_title(title, week_title),
                goal_codes=goals.get((course_id, versions.get(trainee_id, 0)), frozenset()),
                on=local_date(issued_at),
            )
        )
    return dict(found)
