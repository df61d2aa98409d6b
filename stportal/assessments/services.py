"""Competence assessments: every write (SPEC 5 P12).

1. `request_assessment`: the trainee starts one (kind, goals of their curriculum, the assessor's
   name and e-mail, optionally the situation); the assessor is sent a link by e-mail.
2. `resend_assessment_link`: the trainee sends the link again: a new token, the old link dies.
3. `withdraw_assessment`: the trainee withdraws a pending request; its link dies.
4. `complete_assessment_by_link` (anyone holding the link) and `complete_assessment` (the named
   assessor logged in): the assessor's judgement of independence, feedback, goals and date.

Each locks the trainee's profile first (the record's parent row), changes the state by
compare-and-swap (STYLE rule 4: two submissions of one link cannot both win), audits in the
same transaction (never the token: only its digest is stored, and the audit leaves even that
out), and queues e-mail that goes after commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.assessments import notify, permissions, rules, selectors
from stportal.assessments.models import (
    CONTEXT_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    MAX_GOALS,
    NAME_MAX_LENGTH,
    Assessment,
)
from stportal.core import audit, bounds
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ServiceError, ValidationFailed

# The token's digest is left out of the audit: the history needs to know that a link was
# sent, not anything about it.
SNAPSHOT_FIELDS = (
    "trainee_id",
    "kind",
    "status",
    "goal_codes",
    "context",
    "assessor_name",
    "assessor_email",
    "link_sent_at",
    "link_expires_at",
    "times_sent",
    "completed_at",
    "completed_by_id",
    "assessed_on",
    "independence",
    "feedback",
    "assessed_goal_codes",
    "withdrawn_at",
)


def _snapshot(assessment: Assessment) -> dict[str, Any]:
    return audit.snapshot(assessment, SNAPSHOT_FIELDS)


def link_days() -> int:
    return int(getattr(settings, "ASSESSMENT_LINK_DAYS", 30))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _text_problem(value: str, limit: int) -> str | None:
    if bounds.NUL in value:
        return bounds.nul_message()
    if len(value) > limit:
        return _("Write at most %(limit)s characters.") % {"limit": limit}
    return None


def _goals(
    profile: TraineeProfile, named: Iterable[str], errors: dict[str, list[str]]
) -> list[str]:
    """The named goals, each a goal of the trainee's curriculum, in the curriculum's order."""
    cleaned: list[str] = []
    for code in named:
        code = str(code).strip()
        if code and code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        errors["goals"] = [_("Choose at least one goal.")]
        return []
    if len(cleaned) > MAX_GOALS:
        errors["goals"] = [_("Choose at most %(limit)s goals.") % {"limit": MAX_GOALS}]
        return []
    known = list(selectors.goals_of(profile).values_list("code", flat=True))
    unknown = [code for code in cleaned if code not in known]
    if unknown:
        errors["goals"] = [
            _("Not goals of the trainee's curriculum: %(codes)s.")
            % {"codes": ", ".join(code[:20] for code in unknown[:5])}
        ]
        return []
    return [code for code in known if code in cleaned]


def request_assessment(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    kind: str,
    assessor_name: str,
    assessor_email: str,
    goal_codes: Iterable[str],
    context: str = "",
    now: dt.datetime | None = None,
) -> Assessment:
    """The trainee starts an assessment and names the assessor (P12).

    1. Only the trainee for themself (403 to others who read the record, 404 to the rest).
    2. A known kind, goals of the trainee's curriculum, the assessor's name and a valid e-mail
       address (not the trainee's own); 422 naming the field otherwise.
    3. A new link (only its digest kept) that works for `STPORTAL_ASSESSMENT_LINK_DAYS`
       days; audited; the assessor is sent it by e-mail after commit.
    The link's token is on the returned object as `fresh_token`, for the e-mail only.
    """
    now = now or timezone.now()
    permissions.check_may_request(actor, trainee)
    assessor_name = (assessor_name or "").strip()
    assessor_email = (assessor_email or "").strip()
    context = (context or "").strip()
    with transaction.atomic():
        profile = (
            TraineeProfile.objects.select_for_update()
            .select_related("user", "home_unit", "specialty", "curriculum_version")
            .get(pk=trainee.pk)
        )
        permissions.check_may_request(actor, profile)
        errors: dict[str, list[str]] = {}
        if kind not in rules.KINDS:
            errors["kind"] = [_("Choose Mini-CEX, CBD, DOPS or 360°.")]
        problem = _text_problem(assessor_name, NAME_MAX_LENGTH)
        if problem:
            errors["assessor_name"] = [problem]
        elif not assessor_name:
            errors["assessor_name"] = [_("Give the assessor's name.")]
        problem = _text_problem(assessor_email, EMAIL_MAX_LENGTH)
        if problem:
            errors["assessor_email"] = [problem]
        else:
            try:
                validate_email(assessor_email)
            except ValidationError:
                errors["assessor_email"] = [_("Give the assessor's e-mail address.")]
            else:
                if assessor_email.lower() == (profile.user.email or "").lower():
                    errors["assessor_email"] = [_("You cannot assess yourself.")]
        problem = _text_problem(context, CONTEXT_MAX_LENGTH)
        if problem:
            errors["context"] = [problem]
        codes = _goals(profile, goal_codes, errors)
        if errors:
            raise ValidationFailed(errors)
        token = new_token()
        assessment = Assessment.objects.create(
            trainee=profile,
            kind=kind,
            status=rules.REQUESTED,
            goal_codes=codes,
            context=context,
            assessor_name=assessor_name,
            assessor_email=assessor_email,
            token_digest=selectors.digest_of(token),
            link_sent_at=now,
            link_expires_at=rules.link_expires(now, link_days()),
            times_sent=1,
            created_at=now,
            created_by=actor,
        )
        audit.record(
            actor=actor, action="assessment.requested", obj=assessment, after=_snapshot(assessment)
        )
        notify.assessment_requested(assessment, token)
    assessment.fresh_token = token
    return assessment


def _lock(assessment: Assessment) -> Assessment:
    TraineeProfile.objects.select_for_update().filter(pk=assessment.trainee_id).first()
    current = (
        Assessment.objects.select_related("trainee__user", "trainee__home_unit")
        .filter(pk=assessment.pk)
        .first()
    )
    if current is None:
        raise NotFound()
    return current


def _not_pending() -> ServiceError:
    return ServiceError("not_pending", _("The assessment is no longer waiting for its assessor."))


def resend_assessment_link(
    *, actor: User | None, assessment: Assessment, now: dt.datetime | None = None
) -> Assessment:
    """The trainee sends the link again (P12): a new token and a new expiry; the old link no
    longer opens the form. Only while the assessment waits for its assessor (409 otherwise)."""
    now = now or timezone.now()
    permissions.check_may_manage(actor, assessment)
    token = new_token()
    with transaction.atomic():
        current = _lock(assessment)
        permissions.check_may_manage(actor, current)
        before = _snapshot(current)
        changes = {
            "token_digest": selectors.digest_of(token),
            "link_sent_at": now,
            "link_expires_at": rules.link_expires(now, link_days()),
            "times_sent": current.times_sent + 1,
        }
        swapped = Assessment.objects.filter(
            pk=current.pk, status=rules.REQUESTED, token_digest=current.token_digest
        ).update(**changes)
        if swapped != 1:
            raise _not_pending()
        for name, value in changes.items():
            setattr(current, name, value)
        audit.record(
            actor=actor,
            action="assessment.link_resent",
            obj=current,
            before=before,
            after=_snapshot(current),
        )
        notify.assessment_requested(current, token)
    current.fresh_token = token
    return current


def withdraw_assessment(
    *, actor: User | None, assessment: Assessment, now: dt.datetime | None = None
) -> Assessment:
    """The trainee withdraws a pending request (P12); its link then answers that it was
    withdrawn. 409 `not_pending` for one already completed or withdrawn."""
    now = now or timezone.now()
    permissions.check_may_manage(actor, assessment)
    with transaction.atomic():
        current = _lock(assessment)
        permissions.check_may_manage(actor, current)
        before = _snapshot(current)
        swapped = Assessment.objects.filter(pk=current.pk, status=rules.REQUESTED).update(
            status=rules.WITHDRAWN, withdrawn_at=now
        )
        if swapped != 1:
            raise _not_pending()
        current.status, current.withdrawn_at = rules.WITHDRAWN, now
        audit.record(
            actor=actor,
            action="assessment.withdrawn",
            obj=current,
            before=before,
            after=_snapshot(current),
        )
    return current


def _check_judgement(
    profile: TraineeProfile,
    *,
    independence: str,
    feedback: str,
    goal_codes: Iterable[str],
    assessed_on: dt.date | None,
    today: dt.date,
) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if independence not in rules.INDEPENDENCE:
        errors["independence"] = [_("Choose the degree of independence.")]
    feedback = (feedback or "").strip()
    problem = _text_problem(feedback, FEEDBACK_MAX_LENGTH)
    if problem:
        errors["feedback"] = [problem]
    elif not feedback:
        errors["feedback"] = [_("Write your feedback to the trainee.")]
    if assessed_on is None:
        errors["assessed_on"] = [_("Enter a date.")]
    elif not bounds.MIN_DATE <= assessed_on <= bounds.MAX_DATE:
        errors["assessed_on"] = [bounds.date_message()]
    elif assessed_on > today:
        errors["assessed_on"] = [_("The date of the assessment has not come yet.")]
    codes = _goals(profile, goal_codes, errors)
    if errors:
        raise ValidationFailed(errors)
    return feedback, codes


def _refusal(state: str) -> ServiceError:
    """Why a link no longer opens the form: 410 Gone, the page says which."""
    messages = {
        rules.USED: _("This assessment has already been completed. The link works only once."),
        rules.EXPIRED: _(
            "The link has expired. Ask the trainee to send the assessment to you again."
        ),
        rules.WITHDRAWN: _("The trainee has withdrawn this assessment."),
    }
    return ServiceError(f"link_{state}", messages[state], status=410)


def _complete(
    *,
    actor: User | None,
    current: Assessment,
    expected_digest: str | None,
    independence: str,
    feedback: str,
    goal_codes: Iterable[str],
    assessed_on: dt.date | None,
    now: dt.datetime,
) -> Assessment:
    state = rules.link_state(current.status, current.link_expires_at, now)
    if state != rules.OPEN:
        raise _refusal(state)
    feedback, codes = _check_judgement(
        current.trainee,
        independence=independence,
        feedback=feedback,
        goal_codes=goal_codes,
        assessed_on=assessed_on,
        today=local_date(now),
    )
    outside = [code for code in codes if code not in current.goal_codes]
    if outside:
        raise ValidationFailed(
            {
                "goals": [
                    _("Confirm only goals the trainee named: %(codes)s.")
                    % {"codes": ", ".join(current.goal_codes)}
                ]
            }
        )
    before = _snapshot(current)
    changes: dict[str, Any] = {
        "status": rules.COMPLETED,
        "completed_at": now,
        "completed_by": actor,
        "assessed_on": assessed_on,
        "independence": independence,
        "feedback": feedback,
        "assessed_goal_codes": codes,
    }
    # Compare-and-swap on the pending state, the very link and its time: of two submissions
    # only one finds the row still pending.
    swapped = Assessment.objects.filter(
        pk=current.pk,
        status=rules.REQUESTED,
        token_digest=expected_digest,
        link_expires_at__gt=now,
    ).update(**changes)
    if swapped != 1:
        raise _refusal(rules.USED)
    for name, value in changes.items():
        setattr(current, name, value)
    audit.record(
        actor=actor,
        action="assessment.completed",
        obj=current,
        before=before,
        after=_snapshot(current),
    )
    notify.assessment_completed(current)
    return current


def complete_assessment_by_link(
    *,
    token: str,
    independence: str,
    feedback: str,
    goal_codes: Iterable[str],
    assessed_on: dt.date | None,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Assessment:
    """The assessor completes the assessment through the link they were sent (P12).

    1. A token nobody holds answers 404; a used, expired or withdrawn link 410.
    2. The degree of independence on the fixed scale, feedback, the goals (of the trainee's
       curriculum; the assessor confirms those assessed) and the date (not in the future).
    3. Compare-and-swap: two submissions of one link cannot both win; the trainee is told.
    """
    now = now or timezone.now()
    found = selectors.by_token(token)
    if found is None:
        raise NotFound()
    with transaction.atomic():
        current = _lock(found)
        if current.token_digest != found.token_digest:
            raise NotFound()
        return _complete(
            actor=actor if actor is not None and actor.is_authenticated else None,
            current=current,
            expected_digest=found.token_digest,
            independence=independence,
            feedback=feedback,
            goal_codes=goal_codes,
            assessed_on=assessed_on,
            now=now,
        )


def complete_assessment(
    *,
    actor: User | None,
    assessment: Assessment,
    independence: str,
    feedback: str,
    goal_codes: Iterable[str],
    assessed_on: dt.date | None,
    now: dt.datetime | None = None,
) -> Assessment:
    """The named assessor completes the assessment in the product, logged in with an account
    whose verified e-mail is the one the trainee named (P12); otherwise as the link."""
    now = now or timezone.now()
    permissions.check_may_complete(actor, assessment)
    with transaction.atomic():
        current = _lock(assessment)
        permissions.check_may_complete(actor, current)
        return _complete(
            actor=actor,
            current=current,
            expected_digest=current.token_digest,
            independence=independence,
            feedback=feedback,
            goal_codes=goal_codes,
            assessed_on=assessed_on,
            now=now,
        )
