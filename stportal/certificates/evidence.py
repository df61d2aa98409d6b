"""Course certificates of the programme as attachments to the specialist application (SPEC 5
P14): every issued certificate that is not revoked, naming the course's goals in the trainee's
curriculum version; its document is the trainee's copy (`services.certificate_pdf`).

Registered with `stportal.curricula.attachments` in `CertificatesConfig.ready()`. Two queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile
from stportal.certificates.models import Certificate, CertificateState
from stportal.core.dates import local_date
from stportal.courses.models import Course
from stportal.curricula.attachments import COURSE, Evidence

SOURCE = "certificate"


def _copy(certificate_id: int) -> Callable[[], bytes]:
    def pdf() -> bytes:
        from stportal.certificates.services import certificate_pdf

        certificate = Certificate.objects.select_related(
            "line__registration__trainee__user", "line__course__week__series", "batch"
        ).get(pk=certificate_id)
        return certificate_pdf(certificate=certificate, copy=True)

    return pdf


def evidence(trainee_id: int) -> list[Evidence]:
    """The trainee's course certificates, not revoked, each with the course's goals."""
    version_id = (
        TraineeProfile.objects.filter(pk=trainee_id)
        .values_list("curriculum_version_id", flat=True)
        .first()
    )
    rows = list(
        Certificate.objects.filter(line__registration__trainee_id=trainee_id)
        .exclude(state=CertificateState.REVOKED)
        .values_list(
            "pk",
            "line__course_id",
            "line__course__title",
            "line__course__week__title",
            "line__course__week__start_date",
            "line__course__week__end_date",
            "issued_at",
        )
    )
    goals: dict[int, list[str]] = defaultdict(list)
    for course_id, code in (
        Course.goals.through.objects.filter(
            course_id__in={row[1] for row in rows}, goal__version_id=version_id
        )
        .order_by("goal__position", "goal__code")
        .values_list("course_id", "goal__code")
    ):
        goals[course_id].append(code)
    return [
        Evidence(
            kind=COURSE,
            title=_("%(course)s (%(week)s)") % {"course": title, "week": week_title},
            goals=tuple(goals.get(course_id, ())),
            start=start or local_date(issued_at),
            end=end or local_date(issued_at),
            source=SOURCE,
            source_id=pk,
            pdf=_copy(pk),
        )
        for pk, course_id, title, week_title, start, end, issued_at in rows
    ]
