"""`stportal erase-personal-data [--apply] [--today YYYY-MM-DD]`: erasure by anonymisation
after retention (GDPR, SPEC 7; docs/privacy.md "Retention and erasure").

Without `--apply` it changes nothing: it lists who is past retention (user ids only) and how
many sent e-mails are past the outbox's period. With `--apply` it anonymises each of them
(`accounts.services.anonymise_person`, one transaction per person) and clears the old e-mail,
then prints what it did. Run it from cron, e.g. monthly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stportal.accounts import selectors, services
from stportal.core.erasure import expire, retention_periods
from stportal.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Anonymise everyone past the retention period and clear old sent e-mail; without "
        "--apply, only list who and how many."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Anonymise and clear.")
        parser.add_argument(
            "--today", help="The day to decide on (YYYY-MM-DD; default: today).", default=None
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--today must be a date, YYYY-MM-DD") from exc
        periods = retention_periods()
        due = selectors.past_retention(today=today)
        self.stdout.write(
            f"retention: {periods.person_years} years for a person, "
            f"{periods.outbox_days} days for sent e-mail; today {today.isoformat()}"
        )
        self.stdout.write(f"people past retention: {len(due)}")
        for user, decision in due:
            since = decision.from_date.isoformat() if decision.from_date else "-"
            self.stdout.write(f"  user {user.pk} (past retention since {since})")
        if not options["apply"]:
            for name, count in expire(today, apply=False).items():
                self.stdout.write(f"{name}: {count} to clear")
            self.stdout.write("dry run: nothing changed (add --apply to anonymise and clear)")
            return
        anonymised = refused = rows = 0
        for user, _decision in due:
            try:
                report = services.anonymise_person(actor=None, user_id=user.pk, today=today)
            except ServiceError as exc:
                refused += 1
                self.stderr.write(f"  user {user.pk} not anonymised: {exc.message}")
                continue
            anonymised += 1
            rows += report.total
        expired = services.expire_old_data(today=today)
        self.stdout.write(f"people anonymised: {anonymised}, rows changed: {rows}")
        if refused:
            self.stdout.write(f"people refused: {refused}")
        for name, count in expired.items():
            self.stdout.write(f"{name}: {count} cleared")
