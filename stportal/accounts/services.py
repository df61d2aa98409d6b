"""Writes on people and the organisation. Each writes its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stportal.accounts.models import (
    Area,
    HomeUnit,
    Region,
    Role,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core import audit, personnummer
from stportal.core.errors import ValidationFailed
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
            after = audit.snapshot(profile)
            after["personal_id"] = personnummer.mask(stored_id)  # never in logs in clear
            audit.record(actor=actor, action="trainee.created", obj=profile, after=after)
    except IntegrityError as exc:
        raise ValidationFailed(
            {"personal_id": [_("A trainee with this personal identity number exists.")]}
        ) from exc
    return profile


def assign_role(
    *,
    actor: User | None,
    user: User,
    role: str,
    region: Region,
    area: Area | None = None,
    home_unit: HomeUnit | None = None,
) -> RoleAssignment:
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, region=region, area=area, home_unit=home_unit
        )
        if created:
            audit.record(
                actor=actor,
                action="role.assigned",
                obj=assignment,
                after=audit.snapshot(assignment),
            )
    return assignment
