"""E-mail when a course certificate is issued (C22), queued in the issuing transaction for
the mail worker: a failed send never undoes the issuing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stportal.certificates.models import Certificate
from stportal.core.dates import local_date
from stportal.notifications.models import OutboxMessage
from stportal.notifications.services import Email, queue_email, queue_emails

KIND = "certificate_issued"


def _context(certificate: Certificate) -> dict[str, Any]:
    from stportal.certificates.services import verification_url

    line = certificate.line
    week = line.course.week
    return {
        "course_title": certificate.course_title,
        "week_title": week.title,
        "issued_on": local_date(certificate.issued_at),
        "verification_code": certificate.verification_code,
        "verification_url": verification_url(certificate.verification_code),
        "trainee_name": certificate.trainee_name,
    }


def _dedupe_key(certificate: Certificate) -> str:
    return f"{KIND}:{certificate.pk}"


def notify_certificate_issued(certificate: Certificate) -> OutboxMessage | None:
    """To the trainee: the certificate is issued, the original follows, a copy can be
    downloaded, and how anyone can check it (C19, C22)."""
    return queue_email(
        kind=KIND,
        to_user=certificate.line.registration.trainee.user,
        context=_context(certificate),
        dedupe_key=_dedupe_key(certificate),
    )


def notify_certificates_issued(certificates: Sequence[Certificate]) -> list[OutboxMessage]:
    """The same for a whole print batch, queued in one statement for the mail worker."""
    return queue_emails(
        [
            Email(
                kind=KIND,
                to_user=certificate.line.registration.trainee.user,
                context=_context(certificate),
                dedupe_key=_dedupe_key(certificate),
            )
            for certificate in certificates
        ]
    )
