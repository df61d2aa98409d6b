"""Reads of ST-day certificates (SPEC 5 P4), through the permission checks of
`stdays.permissions`: what a caller may not see answers 404."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import may_read_record, readable_trainees
from stportal.certificates import lifecycle
from stportal.certificates.selectors import Verification
from stportal.core.dates import local_date
from stportal.core.errors import NotFound
from stportal.curricula.coverage import ST_DAY, Covering
from stportal.curricula.models import Goal, MandatorySubject
from stportal.stdays import permissions
from stportal.stdays.models import StDayCertificate


def _certificates() -> QuerySet[StDayCertificate]:
    return StDayCertificate.objects.select_related(
        "trainee__user", "trainee__home_unit", "subject", "issued_by"
    )


def certificates_of_trainee(profile: TraineeProfile) -> QuerySet[StDayCertificate]:
    """A trainee's ST-day certificates, newest first (revoked ones too, marked)."""
    return _certificates().filter(trainee=profile)


def certificates_for_supervisor(user: User) -> QuerySet[StDayCertificate]:
    """What a supervisor issued, and the certificates of their trainees now."""
    return (
        _certificates()
        .filter(
            Q(issued_by=user) | Q(trainee__supervisor=user, trainee__supervisor__is_active=True)
        )
        .exclude(trainee__user=user)
    )


def supervised_trainees(user: User) -> QuerySet[TraineeProfile]:
    """The trainees whose supervisor `user` is (those they issue ST-day certificates for)."""
    if not user.is_active:
        return TraineeProfile.objects.none()
    return (
        TraineeProfile.objects.filter(supervisor=user)
        .exclude(user=user)
        .select_related("user", "specialty", "curriculum_version", "home_unit")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def get_trainee_for_user(user: User | None, trainee_id: int) -> TraineeProfile:
    """The trainee's record if `user` may read it, else 404."""
    profile = (
        readable_trainees(user)
        .select_related("user", "home_unit", "specialty", "curriculum_version")
        .filter(pk=trainee_id)
        .first()
    )
    if profile is None or not may_read_record(user, profile):
        raise NotFound()
    return profile


def mandatory_subjects_of(profile: TraineeProfile) -> QuerySet[MandatorySubject]:
    """The mandatory subjects of the trainee's specialty and curriculum version, with their
    goals: the subjects an ST-day certificate may correspond to."""
    return (
        MandatorySubject.objects.filter(
            specialty_id=profile.specialty_id, version_id=profile.curriculum_version_id
        )
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position", "code")))
        .order_by("position", "name", "pk")
    )


@dataclass(frozen=True)
class Access:
    certificate: StDayCertificate
    copy: bool


def get_certificate_for_user(user: User | None, certificate_id: int) -> Access:
    """One certificate and whether the caller gets a copy, or 404."""
    certificate = _certificates().filter(pk=certificate_id).first()
    if certificate is None or not permissions.may_read(user, certificate):
        raise NotFound()
    return Access(certificate, copy=not permissions.may_see_original(user, certificate))


def verify(code: str) -> Verification | None:
    """The ST-day certificate behind a verification code, or None when there is none."""
    normalised = lifecycle.normalise_code(code)
    if not normalised:
        return None
    certificate = (
        StDayCertificate.objects.filter(verification_code=normalised)
        .only("revoked_at", "content", "title", "issued_at")
        .first()
    )
    if certificate is None:
        return None
    return Verification(
        valid=not certificate.is_revoked,
        revoked=certificate.is_revoked,
        trainee_name=certificate.trainee_name,
        course_title=certificate.title,
        issued_on=local_date(certificate.issued_at),
    )


def coverage_source(trainee_ids: Collection[int]) -> dict[int, list[Covering]]:
    """SPEC 5 P1: every ST-day certificate not revoked covers its goals and its mandatory
    subject. One query whatever the number of trainees."""
    found: dict[int, list[Covering]] = defaultdict(list)
    rows = (
        StDayCertificate.objects.filter(trainee_id__in=list(trainee_ids), revoked_at__isnull=True)
        .values_list("pk", "trainee_id", "title", "goal_codes", "subject_id", "issued_at")
        .order_by("pk")
    )
    for pk, trainee_id, title, goal_codes, subject_id, issued_at in rows:
        found[trainee_id].append(
            Covering(
                kind=ST_DAY,
                id=pk,
                title=title,
                goal_codes=frozenset(str(code) for code in goal_codes or ()),
                subject_ids=frozenset({subject_id}),
                on=local_date(issued_at),
            )
        )
    return dict(found)
