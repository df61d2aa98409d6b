"""Staff adjust a participant's lodging nights (C20): arriving the evening before, leaving
early. The default stays the night before each seated course day (`lodging.nights_before`);
what staff change is kept as nights added and nights left out, so a course given up later
still drops its own night.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.errors import NotFound, ServiceError, ValidationFailed
from stportal.courses.states import StoredState
from stportal.registrations import lodging, permissions
from stportal.registrations.models import Registration
from stportal.registrations.rules import CoreError
from stportal.registrations.staff_selectors import lodging_days_of

ADJUSTMENT_FIELDS = ["lodging_extra_nights", "lodging_skipped_nights"]


def set_lodging_nights(
    *,
    actor: User | None,
    registration: Registration,
    nights: Sequence[dt.date] | None,
    now: dt.datetime | None = None,
) -> Registration:
    """Set the nights a participant is lodged at the host site (C20).

    1. Staff of the week's region only (404 to others, 403 to the unit manager who reads it).
    2. `nights` None goes back to the default. Otherwise every night lies between the evening
       before the week's first day and the night after its last (`night_outside_week`, 422).
    3. Stored as the difference from the default nights of the registration now, audited in
       the same transaction. A cancelled week is not changed (`locked`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        try:
            registration = (
                Registration.objects.select_for_update(of=("self",))
                .select_related("course_week__series", "trainee")
                .get(pk=registration.pk)
            )
        except Registration.DoesNotExist as exc:
            raise NotFound() from exc
        permissions.check_may_manage(actor, registration)
        week = registration.course_week
        if week.stored_state == StoredState.CANCELLED:
            raise ServiceError("locked", _("The course week is cancelled."))
        before = audit.snapshot(registration, ADJUSTMENT_FIELDS)
        if nights is None:
            extra: tuple[dt.date, ...] = ()
            skipped: tuple[dt.date, ...] = ()
        else:
            try:
                lodging.check_nights(nights, first_day=week.start_date, last_day=week.end_date)
            except CoreError as exc:
                raise ValidationFailed(
                    {
                        "nights": [
                            _(
                                "Choose nights from the evening before the first course day "
                                "to the night after the last."
                            )
                        ]
                    }
                ) from exc
            default = lodging.nights_before(lodging_days_of(registration, week))
            extra, skipped = lodging.adjustment_for(default, nights)
        registration.lodging_extra_nights = [night.isoformat() for night in extra]
        registration.lodging_skipped_nights = [night.isoformat() for night in skipped]
        registration.updated_at = now
        registration.save(update_fields=[*ADJUSTMENT_FIELDS, "updated_at"])
        audit.record(
            actor=actor,
            action="registration.lodging_nights_set",
            obj=registration,
            before=before,
            after=audit.snapshot(registration, ADJUSTMENT_FIELDS),
        )
    return registration
