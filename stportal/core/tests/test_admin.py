"""The back office (SPEC 8): who may enter, what each region sees, what stays read-only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from stportal.accounts.models import Role, RoleAssignment, TraineeProfile
from stportal.core import audit
from stportal.core.models import AuditEvent
from stportal.courses import services as course_services
from stportal.curricula.models import CurriculumVersion, Specialty
from stportal.registrations.services import register_for_course_week
from stportal.testing import factories

pytestmark = pytest.mark.django_db

STAFF_CHANGELISTS = [
    "accounts_region",
    "accounts_area",
    "accounts_homeunit",
    "accounts_roleassignment",
    "accounts_traineeprofile",
    "accounts_plannedcompletionchange",
    "accounts_user",
    "curricula_curriculumversion",
    "curricula_specialty",
    "curricula_goal",
    "curricula_mandatorysubject",
    "courses_courseseries",
    "courses_courseweek",
    "courses_course",
    "registrations_registration",
    "registrations_registrationline",
    "registrations_fee",
    "core_auditevent",
]


def changelist(name: str) -> str:
    return reverse(f"admin:{name}_changelist")


@pytest.fixture
def week(series, course_admin):
    start = timezone.localdate() + dt.timedelta(days=60)
    start -= dt.timedelta(days=start.weekday())
    week = course_services.create_course_week(
        actor=course_admin,
        series=series,
        title="LEKA A test",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        place="Umeå",
        capacity=30,
        invitation_date=timezone.localdate() - dt.timedelta(days=1),
        registration_deadline=start - dt.timedelta(days=30),
        late_cancellation_fee=3000,
    )
    course_services.add_course(
        actor=course_admin, week=week, title="Etik", days=[start, start + dt.timedelta(days=1)]
    )
    return week


# --- Who may enter (SPEC 2) ----------------------------------------------------------------


@pytest.mark.parametrize("name", STAFF_CHANGELISTS)
def test_course_admin_opens_every_changelist(client, course_admin, week, trainee, name):
    client.force_login(course_admin)
    assert client.get(changelist(name)).status_code == 200


@pytest.mark.parametrize("name", ["courses_courseweek", "registrations_registration"])
def test_regional_study_director_opens_the_back_office(client, regional_study_director, name):
    client.force_login(regional_study_director)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(changelist(name)).status_code == 200


def test_staff_need_no_is_staff_flag(course_admin):
    """Access comes from the role (SPEC 2), so the demo need not set is_staff."""
    assert not course_admin.is_staff


@pytest.mark.parametrize("name", ["courses_courseweek", "accounts_traineeprofile"])
def test_trainee_is_sent_to_the_admin_login(client, trainee, name):
    client.force_login(trainee.user)
    response = client.get(changelist(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_admin_login_uses_the_rate_limited_product_login(client):
    """SPEC 7: log-in is rate limited; the admin has no second, unthrottled log-in form."""
    response = client.get(reverse("admin:login") + "?next=/admin/courses/courseweek/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert "courseweek" in response.url


def test_signed_in_trainee_at_admin_login_is_told_and_not_looped(client, trainee):
    client.force_login(trainee.user)
    response = client.get(reverse("admin:login"))
    assert response.status_code == 403


def test_signed_in_course_admin_at_admin_login_goes_to_the_index(client, course_admin):
    client.force_login(course_admin)
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_site_header():
    assert "ST-portalen" in str(admin.site.site_header)


def test_api_tokens_are_for_superusers_only(client, course_admin):
    client.force_login(course_admin)
    assert client.get(changelist("accounts_apitoken")).status_code == 403


def test_superuser_sees_everything(client, week, outsider_admin):
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    for name in [*STAFF_CHANGELISTS, "accounts_apitoken"]:
        assert client.get(changelist(name)).status_code == 200, name


# --- Region scoping (SPEC 2) ---------------------------------------------------------------


def test_other_region_admin_sees_none_of_our_trainees(client, trainee, outsider_admin):
    client.force_login(outsider_admin)
    response = client.get(changelist("accounts_traineeprofile"))
    assert trainee.user.last_name not in response.content.decode()
    change = client.get(reverse("admin:accounts_traineeprofile_change", args=[trainee.pk]))
    assert change.status_code == 302  # "does not exist", back to the index


def test_other_region_admin_cannot_read_our_history(client, home_unit, outsider_admin):
    client.force_login(outsider_admin)
    url = reverse("admin:accounts_homeunit_history", args=[home_unit.pk])
    assert client.get(url).status_code == 404
    version = home_unit.history.first()
    url = reverse("admin:accounts_homeunit_simple_history", args=[home_unit.pk, version.pk])
    assert client.get(url).status_code == 404


def test_home_unit_choices_are_own_region_only(client, course_admin, other_region):
    theirs = factories.HomeUnitFactory(region=other_region, name="Deras hälsocentral")
    client.force_login(course_admin)
    response = client.get(reverse("admin:accounts_homeunit_add"))
    form = response.context["adminform"].form
    assert theirs.area not in form.fields["area"].queryset
    assert list(form.fields["region"].queryset) == list(
        factories.RegionFactory._meta.model.objects.filter(code="testland")
    )


# --- Trainees: personal identity numbers (Appendix B, SPEC 7) ------------------------------


def trainee_form(home_unit, **overrides):
    data = {
        "first_name": "Sara",
        "last_name": "Lind",
        "email": "sara.lind@example.org",
        "personal_id": "811218-9876",
        "specialty": Specialty.objects.get(code="allmanmedicin").pk,
        "curriculum_version": CurriculumVersion.objects.get(code="2015").pk,
        "st_start": "2023-09-01",
        "planned_completion": "2028-08-31",
        "employment_percent": "100",
        "home_unit": home_unit.pk,
        "supervisor": "",
        "study_director": "",
    }
    data.update(overrides)
    return data


def test_adding_trainee_with_invalid_personal_id_shows_form_error(client, course_admin, home_unit):
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:accounts_traineeprofile_add"),
        trainee_form(home_unit, personal_id="811218-9875"),
    )
    assert response.status_code == 200
    assert "personal_id" in response.context["adminform"].form.errors
    assert not TraineeProfile.objects.filter(user__last_name="Lind").exists()


def test_adding_trainee_stores_12_digits_through_the_service(client, course_admin, home_unit):
    client.force_login(course_admin)
    response = client.post(reverse("admin:accounts_traineeprofile_add"), trainee_form(home_unit))
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile = TraineeProfile.objects.get(user__last_name="Lind")
    assert profile.personal_id == "198112189876"
    event = AuditEvent.objects.get(action="trainee.created", object_id=str(profile.pk))
    assert event.actor == course_admin
    assert RoleAssignment.objects.filter(user=profile.user, role=Role.TRAINEE).exists()


def test_personal_id_is_masked_in_lists_and_forms(client, course_admin, trainee):
    client.force_login(course_admin)
    listing = client.get(changelist("accounts_traineeprofile")).content.decode()
    assert trainee.masked_personal_id in listing
    assert trainee.personal_id not in listing
    change = client.get(reverse("admin:accounts_traineeprofile_change", args=[trainee.pk]))
    assert trainee.personal_id not in change.content.decode()


@pytest.mark.parametrize(
    "name", ["accounts_traineeprofile", "accounts_user", "registrations_registration"]
)
def test_admin_search_never_takes_a_personal_identity_number_from_the_address(
    client, course_admin, trainee, name
):
    """Security review finding 7: the admin's search travels as `?q=`; a personal identity
    number there is dropped unsearched and not shown back, and the staff are pointed to the
    posted search."""
    pid = trainee.personal_id
    client.force_login(course_admin)
    response = client.get(changelist(name), {"q": f"{pid[:8]}-{pid[8:]}", "o": "1"})
    assert response.status_code == 302
    assert response["Location"] == changelist(name) + "?o=1"
    html = client.get(response["Location"]).content.decode()
    assert pid not in html and f"{pid[:8]}-{pid[8:]}" not in html
    assert "Personnummer söks inte här" in html


@pytest.mark.parametrize("form", ["long", "short", "dashed"])
def test_find_a_trainee_by_personal_id_posted_in_any_form(client, course_admin, trainee, form):
    """SPEC 7: the number is posted, and the answer is the trainee's page (an id only)."""
    pid = trainee.personal_id
    term = {"long": pid, "short": f"{pid[2:8]}-{pid[8:]}", "dashed": f"{pid[:8]}-{pid[8:]}"}[form]
    factories.TraineeFactory(home_unit=trainee.home_unit, user__last_name="Annan")
    client.force_login(course_admin)
    url = reverse("admin:accounts_traineeprofile_find")
    assert url in client.get(changelist("accounts_traineeprofile")).content.decode()
    response = client.post(url, {"personal_id": term})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:accounts_traineeprofile_change", args=[trainee.pk]
    )


