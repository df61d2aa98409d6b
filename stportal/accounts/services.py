"""Writes on people and the organisation. Each writes its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts import permissions
from stportal.accounts.models import (
    Area,
    HomeUnit,
    Region,
    Role,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core import audit, erasure, personnummer
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from stportal.curricula.models import CurriculumVersion, Specialty


def create_home_unit(
    *,
    actor: User | None,
    region: Region,
    name: str,
    cost_centre: str = "",
    area: Area | None = None,
    away_from_host_site: bool = False,
    invoice_address: str = "",
) -> HomeUnit:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter a name.")]
    if area is not None and area.region_id != region.pk:
        errors["area"] = [_("The area belongs to another region.")]
    if HomeUnit.objects.filter(region=region, name=name.strip()).exists():
        errors["name"] = [_("A home unit with this name already exists.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        unit = HomeUnit.objects.create(
            region=region,
            area=area,
            name=name.strip(),
            cost_centre=cost_centre.strip(),
            away_from_host_site=away_from_host_site,
            invoice_address=invoice_address.strip(),
        )
        audit.record(actor=actor, action="home_unit.created", obj=unit, after=audit.snapshot(unit))
    return unit


def create_trainee(
    *,
    actor: User | None,
    first_name: str,
    last_name: str,
    email: str,
    personal_id: str,
    specialty: Specialty,
    curriculum_version: CurriculumVersion,
    planned_completion: dt.date,
    home_unit: HomeUnit,
    employment_percent: int = 100,
    st_start: dt.date | None = None,
    supervisor: User | None = None,
    study_director: User | None = None,
    username: str | None = None,
    today: dt.date | None = None,
) -> TraineeProfile:
    """Create a person with a trainee profile. The personal identity number is validated
    (checksum, samordningsnummer, century sign) and stored in its 12-digit form."""
    errors: dict[str, list[str]] = {}
    try:
        stored_id = personnummer.normalise(personal_id, today=today)
    except personnummer.InvalidPersonnummer as exc:
        errors["personal_id"] = [str(exc)]
        stored_id = ""
    if stored_id and TraineeProfile.objects.filter(personal_id=stored_id).exists():
        errors["personal_id"] = [_("A trainee with this personal identity number exists.")]
    if not first_name.strip():
        errors["first_name"] = [_("Enter a first name.")]
    if not last_name.strip():
        errors["last_name"] = [_("Enter a last name.")]
    if not 1 <= employment_percent <= 100:
        errors["employment_percent"] = [_("Enter a percentage between 1 and 100.")]
    if st_start and planned_completion and planned_completion < st_start:
        errors["planned_completion"] = [_("Planned completion is before the ST start.")]
    login = (username or email or stored_id).strip().lower()
    if login and User.objects.filter(username=login).exists():
        errors["email" if not username else "username"] = [_("This user name is taken.")]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=login,
                email=email.strip(),
                first_name=first_name.strip(),
                last_name=last_name.strip(),
            )
            profile = TraineeProfile.objects.create(
                user=user,
                personal_id=stored_id,
                specialty=specialty,
                curriculum_version=curriculum_version,
                planned_completion=planned_completion,
                home_unit=home_unit,
                employment_percent=employment_percent,
                st_start=st_start,
                supervisor=supervisor,
                study_director=study_director,
            )
            RoleAssignment.objects.get_or_create(
                user=user, role=Role.TRAINEE, region=home_unit.region, area=None, home_unit=None
            )
            audit.record(
                actor=actor, action="trainee.created", obj=profile, after=audit.snapshot(profile)
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            {"personal_id": [_("A trainee with this personal identity number exists.")]}
        ) from exc
    return profile


def _refuse_role(role: str) -> PermissionDenied:
    return PermissionDenied(
        _("You may not grant or remove the role of %(role)s for this person in this region.")
        % {"role": Role(role).label}
    )


def grant_role(
    *,
    actor: User | None,
    user: User,
    role: str,
    region: Region,
    area: Area | None = None,
    home_unit: HomeUnit | None = None,
) -> RoleAssignment:
    """Give `user` a role in a region (SPEC 2), if `actor` may (`permissions.may_manage_role`:
    a superuser; the region's regional study director; a course admin for the region's other
    roles; never to oneself). Granting a role the person already holds changes nothing."""
    if role not in Role.values:
        raise ValidationFailed({"role": [_("Unknown role.")]})
    errors: dict[str, list[str]] = {}
    if area is not None and area.region_id != region.pk:
        errors["area"] = [_("It belongs to another region.")]
    if home_unit is not None and home_unit.region_id != region.pk:
        errors["home_unit"] = [_("It belongs to another region.")]
    if errors:
        raise ValidationFailed(errors)
    if not permissions.may_manage_role(actor, user=user, role=role, region_id=region.pk):
        raise _refuse_role(role)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, region=region, area=area, home_unit=home_unit
        )
        if created:
            audit.record(
                actor=actor,
                action="role.granted",
                obj=assignment,
                after=audit.snapshot(assignment),
            )
    return assignment


def move_trainee(
    *, actor: User | None, profile: TraineeProfile, home_unit: HomeUnit
) -> TraineeProfile:
    """Move a trainee to a home unit of another region (C23): the whole record stays with
    them, and the new region's staff see it from now on, the old region's no longer.

    1. Staff of the trainee's present region, or a superuser (404 to anyone else, as for an
       unknown trainee); the new unit must lie in another region (422 `home_unit`: a move
       within the region is an ordinary change of home unit).
    2. The trainee role moves with them. The supervisor and study director belonged to the
       old region, so the links are ended; the new region's staff name new ones.
    3. Registrations made before keep the home unit they were made with: what they cost was
       the old unit's (C14).
    4. Audited as `trainee.moved`, with both regions.
    """
    if not permissions.may_move_trainee(actor, profile):
        raise NotFound()
    with transaction.atomic():
        locked = (
            TraineeProfile.objects.select_for_update(of=("self",))
            .select_related("home_unit")
            .get(pk=profile.pk)
        )
        if not permissions.may_move_trainee(actor, locked):
            raise NotFound()
        old_region_id = locked.home_unit.region_id
        if home_unit.region_id == old_region_id:
            raise ValidationFailed(
                {"home_unit": [_("The home unit is in the trainee's own region.")]}
            )
        before = audit.snapshot(locked)
        locked.home_unit = home_unit
        locked.supervisor = None
        locked.study_director = None
        locked.save(update_fields=["home_unit", "supervisor", "study_director"])
        RoleAssignment.objects.filter(
            user_id=locked.user_id, role=Role.TRAINEE, region_id=old_region_id
        ).delete()
        RoleAssignment.objects.get_or_create(
            user_id=locked.user_id,
            role=Role.TRAINEE,
            region_id=home_unit.region_id,
            area=None,
            home_unit=None,
        )
        audit.record(
            actor=actor,
            action="trainee.moved",
            obj=locked,
            before={**before, "region_id": old_region_id},
            after={**audit.snapshot(locked), "region_id": home_unit.region_id},
        )
    return locked


def revoke_role(*, actor: User | None, assignment: RoleAssignment) -> None:
    """Take a role away (the same rule as `grant_role`). The person's API tokens are revoked
    with it: a script must not keep powers its owner no longer has."""
    from stportal.accounts.tokens import revoke_all_api_tokens

    user = assignment.user
    if not permissions.may_manage_role(
        actor, user=user, role=assignment.role, region_id=assignment.region_id
    ):
        raise _refuse_role(assignment.role)
    with transaction.atomic():
        before = audit.snapshot(assignment)
        deleted, _rows = RoleAssignment.objects.filter(pk=assignment.pk).delete()
        if not deleted:
            return  # removed meanwhile: nothing more to do
        audit.record(actor=actor, action="role.revoked", obj=assignment, before=before)
        revoke_all_api_tokens(actor=actor, user=user, reason="role_revoked")


# User fields the admin may change, in the order they are compared.
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "language",
    "specialist_in",
    "is_active",
    "is_staff",
    "is_superuser",
)
USER_MANY_FIELDS = ("groups", "user_permissions")


def change_user(*, actor: User | None, user: User, changes: dict[str, Any]) -> User:
    """Change a person's account fields (security review finding 2).

    1. Every changed field is checked with `permissions.may_change_user_field`; one refusal
       refuses the whole change, whatever the form showed (a crafted POST changes nothing).
    2. The row is locked, changed and audited (field by field, before and after).
    3. A changed e-mail address is told to the old address, in the person's language, after
       commit: whoever changed it cannot also hide it from the owner.
    """
    unknown = set(changes) - set(USER_FIELDS) - set(USER_MANY_FIELDS)
    if unknown:
        raise ValidationFailed(
            {name: [_("This field cannot be changed here.")] for name in unknown}
        )
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for name in USER_FIELDS:
            if name in changes and changes[name] != getattr(current, name):
                before[name], after[name] = getattr(current, name), changes[name]
        for name in USER_MANY_FIELDS:
            if name in changes:
                old = sorted(getattr(current, name).values_list("pk", flat=True))
                new = sorted(item.pk for item in changes[name])
                if old != new:
                    before[name], after[name] = old, new
        refused = [n for n in after if not permissions.may_change_user_field(actor, current, n)]
        if refused:
            raise PermissionDenied(
                _(
                    "You may not change the user name, e-mail address, password, active flag or "
                    "roles of this person."
                )
            )
        if not after:
            return current
        for name in USER_FIELDS:
            if name in after:
                setattr(current, name, after[name])
        current.save(update_fields=[n for n in USER_FIELDS if n in after] or None)
        for name in USER_MANY_FIELDS:
            if name in after:
                getattr(current, name).set(changes[name])
        audit.record(actor=actor, action="user.changed", obj=current, before=before, after=after)
        if "email" in after and before["email"]:
            _tell_old_address(actor=actor, user=current, old=before["email"], new=after["email"])
    return current


def create_person(
    *,
    actor: User | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    language: str,
    role: str,
    region: Region,
    area: Area | None = None,
    home_unit: HomeUnit | None = None,
) -> User:
    """A new person (not a trainee: `create_trainee`) with their first role, which `actor`
    must be allowed to grant. No password: the person uses the password reset or single
    sign-on."""
    with transaction.atomic():
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            language=language,
        )
        user.set_unusable_password()
        user.save()
        audit.record(
            actor=actor,
            action="user.created",
            obj=user,
            after=audit.snapshot(
                user, ["username", "first_name", "last_name", "email", "language", "is_active"]
            ),
        )
        grant_role(actor=actor, user=user, role=role, region=region, area=area, home_unit=home_unit)
    return user


def record_password_set(*, actor: User | None, user: User) -> None:
    """Audit a password that someone else set (the admin's password form; Django's form does
    the setting, the User model revokes the person's API tokens)."""
    audit.record(actor=actor, action="user.password_set", obj=user, after={"password_set": True})


def set_own_language(*, actor: User, language: str) -> User:
    """The person's own language, for the pages and the e-mail they are sent (C22): set from
    the language switch by the person themself, audited when it changes."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationFailed({"language": [_("Choose Swedish or English.")]})
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=actor.pk)
        if current.language == language:
            return current
        before = {"language": current.language}
        current.language = language
        current.save(update_fields=["language"])
        audit.record(
            actor=actor,
            action="user.language_set",
            obj=current,
            before=before,
            after={"language": language},
        )
    return current


def _tell_old_address(*, actor: User | None, user: User, old: str, new: str) -> None:
    # The outbox lives in a later layer (it renders e-mail for the registration engine too);
    # imported here so that accounts stays importable without it.
    from stportal.notifications.services import queue_email

    queue_email(
        kind="email_changed",
        to_user=user,
        to_email=old,
        language=user.language,
        context={
            "new_email": new,
            "changed_by": actor.display_name if actor is not None else "",
            "changed_at": timezone.now(),
        },
    )


def record_personal_id_viewed(*, actor: User, profile: TraineeProfile, where: str) -> None:
    """The access log of full personal identity numbers (SPEC 7): someone other than the
    person was shown the whole number, on the page named by `where`."""
    if actor.pk == profile.user_id:
        return
    audit.record(
        actor=actor,
        action="personal_id.viewed",
        obj=profile,
        after={"trainee_id": profile.pk, "where": where},
    )


def anonymise_person(*, actor: User | None, user_id: int, today: dt.date) -> erasure.Report:
    """Erase a person past retention by anonymisation (GDPR art. 17, SPEC 7; the rule is
    `core.retention`, the places are every app's anonymiser, `core.erasure`).

    In one transaction: the person is locked and checked (refused with `not_past_retention`
    when the retention period has not run, or they are active or already anonymised), every
    app clears what it holds about them, then the audit trail, the history tables and the
    admin's log lose their name and number. The rows statistics and the fee ledger need
    stay, linked to the anonymised person. The audit event `person.anonymised` names no one.
    `actor` None is the erase-personal-data command; in the admin, whoever may manage the
    person's account (`permissions.may_manage_account`)."""
    from stportal.accounts import selectors
    from stportal.accounts.personal_data import is_anonymised

    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        if not permissions.may_manage_account(actor, user):
            raise PermissionDenied(_("You may not anonymise this person."))
        decision = selectors.retention_of(user, today=today)
        if not decision.past:
            raise ServiceError(
                "not_past_retention",
                _("The person is not past the retention period: nothing was changed.")
                if not is_anonymised(user)
                else _("The person is already anonymised."),
            )
        profile = TraineeProfile.objects.filter(user=user).first()
        needles, names = erasure.needles_of(
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            username=user.username,
            personal_id=profile.personal_id if profile else "",
        )
        person = erasure.Person(
            user_id=user.pk,
            trainee_id=profile.pk if profile else None,
            needles=needles,
            names=names,
        )
        report = erasure.anonymise(person)
        audit.record(
            actor=actor,
            action=erasure.ANONYMISED_ACTION,
            obj=User.objects.get(pk=user.pk),
            after={
                "user_id": user.pk,
                "trainee_id": person.trainee_id,
                "past_retention_from": decision.from_date,
                "rows": report.parts,
            },
        )
    return report


def expire_old_data(*, today: dt.date) -> dict[str, int]:
    """What expires for everyone after its own period (sent e-mail, `core.erasure.expire`),
    in one transaction; rows cleared by kind."""
    with transaction.atomic():
        return erasure.expire(today, apply=True)
