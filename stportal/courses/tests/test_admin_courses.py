"""Course weeks and courses in the back office (C3, C4; SPEC 8: admin actions call services)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stportal.core.dates import STOCKHOLM
from stportal.core.errors import ServiceError
from stportal.core.models import AuditEvent
from stportal.courses import services
from stportal.courses.admin import state_condition
from stportal.courses.models import Course, CourseWeek
from stportal.courses.states import StoredState, WeekState
from stportal.curricula.models import Goal
from stportal.testing import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:courses_courseweek_changelist")


def monday_in(days: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    return day - dt.timedelta(days=day.weekday())


def make_week(series, actor, *, title="LEKA A test", start=None, with_course=True):
    start = start or monday_in(90)
    week = services.create_course_week(
        actor=actor,
        series=series,
        title=title,
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        place="Umeå",
        capacity=40,
        invitation_date=timezone.localdate() - dt.timedelta(days=1),
        registration_deadline=start - dt.timedelta(days=30),
        late_cancellation_fee=3000,
    )
    if with_course:
        services.add_course(actor=actor, week=week, title="Etik", days=[start])
    return week


@pytest.fixture
def week(series, course_admin):
    return make_week(series, course_admin)


def run_action(client, action, weeks, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [w.pk for w in weeks], **extra}
    return client.post(CHANGELIST, data, follow=True)


def week_change_data(week: CourseWeek, **changes) -> dict:
    data = {
        "series": week.series_id,
        "title": week.title,
        "start_date": week.start_date.isoformat(),
        "end_date": week.end_date.isoformat(),
        "place": week.place,
        "capacity": week.capacity,
        "invitation_date": week.invitation_date.isoformat(),
        "registration_deadline": week.registration_deadline.isoformat(),
        "cancellation_deadline": week.cancellation_deadline.isoformat(),
        "late_cancellation_fee": week.late_cancellation_fee,
        "lodging_nightly_rate": week.lodging_nightly_rate,
        "guest_seat_price": week.guest_seat_price,
        "host_site": week.host_site,
        "certifier": week.certifier,
        "courses-TOTAL_FORMS": week.courses.count(),
        "courses-INITIAL_FORMS": week.courses.count(),
    }
    data.update(changes)
    return data


# --- Publish and cancel through the services (C4) ------------------------------------------


def test_publish_action_publishes_and_writes_audit(client, course_admin, week):
    client.force_login(course_admin)
    response = run_action(client, "publish_weeks", [week], index=0)
    assert response.status_code == 200
    week.refresh_from_db()
    assert week.stored_state == StoredState.PUBLISHED
    assert week.published_at is not None
    event = AuditEvent.objects.get(action="course_week.published", object_id=str(week.pk))
    assert event.actor == course_admin
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_publish_action_reports_the_service_error(client, course_admin, series):
    empty = make_week(series, course_admin, title="Utan delkurser", with_course=False)
    client.force_login(course_admin)
    response = run_action(client, "publish_weeks", [empty], index=0)
    empty.refresh_from_db()
    assert empty.stored_state == StoredState.DRAFT
    texts = [str(m) for m in response.context["messages"]]
    assert len(texts) == 1 and texts[0].startswith("Utan delkurser: ")
    assert not AuditEvent.objects.filter(action="course_week.published").exists()


def test_cancel_action_asks_for_a_reason_first(client, course_admin, week):
    client.force_login(course_admin)
    response = client.post(
        CHANGELIST,
        {"action": "cancel_weeks", helpers.ACTION_CHECKBOX_NAME: [week.pk], "index": 0},
    )
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    week.refresh_from_db()
    assert week.stored_state == StoredState.DRAFT
    # Confirming without a reason changes nothing.
    response = run_action(client, "cancel_weeks", [week], confirm="yes", reason="")
    week.refresh_from_db()
    assert week.stored_state == StoredState.DRAFT


def test_cancel_action_cancels_with_reason_and_writes_audit(client, course_admin, week):
    services.publish_course_week(actor=course_admin, week=week)
    client.force_login(course_admin)
    response = run_action(
        client, "cancel_weeks", [week], confirm="yes", reason="För få anmälda lärare"
    )
    assert response.status_code == 200
    week.refresh_from_db()
    assert week.stored_state == StoredState.CANCELLED
    assert week.cancel_reason == "För få anmälda lärare"
    event = AuditEvent.objects.get(action="course_week.cancelled", object_id=str(week.pk))
    assert event.reason == "För få anmälda lärare"
    assert event.actor == course_admin


def test_actions_do_not_reach_another_regions_week(client, week, outsider_admin):
    client.force_login(outsider_admin)
    run_action(client, "publish_weeks", [week], index=0)
    week.refresh_from_db()
    assert week.stored_state == StoredState.DRAFT


# --- What a rule governs is read-only --------------------------------------------------------


def test_stored_state_is_read_only_in_the_change_form(client, course_admin, week):
    client.force_login(course_admin)
    url = reverse("admin:courses_courseweek_change", args=[week.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    for name in ("stored_state", "published_at", "allocated_at", "cancelled_at"):
        assert name not in form.fields
    assert 'name="stored_state"' not in response.content.decode()
    response = client.post(url, week_change_data(week, stored_state="cancelled"))
    assert response.status_code == 302
    week.refresh_from_db()
    assert week.stored_state == StoredState.DRAFT


def test_capacity_of_a_published_week_is_read_only(client, course_admin, week):
    services.publish_course_week(actor=course_admin, week=week)
    client.force_login(course_admin)
    url = reverse("admin:courses_courseweek_change", args=[week.pk])
    form = client.get(url).context["adminform"].form
    assert "capacity" not in form.fields
    assert "series" not in form.fields
    data = week_change_data(week, capacity=5, place="Skellefteå")
    del data["series"]
    assert client.post(url, data).status_code == 302
    week.refresh_from_db()
    assert week.capacity == 40
    assert week.place == "Skellefteå"
    assert AuditEvent.objects.filter(action="course_week.changed").count() == 1


def test_staff_open_a_week_to_another_region_through_the_service(
    client, course_admin, week, other_region
):
    """C23 from the admin: the other regions and the guests' price go through the service,
    which writes the audit trail."""
    client.force_login(course_admin)
    url = reverse("admin:courses_courseweek_change", args=[week.pk])
    data = week_change_data(week, open_to_regions=[other_region.pk], guest_seat_price=4200)
    assert client.post(url, data).status_code == 302
    week.refresh_from_db()
    assert list(week.open_to_regions.all()) == [other_region]
    assert week.guest_seat_price == 4200
    event = AuditEvent.objects.get(action="course_week.changed")
    assert event.after["open_to_regions"] == [other_region.pk]
    # Opening it to every other region replaces the list.
    data = week_change_data(week, open_to_all_regions="on", guest_seat_price=4200)
    assert client.post(url, data).status_code == 302
    week.refresh_from_db()
    assert week.open_to_all_regions and not week.open_to_regions.exists()


def test_cancelled_week_is_view_only(client, course_admin, week):
    services.cancel_course_week(actor=course_admin, week=week, reason="Inställd")
    client.force_login(course_admin)
    url = reverse("admin:courses_courseweek_change", args=[week.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_no_delete_for_weeks_and_courses(client, course_admin, week):
    client.force_login(course_admin)
    course = week.courses.get()
    assert client.get(reverse("admin:courses_courseweek_delete", args=[week.pk])).status_code == 403
    assert client.get(reverse("admin:courses_course_delete", args=[course.pk])).status_code == 403
    actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert "delete_selected" not in [value for value, _label in actions]


# --- Adding and changing through the services (C3) -----------------------------------------


def test_adding_a_week_goes_through_create_course_week(client, course_admin, series):
    start = monday_in(120)
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:courses_courseweek_add"),
        {
            "series": series.pk,
            "title": "LEKA B admin",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=4)).isoformat(),
            "place": "Umeå",
            "capacity": "60",
            "invitation_date": timezone.localdate().isoformat(),
            "registration_deadline": (start - dt.timedelta(days=40)).isoformat(),
            "cancellation_deadline": "",
            "late_cancellation_fee": "3000",
            "lodging_nightly_rate": "1200",
            "host_site": "",
            "certifier": "regional_study_director",
        },
    )
    assert response.status_code == 302
    week = CourseWeek.objects.get(title="LEKA B admin")
    assert week.cancellation_deadline == start - dt.timedelta(days=14)  # C3 default
    assert week.host_site == series.host_site
    assert week.stored_state == StoredState.DRAFT
    assert AuditEvent.objects.filter(action="course_week.created", object_id=str(week.pk)).exists()


def test_adding_a_week_shows_the_rules_errors_on_the_form(client, course_admin, series):
    start = monday_in(120)
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:courses_courseweek_add"),
        {
            "series": series.pk,
            "title": "Fel datum",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=4)).isoformat(),
            "capacity": "60",
            "invitation_date": timezone.localdate().isoformat(),
            "registration_deadline": (start + dt.timedelta(days=1)).isoformat(),
            "late_cancellation_fee": "3000",
            "lodging_nightly_rate": "1200",
            "certifier": "regional_study_director",
        },
    )
    assert response.status_code == 200
    assert "registration_deadline" in response.context["adminform"].form.errors
    assert not CourseWeek.objects.filter(title="Fel datum").exists()


def test_changing_a_draft_goes_through_update_course_week(client, course_admin, week):
    client.force_login(course_admin)
    url = reverse("admin:courses_courseweek_change", args=[week.pk])
    response = client.post(url, week_change_data(week, capacity=25, title="LEKA A ändrad"))
    assert response.status_code == 302
    week.refresh_from_db()
    assert (week.capacity, week.title) == (25, "LEKA A ändrad")
    event = AuditEvent.objects.get(action="course_week.changed", object_id=str(week.pk))
    assert event.before["capacity"] == 40 and event.after["capacity"] == 25


def test_series_choices_are_own_region_only(client, course_admin, other_region):
    theirs = factories.CourseSeriesFactory(region=other_region, name="LEKA A")
    client.force_login(course_admin)
    form = client.get(reverse("admin:courses_courseweek_add")).context["adminform"].form
    assert theirs not in form.fields["series"].queryset


def test_adding_a_course_goes_through_add_course(client, course_admin, week):
    goals = list(Goal.objects.filter(version__code="2015", code__in=["a1", "a2"]))
    leader = factories.user_with_role("course_leader", region=week.series.region)
    client.force_login(course_admin)
    add_url = reverse("admin:courses_course_add")
    assert client.get(add_url, {"week": week.pk}).status_code == 200
    response = client.post(
        add_url,
        {
            "week": week.pk,
            "title": "Medicinsk vetenskap",
            "description": "",
            "days_text": f"{week.start_date + dt.timedelta(days=2)}, {week.end_date}",
            "own_capacity": "",
            "position": "",
            "leaders": [leader.pk],
            "goals": [g.pk for g in goals],
            "goals_2008_text": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    course = Course.objects.get(title="Medicinsk vetenskap")
    assert [d.date for d in course.days.all()] == [
        week.start_date + dt.timedelta(days=2),
        week.end_date,
    ]
    assert set(course.goals.all()) == set(goals)
    assert list(course.leaders.all()) == [leader]
    assert course.position == 2
    assert AuditEvent.objects.filter(action="course.created", object_id=str(course.pk)).exists()


def test_course_days_outside_the_week_are_a_form_error(client, course_admin, week):
    client.force_login(course_admin)
    response = client.post(
        reverse("admin:courses_course_add"),
        {
            "week": week.pk,
            "title": "Fel dag",
            "days_text": (week.end_date + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "days_text" in response.context["adminform"].form.errors
    assert not Course.objects.filter(title="Fel dag").exists()


def test_editing_a_course_keeps_days_and_capacity(client, course_admin, week):
    course = week.courses.get()
    client.force_login(course_admin)
    url = reverse("admin:courses_course_change", args=[course.pk])
    form = client.get(url).context["adminform"].form
    assert "own_capacity" not in form.fields and "week" not in form.fields
    response = client.post(
        url,
        {"title": "Etik och prioriteringar", "description": "Ny text", "position": "1"},
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Etik och prioriteringar"
    assert course.history.count() == 2


# --- Lists: state, scoping, queries ---------------------------------------------------------


def test_week_list_shows_state_and_counts(client, course_admin, week):
    services.publish_course_week(actor=course_admin, week=week)
    client.force_login(course_admin)
    response = client.get(CHANGELIST)
    row = response.context["cl"].result_list[0]
    assert row._courses == 1
    assert "publicerad" in response.content.decode() or "published" in response.content.decode()


def test_other_region_admin_does_not_see_our_week(client, week, outsider_admin):
    client.force_login(outsider_admin)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert week.title not in response.content.decode()
    change = client.get(reverse("admin:courses_courseweek_change", args=[week.pk]))
    assert change.status_code == 302
    course = week.courses.get()
    assert client.get(reverse("admin:courses_course_change", args=[course.pk])).status_code == 302


def test_state_filter(client, course_admin, series, week):
    published = make_week(series, course_admin, title="Publicerad", start=monday_in(130))
    services.publish_course_week(actor=course_admin, week=published)
    client.force_login(course_admin)
    response = client.get(CHANGELIST, {"state": WeekState.PUBLISHED})
    assert list(response.context["cl"].result_list) == [published]
    response = client.get(CHANGELIST, {"state": WeekState.DRAFT})
    assert list(response.context["cl"].result_list) == [week]


def test_state_condition_agrees_with_state_at():
    """The list filter's query and the pure C4 rule give the same state on every date."""
    today = dt.date(2027, 3, 10)
    now = dt.datetime.combine(today, dt.time(12), tzinfo=STOCKHOLM)
    offsets = range(-3, 4)
    for stored, deadline, start, length in itertools.product(
        StoredState.values, offsets, offsets, (0, 2)
    ):
        start_date = today + dt.timedelta(days=start)
        week = CourseWeek(
            stored_state=stored,
            registration_deadline=min(today + dt.timedelta(days=deadline), start_date),
            start_date=start_date,
            end_date=start_date + dt.timedelta(days=length),
        )
        expected = week.state_at(now)
        matches = [s for s in WeekState.values if _matches(state_condition(s, today), week)]
        assert matches == [expected], (stored, deadline, start, length)


