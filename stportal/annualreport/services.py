"""Writes on annual reports (SPEC 5 P13): assemble, write a part, refresh the sections,
submit, review.

The states are the supervisor statement's, asked of `statements.workflow` (not copied); the
annual report's own rules (the year, who writes which part, when it may be submitted) are in
`annualreport.rules`. Every write runs in one transaction: it locks the report row (the
trainee's row first when a report is assembled), asks the rules, changes the state by
compare-and-swap on the old state and version (STYLE rule 4), keeps a version, records the
audit event, and queues the e-mail that goes after commit. Who may: `annualreport.permissions`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.annualreport import notify, permissions, rules
from stportal.annualreport.models import (
    TEXT_MAX_LENGTH,
    AnnualReport,
    AnnualReportVersion,
    ReportEvent,
)
from stportal.core import audit, bounds
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from stportal.core.yearly import year_sections
from stportal.statements import workflow

REPORT_FIELDS = (
    "trainee_id",
    "year",
    "period_start",
    "period_end",
    "sections_at",
    "trainee_text",
    "supervisor_text",
    "supervisor_id",
    "status",
    "version",
    "submitted_at",
    "submitted_by_id",
    "reviewed_by_id",
    "reviewed_at",
    "review_comment",
)

TEXT_FIELD = {rules.TRAINEE: "trainee_text", rules.SUPERVISOR: "supervisor_text"}


def _snapshot(report: AnnualReport) -> dict[str, Any]:
    return audit.snapshot(report, REPORT_FIELDS)


def refusal(code: str) -> ServiceError:
    """A workflow refusal as the error every interface shows."""
    if code == workflow.LOCKED:
        return ServiceError(
            "locked",
            _(
                "The annual report is locked: it has been marked ready for review. It can be "
                "edited again only if the study director sends it back."
            ),
        )
    if code == workflow.COMMENT_REQUIRED:
        return ValidationFailed(
            {"comment": [_("Say why the annual report is sent back to draft.")]}
        )
    if code == workflow.NOT_ALLOWED:
        return PermissionDenied(_("You may not do that with this annual report."))
    return ServiceError(
        "invalid_transition", _("The annual report is not in a state where that can be done.")
    )


def check_text(text: str) -> str:
    """A part's text, stripped, or a validation failure naming `text` (empty is allowed:
    a part not yet written)."""
    text = text.strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationFailed(
            {
                "text": [
                    _("The text may be at most %(max)d characters long.") % {"max": TEXT_MAX_LENGTH}
                ]
            }
        )
    if bounds.NUL in text:
        raise ValidationFailed({"text": [bounds.nul_message()]})
    return text


def _check_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > bounds.NOTE_MAX_LENGTH:
        raise ValidationFailed(
            {
                "comment": [
                    _("The comment may be at most %(max)d characters long.")
                    % {"max": bounds.NOTE_MAX_LENGTH}
                ]
            }
        )
    if bounds.NUL in comment:
        raise ValidationFailed({"comment": [bounds.nul_message()]})
    return comment


def assemble_sections(trainee_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The year's sections as every app says them now, as JSON to freeze in the report."""
    return [dataclasses.asdict(s) for s in year_sections(trainee_id, start, end)]


def _keep_version(
    report: AnnualReport, *, event: str, actor: User | None, now: dt.datetime, comment: str = ""
) -> AnnualReportVersion:
    return AnnualReportVersion.objects.create(
        report=report,
        number=report.version,
        event=event,
        status=report.status,
        sections=report.sections,
        trainee_text=report.trainee_text,
        supervisor_text=report.supervisor_text,
        written_by=actor,
        written_at=now,
        comment=comment,
    )


def _lock(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related(
            "trainee__user",
            "trainee__home_unit",
            "trainee__supervisor",
            "supervisor",
            "submitted_by",
            "reviewed_by",
        )
        .get(pk=report.pk)
    )


