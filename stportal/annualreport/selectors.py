"""Reads on annual reports (SPEC 5 P13), with permission meaning.

A report outside the caller's reach and an unknown one answer alike: `NotFound`.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from stportal.accounts import permissions as record
from stportal.accounts.models import TraineeProfile, User
from stportal.annualreport import permissions
from stportal.annualreport.models import AnnualReport, AnnualReportVersion
from stportal.core.errors import NotFound, ValidationFailed
from stportal.statements import workflow


def _reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.select_related(
        "trainee__user",
        "trainee__home_unit",
        "trainee__specialty",
        "trainee__curriculum_version",
        "trainee__supervisor",
        "supervisor",
        "reviewed_by",
        "submitted_by",
    )


def get_report_for_user(user: User | None, report_id: int) -> AnnualReport:
    """A report the caller may read, else 404."""
    report = _reports().filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    permissions.check_readable(user, report)
    return report


def get_trainee_for_reader(user: User | None, trainee_id: int) -> TraineeProfile:
    """A trainee whose record the caller reads, else 404."""
    profile = (
        TraineeProfile.objects.select_related("user", "home_unit", "supervisor")
        .filter(pk=trainee_id)
        .first()
    )
    if profile is None or not record.may_read_record(user, profile):
        raise NotFound()
    return profile


def reports_of(profile: TraineeProfile) -> QuerySet[AnnualReport]:
    """The trainee's reports, newest year first (the caller reads the record)."""
    return _reports().filter(trainee=profile).order_by("-year", "-id")


def versions_of(report: AnnualReport) -> QuerySet[AnnualReportVersion]:
    """Every version of the report, oldest first."""
    return report.versions.select_related("written_by").order_by("number")


def version_pair(
    report: AnnualReport, first: int, second: int
) -> tuple[AnnualReportVersion, AnnualReportVersion]:
    """Two versions of one report by number (422 naming the one that does not exist)."""
    found = {v.number: v for v in versions_of(report).filter(number__in=[first, second])}
    problems = {
        name: [_("There is no such version of the annual report.")]
        for name, number in (("a", first), ("b", second))
        if number not in found
    }
    if problems:
        raise ValidationFailed(problems)
    return found[first], found[second]


def supervised_reports(user: User) -> QuerySet[AnnualReport]:
    """The reports of the trainees the user supervises now, newest first."""
    supervised = TraineeProfile.objects.filter(supervisor=user, supervisor__is_active=True).exclude(
        user=user
    )
    return _reports().filter(trainee__in=supervised.values("pk")).order_by("-updated_at", "-id")


def to_review(user: User) -> QuerySet[AnnualReport]:
    """Reports ready for review of the trainees the user directs, oldest first."""
    return (
        _reports()
        .filter(
            trainee__in=record.directed_trainees(user).values("pk"),
            status=workflow.READY_FOR_REVIEW,
        )
        .order_by("submitted_at", "id")
    )


def reviewed_by_directed(user: User) -> QuerySet[AnnualReport]:
    """Reviewed reports of the trainees the user directs, newest first."""
    return (
        _reports()
        .filter(trainee__in=record.directed_trainees(user).values("pk"), status=workflow.REVIEWED)
        .order_by("-reviewed_at", "-id")
    )


def waiting_counts(user: User) -> tuple[int, int, int]:
    """(to review, drafts lacking the supervisor's assessment, own drafts lacking the
    trainee's reflection) for the user, in one query."""
    directed = record.directed_trainees(user).values("pk")
    supervised = (
        TraineeProfile.objects.filter(supervisor=user, supervisor__is_active=True)
        .exclude(user=user)
        .values("pk")
    )
    review = Q(trainee__in=directed, status=workflow.READY_FOR_REVIEW)
    assess = Q(trainee__in=supervised, status=workflow.DRAFT, supervisor_text="")
    reflect = Q(trainee__user=user, status=workflow.DRAFT, trainee_text="")
    counts = AnnualReport.objects.filter(review | assess | reflect).aggregate(
        review=Count("pk", filter=review),
        assess=Count("pk", filter=assess),
        reflect=Count("pk", filter=reflect),
    )
    return counts["review"], counts["assess"], counts["reflect"]
