"""People and the organisation: trainees with validated personal identity numbers."""

import datetime as dt

import pytest

from stportal.accounts import services
from stportal.accounts.models import Role
from stportal.accounts.roles import roles_of
from stportal.core.errors import ValidationFailed
from stportal.core.models import AuditEvent
from stportal.curricula.models import CurriculumVersion, Specialty


def trainee_args(home_unit, **overrides):
    values = {
        "first_name": "Åsa",
        "last_name": "Öberg",
        "email": "asa.oberg@example.org",
        "personal_id": "811218-9876",
        "specialty": Specialty.objects.get(code="allmanmedicin"),
        "curriculum_version": CurriculumVersion.objects.get(code="2015"),
        "planned_completion": dt.date(2028, 6, 30),
        "home_unit": home_unit,
        "employment_percent": 100,
        "today": dt.date(2026, 11, 30),
    }
    values.update(overrides)
    return values


def test_trainee_personal_id_is_stored_in_twelve_digits(home_unit, course_admin):
    """Appendix B: accept the common forms, store YYYYMMDDNNNC."""
    profile = services.create_trainee(actor=course_admin, **trainee_args(home_unit))
    assert profile.personal_id == "198112189876"
    assert Role.TRAINEE in roles_of(profile.user)
    event = AuditEvent.objects.get(action="trainee.created")
    assert event.after["personal_id"] == "19811218-****"  # never in the audit trail in clear


def test_invalid_checksum_is_refused_naming_the_field(home_unit, course_admin):
    with pytest.raises(ValidationFailed) as caught:
        services.create_trainee(
            actor=course_admin, **trainee_args(home_unit, personal_id="811218-9875")
        )
    assert "personal_id" in caught.value.fields


def test_same_person_twice_is_refused(home_unit, course_admin):
    services.create_trainee(actor=course_admin, **trainee_args(home_unit))
    with pytest.raises(ValidationFailed) as caught:
        services.create_trainee(
            actor=course_admin,
            **trainee_args(home_unit, email="other@example.org", personal_id="198112189876"),
        )
    assert "personal_id" in caught.value.fields


def test_home_unit_names_are_unique_within_a_region(region, course_admin):
    services.create_home_unit(actor=course_admin, region=region, name="HC Ålidhem", cost_centre="1")
    with pytest.raises(ValidationFailed) as caught:
        services.create_home_unit(actor=course_admin, region=region, name="HC Ålidhem")
    assert "name" in caught.value.fields
