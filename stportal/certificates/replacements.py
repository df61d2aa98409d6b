"""Requests for a new original of a lost course certificate: every write (C19, C22; seed 000:
"begäran om nytt intyg som tappats bort").

1. `request_replacement`: the trainee asks for a new original of their valid certificate,
   saying what happened; one open request per certificate.
2. `reissue_on_request`: staff (or the certifier) grant it: the existing reissue service makes
   a new original of the same certificate (the lost one is revoked) in the same transaction.
3. `decline_replacement_request`: staff decline it with a comment.

Each is audited in its transaction; the trainee is told the outcome by e-mail after commit.
Handling is compare-and-swap on the request's outcome (STYLE rule 4), so two people handling
the same request at once cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.certificates import permissions, services
from stportal.certificates.models import Certificate, ReplacementOutcome, ReplacementRequest
from stportal.core import audit, bounds
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ServiceError, ValidationFailed
from stportal.notifications.services import queue_email

__all__ = [
    "KIND_DECLINED",
    "KIND_REISSUED",
    "decline_replacement_request",
    "reissue_on_request",
    "request_replacement",
]

KIND_REISSUED = "certificate_replacement_reissued"
KIND_DECLINED = "certificate_replacement_declined"
FIELDS = ["outcome", "handled_at", "handled_by", "comment", "new_certificate"]


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _text(value: str, field: str, required: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed({field: [required]})
    if len(text) > bounds.NOTE_MAX_LENGTH:
        raise ValidationFailed(
            {field: [_("Write at most %(limit)d characters.") % {"limit": bounds.NOTE_MAX_LENGTH}]}
        )
    if bounds.NUL in text:
        raise ValidationFailed({field: [bounds.nul_message()]})
    return text


def _certificate(certificate_id: int) -> Certificate:
    found = (
        Certificate.objects.select_related("line__registration__trainee", "line__course__week")
        .filter(pk=certificate_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def request_replacement(
    *,
    actor: User | None,
    certificate: Certificate,
    reason: str,
    now: dt.datetime | None = None,
) -> ReplacementRequest:
    """The trainee asks for a new original of a lost certificate (C19).

    1. Only the trainee the certificate is about (404 for anyone else, as for an unknown
       certificate), and only for a valid certificate (409 `already_revoked`).
    2. `reason` says what happened to the original (422 without it).
    3. One open request per certificate (409 `request_exists`); a unique constraint backs it.
    """
    text = _text(reason, "reason", _("Write what happened to the original."))
    now = _now(now)
    with transaction.atomic():
        certificate = _certificate(certificate.pk)
        permissions.check_may_request_replacement(actor, certificate)
        if certificate.replacement_requests.filter(outcome=ReplacementOutcome.OPEN).exists():
            raise _request_exists()
        try:
            with transaction.atomic():
                request = ReplacementRequest.objects.create(
                    trainee=certificate.line.registration.trainee,
                    certificate=certificate,
                    reason=text,
                    created_at=now,
                    created_by=actor,
                )
        except IntegrityError as exc:  # asked twice at the same moment
            raise _request_exists() from exc
        audit.record(
            actor=actor,
            action="certificate_replacement.requested",
            obj=request,
            after=_snapshot(request),
            reason=text,
        )
    return request


def _request_exists() -> ServiceError:
    return ServiceError(
        "request_exists",
        _("You have already asked for a new original of this certificate."),
    )


def _lock(request: ReplacementRequest) -> ReplacementRequest:
    found = (
        ReplacementRequest.objects.select_for_update(of=("self",))
        .select_related("certificate__line__course__week__series", "trainee__user")
        .filter(pk=request.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _check_open(request: ReplacementRequest) -> None:
    if not request.is_open:
        raise ServiceError(
            "already_handled", _("The request has already been handled. Reload the page.")
        )


def _snapshot(request: ReplacementRequest) -> dict[str, Any]:
    return {
        "certificate": request.certificate_id,
        "trainee": request.trainee_id,
        **audit.snapshot(request, FIELDS),
    }


def _swap(request: ReplacementRequest, **changes: Any) -> None:
    """Compare-and-swap on the outcome: only an open request is handled."""
    updated = ReplacementRequest.objects.filter(
        pk=request.pk, outcome=ReplacementOutcome.OPEN
    ).update(**changes)
    if updated != 1:
        raise ServiceError(
            "already_handled", _("The request has already been handled. Reload the page.")
        )
    for name, value in changes.items():
        setattr(request, name, value)


def _reissue_reason(request: ReplacementRequest) -> str:
    # Kept on the new original, in Swedish like the other reasons on certificates.
    with translation.override("sv"):
        return _("The trainee asked for a new original: %(reason)s") % {"reason": request.reason}


def reissue_on_request(
    *,
    actor: User | None,
    request: ReplacementRequest,
    comment: str = "",
    now: dt.datetime | None = None,
) -> ReplacementRequest:
    """Grant a request: a new original of the same certificate (C19, `reissue_certificate`:
    new code, back to issued for a new print and signature; the lost original revoked).

    1. Those who track the certificate (staff of the region, the certifier); the trainee 403,
       anyone else 404. An already handled request answers 409 `already_handled`.
    2. The request records the new original, who and when; audited; the trainee is told.
    """
    now = _now(now)
    comment = (comment or "").strip()[: bounds.NOTE_MAX_LENGTH]
    with transaction.atomic():
        request = _lock(request)
        permissions.check_may_handle_replacement(actor, request)
        _check_open(request)
        before = _snapshot(request)
        new = services.reissue_certificate(
            actor=actor, certificate=request.certificate, reason=_reissue_reason(request), now=now
        )
        _swap(
            request,
            outcome=ReplacementOutcome.REISSUED,
            handled_at=now,
            handled_by=actor,
            comment=comment,
            new_certificate=new,
        )
        audit.record(
            actor=actor,
            action="certificate_replacement.reissued",
            obj=request,
            before=before,
            after=_snapshot(request),
            reason=comment,
        )
        _tell_trainee(request, KIND_REISSUED)
    return request


def decline_replacement_request(
    *,
    actor: User | None,
    request: ReplacementRequest,
    comment: str,
    now: dt.datetime | None = None,
) -> ReplacementRequest:
    """Decline a request with a comment the trainee reads (for example: the original was
    found, or it was handed out only last week). Same permissions as granting; audited; the
    trainee is told."""
    text = _text(comment, "comment", _("Write why the request is declined."))
    now = _now(now)
    with transaction.atomic():
        request = _lock(request)
        permissions.check_may_handle_replacement(actor, request)
        _check_open(request)
        before = _snapshot(request)
        _swap(
            request,
            outcome=ReplacementOutcome.DECLINED,
            handled_at=now,
            handled_by=actor,
            comment=text,
        )
        audit.record(
            actor=actor,
            action="certificate_replacement.declined",
            obj=request,
            before=before,
            after=_snapshot(request),
            reason=text,
        )
        _tell_trainee(request, KIND_DECLINED)
    return request


def _tell_trainee(request: ReplacementRequest, kind: str) -> None:
    """C22: the outcome, in the trainee's language, queued now and sent after commit."""
    certificate = request.certificate
    queue_email(
        kind=kind,
        to_user=request.trainee.user,
        context={
            "course_title": certificate.course_title,
            "week_title": certificate.line.course.week.title,
            "requested_on": local_date(request.created_at),
            "comment": request.comment,
            "verification_code": (
                request.new_certificate.verification_code if request.new_certificate else ""
            ),
        },
        dedupe_key=f"{kind}:{request.pk}",
    )
