"""`stportal apitoken USERNAME`: issue a personal API token (Appendix A, command line).

The token is printed alone on the last line so that scripts can take it with `tail -n 1`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.accounts.tokens import issue_api_token


class Command(BaseCommand):
    help = "Print a new personal API token for a user (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called %(username)s.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("The user %(username)s is not active.") % {"username": username})
        # Issued from the command line: there is no logged-in actor, the audit event shows none.
        token = issue_api_token(actor=None, user=user)
        self.stdout.write(
            _("A new API token for %(username)s. It is shown only this once:")
            % {"username": username}
        )
        self.stdout.write(token)
