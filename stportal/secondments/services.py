"""Secondments, the training allowance and credited service: every write (SPEC 5 P7–P9).

1. `plan_secondment`, `change_secondment`, `remove_secondment`: the trainee, the supervisor,
   the study director or staff plan a secondment (kind, place, dates, note, mandatory flag),
   change it, or take it out of the plan. Without an end date the kind's default length gives
   it (and the secondment says so). Two secondments of a trainee do not overlap.
2. `record_allowance`: the study director or staff record the allowance's queue position and
   the months paid (at most 60, of them at most 18 on secondment).
3. `credit_prior_service`, `withdraw_service_credit`: the study director or staff record a
   decision crediting prior service (period, months, comment), or withdraw one with a reason;
   the trainee's credited months (read by the allocation's "time served" policies) are kept
   equal to the sum of the decisions in force, in the same transaction.

Each locks the trainee's profile first (the record's parent row) and audits in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.core import audit, bounds
from stportal.core.errors import NotFound, ServiceError, ValidationFailed
from stportal.secondments import allowance as allowance_rules
from stportal.secondments import permissions, rules
from stportal.secondments.models import (
    MAX_CREDITED_MONTHS,
    MAX_QUEUE_POSITION,
    PLACE_MAX_LENGTH,
    Allowance,
    MandatorySecondment,
    Secondment,
    SecondmentKind,
    ServiceCredit,
)

SECONDMENT_FIELDS = (
    "trainee_id",
    "kind_id",
    "place",
    "start_date",
    "end_date",
    "end_from_default",
    "note",
    "mandatory",
)
ALLOWANCE_FIELDS = ("trainee_id", "queue_position", "months_paid", "secondment_months_paid", "note")
CREDIT_FIELDS = (
    "trainee_id",
    "period_start",
    "period_end",
    "months",
    "comment",
    "decided_at",
    "decided_by_id",
    "withdrawn_at",
    "withdrawn_by_id",
    "withdraw_reason",
)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _lock(profile_id: int) -> TraineeProfile:
    found = (
        TraineeProfile.objects.select_for_update()
        .select_related("user", "home_unit")
        .filter(pk=profile_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _text_problem(value: str, limit: int) -> str | None:
    if bounds.NUL in value:
        return bounds.nul_message()
    if len(value) > limit:
        return _("Write at most %(limit)s characters.") % {"limit": limit}
    return None


def _check_day(errors: dict[str, list[str]], name: str, day: dt.date | None) -> None:
    if day is None:
        errors[name] = [_("Enter a date.")]
    elif not bounds.MIN_DATE <= day <= bounds.MAX_DATE:
        errors[name] = [bounds.date_message()]


def _kind(kind: SecondmentKind | str | int | None) -> SecondmentKind | None:
    if isinstance(kind, SecondmentKind):
        return kind
    if isinstance(kind, int) and not isinstance(kind, bool):
        return SecondmentKind.objects.filter(pk=kind).first()
    if isinstance(kind, str) and kind.strip():
        return SecondmentKind.objects.filter(code=kind.strip()).first()
    return None


def required_kind_ids(profile: TraineeProfile) -> set[int]:
    """The kinds of secondment the trainee's specialty (and curriculum version) requires."""
    return set(
        MandatorySecondment.objects.filter(specialty_id=profile.specialty_id)
        .filter(version__isnull=True)
        .values_list("kind_id", flat=True)
    ) | set(
        MandatorySecondment.objects.filter(
            specialty_id=profile.specialty_id, version_id=profile.curriculum_version_id
        ).values_list("kind_id", flat=True)
    )


