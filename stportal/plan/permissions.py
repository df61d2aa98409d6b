"""Who may do what with a trainee's education plan (SPEC 2, 5 P11), built on the record's one
home for permissions (`accounts.permissions`):

- the trainee keeps their own plan: adds, changes and removes every item;
- their supervisor and their study director (named, of the area, or the regional study
  director) read it, and may record a supervision meeting (they hold such meetings with the
  trainee); each of them changes or removes only the meetings they recorded themselves;
- nobody else sees it, not even other staff of the region: another trainee, another region's
  staff, a supervisor of someone else all get 404.

Refusals: a caller who may read the plan but not do the thing answers 403; anyone else 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import directed_trainees, may_direct_record, supervises
from stportal.core.errors import NotFound, PermissionDenied
from stportal.plan.models import ItemKind, PlanItem


def _own(actor: User | None, profile: TraineeProfile) -> bool:
    return actor is not None and actor.is_active and actor.pk == profile.user_id


def may_read_plan(actor: User | None, profile: TraineeProfile) -> bool:
    if actor is None:
        return True  # a command or the demo loader, run by whoever operates the installation
    return _own(actor, profile) or supervises(actor, profile) or may_direct_record(actor, profile)


def check_may_read_plan(actor: User | None, profile: TraineeProfile) -> None:
    if not may_read_plan(actor, profile):
        raise NotFound()


def plan_readable_trainees(actor: User | None) -> QuerySet[TraineeProfile]:
    """`may_read_plan` as a query."""
    if actor is None:
        return TraineeProfile.objects.all()
    if not actor.is_active:
        return TraineeProfile.objects.none()
    directed = directed_trainees(actor).values("pk")
    return TraineeProfile.objects.filter(
        Q(user=actor) | (Q(supervisor=actor) & ~Q(user=actor)) | Q(pk__in=directed)
    )


def may_keep_plan(actor: User | None, profile: TraineeProfile) -> bool:
    """Add any kind of item: the trainee for themself."""
    return actor is None or _own(actor, profile)


def may_add_meeting(actor: User | None, profile: TraineeProfile) -> bool:
    """Record a supervision meeting: the trainee, the supervisor, the study director."""
    return may_read_plan(actor, profile)


def may_add(actor: User | None, profile: TraineeProfile, kind: str) -> bool:
    if kind == ItemKind.SUPERVISION:
        return may_add_meeting(actor, profile)
    return may_keep_plan(actor, profile)


def check_may_add(actor: User | None, profile: TraineeProfile, kind: str) -> None:
    if may_add(actor, profile, kind):
        return
    check_may_read_plan(actor, profile)
    raise PermissionDenied(
        _("Only the trainee adds to the education plan; others may record supervision meetings.")
    )


def may_change(actor: User | None, item: PlanItem) -> bool:
    """Change or remove an item: the trainee any item of their plan; the supervisor or study
    director the supervision meetings they recorded themselves."""
    profile = item.trainee
    if may_keep_plan(actor, profile):
        return True
    return (
        item.kind == ItemKind.SUPERVISION
        and actor is not None
        and item.created_by_id == actor.pk
        and may_add_meeting(actor, profile)
    )


def check_may_change(actor: User | None, item: PlanItem) -> None:
    if may_change(actor, item):
        return
    check_may_read_plan(actor, item.trainee)
    raise PermissionDenied(
        _("Only the trainee changes the education plan, and whoever recorded a meeting changes it.")
    )