def test_finding_another_regions_trainee_by_personal_id_finds_nothing(
    client, trainee, outsider_admin
):
    client.force_login(outsider_admin)
    url = reverse("admin:accounts_traineeprofile_find")
    response = client.post(url, {"personal_id": trainee.personal_id})
    assert response.status_code == 200
    assert "Ingen ST-läkare i dina regioner har detta personnummer." in response.content.decode()
    assert trainee.personal_id not in response.content.decode()


def test_correcting_a_personal_id_validates_it(client, course_admin, trainee):
    client.force_login(course_admin)
    url = reverse("admin:accounts_traineeprofile_change", args=[trainee.pk])
    data = {
        "specialty": trainee.specialty_id,
        "curriculum_version": trainee.curriculum_version_id,
        "st_start": "2022-09-01",
        "planned_completion": "2028-06-30",
        "employment_percent": "100",
        "credited_months": "0",
        "home_unit": trainee.home_unit_id,
        "supervisor": "",
        "study_director": "",
        "new_personal_id": "19811218-9875",
        "planned_completion_changes-TOTAL_FORMS": "0",
        "planned_completion_changes-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert "new_personal_id" in response.context["adminform"].form.errors
    data["new_personal_id"] = "8112189876"
    assert client.post(url, data).status_code == 302
    trainee.refresh_from_db()
    assert trainee.personal_id == "198112189876"
    history = client.get(reverse("admin:accounts_traineeprofile_history", args=[trainee.pk]))
    assert "198112189876" not in history.content.decode()


# --- Reference data through the services ----------------------------------------------------


def test_home_unit_added_in_admin_goes_through_the_service(client, course_admin, region):
    area = factories.AreaFactory(region=region)
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:accounts_homeunit_add"),
        {
            "region": region.pk,
            "area": area.pk,
            "name": "Hälsocentral Ny",
            "cost_centre": "KS9999",
            "invoice_address": "",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="home_unit.created").count() == 1


def test_home_unit_inline_in_area_goes_through_the_service(client, course_admin, region):
    area = factories.AreaFactory(region=region)
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:accounts_area_change", args=[area.pk]),
        {
            "name": area.name,
            "purchaser_id": area.purchaser_id,
            "invoice_address": area.invoice_address,
            "home_units-TOTAL_FORMS": "1",
            "home_units-INITIAL_FORMS": "0",
            "home_units-0-name": "Vårdcentral Inline",
            "home_units-0-cost_centre": "KS1",
            "home_units-0-invoice_address": "",
        },
    )
    assert response.status_code == 302
    unit = area.home_units.get(name="Vårdcentral Inline")
    assert unit.region == region
    assert AuditEvent.objects.filter(action="home_unit.created", object_id=str(unit.pk)).exists()