def _clean_secondment(
    profile: TraineeProfile,
    *,
    kind: SecondmentKind | None,
    place: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    note: str,
    exclude_id: int | None = None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind is None:
        errors["kind"] = [_("Choose a kind of secondment.")]
    for name, value, limit in (("place", place, PLACE_MAX_LENGTH), ("note", note, 2_000)):
        problem = _text_problem(value, limit)
        if problem:
            errors[name] = [problem]
    if not place.strip() and "place" not in errors:
        errors["place"] = [_("Say where the secondment is (the clinic or ward).")]
    _check_day(errors, "start_date", start_date)
    if end_date is not None:
        _check_day(errors, "end_date", end_date)
    if errors.get("start_date") or errors.get("end_date"):
        return errors
    assert start_date is not None and end_date is not None
    if end_date < start_date:
        errors["end_date"] = [_("The end date is before the start date.")]
        return errors
    others = Secondment.objects.filter(
        trainee=profile, start_date__lte=end_date, end_date__gte=start_date
    )
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    overlapping = others.select_related("kind").first()
    if overlapping is not None:
        errors["start_date"] = [
            _("The trainee already has a secondment from %(start)s to %(end)s (%(kind)s).")
            % {
                "start": overlapping.start_date.isoformat(),
                "end": overlapping.end_date.isoformat(),
                "kind": overlapping.kind.label,
            }
        ]
    return errors


def plan_secondment(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    kind: SecondmentKind | str | int | None,
    place: str,
    start_date: dt.date | None,
    end_date: dt.date | None = None,
    note: str = "",
    mandatory: bool | None = None,
    now: dt.datetime | None = None,
) -> Secondment:
    """Plan a secondment (P7).

    1. The trainee, the supervisor, the study director or staff (404 to anyone else).
    2. The kind by code (422 `kind` if unknown); the place; the start date; the end date, or
       the kind's default length from the start (`end_from_default` says so).
    3. Not before its start, within 2000–2100, and not overlapping another secondment.
    4. Mandatory unless said otherwise when the specialty requires the kind. Audited.
    """
    now = now or timezone.now()
    permissions.check_may_plan(actor, trainee)
    place, note = (place or "").strip(), (note or "").strip()
    with transaction.atomic():
        profile = _lock(trainee.pk)
        permissions.check_may_plan(actor, profile)
        found = _kind(kind)
        defaulted = end_date is None and found is not None and start_date is not None
        if defaulted:
            assert found is not None and start_date is not None
            if bounds.MIN_DATE <= start_date <= bounds.MAX_DATE:
                end_date = rules.default_end(start_date, found.default_weeks)
        errors = _clean_secondment(
            profile,
            kind=found,
            place=place,
            start_date=start_date,
            end_date=end_date if end_date is not None else start_date,
            note=note,
        )
        if end_date is None and "start_date" not in errors and "kind" not in errors:
            errors["end_date"] = [_("Enter a date.")]
        if errors:
            raise ValidationFailed(errors)
        assert found is not None and start_date is not None and end_date is not None
        if mandatory is None:
            mandatory = found.pk in required_kind_ids(profile)
        secondment = Secondment.objects.create(
            trainee=profile,
            kind=found,
            place=place,
            start_date=start_date,
            end_date=end_date,
            end_from_default=defaulted,
            note=note,
            mandatory=mandatory,
            created_at=now,
            created_by=actor,
            updated_at=now,
        )
        audit.record(
            actor=actor,
            action="secondment.planned",
            obj=secondment,
            after=audit.snapshot(secondment, SECONDMENT_FIELDS),
        )
    return secondment


def change_secondment(
    *,
    actor: User | None,
    secondment: Secondment,
    kind: SecondmentKind | str | int | None = UNSET,
    place: str = UNSET,
    start_date: dt.date | None = UNSET,
    end_date: dt.date | None = UNSET,
    note: str = UNSET,
    mandatory: bool = UNSET,
    now: dt.datetime | None = None,
) -> Secondment:
    """Change what is given of a planned secondment (P7); the same checks as planning. An end
    date given as None is the kind's default length from the start again."""
    now = now or timezone.now()
    with transaction.atomic():
        profile = _lock(secondment.trainee_id)
        permissions.check_may_plan(actor, profile)
        current = Secondment.objects.select_related("kind").filter(pk=secondment.pk).first()
        if current is None or current.trainee_id != profile.pk:
            raise NotFound()
        before = audit.snapshot(current, SECONDMENT_FIELDS)
        found = current.kind if kind is UNSET else _kind(kind)
        new_place = current.place if place is UNSET else (place or "").strip()
        new_note = current.note if note is UNSET else (note or "").strip()
        new_start = current.start_date if start_date is UNSET else start_date
        defaulted = current.end_from_default
        new_end: dt.date | None
        if end_date is UNSET:
            new_end = current.end_date
            if defaulted and (start_date is not UNSET or kind is not UNSET):
                new_end = None  # a default end follows the new start or kind
        else:
            new_end, defaulted = end_date, False
        if new_end is None:
            defaulted = True
            if (
                found is not None
                and new_start is not None
                and bounds.MIN_DATE <= new_start <= bounds.MAX_DATE
            ):
                new_end = rules.default_end(new_start, found.default_weeks)
        errors = _clean_secondment(
            profile,
            kind=found,
            place=new_place,
            start_date=new_start,
            end_date=new_end if new_end is not None else new_start,
            note=new_note,
            exclude_id=current.pk,
        )
        if errors:
            raise ValidationFailed(errors)
        assert found is not None and new_start is not None and new_end is not None
        current.kind = found
        current.place = new_place
        current.note = new_note
        current.start_date = new_start
        current.end_date = new_end
        current.end_from_default = defaulted
        if mandatory is not UNSET:
            current.mandatory = bool(mandatory)
        current.updated_at = now
        after = audit.snapshot(current, SECONDMENT_FIELDS)
        if after != before:
            current.save()
            audit.record(
                actor=actor, action="secondment.changed", obj=current, before=before, after=after
            )
    return current


def remove_secondment(*, actor: User | None, secondment: Secondment) -> None:
    """Take a secondment out of the plan (P7); the audit trail keeps what it was."""
    with transaction.atomic():
        profile = _lock(secondment.trainee_id)
        permissions.check_may_plan(actor, profile)
        current = Secondment.objects.filter(pk=secondment.pk, trainee=profile).first()
        if current is None:
            raise NotFound()
        before = audit.snapshot(current, SECONDMENT_FIELDS)
        audit.record(actor=actor, action="secondment.removed", obj=current, before=before)
        current.delete()


_AMOUNT_MESSAGES = {
    allowance_rules.NEGATIVE: lambda: _("Enter zero or more months."),
    allowance_rules.OVER_TOTAL: lambda: (
        _("The allowance covers at most %(months)s months.")
        % {"months": allowance_rules.TOTAL_MONTHS}
    ),
    allowance_rules.OVER_SECONDMENT: lambda: (
        _("The allowance covers at most %(months)s months of secondment.")
        % {"months": allowance_rules.SECONDMENT_MONTHS}
    ),
    allowance_rules.SECONDMENT_OVER_PAID: lambda: _(
        "The months paid on secondment are part of the months paid, so not more."
    ),
    allowance_rules.QUEUE_POSITION: lambda: _("The queue position is 1 or more."),
}


def record_allowance(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    queue_position: int | None,
    months_paid: int,
    secondment_months_paid: int,
    note: str = "",
    now: dt.datetime | None = None,
) -> Allowance:
    """Record the trainee's training allowance (P8): the queue position (empty when not in the
    queue) and the months paid, in total and on secondment. The study director or staff (403
    to others who read the record). Audited with before and after."""
    now = now or timezone.now()
    permissions.check_may_decide(
        actor, trainee, _("Only the study director or the region's staff record the allowance.")
    )
    note = (note or "").strip()
    errors: dict[str, list[str]] = {
        name: [_AMOUNT_MESSAGES[code]()]
        for name, code in allowance_rules.amount_problems(
            months_paid=months_paid,
            secondment_months_paid=secondment_months_paid,
            queue_position=queue_position,
        ).items()
    }
    if queue_position is not None and queue_position > MAX_QUEUE_POSITION:
        errors["queue_position"] = [
            _("The queue position is at most %(limit)s.") % {"limit": MAX_QUEUE_POSITION}
        ]
    problem = _text_problem(note, bounds.NOTE_MAX_LENGTH)
    if problem:
        errors["note"] = [problem]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        profile = _lock(trainee.pk)
        permissions.check_may_decide(actor, profile)
        current = Allowance.objects.filter(trainee=profile).first()
        before = audit.snapshot(current, ALLOWANCE_FIELDS) if current is not None else None
        if current is None:
            current = Allowance(trainee=profile)
        current.queue_position = queue_position
        current.months_paid = months_paid
        current.secondment_months_paid = secondment_months_paid
        current.note = note
        current.updated_at = now
        current.updated_by = actor
        after = audit.snapshot(current, ALLOWANCE_FIELDS)
        if before != after:
            current.save()
            audit.record(
                actor=actor, action="allowance.recorded", obj=current, before=before, after=after
            )
    return current


def _sync_credited_months(actor: User | None, profile: TraineeProfile, reason: str) -> None:
    """Keep the trainee's credited months equal to the sum of the decisions in force (P9)."""
    total = (
        ServiceCredit.objects.filter(trainee=profile, withdrawn_at__isnull=True).aggregate(
            total=Sum("months")
        )["total"]
        or 0
    )
    if total == profile.credited_months:
        return
    before = {"credited_months": profile.credited_months}
    # The field is a small integer: the sum is capped where the column ends.
    total = min(total, 32_767)
    TraineeProfile.objects.filter(pk=profile.pk).update(credited_months=total)
    profile.credited_months = total
    audit.record(
        actor=actor,
        action="trainee.credited_months_changed",
        obj=profile,
        before=before,
        after={"credited_months": total},
        reason=reason,
    )


def credit_prior_service(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    period_start: dt.date | None,
    period_end: dt.date | None,
    months: int,
    comment: str = "",
    now: dt.datetime | None = None,
) -> ServiceCredit:
    """The study director's decision crediting prior service (P9): the period served, the
    months credited (1–120) and a comment. The trainee's credited months become the sum of
    the decisions in force. Audited."""
    now = now or timezone.now()
    permissions.check_may_decide(
        actor, trainee, _("Only the study director or the region's staff credit prior service.")
    )
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    _check_day(errors, "period_start", period_start)
    _check_day(errors, "period_end", period_end)
    if not errors and period_start is not None and period_end is not None:
        if period_end < period_start:
            errors["period_end"] = [_("The end of the period is before its start.")]
    if not 1 <= months <= MAX_CREDITED_MONTHS:
        errors["months"] = [
            _("Credit between 1 and %(limit)s months.") % {"limit": MAX_CREDITED_MONTHS}
        ]
    problem = _text_problem(comment, bounds.NOTE_MAX_LENGTH)
    if problem:
        errors["comment"] = [problem]
    if errors:
        raise ValidationFailed(errors)
    assert period_start is not None and period_end is not None
    with transaction.atomic():
        profile = _lock(trainee.pk)
        permissions.check_may_decide(actor, profile)
        credit = ServiceCredit.objects.create(
            trainee=profile,
            period_start=period_start,
            period_end=period_end,
            months=months,
            comment=comment,
            decided_at=now,
            decided_by=actor,
        )
        audit.record(
            actor=actor,
            action="service_credit.decided",
            obj=credit,
            after=audit.snapshot(credit, CREDIT_FIELDS),
        )
        _sync_credited_months(actor, profile, _("Prior service credited."))
    return credit


def withdraw_service_credit(
    *,
    actor: User | None,
    credit: ServiceCredit,
    reason: str,
    now: dt.datetime | None = None,
) -> ServiceCredit:
    """Withdraw a credit decision with a reason (P9); it is kept, marked withdrawn, and no
    longer counts. Compare-and-swap on "in force" (409 `already_withdrawn`)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    problem = _text_problem(reason, bounds.NOTE_MAX_LENGTH)
    if problem:
        raise ValidationFailed({"reason": [problem]})
    with transaction.atomic():
        profile = _lock(credit.trainee_id)
        permissions.check_may_decide(
            actor, profile, _("Only the study director or the region's staff withdraw a credit.")
        )
        if not reason:
            raise ValidationFailed({"reason": [_("Write why the credit is withdrawn.")]})
        current = ServiceCredit.objects.filter(pk=credit.pk, trainee=profile).first()
        if current is None:
            raise NotFound()
        before = audit.snapshot(current, CREDIT_FIELDS)
        swapped = ServiceCredit.objects.filter(pk=current.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=actor, withdraw_reason=reason
        )
        if swapped != 1:
            raise ServiceError("already_withdrawn", _("The credit is already withdrawn."))
        current.withdrawn_at, current.withdrawn_by, current.withdraw_reason = now, actor, reason
        audit.record(
            actor=actor,
            action="service_credit.withdrawn",
            obj=current,
            before=before,
            after=audit.snapshot(current, CREDIT_FIELDS),
            reason=reason,
        )
        _sync_credited_months(actor, profile, reason)
    return current
