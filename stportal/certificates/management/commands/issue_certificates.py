"""`stportal issue-certificates COURSE_ID [--as USERNAME]`: issue the course certificates of a
closed register as one print batch (C18, C19), as the service does for the certifier."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.accounts.models import User
from stportal.certificates import services
from stportal.core.errors import ServiceError
from stportal.courses.models import Course


class Command(BaseCommand):
    help = gettext_lazy(
        "Issue the course certificates of a closed register: one per passed participant "
        "without one, as one print batch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("course_id", type=int)
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help=gettext_lazy(
                "Issue as this certifier (default: the certifier the course week names)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        course = Course.objects.select_related("week").filter(pk=options["course_id"]).first()
        if course is None:
            raise CommandError(_("No course with id %(id)s.") % {"id": options["course_id"]})
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(_("No user %(name)s.") % {"name": options["username"]})
        try:
            issued = services.issue_certificates(actor=actor, course=course)
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        write = self.stdout.write
        write(f"{course.title} ({course.week.title})")
        if not issued:
            write(_("Every passed participant already has a certificate; nothing issued."))
            return
        write(_("Certificates issued: %(count)d.") % {"count": len(issued)})
        for certificate in issued:
            write(
                f"  {certificate.trainee_name:<32} {certificate.verification_code}  "
                f"{services.verification_url(certificate.verification_code)}"
            )
