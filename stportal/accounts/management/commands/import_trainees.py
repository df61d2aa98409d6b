"""`stportal import-trainees FILE [--dry-run] [--region CODE] [--user USERNAME]`: the HR
system's CSV or Excel export of trainees (C5a). Reports every row, in Swedish, by row number;
personal identity numbers masked."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from stportal.accounts import import_services
from stportal.accounts.models import Region, User
from stportal.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Import trainees and planned completion dates from the HR system's CSV or Excel "
        "export; --dry-run reports what would happen and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Report only; save nothing.")
        parser.add_argument("--region", help="Import into this region only (its code).")
        parser.add_argument(
            "--user",
            help="Import as this staff member (their regions; recorded in the history).",
        )

    def handle(self, *args, **options) -> None:
        with translation.override("sv"):
            self._run(options)

    def _run(self, options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("The file could not be read: %s") % path) from exc
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %s.") % options["user"])
        region = None
        if options.get("region"):
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(_("No region with the code %s.") % options["region"])
        try:
            report = import_services.import_trainees(
                actor=actor,
                data=data,
                filename=path.name,
                dry_run=options["dry_run"],
                region=region,
            )
        except ServiceError as exc:
            problems = " ".join(m for ms in exc.fields.values() for m in ms)
            raise CommandError(f"{exc.message} {problems}".strip()) from exc
        write = self.stdout.write
        for row in report.rows:
            who = " ".join(part for part in (row.masked_personal_id, row.name) if part)
            write(
                _("Row %(number)d: %(who)s: %(what)s")
                % {
                    "number": row.number,
                    "who": who or "–",
                    "what": import_services.describe_row(row, dry_run=report.dry_run),
                }
            )
        write("")
        write(import_services.summary(report))
        if report.dry_run:
            write(_("Dry run: nothing was changed. Run without --dry-run to import."))
