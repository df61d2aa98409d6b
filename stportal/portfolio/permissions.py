"""Who may read what of a trainee's ST record in this app (SPEC 2, SPEC 5 P1), built on the
record's one home for these questions, `stportal.accounts.permissions`.

- The record's overview and its coverage: whoever may read the record (the trainee, their
  supervisor, their study director, the regional study director and the staff of the region).
  Anyone else gets 404: whether a person is a trainee of a region is private.
- The table of trainees ("My ST trainees"): every logged-in person may open it; it lists the
  trainees they supervise and those they direct (the regional study director: region-wide).
- The personal identity number in full: the trainee and the staff of the home unit's region;
  everyone else sees it masked.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import directed_trainees, may_read_record
from stportal.core.errors import NotFound
from stportal.core.permissions import staff_region_ids


def _active(actor: User | None) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def may_read_coverage(actor: User | None, profile: TraineeProfile) -> bool:
    return may_read_record(actor, profile)


def check_may_read_record(actor: User | None, profile: TraineeProfile) -> None:
    """Refuse, as for an unknown trainee, whoever may not read this record."""
    if actor is not None and not _active(actor):
        raise NotFound()
    if not may_read_record(actor, profile):
        raise NotFound()


def may_see_personal_id(actor: User | None, profile: TraineeProfile) -> bool:
    """Whether the page shows the personal identity number unmasked."""
    if actor is None:
        return True
    if not _active(actor):
        return False
    return actor.pk == profile.user_id or profile.home_unit.region_id in staff_region_ids(actor)


def listed_trainees(actor: User | None) -> QuerySet[TraineeProfile]:
    """The trainees of the actor's table: those they supervise and those they direct."""
    if not _active(actor):
        return TraineeProfile.objects.none()
    assert actor is not None
    return TraineeProfile.objects.filter(
        Q(supervisor=actor) | Q(pk__in=directed_trainees(actor).values("pk"))
    ).exclude(user=actor)
