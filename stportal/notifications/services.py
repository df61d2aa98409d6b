"""E-mail for the registration engine (C22): queued in the action's transaction, sent by the
mail worker.

1. `queue_email` / `queue_emails` render each message in its recipient's language and write it
   to the outbox in the current transaction, many in one INSERT (`bulk_create`), so a
   rolled-back action leaves no e-mail behind and an action that tells thousands of people
   costs one statement per batch of messages, not one per message. The action then returns:
   nothing is sent on the request path or inside an allocation run.
2. The mail worker (`stportal send-mail`, `drain`) sends what is queued, oldest first, in small
   batches, one SMTP connection per batch, and retries failures with exponential backoff
   (`retry_delay`). A send never raises to its caller and never undoes the action that caused
   it: a failure is recorded on the message, where staff see it.
3. Several workers may run at once (PostgreSQL): each claims a batch with SELECT … FOR UPDATE
   SKIP LOCKED and takes a lease on it, timed when that batch is claimed (a fresh time per
   batch), so no other worker touches the batch until the lease ends. A batch is small enough
   to be sent well within its lease, and a worker that nears the end of its lease leaves the
   rest of the batch instead of sending it late. Each message is marked sent right after it is
   sent, and only while the claim still holds. The mail server is never called inside a
   database transaction. On SQLite, write transactions start IMMEDIATE: claims queue on the one
   write lock, so a single worker (or the inline sender) is safe there too.
4. Where no worker runs (the demo, the test suite), `STPORTAL_SEND_MAIL_INLINE` sends the
   messages of each action right after its commit, as one batch on one connection.

The `notify_*` helpers build the context for each event of C22; the services call them inside
their transactions. The worker's half (2 and 3) is `stportal.notifications.sending`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import logging
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template import Context, engines
from django.utils import timezone, translation
from django.utils.functional import Promise

from stportal.accounts.models import HomeUnit, Role, RoleAssignment, User
from stportal.core.dates import STOCKHOLM
from stportal.courses.models import Course, CourseDay, CourseWeek
from stportal.notifications.models import OutboxMessage
from stportal.notifications.sending import (  # noqa: F401 - re-exported for the callers
    BATCH_SIZE,
    CLAIM_LEASE,
    DEFAULT_SEND_TIMEOUT_SECONDS,
    FIRST_RETRY_DELAY,
    LEASE_MARGIN,
    MAX_ATTEMPTS,
    MAX_RETRY_DELAY,
    RETRY_FACTOR,
    Clock,
    SendReport,
    claim_batch,
    retry_delay,
    retry_failed,
    retry_summary,
    send_due,
    sends_inline,
)
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


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", DEFAULT_SITE_URL)).rstrip("/")


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


@dataclasses.dataclass(frozen=True)
class Email:
    """One message to queue: to a user (in their language) or to a bare address."""

    kind: str
    context: dict[str, Any]
    to_user: User | None = None
    to_email: str | None = None
    language: str | None = None
    dedupe_key: str | None = None


def queue_email(
    *,
    kind: str,
    to_user: User | None = None,
    to_email: str | None = None,
    context: dict[str, Any],
    language: str | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Queue one e-mail in the current transaction; the mail worker sends it.

    Returns None, queueing nothing, when `dedupe_key` is already taken, when the recipient has
    no e-mail address, or when the message cannot be rendered (logged): e-mail never breaks
    the action that caused it (C22).
    """
    queued = queue_emails(
        [
            Email(
                kind=kind,
                to_user=to_user,
                to_email=to_email,
                context=context,
                language=language,
                dedupe_key=dedupe_key,
            )
        ]
    )
    return queued[0] if queued else None


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
    """`queue_email` that is never sent inline, even where `STPORTAL_SEND_MAIL_INLINE` is on:
    its caller sends (the reminders command). `check_existing=False` when the caller has
    already looked the dedupe keys up in bulk."""
    queued = queue_emails(
        [
            Email(
                kind=kind,
                to_user=to_user,
                to_email=to_email,
                context=context,
                language=language,
                dedupe_key=dedupe_key,
            )
        ],
        check_existing=check_existing,
        inline=False,
    )
    return queued[0] if queued else None


# Stands for the recipient's name while a message is rendered once for many recipients.
_NAME = "\x00recipient\x00"


_PLAIN = (str, int, float, decimal.Decimal, dt.date, type(None), Promise)


