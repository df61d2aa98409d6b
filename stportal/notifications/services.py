"""E-mail for the registration engine (C22): queue in the action's transaction, send after it.

1. `queue_email` renders the message in the recipient's language and writes an OutboxMessage in
   the current transaction, so a rolled-back action leaves no e-mail behind. After commit it
   tries to send that message at once.
2. `send_due` (the `send-reminders` command, the admin's retry) sends what is queued and retries
   failures with exponential backoff. A send never raises to its caller and never undoes the
   action that caused it: a failure is recorded on the message, where staff see it.
3. No message is sent twice by two senders: each claims its message with a compare-and-swap on
   (status, attempts) in its own short statement before talking to the mail server, and records
   the outcome only if its claim still holds. The mail server is never called inside a database
   transaction (it could hold the SQLite write lock for as long as the server takes).

The `notify_*` helpers build the context for each event of C22; the services call them inside
their transactions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import smtplib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.template import Context, engines
from django.utils import timezone, translation
from django.utils.functional import Promise

from stportal.accounts.models import HomeUnit, Role, User
from stportal.core.dates import STOCKHOLM
from stportal.courses.models import Course, CourseWeek
from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.registrations.lines import is_active
from stportal.registrations.models import (
    Fee,
    FeeStatus,
    LineStatus,
    Registration,
    RegistrationLine,
)

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "sv"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"

# Retries (C22): 5 min after the first failure, then 15, 45 … at most 6 h apart; after the
# 8th failed attempt the message stays failed (visible to staff) until someone retries it.
FIRST_RETRY_DELAY = dt.timedelta(minutes=5)
RETRY_FACTOR = 3
MAX_RETRY_DELAY = dt.timedelta(hours=6)
MAX_ATTEMPTS = 8
# A claimed message is not picked up by another sender for this long; a sender that died
# mid-send leaves its message to be retried after it.
CLAIM_LEASE = dt.timedelta(minutes=15)
# Used when EMAIL_TIMEOUT is not set: a hanging mail server must not hang a web request.
DEFAULT_SEND_TIMEOUT_SECONDS = 20

# SMTP errors about one message rather than the connection: the rest of a batch may still go.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclasses.dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0  # failed this time, will be retried
    gave_up: int = 0  # failed for the last time; stays failed until staff retry it
    skipped: int = 0  # another sender had claimed it

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.gave_up


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", DEFAULT_SITE_URL)).rstrip("/")


def retry_delay(attempts: int) -> dt.timedelta | None:
    """How long to wait after the `attempts`-th failed attempt; None once we give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    delay: dt.timedelta = FIRST_RETRY_DELAY * RETRY_FACTOR ** max(attempts - 1, 0)
    return min(delay, MAX_RETRY_DELAY)


# --- Rendering -----------------------------------------------------------------------------


def _language_of(to_user: User | None, language: str | None) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, getattr(to_user, "language", None)):
        if candidate in known:
            return str(candidate)
    return DEFAULT_LANGUAGE


def _render(template_name: str, context: dict[str, Any]) -> str:
    template: Any = engines["django"].get_template(template_name)
    # Plain text: nothing is HTML-escaped ("Etik & juridik" stays as written).
    return str(template.template.render(Context(context, autoescape=False)))