def test_staff_add_a_person_with_a_role(client, course_admin, region):
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "ny-kursledare",
            "first_name": "Nils",
            "last_name": "Nord",
            "email": "nils@example.org",
            "language": "sv",
            "role": Role.COURSE_LEADER,
            "region": region.pk,
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user__username="ny-kursledare")
    assert assignment.role == Role.COURSE_LEADER
    assert not assignment.user.has_usable_password()
    assert AuditEvent.objects.filter(action="role.granted").exists()


def test_staff_cannot_grant_superuser_or_set_passwords(client, course_admin, trainee):
    client.force_login(course_admin)
    url = reverse("admin:accounts_user_change", args=[trainee.user.pk])
    form = client.get(url).context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "is_staff" not in form.fields
    assert "user_permissions" not in form.fields
    password_url = reverse("admin:auth_user_password_change", args=[trainee.user.pk])
    assert client.get(password_url).status_code == 403


# --- Registrations are read-only (C15, SPEC 8) ---------------------------------------------


def test_registrations_admin_has_no_add_change_or_delete(client, course_admin, week, trainee):
    course_services.publish_course_week(actor=course_admin, week=week)
    registration = register_for_course_week(actor=trainee.user, week=week, trainee=trainee)
    client.force_login(course_admin)
    for name in ("registration", "registrationline", "fee"):
        assert client.get(reverse(f"admin:registrations_{name}_add")).status_code == 403
    response = client.get(changelist("registrations_registration"))
    action_form = response.context["action_form"]
    actions = (
        [value for value, _label in action_form.fields["action"].choices] if action_form else []
    )
    assert "delete_selected" not in actions
    delete = reverse("admin:registrations_registration_delete", args=[registration.pk])
    assert client.get(delete).status_code == 403
    change = client.get(reverse("admin:registrations_registration_change", args=[registration.pk]))
    assert change.status_code == 200
    assert not change.context["has_change_permission"]
    html = change.content.decode()
    assert trainee.masked_personal_id in html and trainee.personal_id not in html
    posted = client.post(
        reverse("admin:registrations_registration_change", args=[registration.pk]),
        {"needs_lodging": "on", "note": "ändrad"},
    )
    assert posted.status_code == 403
    registration.refresh_from_db()
    assert registration.note == ""
    line = client.get(
        reverse("admin:registrations_registrationline_change", args=[registration.lines.get().pk])
    )
    assert line.status_code == 200 and not line.context["has_change_permission"]


