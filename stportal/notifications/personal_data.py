"""What this app holds about a person, for their export (`core.personal_data`), and how it is
anonymised once the person is past retention (`core.erasure`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from stportal.core.dates import STOCKHOLM
from stportal.core.erasure import Erased, Person, clear, retention_periods, scrub_text
from stportal.core.personal_data import rows
from stportal.core.retention import outbox_cutoff
from stportal.notifications.models import OutboxMessage, OutboxStatus


def personal_data(user_id: int, trainee_id: int | None) -> dict[str, list[dict[str, Any]]]:
    return {"e_mail": rows(OutboxMessage.objects.filter(recipient_id=user_id))}


# Stands in the error field of an e-mail that will never be sent, its recipient anonymised.
NOT_SENT = "not sent: the recipient was anonymised"


def anonymise(person: Person) -> Erased:
    """E-mail to the person loses its address, subject and text (what is still queued is
    never sent); e-mail to others that names the person loses the name. Each message keeps
    its kind, status and dates: what was sent, when, stays countable."""
    to_them = OutboxMessage.objects.filter(
        Q(recipient_id=person.user_id)
        | Q(to_email__iexact=next((n for n in person.needles if "@" in n), "\0"))
    )
    queued = list(to_them.filter(status=OutboxStatus.QUEUED).values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=queued).update(
        status=OutboxStatus.FAILED, next_attempt_at=None, last_error=NOT_SENT
    )
    theirs = clear(to_them, to_email="", subject="", body="")
    OutboxMessage.objects.filter(pk__in=theirs.get(OutboxMessage._meta.label_lower, [])).exclude(
        last_error=NOT_SENT
    ).update(last_error="")
    about = Q(pk__in=[])
    for needle in person.needles:
        about |= Q(subject__icontains=needle) | Q(body__icontains=needle)
    for message in OutboxMessage.objects.filter(about).exclude(recipient_id=person.user_id):
        # A message naming the person is about them: their first name alone goes too.
        message.subject = scrub_text(message.subject, person.all_needles)
        message.body = scrub_text(message.body, person.all_needles)
        message.last_error = scrub_text(message.last_error, person.all_needles)
        message.save(update_fields=["subject", "body", "last_error"])
    return theirs


def expire_old_email(today: dt.date, apply: bool) -> int:
    """Sent e-mail written before the outbox's retention period (and e-mail given up on), for
    everyone: address, subject and text cleared. Queued e-mail and e-mail waiting for a retry
    are left to be sent. Answers how many messages were (without `apply`: would be) cleared."""
    cutoff = outbox_cutoff(retention_periods(), today=today)
    start = dt.datetime.combine(cutoff, dt.time.min, tzinfo=STOCKHOLM)
    old = OutboxMessage.objects.filter(created_at__lt=start).exclude(body="", to_email="")
    done = Q(status=OutboxStatus.SENT) | Q(status=OutboxStatus.FAILED, next_attempt_at=None)
    if not apply:
        return old.filter(done).count()
    return old.filter(done).update(to_email="", subject="", body="", last_error="")
