"""No-show fees when a course's register is closed (C14, C17): fees follow the corrected record.

The attendance app's closing service calls `settle_no_show_fees` inside its own transaction,
after it has written the lines' closing results and holding the week's locks; this module asks
the pure rule (`fees.settle_no_shows`) what to do and writes it, an audit event per change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from stportal.accounts.models import User
from stportal.core import audit
from stportal.courses.models import CourseWeek
from stportal.registrations import fees
from stportal.registrations.models import Fee, FeeStatus, LineStatus, RegistrationLine

__all__ = ["NoShowFees", "settle_no_show_fees"]


@dataclass
class NoShowFees:
    """The fees closing charged (new or again) and waived after a correction."""

    charged: list[Fee] = field(default_factory=list)
    waived: list[Fee] = field(default_factory=list)


def _existing(fee: Fee | None) -> fees.ExistingFee | None:
    if fee is None:
        return None
    return fees.ExistingFee(
        status=cast(Literal["charged", "waived"], fee.status),
        cause=cast(Literal["late_cancellation", "no_show"], fee.cause),
        waived_by_correction=fee.waived_by_correction,
    )


def settle_no_show_fees(
    *,
    actor: User | None,
    week: CourseWeek,
    lines: Sequence[RegistrationLine],
    now: dt.datetime,
) -> NoShowFees:
    """Charge, charge again or waive the no-show fees of one closed course (C14, C17).

    `lines` are the course's participant lines, one per registration, with their closing
    status already saved. The caller holds the week's locks in an open transaction; the fee
    rows are locked here. See `fees.settle_no_shows` for the rule.
    """
    registration_ids = sorted({line.registration_id for line in lines})
    # Lock the fee rows only, not the joined registration, trainee, user and unit rows.
    existing = {
        fee.registration_id: fee
        for fee in Fee.objects.select_for_update(of=("self",))
        .select_related("registration__trainee__user", "home_unit", "registration__course_week")
        .filter(registration_id__in=registration_ids)
    }
    no_show_elsewhere = set(
        RegistrationLine.objects.filter(
            registration_id__in=registration_ids, status=LineStatus.NO_SHOW
        )
        .exclude(pk__in=[line.pk for line in lines])
        .values_list("registration_id", flat=True)
    )
    by_registration = {line.registration_id: line for line in lines}
    decisions = fees.settle_no_shows(
        [
            fees.NoShowAtClosing(
                registration_id=line.registration_id,
                no_show_here=line.status == LineStatus.NO_SHOW,
                no_show_elsewhere=line.registration_id in no_show_elsewhere,
                fee=_existing(existing.get(line.registration_id)),
                fee_on_this_line=(
                    line.registration_id in existing
                    and line.fee_id == existing[line.registration_id].pk
                ),
            )
            for line in sorted(lines, key=lambda line: line.registration_id)
        ],
        fee_amount=week.late_cancellation_fee,
    )
    result = NoShowFees()
    for settlement in decisions:
        line = by_registration[settlement.registration_id]
        decision = settlement.fee
        if settlement.action == fees.SettlementAction.LEAVE or decision is None:
            continue
        if settlement.action == fees.SettlementAction.CHARGE:
            fee = Fee.objects.create(
                registration=line.registration,
                home_unit_id=line.registration.home_unit_id,
                amount=decision.amount or 0,
                status=decision.status,
                cause=decision.cause,
                reason=decision.reason_text,
                charged_at=now,
                decided_by=None,
            )
            audit.record(
                actor=actor,
                action=f"fee.{fee.status}",
                obj=fee,
                after=audit.snapshot(fee),
                reason=decision.reason_text,
            )
        else:
            fee = existing[settlement.registration_id]
            before = audit.snapshot(fee)
            corrected = settlement.action == fees.SettlementAction.WAIVE_CORRECTED
            fee.status = FeeStatus.WAIVED if corrected else FeeStatus.CHARGED
            fee.reason = decision.reason_text
            fee.waived_by_correction = corrected
            # A correction's waiver is the closer's decision; a charge is the rule's.
            fee.decided_by = actor if corrected else None
            fee.save(update_fields=["status", "reason", "waived_by_correction", "decided_by"])
            audit.record(
                actor=actor,
                action=f"fee.{fee.status}",
                obj=fee,
                before=before,
                after=audit.snapshot(fee),
                reason=decision.reason_text,
            )
        if fee.status == FeeStatus.CHARGED:
            line.fee = fee
            line.save(update_fields=["fee"])
            result.charged.append(fee)
        else:
            result.waived.append(fee)
    return result
