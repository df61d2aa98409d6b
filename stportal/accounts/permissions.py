"""Who may change a person's account and who may grant which role (SPEC 2; security review
findings 2 and 3). Plain predicates used by the admin, the pages and the services alike.

The account fields that hand over an account (e-mail: the password reset goes there;
password; the active flag) and the roles of a person can be changed by staff only for people
wholly inside the editor's staff regions who hold no staff role themselves: a course admin
must not be able to take over the regional study director's account, or another region's
person. Django's own powers (superuser, staff flag, groups, permissions) are for superusers.

Role grants follow one rule:
1. A superuser grants and removes any role.
2. The regional study director of a region grants and removes every role of that region,
   the staff roles included (course admin, and regional study director: the certifier).
3. A course admin of a region grants and removes that region's other roles (supervisor,
   study director, course leader, unit manager, trainee), for people who hold no staff role
   and no role outside the course admin's staff regions.
4. Nobody but a superuser grants or removes a role of their own.
A person without a log-in (`actor is None`: a management command or the demo loader, run by
whoever operates the installation) is trusted like a superuser.
"""

from __future__ import annotations

from django.db.models import Q

from stportal.accounts.models import STAFF_ROLES, Role, RoleAssignment, TraineeProfile, User
from stportal.core.permissions import staff_region_ids

# Fields of a user that hand over the account (the user name is how one logs in).
PROTECTED_USER_FIELDS = frozenset({"username", "email", "password", "is_active"})
# Django's own powers: for superusers only.
SUPERUSER_ONLY_USER_FIELDS = frozenset({"is_superuser", "is_staff", "groups", "user_permissions"})


def _is_superuser(actor: User | None) -> bool:
    return actor is None or bool(actor.is_superuser and actor.is_active)


def may_move_trainee(actor: User | None, profile: TraineeProfile) -> bool:
    """Who may move a trainee to a home unit of another region (C23, SPEC 2): staff of the
    trainee's present region, who hand the record over, and superusers. The new region's
    staff see the record from the move on."""
    if _is_superuser(actor):
        return True
    assert actor is not None
    return actor.is_active and profile.home_unit.region_id in staff_region_ids(actor)


def may_export(actor: User, profile: TraineeProfile) -> bool:
    """Who may take out everything held about a trainee (GDPR): the trainee themself, and
    staff of the trainee's region (SPEC 2)."""
    if not actor.is_active:
        return False
    return actor.pk == profile.user_id or profile.home_unit.region_id in staff_region_ids(actor)


def holds_staff_role(user: User) -> bool:
    return RoleAssignment.objects.filter(user=user, role__in=STAFF_ROLES).exists()


def wholly_within(user: User, region_ids: frozenset[int]) -> bool:
    """Whether every role the person holds, and their trainee record, is in these regions."""
    outside_roles = RoleAssignment.objects.filter(user=user).exclude(region_id__in=region_ids)
    outside_record = TraineeProfile.objects.filter(user=user).exclude(
        home_unit__region_id__in=region_ids
    )
    return not outside_roles.exists() and not outside_record.exists()


def may_manage_account(actor: User | None, target: User) -> bool:
    """Whether `actor` may change the e-mail, password, active flag and roles of `target`."""
    if _is_superuser(actor):
        return True
    assert actor is not None
    regions = staff_region_ids(actor)
    if not regions or target.is_superuser or target.pk == actor.pk:
        return False
    if holds_staff_role(target):
        return False
    return wholly_within(target, regions)


def may_see_user(actor: User | None, target: User) -> bool:
    """Whether the person is within the editor's reach at all (a role or a trainee record in
    one of the editor's staff regions)."""
    if _is_superuser(actor):
        return True
    assert actor is not None
    regions = staff_region_ids(actor)
    if not regions or target.is_superuser:
        return False
    return (
        RoleAssignment.objects.filter(user=target, region_id__in=regions).exists()
        or TraineeProfile.objects.filter(user=target, home_unit__region_id__in=regions).exists()
    )


