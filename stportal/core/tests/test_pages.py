"""Log-in, the layout and the start page per role (SPEC 2, 6, 7; Appendix A "Web log-in")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stportal.accounts.models import Role, TraineeProfile, User
from stportal.accounts.services import create_trainee
from stportal.courses.models import CourseSeries
from stportal.courses.services import add_course, create_course_week
from stportal.demo.data import (
    DEMO_PASSWORD,
    STLAKARE_BIRTH,
    STLAKARE_SERIAL,
    load_demo,
    personal_id,
)
from stportal.testing import factories

pytestmark = pytest.mark.django_db

STLAKARE_ID = personal_id(STLAKARE_BIRTH, STLAKARE_SERIAL)
STLAKARE_FULL_ID = f"{STLAKARE_ID[:8]}-{STLAKARE_ID[8:]}"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    return load_demo()


def login(client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


def page(client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_login_page_has_allauths_fields_and_no_sign_up(client):
    """Appendix A: web log-in at /accounts/login/ with the fields `login` and `password`."""
    html = page(client, "/accounts/login/")
    assert 'name="login"' in html
    assert 'name="password"' in html
    assert "<h1>Logga in</h1>" in html
    assert "/accounts/signup/" not in html  # people come from staff and HR, never sign-up
    assert 'class="skip-link"' in html
    assert '<main id="main"' in html


def test_sign_up_is_closed_and_says_who_creates_accounts(client):
    html = page(client, "/accounts/signup/")
    assert "<h1>Ingen egen registrering</h1>" in html
    assert 'name="password1"' not in html


def test_anonymous_start_page_redirects_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_healthz_answers_200_when_the_database_is_reachable(client):
    """Appendix A: /healthz answers 200 when the database is reachable."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_stylesheet_is_found_by_the_static_files_finders():
    """SPEC 7: every asset is served by the product itself (no CDN)."""
    assert finders.find("stportal/site.css") is not None


EXPECTED_ROLE_WORDS = {
    "kursadmin": ["Kursadministratör"],
    "studierektor": ["Övergripande studierektor", "Studierektor"],
    "kursledare": ["Kursledare"],
    "handledare": ["Handledare"],
    "stlakare": ["ST-läkare"],
    "enhetschef": ["Verksamhetschef"],
}


@pytest.mark.parametrize("username", list(EXPECTED_ROLE_WORDS))
def test_each_demo_account_logs_in_and_sees_its_role_in_swedish(client, demo, username):
    """Appendix A: the demo accounts log in with the password `demo`; SPEC 2 role words."""
    response = client.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = page(client)
    for word in EXPECTED_ROLE_WORDS[username]:
        assert f"<strong>{word}</strong>" in html
    assert 'action="/accounts/logout/" method="post"' in html


