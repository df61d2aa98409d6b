"""The mail worker's half of the outbox (C22): claiming small batches with a fresh lease,
sending them on one SMTP connection, recording each outcome and retrying with backoff. The
queueing half, and the e-mail of each event, are in `stportal.notifications.services`, which
re-exports what its callers use from here.

Several workers may run at once (PostgreSQL): each claims a batch with SELECT … FOR UPDATE
SKIP LOCKED and takes a lease on it, timed when that batch is claimed, so no other worker
touches the batch until the lease ends. Each message is marked sent right after it is sent,
and only while the claim still holds. The mail server is never called inside a database
transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import smtplib
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from stportal.notifications.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Retries (C22): 5 min after the first failure, then 15, 45 … at most 6 h apart; after the
# 8th failed attempt the message stays failed (visible to staff) until someone retries it.
FIRST_RETRY_DELAY = dt.timedelta(minutes=5)
RETRY_FACTOR = 3
MAX_RETRY_DELAY = dt.timedelta(hours=6)
MAX_ATTEMPTS = 8
# A claimed message is not picked up by another sender for this long; a sender that died
# mid-send leaves its message to be retried after it.
CLAIM_LEASE = dt.timedelta(minutes=15)
# Used when EMAIL_TIMEOUT is not set: a hanging mail server must not hang a worker for long.
DEFAULT_SEND_TIMEOUT_SECONDS = 20
# Messages claimed at once by one worker. Even if every one of them waited the full SMTP
# timeout, the batch would be sent in 20 × 20 s ≈ 7 minutes, well within its 15-minute lease.
BATCH_SIZE = 20
# A worker does not start a send this close to the end of its lease (one SMTP timeout and
# more): what is left of the batch goes back to the outbox for the next claim.
LEASE_MARGIN = dt.timedelta(minutes=2)

# SMTP errors about one message rather than the connection: the rest of a batch may still go.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)

Clock = Callable[[], dt.datetime]


@dataclasses.dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0  # failed this time, will be retried
    gave_up: int = 0  # failed for the last time; stays failed until staff retry it
    skipped: int = 0  # asked for by id, but another sender had it or it was not due
    queued: int = 0  # queued again for the mail worker (staff's "try again")

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.gave_up

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(
            *(getattr(self, f.name) + getattr(other, f.name) for f in dataclasses.fields(self))
        )


def retry_delay(attempts: int) -> dt.timedelta | None:
    """How long to wait after the `attempts`-th failed attempt; None once we give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    delay: dt.timedelta = FIRST_RETRY_DELAY * RETRY_FACTOR ** max(attempts - 1, 0)
    return min(delay, MAX_RETRY_DELAY)


def sends_inline() -> bool:
    """True where no mail worker runs (the demo, the test suite): each action's messages are
    sent right after its commit. False in production: the worker sends them."""
    return bool(getattr(settings, "STPORTAL_SEND_MAIL_INLINE", False))


# --- Sending -------------------------------------------------------------------------------


def due(now: dt.datetime) -> Q:
    """The messages the worker sends at `now`: queued ones (unless claimed, or waiting for a
    retry), and failed ones whose retry time has come."""
    waiting = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (Q(status=OutboxStatus.QUEUED) & waiting) | Q(
        status=OutboxStatus.FAILED, next_attempt_at__lte=now
    )


def claim_batch(
    *, now: dt.datetime, limit: int = BATCH_SIZE, ids: Collection[int] | None = None
) -> list[OutboxMessage]:
    """Claim up to `limit` due messages, oldest first, for one worker until `now` +
    CLAIM_LEASE, and count the attempt. Rows another worker is claiming are skipped, not
    waited for (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time). Returns
    the claimed messages with their attempts counted."""
    with transaction.atomic():
        found = OutboxMessage.objects.filter(due(now))
        if ids is not None:
            found = found.filter(pk__in=list(ids))
        batch = list(found.order_by("created_at", "id").select_for_update(skip_locked=True)[:limit])
        if not batch:
            return []
        OutboxMessage.objects.filter(pk__in=[message.pk for message in batch]).update(
            attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE
        )
    for message in batch:
        message.attempts += 1
        message.next_attempt_at = now + CLAIM_LEASE
    return batch