def _tidy_body(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def render_email(*, kind: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """Subject and body of `notifications/email/<kind>.*.txt` in `language`. Dates and times
    are shown in Europe/Stockholm (SPEC: deadlines are Stockholm instants)."""
    with translation.override(language), timezone.override(STOCKHOLM):
        subject = _render(f"notifications/email/{kind}.subject.txt", context)
        body = _render(f"notifications/email/{kind}.body.txt", context)
    subject = " ".join(subject.split())
    max_subject = OutboxMessage._meta.get_field("subject").max_length or 300
    if len(subject) > max_subject:
        subject = subject[: max_subject - 1] + "…"
    return subject, _tidy_body(body)


# --- Queueing ------------------------------------------------------------------------------


def queue_email(
    *,
    kind: str,
    to_user: User | None = None,
    to_email: str | None = None,
    context: dict[str, Any],
    language: str | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Queue one e-mail in the current transaction and try to send it right after commit.

    Returns None, queueing nothing, when `dedupe_key` is already taken, when the recipient has
    no e-mail address, or when the message cannot be rendered (logged): e-mail never breaks
    the action that caused it (C22).
    """
    message = enqueue_email(
        kind=kind,
        to_user=to_user,
        to_email=to_email,
        context=context,
        language=language,
        dedupe_key=dedupe_key,
    )
    if message is not None:
        _send_after_commit([message.pk])
    return message


def enqueue_email(
    *,
    kind: str,
    to_user: User | None,
    to_email: str | None = None,
    context: dict[str, Any],
    language: str | None = None,
    dedupe_key: str | None = None,
    check_existing: bool = True,
) -> OutboxMessage | None:
    """`queue_email` without the send after commit: for batches, whose caller sends them
    together (`send_due`, or one after-commit send on one connection). `check_existing=False`
    when the caller has already looked the dedupe keys up in bulk."""
    if to_user is None and not to_email:
        raise ValueError("queue_email needs to_user or to_email")
    address = to_email or (to_user.email if to_user is not None else "")
    if not address:
        logger.warning("No e-mail address for user %s: %s not queued", to_user and to_user.pk, kind)
        return None
    if (
        dedupe_key
        and check_existing
        and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists()
    ):
        return None
    lang = _language_of(to_user, language)
    full_context = {"site_url": site_url(), **context}
    if to_user is not None:
        full_context.setdefault("recipient_name", to_user.get_full_name() or to_user.username)
    try:
        subject, body = render_email(kind=kind, context=full_context, language=lang)
    except Exception:
        logger.exception("Could not render the %s e-mail to %s; not queued", kind, address)
        return None
    try:
        # A savepoint: a dedupe key taken by a concurrent transaction must not break ours.
        with transaction.atomic():
            return OutboxMessage.objects.create(
                kind=kind,
                recipient=to_user,
                to_email=address,
                language=lang,
                subject=subject,
                body=body,
                dedupe_key=dedupe_key or None,
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise


def _send_after_commit(ids: Sequence[int]) -> None:
    if ids:
        transaction.on_commit(partial(_send_now, list(ids)), robust=True)


def _send_now(ids: list[int]) -> None:
    try:
        messages = list(OutboxMessage.objects.filter(pk__in=ids).order_by("id"))
        _send_messages(messages, now=timezone.now())
    except Exception:
        # Never raise into the request that committed the action; the outbox retries.
        logger.exception("Sending e-mail after commit failed; the outbox will retry")


# --- Sending -------------------------------------------------------------------------------


def _due(now: dt.datetime) -> Q:
    waiting = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (Q(status=OutboxStatus.QUEUED) & waiting) | Q(
        status=OutboxStatus.FAILED, next_attempt_at__lte=now
    )


def send_due(
    *, now: dt.datetime, limit: int = 200, ids: Collection[int] | None = None
) -> SendReport:
    """Send queued messages and failed ones whose retry time has come (oldest first).

    `ids` narrows the run to those messages (the admin's "try again")."""
    due = OutboxMessage.objects.filter(_due(now))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    return _send_messages(list(due.order_by("created_at", "id")[:limit]), now=now)


def _connection() -> Any:
    kwargs: dict[str, Any] = {"fail_silently": False}
    if getattr(settings, "EMAIL_TIMEOUT", None) is None:
        kwargs["timeout"] = DEFAULT_SEND_TIMEOUT_SECONDS
    return get_connection(**kwargs)


def _send_messages(messages: Sequence[OutboxMessage], *, now: dt.datetime) -> SendReport:
    counts: Counter[str] = Counter()
    if not messages:
        return SendReport()
    connection = _connection()
    try:
        try:
            connection.open()
        except Exception:  # noqa: S110 - the first send reports the same error on its message
            pass
        for message in messages:
            outcome, error = _deliver(message, connection=connection, now=now)
            counts[outcome] += 1
            if isinstance(error, OSError) and not isinstance(error, _MESSAGE_ERRORS):
                break  # the server is unreachable: the rest wait for the next run
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed", exc_info=True)
    return SendReport(
        sent=counts["sent"],
        failed=counts["failed"],
        gave_up=counts["gave_up"],
        skipped=counts["skipped"],
    )


def _deliver(
    message: OutboxMessage, *, connection: Any, now: dt.datetime
) -> tuple[str, BaseException | None]:
    """Claim, send and record one message. `message` is what the sender read; if another
    sender has claimed it since, the claim matches no row and this sender leaves it."""
    attempt = message.attempts + 1
    claimed = (
        OutboxMessage.objects.filter(pk=message.pk, status=message.status)
        .filter(attempts=message.attempts)
        .filter(_due(now))
        .update(attempts=attempt, next_attempt_at=now + CLAIM_LEASE)
    )
    if claimed != 1:
        return "skipped", None
    mine = OutboxMessage.objects.filter(pk=message.pk, attempts=attempt)
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
            next_attempt_at=now + retry_at if retry_at is not None else None,
        )
        logger.warning(
            "E-mail %s to %s failed (attempt %d): %s", message.pk, message.to_email, attempt, exc
        )
        return ("failed" if retry_at is not None else "gave_up"), exc
    mine.update(status=OutboxStatus.SENT, sent_at=now, last_error="", next_attempt_at=None)
    return "sent", None


def retry_failed(*, ids: Collection[int], now: dt.datetime) -> SendReport:
    """Staff's "try again": failed messages become due now, whatever their attempts."""
    ids = list(
        OutboxMessage.objects.filter(pk__in=list(ids), status=OutboxStatus.FAILED).values_list(
            "pk", flat=True
        )
    )
    OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.FAILED).update(next_attempt_at=now)
    return send_due(now=now, limit=max(len(ids), 1), ids=ids)


# --- Context helpers -----------------------------------------------------------------------


def week_context(week: CourseWeek) -> dict[str, Any]:
    return {
        "week_title": week.title,
        "start_date": week.start_date,
        "end_date": week.end_date,
        "place": week.place,
        "registration_deadline": week.registration_deadline,
        "cancellation_deadline": week.cancellation_deadline,
        "fee_amount": week.late_cancellation_fee,
    }


def _line_context(line: RegistrationLine) -> dict[str, Any]:
    course: Course = line.course
    return {
        **week_context(course.week),
        "course_title": course.title,
        "course_days": [day.date for day in course.days.all()],
        "trainee_name": line.registration.trainee.user.get_full_name()
        or line.registration.trainee.user.username,
    }


def _lines_of(registration: Registration) -> list[RegistrationLine]:
    return list(registration.lines.select_related("course").order_by("course__position", "id"))


def _active(lines: list[RegistrationLine]) -> list[RegistrationLine]:
    return [line for line in lines if is_active(line.status)]


def _trainee_user(registration: Registration) -> User:
    user: User = registration.trainee.user
    return user


def _unit_managers(home_unit: HomeUnit | int) -> list[User]:
    """The people who hold the unit-manager role for this home unit (C16)."""
    unit_id = home_unit if isinstance(home_unit, int) else home_unit.pk
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.UNIT_MANAGER,
            role_assignments__home_unit_id=unit_id,
        )
        .distinct()
        .order_by("pk")
    )


