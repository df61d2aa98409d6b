"""ST-day certificates as attachments to the specialist application (SPEC 5 P14): each one not
revoked is a course certificate (Socialstyrelsen's course form), naming the goals fixed when it
was issued; its document is the trainee's copy.

Registered with `stportal.curricula.attachments` in `StdaysConfig.ready()`. One query.
"""

from __future__ import annotations

from collections.abc import Callable

from stportal.curricula.attachments import COURSE, Evidence
from stportal.stdays.models import StDayCertificate

SOURCE = "st_day"


def _copy(certificate_id: int) -> Callable[[], bytes]:
    def pdf() -> bytes:
        from stportal.stdays.documents import st_day_certificate_pdf

        certificate = StDayCertificate.objects.select_related(
            "trainee__user", "trainee__home_unit", "subject", "issued_by"
        ).get(pk=certificate_id)
        return st_day_certificate_pdf(certificate=certificate, copy=True)

    return pdf


def evidence(trainee_id: int) -> list[Evidence]:
    """The trainee's ST-day certificates that are not revoked."""
    rows = StDayCertificate.objects.filter(trainee_id=trainee_id, revoked_at=None).values_list(
        "pk", "title", "goal_codes", "first_day", "last_day"
    )
    return [
        Evidence(
            kind=COURSE,
            title=title,
            goals=tuple(str(code) for code in goal_codes or ()),
            start=first_day,
            end=last_day,
            source=SOURCE,
            source_id=pk,
            pdf=_copy(pk),
        )
        for pk, title, goal_codes, first_day, last_day in rows
    ]
