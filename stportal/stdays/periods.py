"""The examined ST-days of a trainee's ST as periods (`stportal.core.periods`, SPEC 5 P4, P6):
one period per ST-day certificate not revoked, from its first to its last day. A week with
an ST-day has no study time (seed 004: "Detsamma gäller de veckor du har ST-dag")."""

from __future__ import annotations

from stportal.core.periods import ST_DAY, Period
from stportal.stdays.models import StDayCertificate


def st_day_periods(trainee_id: int) -> list[Period]:
    """One query whatever the number of certificates."""
    rows = (
        StDayCertificate.objects.filter(trainee_id=trainee_id, revoked_at__isnull=True)
        .values_list("pk", "title", "first_day", "last_day")
        .order_by("first_day", "pk")
    )
    return [
        Period(
            kind=ST_DAY,
            start=first_day,
            end=max(first_day, last_day),
            title=title,
            source="stdays",
            source_id=pk,
        )
        for pk, title, first_day, last_day in rows
    ]
