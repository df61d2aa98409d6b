"""`stportal send-mail [--once]`: the outbox worker (C22, Appendix A).

Drains the queued e-mail, then waits for more. Run one or more beside the web workers (a
systemd unit; see the README's deployment section): on PostgreSQL several may run at once and
each message is still sent once, since each worker claims its own small batches
(`services.claim_batch`). `--once` drains and exits (cron, scripts, tests). SIGTERM or SIGINT
stops the worker after the message it is sending; what it had claimed goes back to the outbox.
"""

from __future__ import annotations

import signal
import threading
import traceback
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections

from stportal.notifications import services

DEFAULT_INTERVAL_SECONDS = 5.0


class Command(BaseCommand):
    help = (
        "The outbox worker: drains queued e-mail (several may run at once; each message is "
        "sent once), then waits for more; --once drains and exits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Drain the outbox once and exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=DEFAULT_INTERVAL_SECONDS,
            help="Seconds to wait between drains (default 5).",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=services.BATCH_SIZE,
            help=f"E-mails claimed at a time (default {services.BATCH_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = options["batch"]
        if not 1 <= batch <= services.BATCH_SIZE:
            raise CommandError(f"--batch must be between 1 and {services.BATCH_SIZE}")
        interval = max(0.0, float(options["interval"]))
        stopping = threading.Event()
        if not options["once"] and threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_args: stopping.set())
        while True:
            try:
                report = services.send_due(batch_size=batch, should_stop=stopping.is_set)
            except Exception:
                self.stderr.write(f"sending the outbox failed:\n{traceback.format_exc()}")
                connections.close_all()  # a lost database connection is made anew next time
                if options["once"]:
                    raise CommandError("sending the outbox failed") from None
            else:
                if report.attempted or options["once"]:
                    self.stdout.write(
                        f"e-mails sent: {report.sent}, failed (will retry): {report.failed}, "
                        f"given up: {report.gave_up}"
                    )
            if options["once"] or stopping.is_set():
                return
            close_old_connections()
            stopping.wait(interval)
            if stopping.is_set():
                return
