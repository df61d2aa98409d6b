"""What staff may do to other people's accounts and roles in the admin (SPEC 2; security review
findings 2 and 3)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from stportal.accounts import services
from stportal.accounts.models import Role, RoleAssignment, User
from stportal.accounts.tokens import issue_api_token, user_for_token
from stportal.core.errors import PermissionDenied
from stportal.core.models import AuditEvent
from stportal.notifications.models import OutboxMessage
from stportal.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def user_post(user: User, editor_region, **overrides) -> dict[str, str]:
    """The admin's change form for `user` as a staff editor posts it, with the role rows of
    the editor's region untouched."""
    rows = list(RoleAssignment.objects.filter(user=user, region=editor_region).order_by("pk"))
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "is_active": "on" if user.is_active else "",
        "role_assignments-TOTAL_FORMS": str(len(rows)),
        "role_assignments-INITIAL_FORMS": str(len(rows)),
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data[f"role_assignments-{index}-id"] = str(row.pk)
        data[f"role_assignments-{index}-user"] = str(user.pk)
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


# --- Finding 2: account takeover ------------------------------------------------------------


def test_course_admin_cannot_change_the_regional_study_directors_email(
    client, course_admin, regional_study_director, region
):
    """Security review finding 2: a course admin changed the regional study director's e-mail
    in the admin, reset the password to the new address and logged in as the certifier. The
    field is read-only for them, and a crafted POST changes nothing."""
    original = regional_study_director.email
    client.force_login(course_admin)
    page = client.get(change_url(regional_study_director))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "email" not in form.fields and "is_active" not in form.fields
    client.post(
        change_url(regional_study_director),
        user_post(regional_study_director, region, email="attacker@example.org", is_active=""),
    )
    regional_study_director.refresh_from_db()
    assert regional_study_director.email == original
    assert regional_study_director.is_active
    assert not OutboxMessage.objects.exists()


def test_the_account_service_refuses_a_staff_members_email_whatever_the_form_showed(
    course_admin, regional_study_director
):
    """Security review finding 2: the decision is server side, in the service."""
    with pytest.raises(PermissionDenied):
        services.change_user(
            actor=course_admin,
            user=regional_study_director,
            changes={"email": "attacker@example.org"},
        )
    regional_study_director.refresh_from_db()
    assert regional_study_director.email != "attacker@example.org"
    assert not AuditEvent.objects.filter(action="user.changed").exists()


def test_course_admin_cannot_change_a_person_who_also_holds_a_role_in_another_region(
    client, course_admin, region, other_region
):
    """A person with a role outside the editor's regions: e-mail and active flag read-only."""
    person = factories.user_with_role(Role.COURSE_LEADER, region=region, username="delad")
    RoleAssignment.objects.create(user=person, role=Role.SUPERVISOR, region=other_region)
    with pytest.raises(PermissionDenied):
        services.change_user(actor=course_admin, user=person, changes={"is_active": False})
    client.force_login(course_admin)
    client.post(change_url(person), user_post(person, region, is_active=""))
    person.refresh_from_db()
    assert person.is_active


def test_email_change_of_a_trainee_is_audited_and_told_to_the_old_address(
    client, course_admin, trainee, region, django_capture_on_commit_callbacks
):
    """Finding 2: a change the editor may make is audited field by field, and the old address
    is told, in the person's language."""
    user = trainee.user
    user.language = "en"
    user.save()
    old = user.email
    client.force_login(course_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(user),
            user_post(user, region, email="ny.adress@example.org", first_name="Ny"),
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "ny.adress@example.org" and user.first_name == "Ny"
    event = AuditEvent.objects.get(action="user.changed", object_id=str(user.pk))
    assert event.actor == course_admin
    assert event.before["email"] == old and event.after["email"] == "ny.adress@example.org"
    assert "password" not in event.after and "username" not in event.after
    message = OutboxMessage.objects.get(kind="email_changed")
    assert message.to_email == old
    assert message.subject == "The e-mail address of your ST-portalen account was changed"
    assert "ny.adress@example.org" in message.body
    assert [m.to for m in mail.outbox] == [[old]]


def test_staff_cannot_make_anyone_superuser_with_a_crafted_post(
    client, course_admin, trainee, region
):
    """Only a superuser sets superuser, staff flag, groups or permissions."""
    client.force_login(course_admin)
    client.post(
        change_url(trainee.user),
        user_post(trainee.user, region, is_superuser="on", is_staff="on"),
    )
    trainee.user.refresh_from_db()
    assert not trainee.user.is_superuser and not trainee.user.is_staff
    with pytest.raises(PermissionDenied):
        services.change_user(actor=course_admin, user=trainee.user, changes={"is_superuser": True})


def test_superuser_password_change_in_the_admin_is_audited_and_revokes_tokens(client, trainee):
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    token = issue_api_token(actor=None, user=trainee.user)
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[trainee.user.pk])
    response = client.post(
        url, {"password1": "ett nytt lösenord 42", "password2": "ett nytt lösenord 42"}
    )
    assert response.status_code == 302
    assert user_for_token(token) is None
    assert AuditEvent.objects.filter(
        action="user.password_set", actor=root, object_id=str(trainee.user.pk)
    ).exists()