def send_due(
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
    ids: Collection[int] | None = None,
    batch_size: int = BATCH_SIZE,
    clock: Clock | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SendReport:
    """Drain the outbox: queued messages and failed ones whose retry time has come, oldest
    first, in batches of `batch_size`, until none is due or `limit` have been tried.

    Each batch is claimed at a fresh time from `clock` (the current time by default; `now`
    fixes it, for the `--now` of the commands and for tests). `ids` narrows the run to those
    messages. A mail server that cannot be reached ends the run: the rest wait for the next.
    """
    if clock is None:
        clock = (lambda: now) if now is not None else timezone.now
    report = SendReport()
    wanted = set(ids) if ids is not None else None
    while limit is None or report.attempted < limit:
        if should_stop is not None and should_stop():
            break
        size = batch_size if limit is None else min(batch_size, limit - report.attempted)
        claimed_at = clock()
        batch = claim_batch(now=claimed_at, limit=size, ids=wanted)
        if not batch:
            break
        if wanted is not None:
            wanted -= {message.pk for message in batch}
        outcome, unreachable = _send_batch(
            batch, lease_ends=claimed_at + CLAIM_LEASE, clock=clock, should_stop=should_stop
        )
        report += outcome
        if unreachable:
            break
    if wanted:
        report += SendReport(skipped=len(wanted))
    return report


def _connection() -> Any:
    kwargs: dict[str, Any] = {"fail_silently": False}
    if getattr(settings, "EMAIL_TIMEOUT", None) is None:
        kwargs["timeout"] = DEFAULT_SEND_TIMEOUT_SECONDS
    return get_connection(**kwargs)


def _send_batch(
    batch: Sequence[OutboxMessage],
    *,
    lease_ends: dt.datetime,
    clock: Clock,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[SendReport, bool]:
    """Send a claimed batch on one connection. Returns the report and whether the mail server
    was unreachable. Messages not sent (the server is down, the lease is nearly over, the
    worker is stopping) go back to the outbox as they were."""
    counts: Counter[str] = Counter()
    unreachable = False
    connection = _connection()
    try:
        try:
            connection.open()
        except Exception:  # noqa: S110 - the first send reports the same error on its message
            pass
        for index, message in enumerate(batch):
            late = clock() >= lease_ends - LEASE_MARGIN
            if late or unreachable or (should_stop is not None and should_stop()):
                _release(batch[index:], now=clock())
                break
            outcome, error = _deliver(message, connection=connection, clock=clock)
            counts[outcome] += 1
            if isinstance(error, OSError) and not isinstance(error, _MESSAGE_ERRORS):
                unreachable = True  # the server is unreachable: the rest wait for the next run
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed", exc_info=True)
    report = SendReport(
        sent=counts["sent"],
        failed=counts["failed"],
        gave_up=counts["gave_up"],
        skipped=counts["skipped"],
    )
    return report, unreachable


def _release(messages: Sequence[OutboxMessage], *, now: dt.datetime) -> None:
    """Give claimed, unsent messages back: due now, the attempt not counted."""
    for message in messages:
        OutboxMessage.objects.filter(pk=message.pk, attempts=message.attempts).update(
            attempts=message.attempts - 1, next_attempt_at=now
        )


def _deliver(
    message: OutboxMessage, *, connection: Any, clock: Clock
) -> tuple[str, BaseException | None]:
    """Send one claimed message and record the outcome at once, while the claim holds (its
    attempt count is still ours). `message.attempts` already counts this attempt."""
    attempt = message.attempts
    mine = OutboxMessage.objects.filter(pk=message.pk, attempts=attempt).exclude(
        status=OutboxStatus.SENT
    )
    try:
        sent = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_email],
            connection=connection,
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
        if not sent:
            raise RuntimeError("the mail backend sent nothing")
    except Exception as exc:
        retry_at = retry_delay(attempt)
        mine.update(
            status=OutboxStatus.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=clock() + retry_at if retry_at is not None else None,
        )
        logger.warning(
            "E-mail %s to %s failed (attempt %d): %s", message.pk, message.to_email, attempt, exc
        )
        return ("failed" if retry_at is not None else "gave_up"), exc
    if not mine.update(
        status=OutboxStatus.SENT, sent_at=clock(), last_error="", next_attempt_at=None
    ):
        logger.warning("E-mail %s was sent after its claim had lapsed", message.pk)
    return "sent", None


def retry_failed(*, ids: Collection[int], now: dt.datetime) -> SendReport:
    """Staff's "try again": the failed messages among `ids` are queued again, due now, for the
    mail worker (whatever their attempts). Where mail is sent inline (no worker), they are
    sent at once and the report says how it went."""
    failed = OutboxMessage.objects.filter(pk__in=list(ids), status=OutboxStatus.FAILED)
    chosen = list(failed.values_list("pk", flat=True))
    if not sends_inline():
        count = OutboxMessage.objects.filter(pk__in=chosen, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.QUEUED, next_attempt_at=now
        )
        return SendReport(queued=count)
    OutboxMessage.objects.filter(pk__in=chosen, status=OutboxStatus.FAILED).update(
        next_attempt_at=now
    )
    return send_due(now=now, limit=max(len(chosen), 1), ids=chosen)


def retry_summary(report: SendReport) -> str:
    """What staff are told after "try again", in the active language."""
    if report.queued:
        return ngettext(
            "%(count)d e-mail is queued again; the mail worker sends it shortly.",
            "%(count)d e-mails are queued again; the mail worker sends them shortly.",
            report.queued,
        ) % {"count": report.queued}
    return gettext("Tried again: %(sent)d sent, %(failed)d failed again.") % {
        "sent": report.sent,
        "failed": report.failed + report.gave_up,
    }