def _plain(value: Any) -> bool:
    """Plain data, whose repr tells equal values apart (no model instances)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    return isinstance(value, _PLAIN)


class _Renderer:
    """Renders the messages of one queueing. Messages that differ only in the recipient's
    name (an allocation run tells hundreds of trainees the same thing) are rendered once
    and the name put in afterwards."""

    def __init__(self) -> None:
        self.rendered: dict[tuple[str, str, str], tuple[str, str]] = {}

    def __call__(self, kind: str, context: dict[str, Any], language: str) -> tuple[str, str]:
        name = context.get("recipient_name")
        if not isinstance(name, str) or not _plain(context):
            return render_email(kind=kind, context=context, language=language)
        rest = repr(sorted((k, v) for k, v in context.items() if k != "recipient_name"))
        key = (kind, language, rest)
        if key not in self.rendered:
            self.rendered[key] = render_email(
                kind=kind, context={**context, "recipient_name": _NAME}, language=language
            )
        subject, body = self.rendered[key]
        return subject.replace(_NAME, name), body.replace(_NAME, name)


def _build(email: Email, render: _Renderer | None = None) -> OutboxMessage | None:
    if email.to_user is None and not email.to_email:
        raise ValueError("queue_email needs to_user or to_email")
    to_user = email.to_user
    address = email.to_email or (to_user.email if to_user is not None else "")
    if not address:
        pk = to_user.pk if to_user is not None else None
        logger.warning("No e-mail address for user %s: %s not queued", pk, email.kind)
        return None
    lang = _language_of(to_user, email.language)
    context = {"site_url": site_url(), **email.context}
    if to_user is not None:
        context.setdefault("recipient_name", to_user.get_full_name() or to_user.username)
    try:
        render = render or _Renderer()
        subject, body = render(email.kind, context, lang)
    except Exception:
        logger.exception("Could not render the %s e-mail to %s; not queued", email.kind, address)
        return None
    max_subject = OutboxMessage._meta.get_field("subject").max_length or 300
    if len(subject) > max_subject:
        subject = subject[: max_subject - 1] + "…"
    return OutboxMessage(
        kind=email.kind,
        recipient=to_user,
        to_email=address,
        language=lang,
        subject=subject,
        body=body,
        dedupe_key=email.dedupe_key or None,
    )


def queue_emails(
    emails: Iterable[Email], *, check_existing: bool = True, inline: bool | None = None
) -> list[OutboxMessage]:
    """Queue many e-mails in the current transaction with one INSERT per 500 (C22).

    A message whose dedupe key is already taken (by an earlier message or one earlier in
    `emails`) is left out, as are recipients without an address and messages that cannot be
    rendered. With `STPORTAL_SEND_MAIL_INLINE` on (or `inline=True`) the queued messages are
    sent right after commit; otherwise the mail worker sends them."""
    render = _Renderer()
    built = [message for message in (_build(e, render) for e in emails) if message is not None]
    keys = [message.dedupe_key for message in built if message.dedupe_key]
    taken: set[str | None] = set()
    if keys and check_existing:
        taken = set(
            OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
    rows = []
    for message in built:
        if message.dedupe_key:
            if message.dedupe_key in taken:
                continue
            taken.add(message.dedupe_key)
        rows.append(message)
    if not rows:
        return []
    if not any(row.dedupe_key for row in rows):
        created = OutboxMessage.objects.bulk_create(rows, batch_size=500)  # nothing can clash
    else:
        try:
            # A savepoint: a dedupe key taken meanwhile by a concurrent transaction must not
            # break the action's transaction; the rows are then written one by one.
            with transaction.atomic():
                created = OutboxMessage.objects.bulk_create(rows, batch_size=500)
        except IntegrityError:
            created = [row for row in map(_create_one, rows) if row is not None]
    if sends_inline() if inline is None else inline:
        send_after_commit([message.pk for message in created if message.pk is not None])
    return created


def _create_one(row: OutboxMessage) -> OutboxMessage | None:
    row.pk = None
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        if row.dedupe_key:
            return None
        raise
    return row


def send_after_commit(ids: Sequence[int]) -> None:
    """Send these messages right after the current transaction commits (the inline mode of
    the demo and the tests, or a caller that must). Never raises into the committed action."""
    if ids:
        transaction.on_commit(partial(_send_now, list(ids)), robust=True)


def _send_now(ids: list[int]) -> None:
    try:
        send_due(ids=ids, limit=len(ids))
    except Exception:
        # Never raise into the request that committed the action; the outbox retries.
        logger.exception("Sending e-mail after commit failed; the outbox will retry")


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


def notify_registration_received(
    registration: Registration, lines: list[RegistrationLine] | None = None
) -> list[OutboxMessage]:
    """`lines`: the registration's lines when the caller has them at hand (saves a read)."""
    lines = _active(_lines_of(registration) if lines is None else lines)
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
    emails = [
        Email(
            kind="seat_confirmed",
            to_user=_trainee_user(registration),
            context=context,
            dedupe_key=f"seat_confirmed:{line.pk}",
        ),
        *(
            Email(
                kind="seat_confirmed_manager",
                to_user=manager,
                context=context,
                dedupe_key=f"seat_confirmed_manager:{line.pk}:{manager.pk}",
            )
            for manager in _unit_managers(registration.home_unit_id)
        ),
    ]
    return queue_emails(emails)


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
    """Queue one message per recipient, all in one INSERT."""
    return queue_emails(
        Email(kind=kind, to_user=user, context=context, dedupe_key=key)
        for user, context, key in items
    )


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
    return queue_emails(
        Email(kind="fee_charged_manager", to_user=manager, context=context)
        for manager in _unit_managers(fee.home_unit_id)
    )