def _stamp(value: dt.datetime | None) -> str:
    return value.isoformat() if value is not None else "-"


def _present(*messages: OutboxMessage | None) -> list[OutboxMessage]:
    return [m for m in messages if m is not None]


# --- One helper per event of C22 -----------------------------------------------------------


def notify_registration_received(registration: Registration) -> list[OutboxMessage]:
    lines = _active(_lines_of(registration))
    context = {
        **week_context(registration.course_week),
        "course_titles": [line.course.title for line in lines],
        "late": any(line.late for line in lines),
    }
    return _present(
        queue_email(
            kind="registration_received", to_user=_trainee_user(registration), context=context
        )
    )


def notify_registration_changed(registration: Registration) -> list[OutboxMessage]:
    lines = _active(_lines_of(registration))
    context = {
        **week_context(registration.course_week),
        "course_titles": [line.course.title for line in lines],
    }
    return _present(
        queue_email(
            kind="registration_changed", to_user=_trainee_user(registration), context=context
        )
    )


def notify_seat_confirmed(line: RegistrationLine) -> list[OutboxMessage]:
    """To the trainee, and to the home unit's manager(s) (C16), once per line."""
    registration = line.registration
    week = line.course.week
    confirmed_at = line.confirmed_at or timezone.now()
    hours = int(settings.FREE_CANCEL_HOURS_AFTER_LATE_CONFIRMATION)
    context = {
        **_line_context(line),
        # C11: a seat confirmed after the cancellation deadline may be cancelled free for 24 h.
        "confirmed_late": week.windows.cancellation_deadline_passed(confirmed_at),
        "free_until": (confirmed_at + dt.timedelta(hours=hours)).astimezone(STOCKHOLM),
        "free_hours": hours,
        "unit_name": registration.home_unit.name,
    }
    messages = [
        queue_email(
            kind="seat_confirmed",
            to_user=_trainee_user(registration),
            context=context,
            dedupe_key=f"seat_confirmed:{line.pk}",
        )
    ]
    for manager in _unit_managers(registration.home_unit_id):
        messages.append(
            queue_email(
                kind="seat_confirmed_manager",
                to_user=manager,
                context=context,
                dedupe_key=f"seat_confirmed_manager:{line.pk}:{manager.pk}",
            )
        )
    return _present(*messages)