# --- Finding 3: self-promotion and the role-grant rule --------------------------------------


def test_course_admin_cannot_grant_themself_the_certifier_role(client, course_admin, region):
    """Security review finding 3: a course admin granted themself `regional_study_director`
    (the certifier) through the admin's role assignments."""
    client.force_login(course_admin)
    client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": course_admin.pk, "role": Role.REGIONAL_STUDY_DIRECTOR, "region": region.pk},
    )
    client.post(
        change_url(course_admin),
        {
            **user_post(course_admin, region),
            "role_assignments-TOTAL_FORMS": "2",
            "role_assignments-1-role": Role.REGIONAL_STUDY_DIRECTOR,
            "role_assignments-1-region": str(region.pk),
            "role_assignments-1-user": str(course_admin.pk),
        },
    )
    assert not RoleAssignment.objects.filter(
        user=course_admin, role=Role.REGIONAL_STUDY_DIRECTOR
    ).exists()
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=course_admin,
            user=course_admin,
            role=Role.REGIONAL_STUDY_DIRECTOR,
            region=region,
        )


def test_nobody_grants_a_role_to_themself(regional_study_director, course_admin, region):
    """Finding 3: never to oneself, not even a harmless role."""
    for actor in (regional_study_director, course_admin):
        with pytest.raises(PermissionDenied):
            services.grant_role(actor=actor, user=actor, role=Role.SUPERVISOR, region=region)


def test_regional_study_director_grants_and_removes_the_regions_staff_roles(
    client, regional_study_director, region
):
    """The region's regional study director grants its staff roles, audited."""
    person = factories.user_with_role(Role.COURSE_LEADER, region=region, username="blivande")
    client.force_login(regional_study_director)
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": person.pk, "role": Role.COURSE_ADMIN, "region": region.pk},
    )
    assert response.status_code == 302
    granted = RoleAssignment.objects.get(user=person, role=Role.COURSE_ADMIN)
    event = AuditEvent.objects.get(action="role.granted", object_id=str(granted.pk))
    assert event.actor == regional_study_director
    token = issue_api_token(actor=None, user=person)
    response = client.post(
        reverse("admin:accounts_roleassignment_delete", args=[granted.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=granted.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoked", object_id=str(granted.pk)).exists()
    assert user_for_token(token) is None  # a role removed takes the person's tokens with it


def test_course_admin_grants_the_regions_other_roles_but_no_staff_role(
    client, course_admin, region, home_unit
):
    person = factories.UserFactory(username="chef")
    factories.TraineeFactory(home_unit=home_unit, user=factories.UserFactory(username="x"))
    RoleAssignment.objects.create(user=person, role=Role.SUPERVISOR, region=region)
    granted = services.grant_role(
        actor=course_admin, user=person, role=Role.UNIT_MANAGER, region=region, home_unit=home_unit
    )
    assert granted.pk
    for role in (Role.COURSE_ADMIN, Role.REGIONAL_STUDY_DIRECTOR):
        with pytest.raises(PermissionDenied):
            services.grant_role(actor=course_admin, user=person, role=role, region=region)
    client.force_login(course_admin)
    choices = client.get(reverse("admin:accounts_roleassignment_add")).context["adminform"]
    offered = {value for value, _label in choices.form.fields["role"].choices}
    assert Role.UNIT_MANAGER in offered and Role.REGIONAL_STUDY_DIRECTOR not in offered


def test_course_admin_cannot_remove_the_regional_study_directors_role(
    client, course_admin, regional_study_director
):
    row = RoleAssignment.objects.get(user=regional_study_director)
    client.force_login(course_admin)
    url = reverse("admin:accounts_roleassignment_delete", args=[row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=course_admin, assignment=row)
    assert RoleAssignment.objects.filter(pk=row.pk).exists()


def test_staff_of_another_region_grant_nothing_in_ours(outsider_admin, region):
    person = factories.UserFactory(username="vem")
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=outsider_admin, user=person, role=Role.SUPERVISOR, region=region)