def _days_by_course(course_ids: Collection[int]) -> dict[int, list[dt.date]]:
    days: dict[int, list[dt.date]] = {}
    for course_id, date in (
        CourseDay.objects.filter(course_id__in=list(course_ids))
        .order_by("date")
        .values_list("course_id", "date")
    ):
        days.setdefault(course_id, []).append(date)
    return days


def notify_allocation(
    week: CourseWeek,
    lines: Iterable[RegistrationLine],
    *,
    positions: dict[int, int | None] | None = None,
) -> list[OutboxMessage]:
    """C9, C16, C22: the allocation run's e-mail, one message per person: each trainee is told
    of all their placed lines of the week at once (confirmed seats and waiting-list places),
    and each manager of a home unit gets one digest of the unit's confirmed seats. Queued in
    bulk in the run's transaction; a handful of queries whatever the number of lines.

    `lines` are the lines the run placed (with `registration__trainee__user` loaded);
    `positions` the waiting-list places the run gave them."""
    positions = positions or {}
    placed = [
        line for line in lines if line.status in (LineStatus.CONFIRMED, LineStatus.WAITLISTED)
    ]
    if not placed:
        return []
    courses = {
        course.pk: course
        for course in Course.objects.filter(pk__in={line.course_id for line in placed})
    }
    days = _days_by_course(
        [line.course_id for line in placed if line.status == LineStatus.CONFIRMED]
    )
    placed.sort(key=lambda line: (line.registration_id, courses[line.course_id].position, line.pk))
    hours = int(settings.FREE_CANCEL_HOURS_AFTER_LATE_CONFIRMATION)
    base = {**week_context(week), "free_hours": hours}
    by_registration: dict[int, list[RegistrationLine]] = {}
    for line in placed:
        by_registration.setdefault(line.registration_id, []).append(line)

    emails = []
    by_unit: dict[int, list[dict[str, Any]]] = {}
    confirmed_at = None
    for registration_lines in by_registration.values():
        registration = registration_lines[0].registration
        trainee = _trainee_user(registration)
        confirmed = [line for line in registration_lines if line.status == LineStatus.CONFIRMED]
        waiting = [line for line in registration_lines if line.status == LineStatus.WAITLISTED]
        confirmed_courses = [
            {"title": courses[line.course_id].title, "days": days.get(line.course_id, [])}
            for line in confirmed
        ]
        confirmed_at = next(
            (line.confirmed_at for line in confirmed if line.confirmed_at), confirmed_at
        )
        late = confirmed_at is not None and week.windows.cancellation_deadline_passed(confirmed_at)
        emails.append(
            Email(
                kind="allocation_result",
                to_user=trainee,
                context={
                    **base,
                    "confirmed": confirmed_courses,
                    "waiting": [
                        {"title": courses[line.course_id].title, "position": positions.get(line.pk)}
                        for line in waiting
                    ],
                    "confirmed_late": bool(confirmed and late),
                    "free_until": (confirmed_at + dt.timedelta(hours=hours)).astimezone(STOCKHOLM)
                    if confirmed_at is not None
                    else None,
                },
            )
        )
        if confirmed:
            by_unit.setdefault(registration.home_unit_id, []).append(
                {
                    "name": trainee.get_full_name() or trainee.username,
                    "courses": confirmed_courses,
                }
            )
    emails.extend(_allocation_digests(week, by_unit, base=base, confirmed_at=confirmed_at))
    return queue_emails(emails)


def _allocation_digests(
    week: CourseWeek,
    by_unit: dict[int, list[dict[str, Any]]],
    *,
    base: dict[str, Any],
    confirmed_at: dt.datetime | None,
) -> list[Email]:
    """C16: one digest per unit manager of the seats confirmed for their home units' trainees
    (a manager of two units gets one message naming both)."""
    if not by_unit:
        return []
    units = dict(HomeUnit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    managed: dict[int, tuple[User, list[int]]] = {}
    for assignment in (
        RoleAssignment.objects.filter(
            role=Role.UNIT_MANAGER, home_unit_id__in=list(by_unit), user__is_active=True
        )
        .select_related("user")
        .order_by("user_id", "home_unit_id")
    ):
        unit_id = assignment.home_unit_id
        if unit_id is None:
            continue
        entry = managed.setdefault(assignment.user_id, (assignment.user, []))
        if unit_id not in entry[1]:
            entry[1].append(unit_id)
    late = confirmed_at is not None and week.windows.cancellation_deadline_passed(confirmed_at)
    digests = []
    for manager, unit_ids in managed.values():
        names = [units[unit_id] for unit_id in unit_ids if unit_id in units]
        people = sorted(
            (person for unit_id in unit_ids for person in by_unit[unit_id]),
            key=lambda person: person["name"],
        )
        digests.append(
            Email(
                kind="allocation_digest_manager",
                to_user=manager,
                context={
                    **base,
                    "people": people,
                    "unit_name": ", ".join(names),
                    "confirmed_late": late,
                },
            )
        )
    return digests
