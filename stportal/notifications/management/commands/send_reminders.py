"""`stportal send-reminders`: the outbox's timer job (C11, C22), for cron or a systemd timer.

Idempotent, so it may run as often as wanted (every five minutes is a good default):
1. expire lapsed offers and mark lines still waiting at a course's start as not seated (C11),
   which queues their e-mails;
2. queue the reminders that are due (C22);
3. send the outbox: queued messages and failed ones whose retry time has come (at most
   `--limit`; the mail worker, `stportal send-mail`, normally sends them first, and both may
   run at once).
A step that fails is reported and the others still run; the exit status is then 1.
"""

from __future__ import annotations

import datetime as dt
import importlib
import traceback
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stportal.core.dates import STOCKHOLM
from stportal.notifications import reminders, services

REGISTRATION_SERVICES = "stportal.registrations.services"


def parse_now(value: str | None) -> dt.datetime:
    """An ISO 8601 instant; without an offset it is read as Stockholm time."""
    if not value:
        return timezone.now()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now: not an ISO 8601 date and time: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=STOCKHOLM)
    return parsed


def _count(result: Any) -> str:
    if isinstance(result, int):
        return str(result)
    try:
        return str(len(result))
    except TypeError:
        return str(result)


class Command(BaseCommand):
    help = (
        "Expire lapsed offers, mark lines not seated at a course's start, queue the reminders "
        "that are due and send the e-mail outbox. Idempotent; meant for cron or a timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            metavar="ISO",
            help="Run as if it were this instant (ISO 8601; Stockholm time without an offset).",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=200,
            help="Send at most this many e-mails in this run (default 200).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options.get("now"))
        failures: list[str] = []

        for name, label in (
            ("expire_lapsed_offers", "lapsed offers expired"),
            ("mark_not_seated_at_start", "lines not seated at start"),
        ):
            try:
                step = self._registration_step(name)
            except ImportError:
                failures.append(name)
                self.stderr.write(f"{name} could not be loaded:\n{traceback.format_exc()}")
                continue
            if step is None:
                continue
            try:
                result = step(now=now, actor=None)
            except Exception:
                failures.append(name)
                self.stderr.write(f"{name} failed:\n{traceback.format_exc()}")
                continue
            self.stdout.write(f"{label}: {_count(result)}")

        try:
            queued = reminders.queue_reminders(now=now)
        except Exception:
            failures.append("queue_reminders")
            self.stderr.write(f"queueing reminders failed:\n{traceback.format_exc()}")
        else:
            self.stdout.write(
                f"reminders queued: {queued.total} (before the cancellation deadline: "
                f"{queued.cancellation_deadline}, the week before: {queued.week_before})"
            )

        try:
            # A fresh time for each batch claimed, unless the run is told what time it is.
            report = services.send_due(
                now=now if options.get("now") else None, limit=options["limit"]
            )
        except Exception:
            failures.append("send_due")
            self.stderr.write(f"sending the outbox failed:\n{traceback.format_exc()}")
        else:
            self.stdout.write(
                f"e-mails sent: {report.sent}, failed (will retry): {report.failed}, "
                f"given up: {report.gave_up}, taken by another sender: {report.skipped}"
            )

        if failures:
            raise CommandError(f"steps failed: {', '.join(failures)}")

    def _registration_step(self, name: str) -> Callable[..., Any] | None:
        try:
            module = importlib.import_module(REGISTRATION_SERVICES)
        except ModuleNotFoundError as exc:
            if exc.name != REGISTRATION_SERVICES:
                raise
            self.stdout.write(f"skipped {name}: {REGISTRATION_SERVICES} is not available")
            return None
        step = getattr(module, name, None)
        if step is None:
            self.stdout.write(f"skipped {name}: {REGISTRATION_SERVICES}.{name} does not exist")
            return None
        return step