def may_edit_roles_of(actor: User | None, target: User) -> bool:
    """Whether the admin offers to add and remove roles of this person at all; each grant and
    removal is still decided by `may_manage_role`."""
    if _is_superuser(actor):
        return True
    assert actor is not None
    if target.pk == actor.pk or target.is_superuser or not may_see_user(actor, target):
        return False
    directs = RoleAssignment.objects.filter(
        user=actor, role=Role.REGIONAL_STUDY_DIRECTOR, region_id__in=staff_region_ids(actor)
    ).exists()
    return directs or may_manage_account(actor, target)


def may_change_user_field(actor: User | None, target: User, field: str) -> bool:
    """The one answer to "may this editor change this field of this person?"."""
    if _is_superuser(actor):
        return True
    if field in SUPERUSER_ONLY_USER_FIELDS:
        return False
    if not may_see_user(actor, target):
        return False
    if field in PROTECTED_USER_FIELDS:
        return may_manage_account(actor, target)
    return True


def read_only_user_fields(actor: User | None, target: User) -> frozenset[str]:
    """The protected fields this editor may see but not change for this person."""
    return frozenset(
        field for field in PROTECTED_USER_FIELDS if not may_change_user_field(actor, target, field)
    )


def may_manage_role(actor: User | None, *, user: User, role: str, region_id: int) -> bool:
    """Whether `actor` may grant `role` in the region to `user`, or take it away (the rule
    in the module docstring)."""
    if _is_superuser(actor):
        return True
    assert actor is not None
    if user.pk == actor.pk or user.is_superuser:
        return False
    held = set(
        RoleAssignment.objects.filter(
            user=actor, region_id=region_id, role__in=STAFF_ROLES
        ).values_list("role", flat=True)
    )
    if not actor.is_active or not held:
        return False
    if Role.REGIONAL_STUDY_DIRECTOR in held:
        return True
    if role in STAFF_ROLES:
        return False
    return not holds_staff_role(user) and wholly_within(user, staff_region_ids(actor))


def grantable_roles(actor: User | None, region_ids: frozenset[int] | None = None) -> list[str]:
    """The role words `actor` may grant somewhere (for the admin's choices; the service
    checks each grant against its person and region)."""
    if _is_superuser(actor):
        return [str(role) for role in Role]
    assert actor is not None
    directs = RoleAssignment.objects.filter(
        Q(region_id__in=region_ids) if region_ids is not None else Q(),
        user=actor,
        role=Role.REGIONAL_STUDY_DIRECTOR,
    ).exists()
    return [str(role) for role in Role if directs or role not in STAFF_ROLES]


# --- Planned ST completion (C5a) -------------------------------------------------------------
#
# The trainee proposes a new date for themself. The study director of the trainee's area (the
# role held for the home unit's area) or the study director named on the record, and staff of
# the home unit's region, decide proposals and may set the date directly. Nobody decides on
# their own date.


def directs_trainee(actor: User | None, profile: TraineeProfile) -> bool:
    """Whether `actor` is this trainee's study director (named, or of the home unit's area)."""
    if actor is None or not actor.is_active or actor.pk == profile.user_id:
        return False
    if profile.study_director_id == actor.pk:
        return True
    unit = profile.home_unit
    return (
        unit.area_id is not None
        and RoleAssignment.objects.filter(
            user=actor, role=Role.STUDY_DIRECTOR, region_id=unit.region_id, area_id=unit.area_id
        ).exists()
    )


def may_decide_planned_completion(actor: User | None, profile: TraineeProfile) -> bool:
    """Confirm or reject a proposal, or set the date directly (C5a)."""
    if actor is None:
        return True  # a command or the demo loader, run by whoever operates the installation
    if actor.pk == profile.user_id:
        return False
    if profile.home_unit.region_id in staff_region_ids(actor):
        return True
    return directs_trainee(actor, profile)


