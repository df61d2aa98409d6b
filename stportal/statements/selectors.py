"""Reads on supervisor statements (P5), with permission meaning.

A statement outside the caller's reach and an unknown one answer alike: `NotFound`.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from stportal.accounts import permissions as record
from stportal.accounts.models import TraineeProfile, User
from stportal.core.errors import NotFound, ValidationFailed
from stportal.statements import permissions, workflow
from stportal.statements.models import StatementVersion, SupervisorStatement


def _statements() -> QuerySet[SupervisorStatement]:
    return SupervisorStatement.objects.select_related(
        "trainee__user", "trainee__home_unit", "supervisor", "reviewed_by"
    )


def get_statement_for_user(user: User | None, statement_id: int) -> SupervisorStatement:
    """A statement the caller may read (`permissions.may_read_statement`), else 404."""
    statement = _statements().filter(pk=statement_id).first()
    if statement is None:
        raise NotFound()
    permissions.check_readable(user, statement)
    return statement


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


def statements_of(user: User | None, profile: TraineeProfile) -> QuerySet[SupervisorStatement]:
    """The trainee's statements the caller reads, newest first: all of them for the
    supervisor, directors and staff; for the trainee not the drafts (`workflow.shown_to_trainee`).
    The caller must read the record (`get_trainee_for_reader`)."""
    found = _statements().filter(trainee=profile)
    if user is not None and user.pk == profile.user_id:
        found = found.filter(
            status__in=[s for s in workflow.STATES if workflow.shown_to_trainee(s)]
        )
    return found.order_by("-created_at", "-id")


def versions_of(statement: SupervisorStatement) -> QuerySet[StatementVersion]:
    """Every version of the statement, oldest first."""
    return statement.versions.select_related("written_by").order_by("number")


def version_pair(
    statement: SupervisorStatement, first: int, second: int
) -> tuple[StatementVersion, StatementVersion]:
    """Two versions of one statement by number (422 naming the one that does not exist)."""
    found = {v.number: v for v in versions_of(statement).filter(number__in=[first, second])}
    problems = {
        name: [_("There is no such version of the statement.")]
        for name, number in (("a", first), ("b", second))
        if number not in found
    }
    if problems:
        raise ValidationFailed(problems)
    return found[first], found[second]


def supervised_trainees(user: User) -> QuerySet[TraineeProfile]:
    """The trainees the user supervises now (who they write statements for)."""
    return (
        TraineeProfile.objects.filter(supervisor=user, supervisor__is_active=True)
        .exclude(user=user)
        .select_related("user", "home_unit")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def written_by_me(user: User) -> QuerySet[SupervisorStatement]:
    """The statements for the trainees the user supervises now, newest first."""
    return (
        _statements()
        .filter(trainee__in=supervised_trainees(user).values("pk"))
        .order_by("-updated_at", "-id")
    )


def to_review(user: User) -> QuerySet[SupervisorStatement]:
    """Statements ready for review of the trainees the user directs, oldest first."""
    return (
        _statements()
        .filter(
            trainee__in=record.directed_trainees(user).values("pk"),
            status=workflow.READY_FOR_REVIEW,
        )
        .order_by("submitted_at", "id")
    )


def reviewed_by_directed(user: User) -> QuerySet[SupervisorStatement]:
    """Reviewed statements of the trainees the user directs, newest first."""
    return (
        _statements()
        .filter(
            trainee__in=record.directed_trainees(user).values("pk"),
            status=workflow.REVIEWED,
        )
        .order_by("-reviewed_at", "-id")
    )


def waiting_counts(user: User) -> tuple[int, int, int]:
    """(to review, drafts never sent, drafts sent back) for the user, in one query."""
    directed = record.directed_trainees(user).values("pk")
    supervised = supervised_trainees(user).values("pk")
    counts = SupervisorStatement.objects.filter(
        Q(trainee__in=directed, status=workflow.READY_FOR_REVIEW)
        | Q(trainee__in=supervised, status=workflow.DRAFT)
    ).aggregate(
        review=Count("pk", filter=Q(trainee__in=directed, status=workflow.READY_FOR_REVIEW)),
        drafts=Count(
            "pk",
            filter=Q(trainee__in=supervised, status=workflow.DRAFT, reviewed_at__isnull=True),
        ),
        sent_back=Count(
            "pk",
            filter=Q(trainee__in=supervised, status=workflow.DRAFT, reviewed_at__isnull=False),
        ),
    )
    return counts["review"], counts["drafts"], counts["sent_back"]
