"""Reads of competence assessments (SPEC 5 P12), through the permission checks of
`assessments.permissions`: what a caller may not see answers 404."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import directed_trainees, may_read_record, readable_trainees
from stportal.assessments import permissions, rules
from stportal.assessments.models import Assessment, Independence, Kind, RegionExpectation
from stportal.core.errors import NotFound
from stportal.core.yearly import YearSection
from stportal.curricula.models import Goal, GoalKind

BT_VERSION = "2021"  # the only curriculum version with BT goals
_PROFILE_RELATED = ("user", "home_unit", "specialty", "curriculum_version")


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _assessments() -> QuerySet[Assessment]:
    return Assessment.objects.select_related(
        "trainee__user", "trainee__home_unit", "trainee__curriculum_version"
    )


def own_profile(user: User | None) -> TraineeProfile | None:
    if user is None or not user.is_authenticated:
        return None
    return TraineeProfile.objects.select_related(*_PROFILE_RELATED).filter(user=user).first()


def get_trainee_for_user(user: User | None, trainee_id: int) -> TraineeProfile:
    """The trainee's record if `user` may read it, else 404."""
    profile = (
        readable_trainees(user).select_related(*_PROFILE_RELATED).filter(pk=trainee_id).first()
    )
    if profile is None or not may_read_record(user, profile):
        raise NotFound()
    return profile


def assessments_of(profile: TraineeProfile) -> QuerySet[Assessment]:
    """A trainee's assessments, newest first (withdrawn ones too, marked)."""
    return _assessments().filter(trainee=profile)


def get_assessment_for_user(user: User | None, assessment_id: int) -> Assessment:
    assessment = _assessments().filter(pk=assessment_id).first()
    if assessment is None or not permissions.may_read(user, assessment):
        raise NotFound()
    return assessment


def by_token(token: str) -> Assessment | None:
    """The assessment behind an assessor link, whatever its state; None for a token nobody
    holds (a wrong one, or one replaced when the link was sent again)."""
    if not token or len(token) > 200:
        return None
    return _assessments().filter(token_digest=digest_of(token)).first()


def to_assess(user: User | None) -> QuerySet[Assessment]:
    """Pending assessments that name one of the person's verified addresses."""
    emails = permissions.verified_emails(user)
    if not emails or user is None:
        return Assessment.objects.none()
    condition = Q()
    for email in emails:
        condition |= Q(assessor_email__iexact=email)
    return (
        _assessments()
        .filter(condition, status=rules.REQUESTED)
        .exclude(trainee__user=user)
        .order_by("link_expires_at", "pk")
    )


def goals_of(profile: TraineeProfile) -> QuerySet[Goal]:
    """The goals of the trainee's curriculum version: the general ones and the specialty's
    (BT goals in the 2021 version only)."""
    return (
        Goal.objects.filter(version_id=profile.curriculum_version_id)
        .filter(Q(specialty__isnull=True) | Q(specialty_id=profile.specialty_id))
        .exclude(Q(kind=GoalKind.BT) & ~Q(version__code=BT_VERSION))
        .order_by("position", "code")
    )


def expected_per_year(region_id: int) -> int:
    """The region's expectation, else the installation's default."""
    found = (
        RegionExpectation.objects.filter(region_id=region_id)
        .values_list("per_year", flat=True)
        .first()
    )
    return found if found is not None else int(settings.ASSESSMENTS_PER_YEAR)


def progress_of(profile: TraineeProfile, today: dt.date) -> rules.YearProgress:
    """This year's completed assessments against the region's expectation (two queries)."""
    days = Assessment.objects.filter(
        trainee=profile,
        status=rules.COMPLETED,
        assessed_on__year=today.year,
    ).values_list("assessed_on", flat=True)
    return rules.year_progress(
        [day for day in days if day is not None],
        expected_per_year(profile.home_unit.region_id),
        today,
    )


def progress_text(progress: rules.YearProgress) -> str:
    return _("%(done)d of %(expected)d this year") % {
        "done": progress.done,
        "expected": progress.expected,
    }


def progress_for(profiles: list[TraineeProfile], today: dt.date) -> dict[int, rules.YearProgress]:
    """This year's progress of each trainee (their `home_unit` loaded): two queries whatever
    the number of trainees."""
    if not profiles:
        return {}
    regions = {p.home_unit.region_id for p in profiles}
    expectations = dict(
        RegionExpectation.objects.filter(region_id__in=regions).values_list("region_id", "per_year")
    )
    days: dict[int, list[dt.date]] = {p.pk: [] for p in profiles}
    for trainee_id, day in Assessment.objects.filter(
        trainee_id__in=list(days), status=rules.COMPLETED, assessed_on__year=today.year
    ).values_list("trainee_id", "assessed_on"):
        if day is not None:
            days[trainee_id].append(day)
    default = int(settings.ASSESSMENTS_PER_YEAR)
    return {
        profile.pk: rules.year_progress(
            days[profile.pk], expectations.get(profile.home_unit.region_id, default), today
        )
        for profile in profiles
    }


def followed_trainees(user: User) -> QuerySet[TraineeProfile]:
    """The trainees `user` supervises or whose record they direct, not themself."""
    if not user.is_active:
        return TraineeProfile.objects.none()
    return (
        TraineeProfile.objects.filter(
            Q(supervisor=user) | Q(pk__in=directed_trainees(user).values("pk"))
        )
        .exclude(user=user)
        .select_related("user", "home_unit")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def trainees_behind(user: User, today: dt.date) -> list[tuple[TraineeProfile, rules.YearProgress]]:
    """The trainees `user` supervises who are behind this year (three queries whatever the
    number of trainees)."""
    if not user.is_active:
        return []
    profiles = list(
        TraineeProfile.objects.filter(supervisor=user)
        .exclude(user=user)
        .select_related("user", "home_unit")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    progress = progress_for(profiles, today)
    return [(p, progress[p.pk]) for p in profiles if progress[p.pk].behind]


def year_section(trainee_id: int, start: dt.date, end: dt.date) -> YearSection | None:
    """SPEC 5 P13: the period's completed assessments with kind, goals and independence, and
    the count against the region's expectation. Two queries."""
    profile = TraineeProfile.objects.select_related("home_unit").filter(pk=trainee_id).first()
    if profile is None:
        return None
    rows = list(
        Assessment.objects.filter(
            trainee_id=trainee_id,
            status=rules.COMPLETED,
            assessed_on__gte=start,
            assessed_on__lte=end,
        ).order_by("assessed_on", "pk")
    )
    expected = expected_per_year(profile.home_unit.region_id)
    lines = [
        _("%(date)s %(kind)s, goals %(goals)s: %(independence)s (assessed by %(assessor)s)")
        % {
            "date": row.assessed_on.isoformat() if row.assessed_on else "",
            "kind": Kind(row.kind).label,
            "goals": ", ".join(row.goals_shown) or "–",
            "independence": Independence(row.independence).label if row.independence else "–",
            "assessor": row.assessor_name,
        }
        for row in rows
    ]
    lines.append(
        ngettext(
            "%(done)d completed assessment; the region expects %(expected)d a year.",
            "%(done)d completed assessments; the region expects %(expected)d a year.",
            len(rows),
        )
        % {"done": len(rows), "expected": expected}
    )
    return YearSection(
        key="assessments",
        title=_("Competence assessments"),
        lines=lines,
        order=40,
    )
