"""Study time: every write (SPEC 5 P6).

1. `log_study_time`: the trainee logs study time used (a day, hours in quarter hours, an
   activity, a note). Absurd hours are refused; using more than the week's entitlement is
   allowed (the pages and the API warn, see `selectors.week_of`).
2. `remove_study_time`: the trainee removes an entry of their own log.

Both lock the trainee's profile first (the record's parent row) and audit in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.core import audit, bounds
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ValidationFailed
from stportal.studytime import permissions
from stportal.studytime.models import HOURS_STEP, MAX_ENTRY_HOURS, StudyActivity, StudyTimeEntry

SNAPSHOT_FIELDS = ("trainee_id", "day", "hours", "activity_id", "note", "created_by_id")


def _snapshot(entry: StudyTimeEntry) -> dict[str, Any]:
    return audit.snapshot(entry, SNAPSHOT_FIELDS)


def hours_problem(hours: Decimal | float | int | str | None) -> str | None:
    """Why these hours cannot be logged, or None: more than nothing, at most a working day
    (MAX_ENTRY_HOURS) in one entry, in quarter hours."""
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value > MAX_ENTRY_HOURS:
        return _("Enter between 0.25 and %(max)s hours.") % {"max": int(MAX_ENTRY_HOURS)}
    if value % HOURS_STEP != 0:
        return _("Enter the hours in quarter hours (for example 1.5 or 0.75).")
    return None


def log_study_time(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    day: dt.date | None,
    hours: Decimal | float | int | str | None,
    activity: StudyActivity | int | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> StudyTimeEntry:
    """Log study time the trainee used (the trainee alone)."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if day is None:
        errors["day"] = [_("Enter a date.")]
    elif not bounds.MIN_DATE <= day <= bounds.MAX_DATE:
        errors["day"] = [_("Enter a date between 2000 and 2100.")]
    elif day > local_date(now):
        errors["day"] = [_("Log study time already used: the date is in the future.")]
    problem = hours_problem(hours)
    if problem:
        errors["hours"] = [problem]
    activity_id = activity.pk if isinstance(activity, StudyActivity) else activity
    found = (
        StudyActivity.objects.filter(pk=activity_id, active=True).first()
        if activity_id is not None and 0 < activity_id <= bounds.MAX_ID
        else None
    )
    if found is None:
        errors["activity"] = [_("Choose what the time was used for.")]
    if bounds.NUL in note:
        errors["note"] = [bounds.nul_message()]
    elif len(note) > bounds.NOTE_MAX_LENGTH:
        errors["note"] = [
            _("Write at most %(limit)s characters.") % {"limit": bounds.NOTE_MAX_LENGTH}
        ]
    with transaction.atomic():
        profile = TraineeProfile.objects.select_for_update().filter(pk=trainee.pk).first()
        if profile is None:
            raise NotFound()
        permissions.check_may_log(actor, trainee)
        if errors:
            raise ValidationFailed(errors)
        assert day is not None and found is not None
        entry = StudyTimeEntry.objects.create(
            trainee=profile,
            day=day,
            hours=Decimal(str(hours)),
            activity=found,
            note=note.strip(),
            created_at=now,
            created_by=actor if actor is not None else profile.user,
        )
        audit.record(actor=actor, action="study_time.logged", obj=entry, after=_snapshot(entry))
    return entry


def remove_study_time(*, actor: User | None, entry: StudyTimeEntry) -> None:
    """Remove an entry of the trainee's log (the trainee alone); the audit keeps what it
    said."""
    with transaction.atomic():
        TraineeProfile.objects.select_for_update().filter(pk=entry.trainee_id).first()
        permissions.check_may_log(actor, entry.trainee)
        current = StudyTimeEntry.objects.filter(pk=entry.pk).first()
        if current is None:
            raise NotFound()
        before = _snapshot(current)
        audit.record(actor=actor, action="study_time.removed", obj=current, before=before)
        current.delete()