def notify_waitlisted(line: RegistrationLine, position: int | None) -> list[OutboxMessage]:
    context = {**_line_context(line), "position": position}
    return _present(
        queue_email(kind="waitlisted", to_user=_trainee_user(line.registration), context=context)
    )


def notify_offer_made(line: RegistrationLine) -> list[OutboxMessage]:
    """C11: the offer and its deadline, shown in Europe/Stockholm."""
    if line.offer_expires_at is None:
        logger.warning("Line %s is offered without a deadline; no e-mail", line.pk)
        return []
    context = {
        **_line_context(line),
        "offer_expires_at": line.offer_expires_at.astimezone(STOCKHOLM),
        "free_hours": int(settings.FREE_CANCEL_HOURS_AFTER_LATE_CONFIRMATION),
    }
    return _present(
        queue_email(
            kind="offer_made",
            to_user=_trainee_user(line.registration),
            context=context,
            dedupe_key=f"offer_made:{line.pk}:{_stamp(line.offered_at)}",
        )
    )


def notify_offer_lapsed(line: RegistrationLine) -> list[OutboxMessage]:
    return _present(
        queue_email(
            kind="offer_lapsed",
            to_user=_trainee_user(line.registration),
            context=_line_context(line),
            dedupe_key=f"offer_lapsed:{line.pk}:{_stamp(line.offered_at)}",
        )
    )


def notify_cancellation_confirmed(
    registration: Registration, lines: Iterable[RegistrationLine], fee: Fee | None
) -> list[OutboxMessage]:
    """C14: what was cancelled, what remains, and whether a fee applies and how much."""
    cancelled_ids = {line.pk for line in lines}
    all_lines = _lines_of(registration)
    context = {
        **week_context(registration.course_week),
        "course_titles": [line.course.title for line in all_lines if line.pk in cancelled_ids],
        "remaining_titles": [
            line.course.title
            for line in all_lines
            if line.pk not in cancelled_ids and is_active(line.status)
        ],
        "fee_charged": fee is not None and fee.status == FeeStatus.CHARGED,
        "fee_waived": fee is not None and fee.status == FeeStatus.WAIVED,
        "amount": fee.amount if fee is not None else 0,
        "unit_name": registration.home_unit.name,
    }
    return _present(
        queue_email(
            kind="cancellation_confirmed", to_user=_trainee_user(registration), context=context
        )
    )


def _registrations_with_lines(
    registrations: Iterable[Registration],
    keep: Callable[[list[RegistrationLine]], list[RegistrationLine]],
) -> list[tuple[Registration, list[RegistrationLine]]]:
    """The registrations again, with trainee and lines in two queries (no N+1); `keep` picks
    the lines to tell each one about, and a registration with none is left out."""
    ids = [registration.pk for registration in registrations]
    fetched = (
        Registration.objects.filter(pk__in=ids)
        .select_related("trainee__user")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=RegistrationLine.objects.select_related("course").order_by(
                    "course__position", "id"
                ),
            )
        )
        .order_by("id")
    )
    found = []
    for registration in fetched:
        lines = keep(list(registration.lines.all()))
        if lines:
            found.append((registration, lines))
    return found


