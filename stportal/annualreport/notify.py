"""E-mail about annual reports (SPEC 5 P13): the study director is told when a report is
ready for review, and the trainee that it is; the supervisor and the trainee are told of the
review. Queued in the outbox inside the action's transaction and sent after commit, so a
failed send never undoes the action."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from stportal.accounts.models import User
from stportal.accounts.notify import study_directors_of
from stportal.accounts.permissions import supervises
from stportal.annualreport.models import AnnualReport
from stportal.notifications.services import queue_email, site_url
from stportal.statements import workflow


def _context(report: AnnualReport) -> dict[str, Any]:
    return {
        "trainee_name": report.trainee.user.display_name,
        "year": report.year,
        "submitted_by": report.submitted_by.display_name if report.submitted_by else "",
        "reviewed": report.status == workflow.REVIEWED,
        "comment": report.review_comment,
        "reviewed_by": report.reviewed_by.display_name if report.reviewed_by else "",
        "url": site_url() + reverse("annualreport:detail", args=[report.pk]),
    }


def report_submitted(report: AnnualReport) -> None:
    """To the study director named on the record, or those of the home unit's area (where
    there is none, the region's regional study directors); and to the trainee."""
    context = _context(report)
    recipients = [(d, False) for d in study_directors_of(report.trainee)]
    recipients.append((report.trainee.user, True))
    for person, to_trainee in recipients:
        queue_email(
            kind="annual_report_submitted",
            to_user=person,
            context={**context, "to_trainee": to_trainee},
            dedupe_key=f"annual_report_submitted:{report.pk}:{report.version}:{person.pk}",
        )


def report_reviewed(report: AnnualReport) -> None:
    """To the trainee and their current supervisor (and whoever submitted, if another)."""
    context = _context(report)
    trainee = report.trainee
    recipients: list[User] = [trainee.user]
    current = trainee.supervisor if trainee.supervisor_id else None
    if current is not None and supervises(current, trainee):
        recipients.append(current)
    submitter = report.submitted_by
    if submitter is not None and all(submitter.pk != p.pk for p in recipients):
        recipients.append(submitter)
    for person in recipients:
        queue_email(
            kind="annual_report_reviewed",
            to_user=person,
            context={**context, "to_trainee": person.pk == trainee.user_id},
            dedupe_key=f"annual_report_reviewed:{report.pk}:{report.version}:{person.pk}",
        )
