"""Who may be made a course leader (SPEC 2; security review finding 9).

Leading a course makes a person a member of the week's region (they see its weeks, and
`roles_of` gives them the course leader role), so only someone who already belongs to the
region may be made a leader: a role held there, or a trainee whose home unit is there.
Everyone else, and unknown ids, get the same 422 naming the field, through the API, the
service and the admin alike.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from stportal.accounts.models import Role
from stportal.accounts.selectors import member_region_ids
from stportal.api.tests.conftest import Api
from stportal.core.errors import ValidationFailed
from stportal.courses import services
from stportal.courses.models import Course
from stportal.testing import factories

pytestmark = pytest.mark.django_db

START = dt.date(2027, 3, 22)


@pytest.fixture
def week(series, course_admin):
    return services.create_course_week(
        actor=course_admin,
        series=series,
        title="LEKA A 2027",
        start_date=START,
        end_date=START + dt.timedelta(days=4),
        place="Umeå",
        capacity=40,
        invitation_date=dt.date(2026, 9, 1),
        registration_deadline=dt.date(2026, 10, 15),
        late_cancellation_fee=3000,
    )


@pytest.fixture
def stranger(other_region):
    """A user of the installation who belongs to another region only."""
    return factories.user_with_role(Role.COURSE_LEADER, region=other_region, username="annan")


def _add(api: Api, actor, week, leader_ids):
    return api.post(
        f"course-weeks/{week.pk}/courses",
        actor,
        json={"title": "Etik", "days": [START.isoformat()], "leader_ids": leader_ids},
    )


def test_a_person_of_another_region_cannot_be_made_course_leader_through_the_api(
    client, course_admin, week, stranger, region
):
    """Security review finding 9: any user of the installation could be made a course leader,
    which silently made them a member of the region. Now 422 naming `leader_ids`, worded as
    for an unknown id, and no course is created."""
    api = Api(client)
    response = _add(api, course_admin, week, [stranger.pk])
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["leader_ids"]
    unknown = _add(api, course_admin, week, [999_999])
    assert unknown.status_code == 422
    assert response.json()["fields"]["leader_ids"] == [
        message.replace("999999", str(stranger.pk))
        for message in unknown.json()["fields"]["leader_ids"]
    ]
    assert not Course.objects.exists()
    assert region.pk not in member_region_ids(stranger)


def test_people_of_the_region_may_lead_its_courses(client, course_admin, week, home_unit):
    """SPEC 2: a role held in the region, or a trainee whose home unit is in it."""
    leader = factories.user_with_role(Role.COURSE_LEADER, region=week.series.region)
    trainee = factories.TraineeFactory(home_unit=home_unit)
    response = _add(Api(client), course_admin, week, [leader.pk, trainee.user_id])
    assert response.status_code == 201, response.content
    assert response.json()["leader_ids"] == sorted([leader.pk, trainee.user_id])


def test_the_service_refuses_a_leader_of_another_region(course_admin, week, stranger):
    """Security review finding 9: the courses service refuses on its own, whoever calls it."""
    with pytest.raises(ValidationFailed) as caught:
        services.add_course(
            actor=course_admin, week=week, title="Etik", days=[START], leaders=[stranger]
        )
    assert "leader_ids" in caught.value.fields
    assert not Course.objects.exists()


def test_a_trainee_of_another_region_cannot_lead_our_course(course_admin, week, other_region):
    """Security review finding 9: a trainee belongs to their home unit's region only."""
    elsewhere = factories.TraineeFactory(home_unit=factories.HomeUnitFactory(region=other_region))
    with pytest.raises(ValidationFailed):
        services.add_course(
            actor=course_admin, week=week, title="Etik", days=[START], leaders=[elsewhere.user]
        )
    assert not Course.objects.exists()


def test_the_admin_refuses_a_leader_of_another_region(client, course_admin, week, stranger):
    """Security review finding 9: changing a course's leaders in the admin follows the same
    rule as the service."""
    course = services.add_course(actor=course_admin, week=week, title="Etik", days=[START])
    client.force_login(course_admin)
    url = reverse("admin:courses_course_change", args=[course.pk])
    response = client.post(
        url, {"title": "Etik", "description": "", "position": "1", "leaders": [stranger.pk]}
    )
    assert response.status_code == 200
    assert "leaders" in response.context["adminform"].form.errors
    assert not course.leaders.exists()
    add = client.post(
        reverse("admin:courses_course_add"),
        {"week": week.pk, "title": "Ledarskap", "leaders": [stranger.pk]},
    )
    assert add.status_code == 200
    assert not Course.objects.filter(title="Ledarskap").exists()


def test_course_services_refuse_staff_of_another_region(week, outsider_admin):
    """SPEC 2: the course services refuse on their own; another region's admin gets 404."""
    from stportal.core.errors import NotFound

    with pytest.raises(NotFound):
        services.add_course(actor=outsider_admin, week=week, title="Etik", days=[START])
    with pytest.raises(NotFound):
        services.update_course_week(actor=outsider_admin, week=week, changes={"place": "Luleå"})
    week.refresh_from_db()
    assert week.place == "Umeå" and not Course.objects.exists()