def _queue_many(
    items: Iterable[tuple[User, dict[str, Any], str | None]], *, kind: str
) -> list[OutboxMessage]:
    """Queue one message per recipient and send them after commit on one connection."""
    messages = _present(
        *(
            enqueue_email(kind=kind, to_user=user, context=context, dedupe_key=key)
            for user, context, key in items
        )
    )
    _send_after_commit([message.pk for message in messages])
    return messages


def notify_week_changed(
    week: CourseWeek, registrations: Iterable[Registration], what_changed: str | Promise
) -> list[OutboxMessage]:
    """C4: a change that affects people. `what_changed` is shown as given: pass a lazy
    translation (gettext_lazy) so that each recipient reads it in their own language."""
    base = {**week_context(week), "what_changed": what_changed}
    items = []
    for registration, lines in _registrations_with_lines(registrations, _active):
        context = {**base, "course_titles": [line.course.title for line in lines]}
        items.append((_trainee_user(registration), context, None))
    return _queue_many(items, kind="week_changed")


def notify_week_cancelled(
    week: CourseWeek, registrations: Iterable[Registration]
) -> list[OutboxMessage]:
    """C4: the organiser cancelled the week; never a fee. Tells everyone whose lines were
    active when it was cancelled (also when the service has cancelled those lines already)."""

    def active_when_cancelled(lines: list[RegistrationLine]) -> list[RegistrationLine]:
        # The organiser's cancellation cancels the active lines at one instant: the week's
        # `cancelled_at` when it is set, else the registration's latest cancellation. Lines the
        # trainee cancelled earlier are not mentioned.
        stamps = [line.cancelled_at for line in lines if line.cancelled_at is not None]
        batch = week.cancelled_at or (max(stamps) if stamps else None)
        return [
            line
            for line in lines
            if is_active(line.status)
            or (
                line.status == LineStatus.CANCELLED
                and batch is not None
                and line.cancelled_at is not None
                and line.cancelled_at >= batch
            )
        ]

    base = {**week_context(week), "reason": week.cancel_reason}
    items = []
    for registration, lines in _registrations_with_lines(registrations, active_when_cancelled):
        context = {**base, "course_titles": [line.course.title for line in lines]}
        items.append(
            (_trainee_user(registration), context, f"week_cancelled:{week.pk}:{registration.pk}")
        )
    return _queue_many(items, kind="week_cancelled")


def notify_course_removed(
    course: Course, registrations: Iterable[Registration], reason: str
) -> list[OutboxMessage]:
    """C4, C22: the organiser removed a course from its week; its lines were cancelled free.
    Each participant is told, with the courses they still hold in the week."""
    week = course.week
    base = {**week_context(week), "course_title": course.title, "reason": reason}

    def still_active(lines: list[RegistrationLine]) -> list[RegistrationLine]:
        return [line for line in lines if is_active(line.status)]

    ids = [registration.pk for registration in registrations]
    kept = {
        found.pk: lines for found, lines in _registrations_with_lines(registrations, still_active)
    }
    items = []
    told = Registration.objects.filter(pk__in=ids).select_related("trainee__user").order_by("pk")
    for registration in told:
        lines = kept.get(registration.pk, [])
        context = {**base, "course_titles": [line.course.title for line in lines]}
        items.append(
            (
                _trainee_user(registration),
                context,
                f"course_removed:{course.pk}:{registration.pk}",
            )
        )
    return _queue_many(items, kind="course_removed")


def notify_fee_charged(fee: Fee) -> list[OutboxMessage]:
    """C16: the home unit's manager(s) are told when a fee is charged to the unit."""
    if fee.status != FeeStatus.CHARGED:
        return []
    registration = fee.registration
    trainee = _trainee_user(registration)
    context = {
        **week_context(registration.course_week),
        "trainee_name": trainee.get_full_name() or trainee.username,
        "amount": fee.amount,
        "cause": fee.cause,
        "unit_name": fee.home_unit.name,
        "cost_centre": fee.home_unit.cost_centre,
    }
    return _present(
        *(
            queue_email(kind="fee_charged_manager", to_user=manager, context=context)
            for manager in _unit_managers(fee.home_unit_id)
        )
    )
