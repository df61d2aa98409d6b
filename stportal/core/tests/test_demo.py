"""`stportal demo` and `stportal serve` (Appendix A "Command line"; SPEC 6)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from stportal.accounts.models import Area, HomeUnit, Role, RoleAssignment, TraineeProfile, User
from stportal.core import personnummer
from stportal.core.dates import STOCKHOLM, end_of_day, local_date
from stportal.core.management.commands import demo as demo_command
from stportal.core.management.commands import serve as serve_command
from stportal.core.models import AuditEvent
from stportal.courses.models import Course, CourseWeek
from stportal.courses.planning import holidays_between
from stportal.courses.states import WeekState
from stportal.demo.data import ACCOUNTS, DEMO_PASSWORD, load_demo, plan_weeks


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_demo_command_loads_and_prints_the_log_ins():
    """Appendix A: `stportal demo` prints the demo log-ins (password `demo`)."""
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    for account in ACCOUNTS:
        assert account.username in text
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in text


@pytest.mark.django_db
def test_demo_is_idempotent():
    """A second load changes nothing: same row count in every table, no new audit event."""
    first = load_demo()
    assert first.changed
    before = model_counts()
    audit_before = AuditEvent.objects.count()
    second = load_demo()
    assert not second.changed
    assert model_counts() == before
    assert AuditEvent.objects.count() == audit_before

    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert model_counts() == before


@pytest.mark.django_db
def test_demo_accounts_hold_the_relationships_of_appendix_a():
    load_demo()
    stlakare = TraineeProfile.objects.select_related(
        "specialty", "curriculum_version", "home_unit__area", "supervisor", "study_director"
    ).get(user__username="stlakare")
    assert stlakare.curriculum_version.code == "2015"
    assert stlakare.specialty.code == "allmanmedicin"
    assert stlakare.supervisor.username == "handledare"
    assert stlakare.study_director.username == "studierektor"
    assert personnummer.is_valid(stlakare.personal_id)

    def has(username, role, **scope):
        return RoleAssignment.objects.filter(user__username=username, role=role, **scope).exists()

    region = stlakare.home_unit.region
    assert has("kursadmin", Role.COURSE_ADMIN, region=region)
    assert has("studierektor", Role.REGIONAL_STUDY_DIRECTOR, region=region)
    assert has("studierektor", Role.STUDY_DIRECTOR, area=stlakare.home_unit.area)
    assert has("enhetschef", Role.UNIT_MANAGER, home_unit=stlakare.home_unit)
    for week in CourseWeek.objects.all():
        assert Course.objects.filter(week=week, leaders__username="kursledare").exists()


@pytest.mark.django_db
def test_demo_organisation_and_trainees_are_realistic():
    load_demo()
    trainees = TraineeProfile.objects.select_related("specialty", "curriculum_version")
    assert 140 <= trainees.count() <= 160
    assert all(personnummer.is_valid(t.personal_id) for t in trainees)
    assert {t.curriculum_version.code for t in trainees} == {"2015", "2021"}
    assert len({t.specialty.code for t in trainees}) >= 6
    assert len({t.planned_completion for t in trainees}) > 100
    assert all(t.st_start <= t.planned_completion for t in trainees)
    # 2015:8 for those who started before 2021-07-01 (Appendix B).
    assert all(
        (t.st_start < dt.date(2021, 7, 1)) == (t.curriculum_version.code == "2015")
        for t in trainees
    )
    assert 10 <= HomeUnit.objects.count() <= 14
    assert HomeUnit.objects.filter(away_from_host_site=True).count() >= 3
    private = HomeUnit.objects.exclude(invoice_address="")
    assert private.count() == 1 and private.get().cost_centre == ""
    assert all(area.purchaser_id and area.invoice_address for area in Area.objects.all())


def assert_finished_open_and_draft_weeks() -> None:
    now = timezone.now()
    today = local_date(now)
    states = {week.title: week.state_at(now) for week in CourseWeek.objects.all()}
    assert WeekState.FINISHED in states.values()
    assert WeekState.DRAFT in states.values()
    open_weeks = [
        week
        for week in CourseWeek.objects.all()
        if week.state_at(now) == WeekState.PUBLISHED and week.invitation_date <= today
    ]
    assert open_weeks, states
    for week in CourseWeek.objects.all():
        courses = list(week.courses.prefetch_related("goals", "days"))
        assert 4 <= len(courses) <= 5
        assert all(course.days.exists() for course in courses)
        codes = {goal.code for course in courses for goal in course.goals.all()}
        assert any(code.startswith(("a", "b")) for code in codes)  # 2015
        assert any(code.startswith("ST") for code in codes)  # 2021


@pytest.mark.django_db
def test_demo_has_finished_open_and_draft_weeks_today():
    """Appendix A: demo data placed relative to today."""
    load_demo()
    assert_finished_open_and_draft_weeks()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 7, 15, 10, 0, tzinfo=STOCKHOLM),
        dt.datetime(2027, 1, 2, 23, 30, tzinfo=STOCKHOLM),
        dt.datetime(2028, 3, 31, 9, 0, tzinfo=STOCKHOLM),
    ],
)
def test_demo_has_finished_open_and_draft_weeks_on_other_dates(moment):
    with time_machine.travel(moment, tick=False):
        load_demo()
        assert_finished_open_and_draft_weeks()


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_week_plan_holds_on_any_date(today):
    """Pure placement: valid dates for create_course_week (C3), no public holiday on a course
    day (C2), unique titles, and the week states the demo promises."""
    plans = {plan.key: plan for plan in plan_weeks(today)}
    assert len({plan.title for plan in plans.values()}) == len(plans)
    for plan in plans.values():
        assert plan.start_date.weekday() == 0
        assert plan.invitation_date <= plan.registration_deadline < plan.start_date
        assert plan.registration_deadline < plan.start_date - dt.timedelta(days=14)
        assert not holidays_between(plan.start_date, plan.end_date)
    assert plans["finished"].end_date < today and plans["finished"].publish
    open_week = plans["open"]
    assert open_week.publish
    assert open_week.invitation_date < today < open_week.registration_deadline
    assert not plans["draft"].publish and plans["draft"].start_date > today
    allocated = plans["allocated"]
    assert allocated.publish and allocated.registration_deadline < today
    assert today < allocated.start_date <= today + dt.timedelta(weeks=6)
    assert allocated.cancellation_deadline < today
    assert end_of_day(open_week.registration_deadline) > dt.datetime.combine(
        today, dt.time(23, 59), tzinfo=STOCKHOLM
    )


@pytest.mark.django_db
def test_demo_serves_with_the_production_server_on_the_port(monkeypatch):
    calls = {}
    monkeypatch.setattr(demo_command, "collect_static", lambda: calls.setdefault("static", 1))
    monkeypatch.setattr(demo_command, "run_gunicorn", lambda options: calls.update(options))
    out = io.StringIO()
    call_command("demo", "--port", "8123", stdout=out)
    assert calls["bind"] == ["127.0.0.1:8123"]
    assert calls["static"] == 1
    assert "http://127.0.0.1:8123/" in out.getvalue()


@pytest.mark.django_db
def test_demo_listens_on_this_computer_only(monkeypatch):
    """Issue 8 (`stportal demo`): the demo's password is published, so it binds 127.0.0.1
    whatever it is asked; there is no option to bind another address."""
    calls = {}
    monkeypatch.setattr(demo_command, "collect_static", lambda: None)
    monkeypatch.setattr(demo_command, "run_gunicorn", lambda options: calls.update(options))
    with pytest.raises(CommandError):
        call_command("demo", "--bind", "0.0.0.0:8000", stdout=io.StringIO())  # noqa: S104
    assert calls == {}
    call_command("demo", stdout=io.StringIO())
    assert calls["bind"] == ["127.0.0.1:8000"]


@pytest.mark.django_db
def test_demo_refuses_a_database_holding_another_regions_data(region):
    """Issue 8 (`stportal demo`): a database with a real region's data is refused with a
    clear message, and left as it was."""
    before = model_counts()
    with pytest.raises(CommandError, match="--allow-existing-data") as refused:
        call_command("demo", "--no-serve", stdout=io.StringIO())
    assert region.name in str(refused.value)
    assert model_counts() == before
    assert not User.objects.filter(username="kursadmin").exists()


@pytest.mark.django_db
def test_demo_refuses_a_database_holding_people_it_did_not_make():
    """Issue 8 (`stportal demo`): real people (an address outside the demo's domain, or a
    superuser) mean a real database."""
    User.objects.create_user(username="anna.real", email="anna@regionvasterbotten.se")
    with pytest.raises(CommandError, match="anna.real"):
        call_command("demo", "--no-serve", stdout=io.StringIO())
    User.objects.filter(username="anna.real").delete()
    User.objects.create_superuser(username="root", email="root@example.org", password="x")
    with pytest.raises(CommandError, match="root"):
        call_command("demo", "--no-serve", stdout=io.StringIO())
    assert not User.objects.filter(username="kursadmin").exists()


@pytest.mark.django_db
def test_demo_loads_beside_existing_data_when_told_explicitly(region):
    """Issue 8 (`stportal demo`): `--allow-existing-data` is the explicit way past the check;
    a second plain run over its own data goes through."""
    call_command("demo", "--no-serve", "--allow-existing-data", stdout=io.StringIO())
    assert User.objects.filter(username="kursadmin").exists()
    region.delete()
    call_command("demo", "--no-serve", stdout=io.StringIO())


def test_serve_runs_gunicorn_with_workers_and_persistent_connections(monkeypatch):
    """Appendix A: `stportal serve [--port P] [--workers N]`."""
    from django.conf import settings as django_settings

    calls = {}
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    monkeypatch.setitem(django_settings.DATABASES["default"], "CONN_MAX_AGE", 0)
    monkeypatch.setattr(serve_command, "collect_static", lambda: calls.setdefault("static", 1))
    monkeypatch.setattr(serve_command, "run_gunicorn", lambda options: calls.update(options))
    call_command("serve", "--port", "8124", "--workers", "3", stdout=io.StringIO())
    assert calls["bind"] == ["127.0.0.1:8124"]
    assert calls["workers"] == 3
    assert calls["static"] == 1
    assert django_settings.DATABASES["default"]["CONN_MAX_AGE"] == 60

    call_command("serve", "--bind", "0.0.0.0:9000", stdout=io.StringIO())  # noqa: S104
    assert calls["bind"] == ["0.0.0.0:9000"]  # noqa: S104


def test_serve_keeps_conn_max_age_from_the_environment(monkeypatch):
    from django.conf import settings as django_settings

    monkeypatch.setenv("CONN_MAX_AGE", "5")
    monkeypatch.setitem(django_settings.DATABASES["default"], "CONN_MAX_AGE", 5)
    monkeypatch.setattr(serve_command, "collect_static", lambda: None)
    monkeypatch.setattr(serve_command, "run_gunicorn", lambda options: None)
    call_command("serve", stdout=io.StringIO())
    assert django_settings.DATABASES["default"]["CONN_MAX_AGE"] == 5


@pytest.mark.django_db
def test_demo_has_an_offer_waiting_for_stlakare_and_registrations_in_the_open_week():
    """Issue demo states: an allocated week inside its cancellation period with a waiting
    list and an offer for stlakare (C11), a fee charged (C14), an open week with registrations."""
    from stportal.registrations.models import Fee, LineStatus, RegistrationLine

    result = load_demo()
    plans = {plan.key: plan for plan in result.weeks}
    offer = RegistrationLine.objects.get(
        registration__trainee__user__username="stlakare", status=LineStatus.OFFERED
    )
    assert offer.course.week.title == plans["allocated"].title
    assert offer.offer_expires_at > timezone.now()
    waiting = RegistrationLine.objects.filter(
        course__week__title=plans["allocated"].title, status=LineStatus.WAITLISTED
    )
    assert waiting.exists()
    assert Fee.objects.filter(status="charged").count() == 1
    open_lines = RegistrationLine.objects.filter(course__week__title=plans["open"].title)
    assert open_lines.filter(status=LineStatus.PENDING).count() >= 100
