"""Attendance, results and the course register: every write (C17, with C14 for no-shows).

Each service:

1. opens a transaction and locks the course week row, then the week's courses in id order
   (`registrations.services.lock_week`, the same order every seat-changing path takes), then
   the course's register row;
2. checks who is asking: the course's own leader(s) or staff of the week's region (a leader of
   another course, a trainee: 403); reopening is for staff only;
3. asks the pure rules (`attendance.rules`, `registrations.fees`, `registrations.offers`) what
   to do, writes it with an audit event per change, and queues e-mail in the same transaction
   (sent after commit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.attendance import permissions, rules
from stportal.attendance.models import AttendanceRecord, CourseRegister, CourseResult
from stportal.attendance.permissions import may_record
from stportal.certificates import services as certificate_services
from stportal.certificates.models import Certificate
from stportal.core import audit
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses.models import Course, CourseWeek
from stportal.notifications import services as notify
from stportal.registrations.models import Fee, LineStatus, RegistrationLine
from stportal.registrations.offers import check_transition
from stportal.registrations.rules import CoreError
from stportal.registrations.services import lock_week, settle_no_show_fees

__all__ = [
    "AttendanceInput",
    "CloseResult",
    "ResultInput",
    "close_register",
    "may_record",
    "record_attendance",
    "record_results",
    "reopen_register",
]

# The audit reason when closing makes a no-show of someone the leader had given a result.
OVERRULED_REASON = (
    "Frånvarande alla kursdagar och därför utebliven; det resultat som registrerades före "
    "stängningen gäller inte"
)

# (registration_id, date, present, note)
AttendanceInput = tuple[int, dt.date, bool, str]
# (registration_id, result, reason)
ResultInput = tuple[int, str, str]


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- locks, permission and reads under the lock -------------------------------------------


def _lock_course(course_id: int) -> tuple[CourseWeek, Course, CourseRegister]:
    """Lock the week, its courses in id order, then the course's register (made on first use).
    Callers must be inside atomic()."""
    week_id = Course.objects.filter(pk=course_id).values_list("week_id", flat=True).first()
    if week_id is None:
        raise NotFound()
    week, courses = lock_week(week_id)
    course = courses[course_id]
    register, _created = CourseRegister.objects.select_for_update().get_or_create(course=course)
    return week, course, register


def _days(course: Course) -> list[dt.date]:
    return sorted(course.days.values_list("date", flat=True))


def _participant_lines(course: Course) -> list[RegistrationLine]:
    return list(
        RegistrationLine.objects.filter(course=course, status__in=rules.PARTICIPANT_STATES)
        .select_related("registration__trainee__user", "course_result")
        .order_by("id")
    )


def _records_by_line(lines: Iterable[RegistrationLine]) -> dict[int, dict[dt.date, bool]]:
    found: dict[int, dict[dt.date, bool]] = {line.pk: {} for line in lines}
    for line_id, day, present in AttendanceRecord.objects.filter(
        line_id__in=list(found)
    ).values_list("line_id", "date", "present"):
        found[line_id][day] = present
    return found


def _name(line: RegistrationLine) -> str:
    return line.registration.trainee.user.display_name


def _result_of(line: RegistrationLine) -> CourseResult | None:
    try:
        return line.course_result
    except CourseResult.DoesNotExist:
        return None


def _event(
    actor: User | None,
    action: str,
    obj_type: str,
    obj_id: int,
    obj_repr: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str = "",
) -> AuditEvent:
    return audit.event(
        actor=actor,
        action=action,
        object_type=obj_type,
        object_id=obj_id,
        object_repr=obj_repr,
        before=before,
        after=after,
        reason=reason,
    )


def _line_event(
    actor: User | None, line: RegistrationLine, before: str, action: str, reason: str = ""
) -> AuditEvent:
    return _event(
        actor,
        action,
        "registrations.registrationline",
        line.pk,
        f"{line.registration_id}/{line.course_id}",
        {"status": before},
        {"status": line.status, "result_reason": line.result_reason},
        reason,
    )


def _locked_error() -> ServiceError:
    return ServiceError(
        "locked",
        _("The register of this course is closed. The course administration can reopen it."),
    )


# --- attendance -------------------------------------------------------------------------------


def record_attendance(
    *,
    actor: User | None,
    course: Course,
    records: Sequence[AttendanceInput],
    now: dt.datetime | None = None,
) -> list[AttendanceRecord]:
    """Record present / absent per course day, with an optional note (C17).

    1. The course's leader or staff of the region (403 otherwise); refused once the register
       is closed (409 `locked`).
    2. Only participants (confirmed, or already given a result) and only the course's days,
       none of them still ahead (422, every problem named at once).
    3. A record is made or changed in place; one audit event per change; the same value again
       changes nothing.
    """
    now = _now(now)
    with transaction.atomic():
        week, course, register = _lock_course(course.pk)
        permissions.check_may_record(actor, course, week)
        if register.is_closed:
            raise _locked_error()
        days = set(_days(course))
        today = local_date(now)
        lines = {
            line.registration_id: line
            for line in _participant_lines(course)
            if line.status in rules.RECORDABLE_STATES
        }
        problems: dict[str, list[str]] = {}
        seen: set[tuple[int, dt.date]] = set()
        for registration_id, day, _present, _note in records:
            if registration_id not in lines:
                problems.setdefault("registration_id", []).append(
                    _("%(id)s is not a participant of this course.") % {"id": registration_id}
                )
            if day not in days:
                problems.setdefault("date", []).append(
                    _("%(date)s is not a day of this course.") % {"date": day.isoformat()}
                )
            elif day > today:
                problems.setdefault("date", []).append(
                    _("%(date)s has not come yet.") % {"date": day.isoformat()}
                )
            if (registration_id, day) in seen:
                problems.setdefault("records", []).append(
                    _("Registration %(id)s has two records for %(date)s.")
                    % {"id": registration_id, "date": day.isoformat()}
                )
            seen.add((registration_id, day))
        if problems:
            raise ValidationFailed(problems)
        existing = {
            (record.line_id, record.date): record
            for record in AttendanceRecord.objects.select_for_update().filter(
                line_id__in=[line.pk for line in lines.values()]
            )
        }
        events: list[AuditEvent] = []
        saved: list[AttendanceRecord] = []
        for registration_id, day, present, note in records:
            line = lines[registration_id]
            note = (note or "").strip()
            record = existing.get((line.pk, day))
            if record is None:
                record = AttendanceRecord.objects.create(
                    line=line,
                    date=day,
                    present=present,
                    note=note,
                    recorded_at=now,
                    recorded_by=actor,
                )
                before = None
            elif record.present == present and record.note == note:
                saved.append(record)
                continue
            else:
                before = {"present": record.present, "note": record.note}
                record.present = present
                record.note = note
                record.recorded_at = now
                record.recorded_by = actor
                record.save(update_fields=["present", "note", "recorded_at", "recorded_by"])
            events.append(
                _event(
                    actor,
                    "attendance.recorded",
                    "attendance.attendancerecord",
                    record.pk,
                    f"{registration_id}/{course.pk} {day.isoformat()}",
                    before,
                    {"present": present, "note": note, "date": day},
                )
            )
            saved.append(record)
        audit.record_many(events)
    return saved


# --- results ------------------------------------------------------------------------------------


def _result_messages(problem: rules.ResultProblem, name: str) -> tuple[str, str]:
    """(field, message) for a problem the rules found."""
    if problem == rules.ResultProblem.REASON_REQUIRED:
        return "reason", _(
            "%(name)s did not attend every course day: write the reason for passing them."
        ) % {"name": name}
    if problem == rules.ResultProblem.MAKEUP_REQUIRED:
        return "reason", _("Write what %(name)s must make up (komplettering).") % {"name": name}
    if problem == rules.ResultProblem.UNKNOWN_RESULT:
        return "result", _("The result is passed, not_passed or incomplete.")
    return "registration_id", _("%(name)s is not a participant of this course.") % {"name": name}


def record_results(
    *,
    actor: User | None,
    course: Course,
    results: Sequence[ResultInput],
    now: dt.datetime | None = None,
) -> list[RegistrationLine]:
    """Pass, fail or mark participants incomplete (C17).

    1. The course's leader or staff of the region (403 otherwise).
    2. Full attendance passes; passing with less needs a written reason (422 naming `reason`).
       `incomplete` records what must be made up (the reason text); it is passed later, also
       after the register was closed. Anything else on a closed register is 409 `locked`.
    3. The line's status moves through `offers.check_transition`; while the register is open a
       result already recorded may be corrected (the line goes back to confirmed first).
    """
    now = _now(now)
    with transaction.atomic():
        week, course, register = _lock_course(course.pk)
        permissions.check_may_record(actor, course, week)
        register_open = not register.is_closed
        lines = {line.registration_id: line for line in _participant_lines(course)}
        records = _records_by_line(lines.values())
        days = _days(course)
        problems: dict[str, list[str]] = {}
        locked = False
        seen: set[int] = set()
        for registration_id, result, reason in results:
            line = lines.get(registration_id)
            if line is None:
                problems.setdefault("registration_id", []).append(
                    _("%(id)s is not a participant of this course.") % {"id": registration_id}
                )
                continue
            if registration_id in seen:
                problems.setdefault("results", []).append(
                    _("Registration %(id)s is named twice.") % {"id": registration_id}
                )
            seen.add(registration_id)
            problem = rules.check_result(
                result=result,
                current=line.status,
                days=days,
                records=records[line.pk],
                reason=reason or "",
                register_open=register_open,
            )
            if problem == rules.ResultProblem.LOCKED:
                locked = True
            elif problem is not None:
                key, message = _result_messages(problem, _name(line))
                problems.setdefault(key, []).append(message)
        if locked:
            raise _locked_error()
        if problems:
            raise ValidationFailed(problems)
        events: list[AuditEvent] = []
        changed: list[RegistrationLine] = []
        for registration_id, result, reason in results:
            line = lines[registration_id]
            reason = (reason or "").strip()
            before = line.status
            path = rules.result_path(line.status, result, register_open=register_open)
            assert path is not None  # checked above
            try:
                for step in path:
                    check_transition(line.status, step, reopening=step == LineStatus.CONFIRMED)
                    line.status = step
            except CoreError as exc:  # pragma: no cover - the rules said this path is allowed
                raise ServiceError(exc.code, exc.message) from exc
            current = _result_of(line)
            makeup = current.makeup if current is not None else ""
            if result == LineStatus.INCOMPLETE:
                makeup = reason
            if current is not None and (
                current.result == result and current.reason == reason and before == result
            ):
                changed.append(line)
                continue
            line.result_reason = reason or (makeup if result == LineStatus.PASSED else "")
            line.save(update_fields=["status", "result_reason"])
            CourseResult.objects.update_or_create(
                line=line,
                defaults={
                    "result": result,
                    "reason": reason,
                    "makeup": makeup,
                    "automatic": False,
                    "recorded_at": now,
                    "recorded_by": actor,
                },
            )
            events.append(_line_event(actor, line, before, "line.result_recorded", reason))
            changed.append(line)
        audit.record_many(events)
    return changed


# --- closing and reopening ------------------------------------------------------------------


@dataclass
class CloseResult:
    register: CourseRegister
    passed: list[RegistrationLine] = field(default_factory=list)
    no_shows: list[RegistrationLine] = field(default_factory=list)
    fees_charged: list[Fee] = field(default_factory=list)
    fees_waived: list[Fee] = field(default_factory=list)
    certificates_revoked: list[Certificate] = field(default_factory=list)


def close_register(
    *, actor: User | None, course: Course, now: dt.datetime | None = None
) -> CloseResult:
    """Close a course's register (C17).

    1. The course's leader or staff of the region (403); a closed register answers 409
       `locked`.
    2. Every participant needs a record for every course day and every partial attender a
       result, else 409 `register_incomplete` listing, per participant, the days without a
       record and whether a result is needed (`extra["missing"]`).
    3. Full attenders without a result pass; a confirmed participant absent on every day who
       never cancelled is a no-show and the registration is charged the C14 fee (one fee per
       registration: none if it has one), to its home unit, whose manager is told.
       A participant absent on every day is a no-show even if the leader recorded a result
       for them (issue 9): the result is set aside, audited.
    4. Fees follow the corrected record: a no-show fee whose line is no longer a no-show
       after a reopening is waived with a reason (never deleted); see
       `registrations.services.settle_no_show_fees`.
    5. Certificates follow it too (C19): a line holding a valid certificate that is no longer
       passed after a reopening has it revoked, with the reopening's reason.
    """
    now = _now(now)
    with transaction.atomic():
        week, course, register = _lock_course(course.pk)
        permissions.check_may_record(actor, course, week)
        if register.is_closed:
            raise ServiceError("locked", _("The register of this course is already closed."))
        days = _days(course)
        if not days:
            raise ServiceError("no_course_days", _("The course has no course days to record."))
        lines = _participant_lines(course)
        records = _records_by_line(lines)
        by_registration = {line.registration_id: line for line in lines}
        plan = rules.plan_closing(
            days,
            [
                rules.Participant(
                    registration_id=line.registration_id,
                    name=_name(line),
                    status=line.status,
                    records=records[line.pk],
                    result_reason=line.result_reason,
                )
                for line in lines
            ],
        )
        if not plan.can_close:
            raise ServiceError(
                "register_incomplete",
                _(
                    "The register cannot be closed yet: some course days have no record, or "
                    "some participants who missed a day have no result."
                ),
                extra={"missing": [missing.as_dict() for missing in plan.missing]},
            )
        result = CloseResult(register=register)
        events: list[AuditEvent] = []
        for outcome, registration_ids, target in (
            ("passed", plan.passed, LineStatus.PASSED),
            ("no_show", plan.no_shows, LineStatus.NO_SHOW),
        ):
            for registration_id in registration_ids:
                line = by_registration[registration_id]
                before = line.status
                if registration_id in plan.overruled:
                    # C17: absent on every day, a no-show whatever was recorded: the recorded
                    # result is set aside the way a reopening sets it aside.
                    check_transition(line.status, LineStatus.CONFIRMED, reopening=True)
                    line.status = LineStatus.CONFIRMED
                check_transition(line.status, target)
                line.status = target
                line.result_reason = ""
                line.save(update_fields=["status", "result_reason"])
                CourseResult.objects.update_or_create(
                    line=line,
                    defaults={
                        "result": outcome,
                        "reason": "",
                        "automatic": True,
                        "recorded_at": now,
                        "recorded_by": actor,
                    },
                )
                events.append(
                    _line_event(
                        actor,
                        line,
                        before,
                        f"line.{outcome}_at_closing",
                        OVERRULED_REASON if registration_id in plan.overruled else "",
                    )
                )
                (result.passed if target == LineStatus.PASSED else result.no_shows).append(line)
        audit.record_many(events)
        # C14 + C17: the registrations app writes the fees, following the corrected record.
        settled = settle_no_show_fees(actor=actor, week=week, lines=lines, now=now)
        result.fees_charged.extend(settled.charged)
        result.fees_waived.extend(settled.waived)
        # C19: a certificate whose result was corrected away from passed is no longer valid.
        result.certificates_revoked = certificate_services.revoke_certificates_of_corrected_results(
            actor=actor, course=course, reason=register.reopen_reason, now=now
        )
        before_register = audit.snapshot(register, ["closed_at", "closed_by"])
        register.closed_at = now
        register.closed_by = actor
        register.save(update_fields=["closed_at", "closed_by"])
        audit.record(
            actor=actor,
            action="course_register.closed",
            obj=register,
            before=before_register,
            after={
                **audit.snapshot(register, ["closed_at", "closed_by"]),
                "passed": [line.registration_id for line in result.passed],
                "no_show": [line.registration_id for line in result.no_shows],
            },
        )
        for fee in result.fees_charged:
            notify.notify_fee_charged(fee)
    return result


def reopen_register(
    *,
    actor: User | None,
    course: Course,
    reason: str,
    now: dt.datetime | None = None,
) -> CourseRegister:
    """Staff reopen a closed register (C17), with a reason, audited.

    The results closing decided (full attendance passed, no-shows) go back to confirmed with
    the reopening transitions; results the leader recorded stay and may be corrected. Fees
    are settled when the register is closed again, by the corrected record.
    """
    if not reason.strip():
        raise ValidationFailed({"reason": [_("Write why the register is reopened.")]})
    now = _now(now)
    with transaction.atomic():
        week, course, register = _lock_course(course.pk)
        permissions.check_may_reopen(actor, week)
        if not register.is_closed:
            raise ServiceError("not_closed", _("The register of this course is not closed."))
        automatic = list(
            CourseResult.objects.select_for_update(of=("self",))
            .filter(line__course=course, automatic=True)
            .exclude(result="")
            .select_related("line")
        )
        events: list[AuditEvent] = []
        for course_result in automatic:
            line = course_result.line
            before = line.status
            if line.status not in (LineStatus.PASSED, LineStatus.NO_SHOW):
                continue
            check_transition(line.status, LineStatus.CONFIRMED, reopening=True)
            line.status = LineStatus.CONFIRMED
            line.save(update_fields=["status"])
            course_result.result = ""
            course_result.recorded_at = now
            course_result.recorded_by = actor
            course_result.save(update_fields=["result", "recorded_at", "recorded_by"])
            events.append(_line_event(actor, line, before, "line.reopened", reason.strip()))
        audit.record_many(events)
        before_register = audit.snapshot(register)
        register.closed_at = None
        register.closed_by = None
        register.reopened_at = now
        register.reopened_by = actor
        register.reopen_reason = reason.strip()
        register.save(
            update_fields=["closed_at", "closed_by", "reopened_at", "reopened_by", "reopen_reason"]
        )
        audit.record(
            actor=actor,
            action="course_register.reopened",
            obj=register,
            before=before_register,
            after=audit.snapshot(register),
            reason=reason.strip(),
        )
    return register
