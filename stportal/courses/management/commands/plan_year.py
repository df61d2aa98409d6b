"""`stportal plan-year YEAR`: propose each series' course week of a year and create the missing
ones as drafts (C1, C2). The decisions are in `stportal.courses.planning`; writes go through
`create_course_week`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stportal.accounts.models import Region
from stportal.core.errors import ServiceError
from stportal.courses import planning
from stportal.courses.models import CourseSeries, CourseWeek
from stportal.courses.services import create_course_week

CREATED, EXISTS, FAILED = "created", "exists", "failed"


def series_defaults(series: CourseSeries) -> planning.SeriesDefaults:
    return planning.SeriesDefaults(
        name=series.name,
        default_iso_week=series.default_iso_week,
        invitation_month=series.invitation_month,
        invitation_in_year_before=series.invitation_months_before,
        deadline_day=series.deadline_day,
        deadline_month=series.deadline_month,
        deadline_in_year_before=series.deadline_in_year_before,
    )


def existing_weeks(series: CourseSeries) -> list[planning.ExistingWeek]:
    """Every week of the series, cancelled ones too: a cancelled week is not planned again."""
    return [
        planning.ExistingWeek(
            series_name=series.name, start_date=week.start_date, title=week.title, id=week.pk
        )
        for week in CourseWeek.objects.filter(series=series).order_by("start_date", "pk")
    ]


def reason(proposal: planning.WeekProposal) -> str:
    """The proposal's reason in the active language, Swedish unless English is asked for."""
    language = translation.get_language() or "sv"
    return proposal.reason_en if language.startswith("en") else proposal.reason_sv


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # Computed when asked: argparse cannot format a lazy translation.
        return _(
            "Propose the course week of every course series for a year, say which weeks already "
            "exist, and create the missing ones as drafts."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help=_("The year of the course weeks, e.g. 2027."))
        parser.add_argument("--region", metavar="CODE", help=_("Only the region with this code."))
        parser.add_argument(
            "--series", metavar="NAME", help=_('Only the series with this name, e.g. "LEKA A".')
        )
        parser.add_argument(
            "--override-week",
            type=int,
            metavar="N",
            help=_("Use ISO week N instead of the proposed week (needs --series)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Show the proposals; create nothing.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        dry_run: bool = options["dry_run"]
        override_week: int | None = options["override_week"]
        if override_week is not None and not options["series"]:
            raise CommandError(_("--override-week needs --series: it sets one series' week."))

        all_series = self._selected_series(options["region"], options["series"])
        proposals = self._proposals(all_series, year, override_week)

        outcomes: Counter[str] = Counter()
        current_region: Region | None = None
        for series, proposal in zip(all_series, proposals, strict=True):
            if series.region != current_region:
                current_region = series.region
                self.stdout.write(
                    self.style.MIGRATE_HEADING(
                        _("%(region)s (%(code)s): course weeks %(year)d")
                        % {"region": current_region.name, "code": current_region.code, "year": year}
                    )
                )
            self._write_proposal(proposal)
            outcomes[self._create_unless_exists(series, proposal, dry_run=dry_run)] += 1

        if dry_run:
            summary = _(
                "Dry run: %(new)d would be created, %(existing)d already exist. Nothing was saved."
            )
        else:
            summary = _("%(new)d created as drafts, %(existing)d already existed.")
        self.stdout.write(summary % {"new": outcomes[CREATED], "existing": outcomes[EXISTS]})
        if outcomes[FAILED]:
            raise CommandError(
                ngettext(
                    "%(count)d course week could not be created (see above).",
                    "%(count)d course weeks could not be created (see above).",
                    outcomes[FAILED],
                )
                % {"count": outcomes[FAILED]}
            )

    def _selected_series(self, region_code: str | None, name: str | None) -> list[CourseSeries]:
        series = CourseSeries.objects.select_related("region").order_by("region__name", "name")
        if region_code:
            if not Region.objects.filter(code=region_code).exists():
                raise CommandError(_("No region has the code %(code)s.") % {"code": region_code})
            series = series.filter(region__code=region_code)
        if name:
            series = series.filter(name__iexact=name.strip())
        found = list(series)
        if not found:
            raise CommandError(_("No course series matches."))
        return found

    def _proposals(
        self, all_series: list[CourseSeries], year: int, override_week: int | None
    ) -> list[planning.WeekProposal]:
        try:
            return [
                planning.propose_course_week(
                    series_defaults(series), year, override_week=override_week
                )
                for series in all_series
            ]
        except ValueError as exc:  # PlanningError, or a year outside the calendar
            raise CommandError(str(exc)) from exc

    def _write_proposal(self, proposal: planning.WeekProposal) -> None:
        self.stdout.write(
            _("%(title)s: week %(week)d, %(start)s – %(end)s")
            % {
                "title": proposal.title,
                "week": proposal.iso_week,
                "start": proposal.start_date.isoformat(),
                "end": proposal.end_date.isoformat(),
            }
        )
        self.stdout.write(
            "  "
            + _(
                "Invitation %(invitation)s, registration deadline %(deadline)s, "
                "cancellation deadline %(cancellation)s"
            )
            % {
                "invitation": proposal.invitation_date.isoformat(),
                "deadline": proposal.registration_deadline.isoformat(),
                "cancellation": proposal.cancellation_deadline.isoformat(),
            }
        )
        if proposal.overridden:
            line = _("Overridden: %(reason)s") % {"reason": reason(proposal)}
        elif proposal.moved:
            line = _("Moved: %(reason)s") % {"reason": reason(proposal)}
        else:
            line = _("Not moved: %(reason)s") % {"reason": reason(proposal)}
        if proposal.moved or proposal.holidays_in_week:
            line = self.style.WARNING(line)
        self.stdout.write("  " + line)

    def _create_unless_exists(
        self, series: CourseSeries, proposal: planning.WeekProposal, *, dry_run: bool
    ) -> str:
        """Create the week unless the series already has its week that year (C2: no duplicates).

        The check and the write share one transaction with the series row locked, so two runs
        at once cannot both create it (on SQLite the IMMEDIATE transaction queues the writers).
        """
        try:
            with transaction.atomic():
                if not dry_run:
                    CourseSeries.objects.select_for_update().get(pk=series.pk)
                (planned,) = planning.match_existing([proposal], existing_weeks(series))
                if planned.existing is not None:
                    self._write_existing(planned.existing)
                    return EXISTS
                if dry_run:
                    self.stdout.write("  " + _("Missing: would be created as a draft."))
                    return CREATED
                week = create_course_week(
                    actor=None,
                    series=series,
                    title=proposal.title,
                    start_date=proposal.start_date,
                    end_date=proposal.end_date,
                    place=series.default_place,
                    capacity=series.default_capacity,
                    invitation_date=proposal.invitation_date,
                    registration_deadline=proposal.registration_deadline,
                    cancellation_deadline=proposal.cancellation_deadline,
                    late_cancellation_fee=series.default_fee,
                    host_site=series.host_site,
                )
        except ServiceError as exc:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.fields.items()
            )
            self.stderr.write(
                "  "
                + _("Not created: %(message)s %(problems)s")
                % {"message": exc.message, "problems": problems}
            )
            return FAILED
        self.stdout.write(
            "  " + self.style.SUCCESS(_("Created as a draft (id %(id)d).") % {"id": week.pk})
        )
        return CREATED

    def _write_existing(self, week: planning.ExistingWeek) -> None:
        self.stdout.write(
            "  "
            + _("Already exists: %(title)s (id %(id)s, first day %(start)s); nothing created.")
            % {"title": week.title, "id": week.id, "start": week.start_date.isoformat()}
        )
