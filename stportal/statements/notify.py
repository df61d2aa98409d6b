"""E-mail about supervisor statements (P5): the study director is told when a statement is
ready for review; the supervisor of the review, and the trainee once it is reviewed. Queued in
the outbox inside the action's transaction and sent after commit, so a failed send never
undoes the action."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from stportal.accounts.notify import study_directors_of
from stportal.accounts.permissions import supervises
from stportal.notifications.services import queue_email, site_url
from stportal.statements import workflow
from stportal.statements.models import SupervisorStatement


def _context(statement: SupervisorStatement) -> dict[str, Any]:
    return {
        "trainee_name": statement.trainee.user.display_name,
        "supervisor_name": statement.supervisor.display_name,
        "period_from": statement.period_from,
        "period_to": statement.period_to,
        "reviewed": statement.status == workflow.REVIEWED,
        "comment": statement.review_comment,
        "reviewed_by": statement.reviewed_by.display_name if statement.reviewed_by else "",
        "url": site_url() + reverse("statements:detail", args=[statement.pk]),
    }


def statement_submitted(statement: SupervisorStatement) -> None:
    """To the study director named on the record, or those of the home unit's area; where
    there is none, the region's regional study directors."""
    context = _context(statement)
    for director in study_directors_of(statement.trainee):
        queue_email(
            kind="statement_submitted",
            to_user=director,
            context=context,
            dedupe_key=f"statement_submitted:{statement.pk}:{statement.version}:{director.pk}",
        )


def statement_reviewed(statement: SupervisorStatement) -> None:
    """To the supervisor who wrote it (and the trainee's current supervisor, if another);
    to the trainee as well once it is reviewed."""
    context = _context(statement)
    trainee = statement.trainee
    recipients = [statement.supervisor]
    current = trainee.supervisor if trainee.supervisor_id else None
    if (
        current is not None
        and current.pk != statement.supervisor_id
        and supervises(current, trainee)
    ):
        recipients.append(current)
    if statement.status == workflow.REVIEWED:
        recipients.append(trainee.user)
    for person in recipients:
        queue_email(
            kind="statement_reviewed",
            to_user=person,
            context={**context, "to_trainee": person.pk == trainee.user_id},
            dedupe_key=f"statement_reviewed:{statement.pk}:{statement.version}:{person.pk}",
        )