def may_propose_planned_completion(actor: User | None, profile: TraineeProfile) -> bool:
    """The trainee for themself, and whoever may decide."""
    if actor is not None and actor.is_active and actor.pk == profile.user_id:
        return True
    return may_decide_planned_completion(actor, profile)


def may_see_planned_completion_history(actor: User | None, profile: TraineeProfile) -> bool:
    return may_propose_planned_completion(actor, profile)


def may_import_trainees(actor: User | None, region_id: int) -> bool:
    """HR import into a region: its staff only (and commands run by the operator)."""
    return actor is None or region_id in staff_region_ids(actor)


# --- The trainee's ST record (SPEC 2, section 5) ---------------------------------------------
#
# One home for who may do what with a trainee's record, used by every app of the record
# (coverage, funding applications, supervisor statements, ST-day certificates) in its pages,
# API and services alike:
# - the trainee reads their own record;
# - their supervisor (named on the record) reads it, writes statements and certifies ST-days;
# - their study director (named on the record, or holding the study director role for the home
#   unit's area) reads it, decides funding applications and reviews statements, and so does
#   the regional study director of the home unit's region ("everything a study director may,
#   region-wide");
# - the region's staff (course admins too) read it.
# Nobody directs or supervises their own record.


def supervises(actor: User | None, profile: TraineeProfile) -> bool:
    """Whether `actor` is this trainee's supervisor."""
    return (
        actor is not None
        and actor.is_active
        and actor.pk != profile.user_id
        and profile.supervisor_id == actor.pk
    )


def regionally_directs(actor: User | None, profile: TraineeProfile) -> bool:
    """Whether `actor` is the regional study director of the trainee's region."""
    if actor is None or not actor.is_active or actor.pk == profile.user_id:
        return False
    return RoleAssignment.objects.filter(
        user=actor, role=Role.REGIONAL_STUDY_DIRECTOR, region_id=profile.home_unit.region_id
    ).exists()


def may_direct_record(actor: User | None, profile: TraineeProfile) -> bool:
    """The study director's powers over this trainee's record: decide funding applications
    and provider exceptions, review supervisor statements."""
    return directs_trainee(actor, profile) or regionally_directs(actor, profile)


def may_read_record(actor: User | None, profile: TraineeProfile) -> bool:
    """Whether `actor` may read this trainee's record at all."""
    if actor is None:
        return True  # a command or the demo loader, run by whoever operates the installation
    if not actor.is_active:
        return False
    if actor.pk == profile.user_id or supervises(actor, profile):
        return True
    if profile.home_unit.region_id in staff_region_ids(actor):
        return True
    return may_direct_record(actor, profile)


def _directed_condition(actor: User) -> Q:
    areas = RoleAssignment.objects.filter(
        user=actor, role=Role.STUDY_DIRECTOR, area__isnull=False
    ).values("area_id")
    regions = RoleAssignment.objects.filter(user=actor, role=Role.REGIONAL_STUDY_DIRECTOR).values(
        "region_id"
    )
    return (
        Q(study_director=actor)
        | Q(home_unit__area_id__in=areas)
        | Q(home_unit__region_id__in=regions)
    )


def directed_trainees(actor: User | None):
    """The trainees whose record `actor` directs (`may_direct_record` as a query)."""
    if actor is None or not actor.is_active:
        return TraineeProfile.objects.none()
    return TraineeProfile.objects.filter(_directed_condition(actor)).exclude(user=actor)


def readable_trainees(actor: User | None):
    """The trainees whose record `actor` may read, themself included (`may_read_record` as a
    query)."""
    if actor is None:
        return TraineeProfile.objects.all()
    if not actor.is_active:
        return TraineeProfile.objects.none()
    others = (
        Q(supervisor=actor)
        | Q(home_unit__region_id__in=staff_region_ids(actor))
        | _directed_condition(actor)
    )
    return TraineeProfile.objects.filter(Q(user=actor) | (others & ~Q(user=actor)))