def _swap(report: AnnualReport, *, expected_status: str, **changes: Any) -> AnnualReport:
    """Compare-and-swap on the report's state and version (STYLE rule 4): a report someone
    else changed meanwhile is a conflict the person is told about."""
    changes["version"] = report.version + 1
    updated = AnnualReport.objects.filter(
        pk=report.pk, status=expected_status, version=report.version
    ).update(**changes)
    if updated != 1:
        raise ServiceError(
            "conflict", _("The annual report was changed by someone else. Reload and try again.")
        )
    for name, value in changes.items():
        setattr(report, name, value)
    return report


def _next(report: AnnualReport, action: str, actor: User | None, comment: str = "") -> str:
    """The state after `action`, asked of the statement's workflow with the role `actor`
    holds for this report's trainee."""
    role = workflow.TRANSITIONS[action].by
    if role not in permissions.roles_of(actor, report.trainee):
        raise PermissionDenied(_("You may not do that with this annual report."))
    try:
        return workflow.next_status(report.status, action, role, comment)
    except workflow.WorkflowRefusal as exc:
        raise refusal(exc.code) from exc


def create_report(
    *, actor: User | None, trainee: TraineeProfile, year: int, now: dt.datetime | None = None
) -> AnnualReport:
    """The trainee assembles their annual report for a calendar year (P13).

    1. Only the trainee (404 for a trainee out of reach, 403 for a reader).
    2. A year between 2000 and 2100 (422), one report per trainee and year (409
       `report_exists`, with `existing_report_id`).
    3. The sections are asked of every app and frozen; version 1 is kept and audited.
    """
    now = now or timezone.now()
    permissions.check_may_create(actor, trainee)
    if actor is None:
        raise PermissionDenied()
    try:
        start, end = rules.period_of(year)
    except ValueError as exc:
        raise ValidationFailed(
            {
                "year": [
                    _("The year must be between %(first)d and %(last)d.")
                    % {"first": rules.FIRST_YEAR, "last": rules.LAST_YEAR}
                ]
            }
        ) from exc
    with transaction.atomic():
        # The trainee is the parent row: two reports for one year queue behind this lock.
        profile = TraineeProfile.objects.select_for_update().get(pk=trainee.pk)
        existing = AnnualReport.objects.filter(trainee=profile, year=year).first()
        if existing is not None:
            raise ServiceError(
                "report_exists",
                _("There is already an annual report for %(year)d.") % {"year": year},
                extra={"existing_report_id": existing.pk},
            )
        report = AnnualReport.objects.create(
            trainee=profile,
            year=year,
            period_start=start,
            period_end=end,
            sections=assemble_sections(profile.pk, start, end),
            sections_at=now,
            status=workflow.DRAFT,
            version=1,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        _keep_version(report, event=ReportEvent.CREATED, actor=actor, now=now)
        audit.record(
            actor=actor, action="annual_report.created", obj=report, after=_snapshot(report)
        )
    report.trainee = trainee
    return report


def write_part(
    *, actor: User | None, report: AnnualReport, text: str, now: dt.datetime | None = None
) -> AnnualReport:
    """Save the caller's own part of a draft (P13): the trainee's reflection or the
    supervisor's assessment; 409 `locked` once it is ready for review. A save that changes
    nothing keeps no version."""
    now = now or timezone.now()
    part = permissions.check_may_write(actor, report)
    text = check_text(text)
    field = TEXT_FIELD[part]
    with transaction.atomic():
        current = _lock(report)
        _next(current, workflow.EDIT, actor)
        part = permissions.check_may_write(actor, current)
        if getattr(current, field) == text:
            return current
        before = _snapshot(current)
        changes: dict[str, Any] = {field: text, "updated_at": now}
        if part == rules.SUPERVISOR:
            changes["supervisor"] = actor
        _swap(current, expected_status=workflow.DRAFT, **changes)
        _keep_version(current, event=ReportEvent.EDITED, actor=actor, now=now)
        audit.record(
            actor=actor,
            action="annual_report.edited",
            obj=current,
            before=before,
            after=_snapshot(current),
        )
    return current


def refresh_sections(
    *, actor: User | None, report: AnnualReport, now: dt.datetime | None = None
) -> AnnualReport:
    """Assemble the year's sections again while the report is a draft (P13): the trainee or
    the supervisor; 409 `locked` afterwards. Sections that say the same keep no version."""
    now = now or timezone.now()
    permissions.check_may_write(actor, report)
    with transaction.atomic():
        current = _lock(report)
        _next(current, workflow.EDIT, actor)
        sections = assemble_sections(current.trainee_id, current.period_start, current.period_end)
        if sections == current.sections:
            return current
        before = _snapshot(current)
        _swap(
            current,
            expected_status=workflow.DRAFT,
            sections=sections,
            sections_at=now,
            updated_at=now,
        )
        _keep_version(current, event=ReportEvent.REFRESHED, actor=actor, now=now)
        audit.record(
            actor=actor,
            action="annual_report.refreshed",
            obj=current,
            before=before,
            after=_snapshot(current),
        )
    return current


def update_report(
    *,
    actor: User | None,
    report: AnnualReport,
    text: str | None = None,
    refresh: bool = False,
    now: dt.datetime | None = None,
) -> AnnualReport:
    """What PATCH does (P13): assemble the sections again and/or save the caller's own part;
    asking for neither is a validation failure naming `text`."""
    permissions.check_may_write(actor, report)
    if text is None and not refresh:
        raise ValidationFailed(
            {
                "text": [
                    _("Give the text of your part, or ask for the sections to be assembled again.")
                ]
            }
        )
    if refresh:
        report = refresh_sections(actor=actor, report=report, now=now)
    if text is not None:
        report = write_part(actor=actor, report=report, text=text, now=now)
    return report


def submit_report(
    *, actor: User | None, report: AnnualReport, now: dt.datetime | None = None
) -> AnnualReport:
    """The supervisor marks a draft ready for review (P13) once both parts are written
    (422 naming the missing ones): it is locked, and the study director(s) and the trainee
    are told by e-mail after commit."""
    now = now or timezone.now()
    permissions.check_may_submit(actor, report)
    with transaction.atomic():
        current = _lock(report)
        status = _next(current, workflow.SUBMIT, actor)
        missing = rules.missing_parts(current.trainee_text, current.supervisor_text)
        if missing:
            words = {
                rules.TRAINEE: _("The trainee has not yet written their reflection."),
                rules.SUPERVISOR: _("The supervisor has not yet written the assessment."),
            }
            raise ValidationFailed({TEXT_FIELD[part]: [words[part]] for part in missing})
        before = _snapshot(current)
        _swap(
            current,
            expected_status=workflow.DRAFT,
            status=status,
            submitted_at=now,
            submitted_by=actor,
            updated_at=now,
        )
        _keep_version(current, event=ReportEvent.SUBMITTED, actor=actor, now=now)
        audit.record(
            actor=actor,
            action="annual_report.submitted",
            obj=current,
            before=before,
            after=_snapshot(current),
        )
        notify.report_submitted(current)
    return current


def review_report(
    *,
    actor: User | None,
    report: AnnualReport,
    accepted: bool,
    comment: str = "",
    now: dt.datetime | None = None,
) -> AnnualReport:
    """The study director marks a report reviewed, or sends it back to draft with a comment
    (P13). The trainee and supervisor are told either way.

    1. 404 for a report out of reach; 403 for a reader who is not the study director.
    2. Only a report ready for review (409 `invalid_transition` otherwise); a send-back needs
       a comment (422 naming `comment`).
    """
    now = now or timezone.now()
    permissions.check_may_review(actor, report)
    comment = _check_comment(comment)
    action = workflow.ACCEPT if accepted else workflow.SEND_BACK
    with transaction.atomic():
        current = _lock(report)
        status = _next(current, action, actor, comment)
        before = _snapshot(current)
        _swap(
            current,
            expected_status=workflow.READY_FOR_REVIEW,
            status=status,
            reviewed_by=actor,
            reviewed_at=now,
            review_comment=comment,
            updated_at=now,
        )
        _keep_version(
            current,
            event=ReportEvent.REVIEWED if accepted else ReportEvent.SENT_BACK,
            actor=actor,
            now=now,
            comment=comment,
        )
        audit.record(
            actor=actor,
            action="annual_report.reviewed" if accepted else "annual_report.sent_back",
            obj=current,
            before=before,
            after=_snapshot(current),
            reason=comment,
        )
        notify.report_reviewed(current)
    return current
