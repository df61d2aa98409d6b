"""Reads on people and the organisation that carry permission meaning (SPEC 2, STYLE rule 6).

Getters answer `NotFound` where the object's existence is private to the caller and
`PermissionDenied` where the caller's role may not do the thing at all. References given in
a request body (a home unit, an area, a region) that the caller may not use answer
`ValidationFailed` naming the field, exactly as if the object did not exist.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from stportal.accounts.models import (
    STAFF_ROLES,
    Area,
    HomeUnit,
    Region,
    Role,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core import erasure, retention
from stportal.core.errors import NotFound, ValidationFailed
from stportal.core.permissions import require_staff
from stportal.curricula.models import CurriculumVersion, Specialty


def member_region_ids(user: User) -> set[int]:
    """Every region the person belongs to, in one query: any role held there except trainee;
    as a trainee, the region of their home unit only (the record follows the person when they
    move, the home unit says where); the regions of the trainees they supervise or direct; and
    those of course weeks in which they lead a course. Kept on the user object for the
    request."""
    from stportal.courses.models import Course

    cached = getattr(user, "_stportal_member_regions", None)
    if cached is not None:
        return set(cached)
    found = set(
        Region.objects.filter(
            Q(
                pk__in=RoleAssignment.objects.filter(user=user)
                .exclude(role=Role.TRAINEE)
                .values("region_id")
            )
            | Q(
                pk__in=HomeUnit.objects.filter(
                    Q(trainees__user=user)
                    | Q(trainees__supervisor=user)
                    | Q(trainees__study_director=user)
                ).values("region_id")
            )
            | Q(pk__in=Course.objects.filter(leaders=user).values("week__series__region_id"))
        ).values_list("pk", flat=True)
    )
    setattr(user, "_stportal_member_regions", frozenset(found))  # noqa: B010 - for the request
    return found


def trainee_id_of(user: User) -> int | None:
    return TraineeProfile.objects.filter(user=user).values_list("pk", flat=True).first()


def resolve_staff_region(user: User, value: int | str | None, *, field: str = "region") -> Region:
    """The region a new object goes to: the caller's only staff region, or the one named by id
    or code when the caller is staff in several (then it must be given)."""
    regions = Region.objects.filter(pk__in=require_staff(user))
    if value is None or value == "":
        candidates = list(regions[:2])
        if len(candidates) == 1:
            return candidates[0]
        raise ValidationFailed(
            {field: [_("You work in several regions: say which one (id or code).")]}
        )
    lookup = Q(code=str(value))
    if isinstance(value, int) or str(value).isdigit():
        lookup |= Q(pk=int(value))
    found = regions.filter(lookup).first()
    if found is None:
        raise ValidationFailed({field: [_("Unknown region.")]})
    return found


def area_in_region(region: Region, area_id: int | None, *, field: str = "area") -> Area | None:
    if area_id is None:
        return None
    area = Area.objects.filter(pk=area_id, region=region).first()
    if area is None:
        raise ValidationFailed({field: [_("Unknown area.")]})
    return area


def home_units_for_user(user: User) -> QuerySet[HomeUnit]:
    """Home units of the caller's staff regions; 403 for non-staff."""
    return (
        HomeUnit.objects.filter(region_id__in=require_staff(user))
        .select_related("region", "area")
        .order_by("region__name", "name")
    )


def home_unit_for_staff(user: User, home_unit_id: int, *, field: str = "home_unit_id") -> HomeUnit:
    """A home unit named in a request body: it must be in one of the caller's staff regions."""
    unit = (
        HomeUnit.objects.select_related("region")
        .filter(pk=home_unit_id, region_id__in=require_staff(user))
        .first()
    )
    if unit is None:
        raise ValidationFailed({field: [_("Unknown home unit.")]})
    return unit


def resolve_specialty(value: str, *, field: str = "specialty") -> Specialty:
    """A specialty by code (`allmanmedicin`) or by its Swedish name (`Allmänmedicin`)."""
    text = value.strip()
    found = Specialty.objects.filter(Q(code__iexact=text) | Q(name__iexact=text)).first()
    if found is None:
        raise ValidationFailed({field: [_("Unknown specialty.")]})
    return found


def resolve_curriculum_version(
    code: str, *, field: str = "curriculum_version"
) -> CurriculumVersion:
    found = CurriculumVersion.objects.filter(code=code).first()
    if found is None:
        raise ValidationFailed({field: [_("Unknown curriculum version.")]})
    return found


def _trainee_queryset() -> QuerySet[TraineeProfile]:
    return TraineeProfile.objects.select_related(
        "user", "specialty", "curriculum_version", "home_unit", "home_unit__region"
    )


def trainees_for_user(user: User, *, home_unit_id: int | None = None) -> QuerySet[TraineeProfile]:
    """Trainees whose home unit is in one of the caller's staff regions; 403 for non-staff."""
    found = _trainee_queryset().filter(home_unit__region_id__in=require_staff(user))
    if home_unit_id is not None:
        found = found.filter(home_unit_id=home_unit_id)
    return found.order_by("user__last_name", "user__first_name", "pk")


def get_trainee_for_user(user: User, trainee_id: int) -> TraineeProfile:
    """A trainee's record for: staff of the home unit's region, the trainee, their supervisor,
    their study director (named on the record, or holding the role for the unit's area).
    Anyone else gets 404: whether a person is a trainee here is private (SPEC 2)."""
    profile = _trainee_queryset().filter(pk=trainee_id).first()
    if profile is None:
        raise NotFound()
    if user.pk in (profile.user_id, profile.supervisor_id, profile.study_director_id):
        return profile
    unit = profile.home_unit
    allowed = RoleAssignment.objects.filter(
        Q(role__in=STAFF_ROLES)
        | Q(role=Role.STUDY_DIRECTOR, area_id=unit.area_id, area__isnull=False),
        user=user,
        region_id=unit.region_id,
    ).exists()
    if not allowed:
        raise NotFound()
    return profile


def retention_facts(user: User) -> retention.PersonFacts:
    """What the retention rule reads about a person (`core.retention`): whether the account
    is active or already anonymised, the last change to anything of theirs (every app's
    answer, `core.erasure.last_activity`) and the end of their ST."""
    from stportal.accounts.personal_data import is_anonymised

    profile = TraineeProfile.objects.filter(user=user).only("pk", "planned_completion").first()
    return retention.PersonFacts(
        active=user.is_active,
        anonymised=is_anonymised(user),
        last_activity=erasure.last_activity(user.pk, profile.pk if profile else None),
        st_completed=profile.planned_completion if profile else None,
    )


def retention_of(user: User, *, today: dt.date) -> retention.RetentionDecision:
    return retention.person_retention(
        retention_facts(user), erasure.retention_periods(), today=today
    )


def past_retention(*, today: dt.date) -> list[tuple[User, retention.RetentionDecision]]:
    """Everyone past retention on `today`, by id. Only inactive accounts are read (an active
    one never is), and superusers never are."""
    candidates = (
        User.objects.filter(is_active=False, is_superuser=False)
        .exclude(username__startswith="anonym-")
        .order_by("pk")
    )
    found = []
    for user in candidates:
        decision = retention_of(user, today=today)
        if decision.past:
            found.append((user, decision))
    return found
