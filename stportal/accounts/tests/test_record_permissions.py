"""Who may read and direct a trainee's ST record (SPEC 2, section 5): the one home the record's
apps (coverage, funding applications, statements, ST-day certificates) ask, with two regions."""

from __future__ import annotations

import pytest

from stportal.accounts import permissions
from stportal.accounts.models import Role, TraineeProfile
from stportal.testing import factories


@pytest.fixture
def people(region, other_region):
    area = factories.AreaFactory(region=region)
    other_area = factories.AreaFactory(region=region)
    unit = factories.HomeUnitFactory(region=region, area=area)
    supervisor = factories.UserFactory()
    owner = factories.TraineeFactory(home_unit=unit, supervisor=supervisor)
    named_director = factories.UserFactory()
    neighbour = factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(region=region, area=other_area),
        study_director=named_director,
    )
    return {
        "owner": owner,
        "neighbour": neighbour,
        "supervisor": supervisor,
        "named_director": named_director,
        "area_director": factories.user_with_role(Role.STUDY_DIRECTOR, region=region, area=area),
        "other_area_director": factories.user_with_role(
            Role.STUDY_DIRECTOR, region=region, area=other_area
        ),
        "regional_director": factories.user_with_role(Role.REGIONAL_STUDY_DIRECTOR, region=region),
        "course_admin": factories.user_with_role(Role.COURSE_ADMIN, region=region),
        "b_regional_director": factories.user_with_role(
            Role.REGIONAL_STUDY_DIRECTOR, region=other_region
        ),
        "b_course_admin": factories.user_with_role(Role.COURSE_ADMIN, region=other_region),
        "course_leader": factories.user_with_role(Role.COURSE_LEADER, region=region),
        "stranger": factories.UserFactory(),
    }


READS_OWNER = {"owner", "supervisor", "area_director", "regional_director", "course_admin"}
DIRECTS_OWNER = {"area_director", "regional_director"}


def _user(people, name):
    value = people[name]
    return value.user if isinstance(value, TraineeProfile) else value


@pytest.mark.parametrize(
    "name",
    [
        "owner",
        "supervisor",
        "named_director",
        "area_director",
        "other_area_director",
        "regional_director",
        "course_admin",
        "b_regional_director",
        "b_course_admin",
        "course_leader",
        "stranger",
    ],
)
def test_who_reads_and_who_directs_a_trainees_record(people, name):
    """SPEC 2: the trainee, their supervisor, the study director of their area, the regional
    study director and staff of their region read the record; only the study directors decide
    for it; nobody of another region or another area does either."""
    actor = _user(people, name)
    owner = people["owner"]
    assert permissions.may_read_record(actor, owner) == (name in READS_OWNER)
    assert permissions.may_direct_record(actor, owner) == (name in DIRECTS_OWNER)
    assert permissions.supervises(actor, owner) == (name == "supervisor")
    # The queries say the same as the predicates.
    assert (owner in permissions.readable_trainees(actor)) == (name in READS_OWNER)
    assert (owner in permissions.directed_trainees(actor)) == (name in DIRECTS_OWNER)


def test_the_study_director_named_on_the_record_directs_it(people):
    """SPEC 2: a study director named on a trainee's record directs it, whatever the area."""
    director = people["named_director"]
    neighbour = people["neighbour"]
    assert permissions.may_direct_record(director, neighbour)
    assert list(permissions.directed_trainees(director)) == [neighbour]
    assert not permissions.may_direct_record(people["area_director"], neighbour)


def test_nobody_directs_or_supervises_their_own_record(people, region):
    """SPEC 2: a regional study director who is also a trainee does not decide for themself."""
    director = people["regional_director"]
    own = factories.TraineeFactory(
        user=director, home_unit=people["owner"].home_unit, supervisor=director
    )
    assert permissions.may_read_record(director, own)
    assert not permissions.may_direct_record(director, own)
    assert not permissions.supervises(director, own)
    assert own not in permissions.directed_trainees(director)


def test_an_inactive_account_reads_nothing(people):
    supervisor = people["supervisor"]
    supervisor.is_active = False
    supervisor.save()
    assert not permissions.may_read_record(supervisor, people["owner"])
    assert not permissions.readable_trainees(supervisor).exists()
