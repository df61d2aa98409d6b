"""`stportal allocate COURSE_WEEK_ID [--dry-run]`: the allocation preview a person would read."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stportal.core.errors import ServiceError
from stportal.courses.models import CourseWeek
from stportal.registrations import services


class Command(BaseCommand):
    help = "Allocate the seats of a course week (C8–C10); --dry-run previews and changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("course_week_id", type=int)
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the result without saving it."
        )

    def handle(self, *args, **options):
        try:
            week = CourseWeek.objects.select_related("series").get(pk=options["course_week_id"])
        except CourseWeek.DoesNotExist as exc:
            raise CommandError(_("No course week with id %s.") % options["course_week_id"]) from exc
        try:
            result = services.run_allocation(actor=None, week=week, dry_run=options["dry_run"])
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        write = self.stdout.write
        heading = _("Preview (nothing saved)") if result.dry_run else _("Allocation saved")
        write(f"{week.title} ({week.start_date:%Y-%m-%d} – {week.end_date:%Y-%m-%d}): {heading}")
        write(_("Priority policy: %s") % week.series.get_priority_policy_display())
        for course in result.courses:
            write("")
            write(
                ngettext(
                    "%(title)s: %(taken)d of %(capacity)d seat taken, %(waiting)d waiting",
                    "%(title)s: %(taken)d of %(capacity)d seats taken, %(waiting)d waiting",
                    course.capacity,
                )
                % {
                    "title": course.title,
                    "taken": len(course.confirmed),
                    "capacity": course.capacity,
                    "waiting": len(course.waitlisted),
                }
            )
            if not course.placed:
                write("  " + _("Nothing to allocate: no pending registrations."))
                continue
            for line in course.placed:
                place = (
                    _("seat")
                    if line.status == "confirmed"
                    else _("waiting, place %d") % line.position
                )
                flags = []
                if line.late:
                    flags.append(_("late"))
                if line.planned_completion_changed_after_deadline:
                    flags.append(_("planned completion changed after the deadline"))
                flag_text = f" [{', '.join(flags)}]" if flags else ""
                write(
                    f"  {place:<20} {line.trainee_name:<32} "
                    f"{_('planned completion')} {line.planned_completion:%Y-%m-%d}"
                    f"{flag_text}\n  {'':<20} {line.reason}"
                )
        if result.dry_run:
            write("")
            write(_("Dry run: nothing was changed. Run without --dry-run to save."))