def _matches(condition, week) -> bool:
    """Evaluate a simple Q of field lookups against an unsaved week."""
    if not hasattr(condition, "children"):
        name, value = condition
        field, _sep, lookup = name.rpartition("__") if "__" in name else (name, "", "exact")
        actual = getattr(week, field)
        if lookup == "in":
            return actual in value
        if lookup == "lt":
            return actual < value
        if lookup == "lte":
            return actual <= value
        if lookup == "gte":
            return actual >= value
        return actual == value
    results = [_matches(child, week) for child in condition.children]
    result = all(results) if condition.connector == "AND" else any(results)
    return not result if condition.negated else result


def test_week_list_runs_a_constant_number_of_queries(client, course_admin, series):
    client.force_login(course_admin)
    make_week(series, course_admin, title="V1", start=monday_in(70))
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for n in range(2, 6):
        make_week(series, course_admin, title=f"V{n}", start=monday_in(70 + 7 * n))
    with CaptureQueriesContext(connection) as many:
        client.get(CHANGELIST)
    assert len(many) == len(few)


def test_course_list_runs_a_constant_number_of_queries(client, course_admin, week):
    url = reverse("admin:courses_course_changelist")
    client.force_login(course_admin)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        services.add_course(actor=course_admin, week=week, title=f"K{n}", days=[week.start_date])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_rule_saying_no_while_saving_is_shown_not_a_crash(
    client, course_admin, series, monkeypatch
):
    """A ServiceError the form could not foresee (a race) rolls back and shows its message."""

    def refuse(**kwargs):
        raise ServiceError("locked", "Kursveckan är låst.")

    monkeypatch.setattr(services, "create_course_week", refuse)
    start = monday_in(120)
    client.force_login(course_admin)
    url = reverse("admin:courses_courseweek_add")
    response = client.post(
        url,
        {
            "series": series.pk,
            "title": "Krock",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=4)).isoformat(),
            "capacity": "60",
            "invitation_date": timezone.localdate().isoformat(),
            "registration_deadline": (start - dt.timedelta(days=40)).isoformat(),
            "late_cancellation_fee": "3000",
            "lodging_nightly_rate": "1200",
            "certifier": "regional_study_director",
        },
        follow=True,
    )
    assert response.redirect_chain[0][0] == url
    assert [str(m) for m in response.context["messages"]] == ["Kursveckan är låst."]
    assert not CourseWeek.objects.filter(title="Krock").exists()
