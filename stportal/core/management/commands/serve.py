"""`stportal serve [--port P] [--workers N] [--bind ADDRESS]`: the production server.

gunicorn with N worker processes in front of `stportal.wsgi:application`, static files served by
WhiteNoise from the collected files, persistent database connections (`CONN_MAX_AGE`, 60 s
when the environment does not set it). Plain HTTP on its port: TLS is the region's proxy's job
(Appendix A).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

DEFAULT_PORT = 8000
DEFAULT_CONN_MAX_AGE = 60


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × CPUs + 1, at most 8."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def gunicorn_options(*, bind: str, workers: int, log_level: str = "info") -> dict[str, Any]:
    return {
        "bind": [bind],
        "workers": workers,
        "proc_name": "stportal",
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": log_level,
        "timeout": 60,
        "graceful_timeout": 30,
        # gunicorn 27's control socket sits at one path per user: two servers on one machine
        # (the demo beside a real one) would fight over it, and nothing here uses it.
        "control_socket_disable": True,
    }


def run_gunicorn(options: dict[str, Any]) -> None:
    """Run gunicorn in this process (the arbiter forks the workers); returns when it stops."""
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # older gunicorn lacks the newest settings
                    self.cfg.set(key, value)

        def load(self):
            from stportal.wsgi import application

            return application

    # Connections opened before the fork (migrate, collectstatic) must not be shared.
    connections.close_all()
    Application().run()


def use_persistent_connections() -> None:
    """Persistent connections unless the environment chose (the settings read CONN_MAX_AGE)."""
    if not os.environ.get("CONN_MAX_AGE"):
        for alias in settings.DATABASES:
            settings.DATABASES[alias]["CONN_MAX_AGE"] = DEFAULT_CONN_MAX_AGE


def collect_static() -> None:
    call_command("collectstatic", interactive=False, verbosity=0)


class Command(BaseCommand):
    help = gettext_lazy(
        "Run the production web server: gunicorn with N worker processes, persistent database "
        "connections and static files served."
    )
    requires_system_checks = []  # checked by `check --deploy` at deployment, not at each start

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help=_("Port on 127.0.0.1 (default 8000).")
        )
        parser.add_argument(
            "--bind",
            metavar="ADDRESS",
            help=_("Address to bind instead, e.g. 0.0.0.0:8000 or unix:/run/stportal.sock."),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help=_("Number of worker processes (default: 2 × CPUs + 1, at most 8)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError(_("--workers must be at least 1."))
        bind = options["bind"] or f"127.0.0.1:{options['port']}"
        collect_static()
        use_persistent_connections()
        self.stdout.write(
            ngettext(
                "ST-portalen on %(bind)s with %(workers)d worker.",
                "ST-portalen on %(bind)s with %(workers)d workers.",
                options["workers"],
            )
            % {"bind": bind, "workers": options["workers"]}
        )
        run_gunicorn(gunicorn_options(bind=bind, workers=options["workers"]))