def test_superuser_cannot_change_rule_governed_rows_either(client, week):
    superuser = factories.UserFactory(username="root2", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:registrations_registration_add")).status_code == 403
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    delete = reverse("admin:courses_courseweek_delete", args=[week.pk])
    assert client.get(delete).status_code == 403


# --- The audit trail (SPEC 7) ---------------------------------------------------------------


def test_audit_event_list_shows_the_event(client, course_admin, regional_study_director, week):
    course_services.publish_course_week(actor=course_admin, week=week)
    for person in (course_admin, regional_study_director):
        client.force_login(person)
        html = client.get(changelist("core_auditevent")).content.decode()
        assert "course_week.published" in html
        assert week.title in html


def test_audit_event_detail_pretty_prints_before_and_after(client, course_admin, week):
    week = course_services.publish_course_week(actor=course_admin, week=week)
    event = AuditEvent.objects.get(action="course_week.published")
    client.force_login(course_admin)
    response = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<pre" in html
    assert "&quot;stored_state&quot;: &quot;published&quot;" in html


def test_audit_events_cannot_be_added_changed_or_deleted(client, course_admin, week):
    event = AuditEvent.objects.filter(action="course_week.created").first()
    client.force_login(course_admin)
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    delete = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert client.get(delete).status_code == 403
    response = client.post(
        reverse("admin:core_auditevent_change", args=[event.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_other_region_admin_sees_none_of_our_audit_events(client, week, outsider_admin):
    client.force_login(outsider_admin)
    response = client.get(changelist("core_auditevent"))
    assert list(response.context["cl"].result_list) == []


def test_audit_events_of_unscoped_types_are_for_superusers(client, course_admin, region):
    audit.record(actor=None, action="something.else", obj=course_admin)
    client.force_login(course_admin)
    response = client.get(changelist("core_auditevent"))
    actions = [event.action for event in response.context["cl"].result_list]
    assert "something.else" in actions  # a user of our region: scoped by their roles
    stranger = factories.UserFactory(username="ingen-roll")
    audit.record(actor=None, action="stranger.changed", obj=stranger)
    response = client.get(changelist("core_auditevent"))
    assert "stranger.changed" not in [e.action for e in response.context["cl"].result_list]


# --- Swedish (STYLE rule 10) ----------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2)}


@pytest.mark.parametrize("app", ["accounts", "curricula", "courses", "registrations", "core"])
def test_every_model_and_admin_string_has_a_swedish_translation(app):
    translated: set[tuple[str | None, str]] = set()
    for po_path in PACKAGE.glob("*/locale/sv/LC_MESSAGES/django.po"):
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and all(strings):
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    translated.add((message.context, key))
    missing = []
    modules = ("models.py", "admin.py", "states.py", "apps.py", "permissions.py")
    paths = [PACKAGE / app / module for module in modules]
    # An admin that became a package (STYLE: a module past about 800 lines).
    paths += sorted((PACKAGE / app / "admin").glob("*.py"))
    for path in paths:
        if not path.exists():
            continue
        module = str(path.relative_to(PACKAGE / app))
        for _lineno, message, _comments, context in extract_from_file(
            "python", str(path), keywords={**KEYWORDS, "pgettext_lazy": ((1, "c"), 2)}
        ):
            text = message if isinstance(message, str) else message[0]
            if (context, text) not in translated:
                missing.append(f"{module}: {text}")
    assert missing == []