def test_wrong_password_is_refused_with_a_message(client, demo):
    response = client.post("/accounts/login/", {"login": "stlakare", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_trainee_start_page_shows_profile_and_published_weeks_of_the_region(client, demo):
    login(client, "stlakare")
    html = page(client)
    assert "Allmänmedicin" in html
    assert "SOSFS 2015:8" in html
    assert "Hälsocentralen Ersboda" in html
    assert "Per Nordin" in html  # the supervisor
    assert STLAKARE_FULL_ID in html  # the owner sees the number in full
    weeks = {week.key: week for week in demo.weeks}
    assert weeks["finished"].title in html
    assert weeks["open"].title in html
    assert weeks["draft"].title not in html  # drafts are for staff only
    assert "Anmälan är öppen till och med" in html
    assert "Sista anmälningsdag" in html
    assert 'class="badge badge--finished">Avslutad<' in html
    assert 'class="badge badge--published">Publicerad<' in html


def test_personal_id_is_masked_for_everyone_but_the_owner(client, demo):
    """SPEC 7: personal identity numbers are shown masked except to the owner."""
    login(client, "handledare")
    html = page(client)
    assert "Sara Berglund" in html
    assert "19910417-****" in html
    assert STLAKARE_FULL_ID not in html
    assert STLAKARE_ID not in html


def test_supervisor_sees_only_own_trainees(client, demo):
    login(client, "handledare")
    html = page(client)
    own = TraineeProfile.objects.filter(supervisor__username="handledare")
    others = TraineeProfile.objects.exclude(supervisor__username="handledare")
    assert own.count() >= 2
    for profile in own:
        assert profile.user.display_name in html
    assert sum(profile.user.display_name in html for profile in others) == 0


def test_course_leader_sees_the_courses_they_lead(client, demo):
    login(client, "kursledare")
    html = page(client)
    assert "Delkurser som du leder" in html
    assert "Etik, mångfald och jämlikhet" in html
    assert "Kommunikation med patienter och närstående" in html
    assert "Palliativ vård i livets slutskede" not in html  # led by someone else


def test_unit_manager_sees_own_home_units(client, demo):
    login(client, "enhetschef")
    html = page(client)
    assert "Dina basenheter" in html
    assert "Hälsocentralen Ersboda" in html
    assert "Hälsocentralen Ålidhem" in html
    assert "Medicincentrum, NUS" not in html


def test_study_director_sees_the_trainee_count_of_the_area(client, demo):
    login(client, "studierektor")
    html = page(client)
    count = TraineeProfile.objects.filter(home_unit__area__name="Umeå").count()
    assert f'<span class="stat__number">{count}</span>' in html
    assert "ST-läkare i Umeå (Region Västerbotten)" in html


def test_course_admin_sees_all_weeks_with_state_and_the_api_docs(client, demo):
    login(client, "kursadmin")
    html = page(client)
    for week in demo.weeks:
        assert week.title in html
    assert 'class="badge badge--draft">Utkast<' in html
    assert 'href="/api/v1/docs"' in html
    assert 'href="/admin/"' in html  # the demo's course staff have the back office


def test_person_without_role_sees_no_data(client, demo):
    """The outsider: a logged-in person with no role sees nobody's data."""
    outsider = factories.UserFactory(username="utomstaende")
    client.force_login(outsider)
    html = page(client)
    assert "Du har ännu ingen roll i ST-portalen" in html
    assert "LEKA" not in html
    assert "Sara Berglund" not in html
    assert "/api/v1/docs" not in html


def test_course_admin_of_another_region_sees_none_of_its_weeks(client, demo):
    other = factories.RegionFactory(name="Region Annanstans", code="annanstans")
    admin = factories.user_with_role(Role.COURSE_ADMIN, region=other, username="annan-admin")
    client.force_login(admin)
    html = page(client)
    assert "LEKA" not in html
    assert "Det finns inga kursveckor ännu." in html


def test_language_switch_to_english(client, demo):
    """SPEC 7: Swedish and English; the switch is a plain form (works without JavaScript)."""
    login(client, "kursadmin")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = page(client)
    assert '<html lang="en">' in html
    assert "Your roles" in html
    assert "<strong>Course admin</strong>" in html
    assert "Log out" in html
    assert "Dina roller" not in html


def test_log_out_is_a_post(client, demo):
    login(client, "stlakare")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def _queries_for(client, path: str = "/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_start_page_query_count_does_not_grow_with_rows(client, demo):
    """SPEC 7: every page answers in a constant number of SQL queries."""
    handledare = User.objects.get(username="handledare")
    client.force_login(handledare)
    before = _queries_for(client)
    unit = TraineeProfile.objects.get(user__username="stlakare").home_unit
    first = TraineeProfile.objects.filter(supervisor=handledare).first()
    for number in range(5):
        create_trainee(
            actor=None,
            first_name="Extra",
            last_name=f"Person{number}",
            email=f"extra{number}@example.org",
            personal_id=factories.make_personal_id(dt.date(1990, 2, 1)),
            specialty=first.specialty,
            curriculum_version=first.curriculum_version,
            planned_completion=dt.date(2030, 1, 31),
            home_unit=unit,
            supervisor=handledare,
        )
    assert _queries_for(client) == before

    client.force_login(User.objects.get(username="kursadmin"))
    before = _queries_for(client)
    week = create_course_week(
        actor=None,
        series=CourseSeries.objects.get(name="LEKA A"),
        title="LEKA A 2040",
        start_date=dt.date(2040, 3, 19),
        end_date=dt.date(2040, 3, 23),
        place="Umeå",
        capacity=60,
        invitation_date=dt.date(2039, 9, 1),
        registration_deadline=dt.date(2039, 10, 15),
        late_cancellation_fee=3000,
    )
    add_course(actor=None, week=week, title="Extra", days=[dt.date(2040, 3, 19)])
    assert _queries_for(client) == before
