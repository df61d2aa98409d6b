"""A person's export of everything the product holds about them (GDPR art. 15 and 20;
Appendix A): by the person for themself, and by staff for a trainee of their regions. The
parts come from every app (`core.personal_data`); who may ask is decided here, and every
export is in the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from stportal.accounts.models import TraineeProfile, User
from stportal.core import audit, personal_data
from stportal.core.errors import NotFound
from stportal.core.permissions import staff_region_ids


def may_export(actor: User, profile: TraineeProfile) -> bool:
    """The trainee themself, and staff of the trainee's region (SPEC 2)."""
    if not actor.is_active:
        return False
    return actor.pk == profile.user_id or profile.home_unit.region_id in staff_region_ids(actor)


def export_personal_data(*, actor: User, profile: TraineeProfile | None = None) -> dict[str, Any]:
    """Everything held about `profile`'s person, or about `actor` when no profile is named.
    Anyone who may not export a trainee's data gets 404, as for an unknown trainee."""
    if profile is None:
        person = actor
        profile = TraineeProfile.objects.filter(user=actor).select_related("home_unit").first()
    else:
        if not may_export(actor, profile):
            raise NotFound()
        person = profile.user
    with transaction.atomic():
        data = personal_data.export(person.pk, profile.pk if profile else None)
        audit.record(
            actor=actor,
            action="personal_data.exported",
            obj=profile or person,
            after={"user_id": person.pk, "parts": sorted(data)},
        )
    return {
        "exported_at": timezone.now().isoformat(),
        "user_id": person.pk,
        "trainee_id": profile.pk if profile else None,
        "data": data,
    }
