"""The `stportal` console script: Django's management commands with the project's settings."""

from __future__ import annotations

import os
import sys

from stportal.env import (
    DEMO_ENV_FILENAME,
    data_dir,
    load_demo_env,
    uses_embedded_database,
    write_demo_env,
)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    # Django command names cannot hold a dash; the SPEC's commands do (`plan-year`).
    command_at = 2 if len(args) > 2 and args[1] == "help" else 1
    if len(args) > command_at and not args[command_at].startswith("-"):
        args[command_at] = args[command_at].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stportal.settings")
    if len(args) > 1 and args[1] == "demo":
        # The demo runs locally on the embedded database; it needs no secret from outside. It
        # writes its own, so that the commands run on its database afterwards find it too.
        if uses_embedded_database():
            write_demo_env(data_dir() / DEMO_ENV_FILENAME)
        os.environ.setdefault("DEBUG", "true")
        # The demo's e-mail goes to files under the data folder, one per message.
        os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
        # No mail worker runs beside the demo: each action's e-mail is sent after its commit.
        os.environ.setdefault("STPORTAL_SEND_MAIL_INLINE", "true")
    load_demo_env()
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
