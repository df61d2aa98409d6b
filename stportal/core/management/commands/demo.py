"""`stportal demo [--port P] [--no-serve] [--allow-existing-data]`: the product with demo data
(Appendix A).

Creates or migrates the embedded database, loads the demo data placed relative to today (a
second run changes nothing), prints the log-ins and serves on 127.0.0.1:8000 with the same
WSGI server as `stportal serve` (Django's development server where gunicorn cannot run).

The demo publishes its password, so it refuses a database that holds data it did not make
(a real region's, real people) unless told explicitly, and it only ever listens on this
computer (127.0.0.1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stportal.accounts.models import Region, Role, User
from stportal.core.management.commands.serve import (
    DEFAULT_PORT,
    collect_static,
    gunicorn_options,
    run_gunicorn,
)
from stportal.demo.data import ACCOUNTS, DEMO_PASSWORD, EMAIL_DOMAIN, REGION_CODE, load_demo
from stportal.demo.second_region import ACCOUNTS2, REGION2_CODE, REGION2_NAME

DEMO_WORKERS = 2
DEMO_HOST = "127.0.0.1"


def foreign_data() -> list[str]:
    """What the database holds that the demo did not make, in words; empty when nothing.

    Read before migrating, with as few columns as possible, so an older database is judged
    without being changed. The demo's people all have addresses at its example domain and no
    superuser or staff flag; its only regions are its own two.
    """
    tables = set(connection.introspection.table_names())
    found: list[str] = []
    if Region._meta.db_table in tables:
        regions = sorted(
            Region.objects.exclude(code__in=(REGION_CODE, REGION2_CODE)).values_list(
                "name", flat=True
            )
        )
        if regions:
            found.append(_("regions: %(names)s") % {"names": ", ".join(regions[:5])})
    if User._meta.db_table in tables:
        people = User.objects.exclude(email__iendswith=f"@{EMAIL_DOMAIN}").values_list(
            "username", flat=True
        )
        flagged = User.objects.filter(is_superuser=True) | User.objects.filter(is_staff=True)
        names = sorted(set(people) | set(flagged.values_list("username", flat=True)))
        if names:
            found.append(
                _("people: %(names)s") % {"names": ", ".join(names[:5])}
                + ("…" if len(names) > 5 else "")
            )
    return found


WEEK_KEYS = {
    "finished": gettext_lazy("finished"),
    "allocated": gettext_lazy("allocated, inside its cancellation period (an offer waits)"),
    "open": gettext_lazy("open for registration"),
    "closed": gettext_lazy("registration closed, seats not yet allocated"),
    "draft": gettext_lazy("draft"),
}


def role_words(roles: tuple[str, ...]) -> str:
    """The roles in words, in the active language ("kursadministratör")."""
    return ", ".join(str(Role(role).label) for role in roles)


class Command(BaseCommand):
    help = gettext_lazy(
        "Create or migrate the embedded database, load the demo data, print the demo log-ins "
        "and serve the product."
    )
    requires_system_checks = []  # migrate runs its own checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help=_("Port on 127.0.0.1 (default 8000).")
        )
        parser.add_argument(
            "--allow-existing-data",
            action="store_true",
            help=_(
                "Load the demo even into a database that holds other data (a real region's). "
                "The demo's accounts have a published password."
            ),
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help=_("Only migrate and load the demo data; do not start the server."),
        )
        parser.add_argument(
            "--certificate-forms",
            metavar="DIR",
            help=_("Load Socialstyrelsen's course-certificate forms (PDF) found in DIR."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        if not options["allow_existing_data"]:
            self._refuse_foreign_data()
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        if options["certificate_forms"]:
            # Before the demo's certificates are issued: each keeps the form it is issued on.
            self._load_certificate_forms(Path(options["certificate_forms"]))
        result = load_demo()
        if result.changed:
            self.stdout.write(
                ngettext(
                    "Demo data loaded: %(count)d object created.",
                    "Demo data loaded: %(count)d objects created.",
                    sum(result.created.values()),
                )
                % {"count": sum(result.created.values())}
            )
        else:
            self.stdout.write(_("Demo data already loaded; nothing changed."))
        bind = f"{DEMO_HOST}:{options['port']}"
        self._write_summary(result, bind, serving=not options["no_serve"])
        if options["no_serve"]:
            return
        collect_static()
        self._serve(bind)

    def _refuse_foreign_data(self) -> None:
        try:
            found = foreign_data()
        except DatabaseError as exc:
            raise CommandError(
                _(
                    "The database could not be read to make sure it holds only demo data "
                    "(%(error)s). Run the demo on its own database, or pass "
                    "--allow-existing-data if you are sure."
                )
                % {"error": exc}
            ) from exc
        if found:
            raise CommandError(
                _(
                    "This database holds data the demo did not make (%(found)s). The demo's "
                    "accounts have a published password, so it will not load into it. Run the "
                    "demo on its own database (STPORTAL_DATA_DIR, without DATABASE_URL), or pass "
                    "--allow-existing-data if you are sure."
                )
                % {"found": "; ".join(found)}
            )

    def _load_certificate_forms(self, directory: Path) -> None:
        """C18a: the forms are Socialstyrelsen's and never shipped; the demo loads them from a
        folder, each through the same check as a staff upload, by the version it is."""
        from stportal.demo.certificates import load_certificate_forms

        if not directory.is_dir():
            raise CommandError(_("No such folder: %(path)s") % {"path": directory})
        for name, version, new in load_certificate_forms(directory):
            if version is None:
                self.stdout.write(
                    _("%(name)s: not a course-certificate form; skipped.") % {"name": name}
                )
            elif new:
                self.stdout.write(
                    _("%(name)s: loaded as the %(version)s course-certificate form.")
                    % {"name": name, "version": version}
                )
            else:
                self.stdout.write(
                    _("%(name)s: already the current %(version)s form.")
                    % {"name": name, "version": version}
                )

    def _write_summary(self, result, bind: str, *, serving: bool) -> None:
        write = self.stdout.write
        write("")
        write(
            self.style.MIGRATE_HEADING(_("Course weeks of %(region)s") % {"region": result.region})
        )
        for week in result.weeks:
            write(
                f"  {week.title:<14} {week.start_date.isoformat()} – {week.end_date.isoformat()}"
                f"  {WEEK_KEYS.get(week.key, week.key)}"
            )
        write("")
        write(
            self.style.MIGRATE_HEADING(
                _("Demo log-ins (password for all: %(password)s)") % {"password": DEMO_PASSWORD}
            )
        )
        for account in ACCOUNTS:
            write(
                f"  {account.username:<14} {role_words(account.roles)}"
                f" ({account.first_name} {account.last_name})"
            )
        write("")
        write(
            self.style.MIGRATE_HEADING(
                _("%(region)s, a second region let into the open LEKA week")
                % {"region": REGION2_NAME}
            )
        )
        for account in ACCOUNTS2:
            write(
                f"  {account.username:<14} {role_words(account.roles)}"
                f" ({account.first_name} {account.last_name})"
            )
        write("")
        if serving:
            write(
                self.style.SUCCESS(
                    _("ST-portalen demo: http://%(host)s/  (stop with Ctrl+C)") % {"host": bind}
                )
            )

    def _serve(self, bind: str) -> None:
        try:
            from gunicorn.app.base import BaseApplication  # noqa: F401 - Unix only
        except ImportError:
            call_command("runserver", bind, use_reloader=False)
            return
        run_gunicorn(gunicorn_options(bind=bind, workers=DEMO_WORKERS))
