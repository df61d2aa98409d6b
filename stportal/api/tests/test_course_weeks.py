"""Course weeks and courses over the API (C3, C4, Appendix A)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stportal.accounts.models import Role
from stportal.api.tests.conftest import WEEK_FIELDS, first_course, queries_of
from stportal.core.models import AuditEvent
from stportal.courses import services as course_services
from stportal.courses.models import Course, CourseWeek
from stportal.registrations.models import LineStatus, Registration, RegistrationLine
from stportal.testing import factories

COURSE = {
    "title": "Medarbetarskap, ledarskap och pedagogik",
    "description": "Två dagar om ledarskap.",
    "days": ["2027-03-22", "2027-03-23"],
    "goals": {"2015": ["a1"], "2021": ["STa5", "STa6"]},
    "goals_2008": "Delmål 10",
}


def add_lines(course: Course, statuses: list[str]) -> None:
    """Registration lines in given states. Built directly: these tests only read the counts,
    and the registration engine has its own tests for how lines get their states."""
    now = timezone.now()
    for status in statuses:
        trainee = factories.TraineeFactory(home_unit=factories.HomeUnitFactory())
        registration = Registration.objects.create(
            course_week=course.week,
            trainee=trainee,
            curriculum_version=trainee.curriculum_version,
            home_unit=trainee.home_unit,
            created_at=now,
            created_by=trainee.user,
            updated_at=now,
        )
        RegistrationLine.objects.create(
            registration=registration, course=course, status=status, requested_at=now
        )


# --- create -----------------------------------------------------------------------------------


def test_course_admin_creates_a_draft_week(api, course_admin, series):
    """C3, C4: a new week is a draft; the cancellation deadline defaults to 14 days before."""
    response = api.post("course-weeks", course_admin, json=WEEK_FIELDS)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft"
    assert body["series"] == "LEKA A" and body["series_id"] == series.pk
    assert body["cancellation_deadline"] == "2027-03-08"
    assert body["late_cancellation_fee"] == 3000 and body["capacity"] == 60
    assert body["courses"] == []
    assert CourseWeek.objects.get(pk=body["id"]).series == series


def test_series_may_be_given_by_id(api, regional_study_director, series):
    response = api.post(
        "course-weeks", regional_study_director, json={**WEEK_FIELDS, "series": series.pk}
    )
    assert response.status_code == 201
    assert response.json()["series_id"] == series.pk


def test_unknown_series_answers_422_naming_the_field(api, course_admin, series):
    """Appendix A: an unknown series answers 422."""
    response = api.post("course-weeks", course_admin, json={**WEEK_FIELDS, "series": "LEKA Q"})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["series"]


def test_series_of_another_region_is_unknown(api, course_admin, other_region, series):
    foreign = factories.CourseSeriesFactory(region=other_region, name="LEKA C")
    for value in (foreign.pk, "LEKA C"):
        response = api.post("course-weeks", course_admin, json={**WEEK_FIELDS, "series": value})
        assert response.status_code == 422
        assert "series" in response.json()["fields"]


def test_week_ending_before_it_starts_answers_422(api, course_admin, series):
    response = api.post(
        "course-weeks", course_admin, json={**WEEK_FIELDS, "end_date": "2027-03-20"}
    )
    assert response.status_code == 422
    assert "end_date" in response.json()["fields"]


def test_trainee_may_not_create_a_week(api, trainee, series):
    """Appendix A: a trainee's token gets 403 on staff endpoints, whatever the body."""
    assert api.post("course-weeks", trainee.user, json=WEEK_FIELDS).status_code == 403
    assert api.post("course-weeks", trainee.user, json={}).status_code == 403


def test_creating_a_week_without_or_with_a_bad_token_answers_401(api, series):
    assert api.post("course-weeks", json=WEEK_FIELDS).status_code == 401
    assert api.post("course-weeks", token="stp_bad", json=WEEK_FIELDS).status_code == 401


# --- read -------------------------------------------------------------------------------------


def test_week_detail_lists_courses_with_seats_and_goals(api, course_admin, make_week):
    """C3, C8: seats taken = confirmed + offered; waiting = waitlisted; goals per version."""
    week = make_week(courses=0)
    course = course_services.add_course(
        actor=course_admin,
        week=week,
        title="Etik",
        days=[dt.date(2027, 3, 24)],
        capacity=25,
        goals_2008_text="fritext",
    )
    add_lines(
        course,
        [
            LineStatus.CONFIRMED,
            LineStatus.CONFIRMED,
            LineStatus.OFFERED,
            LineStatus.WAITLISTED,
            LineStatus.CANCELLED,
            LineStatus.PENDING,
        ],
    )
    body = api.get(f"course-weeks/{week.pk}", course_admin).json()
    expected_keys = {
        "id", "series", "title", "state", "start_date", "end_date", "place", "capacity",
        "invitation_date", "registration_deadline", "cancellation_deadline",
        "late_cancellation_fee", "courses",
    }  # fmt: skip
    assert expected_keys <= set(body)
    [listed] = body["courses"]
    assert listed["id"] == course.pk and listed["title"] == "Etik"
    assert listed["days"] == ["2027-03-24"]
    assert listed["capacity"] == 25
    assert listed["seats_taken"] == 3 and listed["waiting"] == 1
    assert listed["goals"] == {"2015": [], "2021": [], "2008": "fritext"}


def test_course_without_own_capacity_follows_the_week(api, course_admin, make_week):
    """C3: a course without its own capacity follows the week's, live."""
    week = make_week(courses=1, capacity=40)
    assert api.get(f"course-weeks/{week.pk}", course_admin).json()["courses"][0]["capacity"] == 40


def test_draft_week_is_404_to_non_staff(api, make_week, trainee, supervisor):
    """C4: drafts are not visible; their existence is private."""
    week = make_week()
    for user in (trainee.user, supervisor):
        assert api.get(f"course-weeks/{week.pk}", user).status_code == 404
        assert api.get("course-weeks", user).json() == []


def test_published_week_is_visible_to_the_region_s_trainees(api, published_week, trainee):
    body = api.get(f"course-weeks/{published_week.pk}", trainee.user).json()
    assert body["state"] == "published" and len(body["courses"]) == 2
    assert [w["id"] for w in api.get("course-weeks", trainee.user).json()] == [published_week.pk]


def test_other_region_sees_nothing_of_ours(
    api, published_week, make_week, outsider_admin, other_region
):
    """SPEC 2: staff of another region get 404 for our objects; a trainee there sees none."""
    draft = make_week()
    foreign_trainee = factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(region=other_region)
    )
    for user in (outsider_admin, foreign_trainee.user):
        assert api.get(f"course-weeks/{published_week.pk}", user).status_code == 404
        assert api.get(f"course-weeks/{draft.pk}", user).status_code == 404
        assert api.get("course-weeks", user).json() == []


def test_staff_see_drafts_in_the_list_and_filter_by_state(
    api, course_admin, make_week, published_week
):
    draft = make_week()
    listed = api.get("course-weeks", course_admin).json()
    assert {w["id"] for w in listed} == {draft.pk, published_week.pk}
    assert "courses" not in listed[0]
    drafts = api.get("course-weeks", course_admin, state="draft").json()
    assert [w["id"] for w in drafts] == [draft.pk]
    published = api.get("course-weeks", course_admin, state="published").json()
    assert [w["id"] for w in published] == [published_week.pk]
    assert api.get("course-weeks", course_admin, state="running").json() == []


def test_state_filter_follows_the_dates(api, course_admin, published_week, frozen_time):
    """C4: dates move the state forward on their own (closed after the deadline)."""
    frozen_time.move_to(dt.datetime(2026, 10, 16, 9, 0, tzinfo=dt.UTC))
    closed = api.get("course-weeks", course_admin, state="closed").json()
    assert [w["id"] for w in closed] == [published_week.pk]
    assert closed[0]["state"] == "closed"
    assert api.get("course-weeks", course_admin, state="published").json() == []


def test_reading_weeks_needs_a_token(api, published_week):
    assert api.get("course-weeks").status_code == 401
    assert api.get(f"course-weeks/{published_week.pk}", token="stp_bad").status_code == 401


def test_unknown_week_answers_404(api, course_admin):
    assert api.get("course-weeks/999999", course_admin).status_code == 404


def test_week_detail_uses_the_same_queries_for_2_and_8_courses(api, course_admin, make_week):
    """SPEC 7: constant queries whatever the number of rows (no N+1 over courses)."""
    small, large = make_week(courses=2), make_week(courses=8)
    for week in (small, large):
        for course in week.courses.all():
            add_lines(course, [LineStatus.CONFIRMED, LineStatus.WAITLISTED])
    api.get("me", course_admin)  # the token's first use is recorded once
    few = queries_of(lambda: api.get(f"course-weeks/{small.pk}", course_admin))
    many = queries_of(lambda: api.get(f"course-weeks/{large.pk}", course_admin))
    assert len(api.get(f"course-weeks/{large.pk}", course_admin).json()["courses"]) == 8
    assert few == many


def test_week_list_uses_a_constant_number_of_queries(api, course_admin, make_week):
    make_week(courses=1)
    api.get("course-weeks", course_admin)
    few = queries_of(lambda: api.get("course-weeks", course_admin))
    for _ in range(5):
        make_week(courses=2)
    many = queries_of(lambda: api.get("course-weeks", course_admin))
    assert few == many


# --- change -----------------------------------------------------------------------------------


def test_patch_changes_the_given_fields_and_answers_the_week(api, course_admin, make_week):
    week = make_week()
    response = api.patch(
        f"course-weeks/{week.pk}", course_admin, json={"place": "Skellefteå", "capacity": 48}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["place"] == "Skellefteå" and body["capacity"] == 48
    assert body["title"] == "LEKA A 2027"
    assert AuditEvent.objects.filter(action="course_week.changed", object_id=str(week.pk)).exists()


def test_patch_may_move_the_week_to_another_series_of_the_region(
    api, course_admin, make_week, region
):
    leka_b = factories.CourseSeriesFactory(region=region, name="LEKA B")
    week = make_week()
    body = api.patch(f"course-weeks/{week.pk}", course_admin, json={"series": "LEKA B"}).json()
    assert body["series_id"] == leka_b.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2027-03-01"}, "end_date"),
        ({"title": None}, "title"),
        ({"series": "LEKA Q"}, "series"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_patch_answers_422_naming_the_field(api, course_admin, make_week, change, field):
    response = api.patch(f"course-weeks/{make_week().pk}", course_admin, json=change)
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_publish_moves_a_draft_to_published_and_again_is_409(api, course_admin, make_week):
    """C4: staff publish a draft; publishing a published week is a conflict."""
    week = make_week(courses=1)
    response = api.post(f"course-weeks/{week.pk}/publish", course_admin)
    assert response.status_code == 200
    assert response.json()["state"] == "published"
    assert response.json()["published_at"] == "2026-08-03T10:00:00+02:00"  # Stockholm time
    again = api.post(f"course-weeks/{week.pk}/publish", course_admin)
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_state"


def test_publishing_a_week_without_courses_is_409(api, course_admin, make_week):
    response = api.post(f"course-weeks/{make_week(courses=0).pk}/publish", course_admin)
    assert response.status_code == 409
    assert response.json()["code"] == "no_courses"


def test_cancel_answers_the_cancelled_week_with_its_reason(api, course_admin, published_week):
    """C4: staff cancel a week; it stays, cancelled, with the reason."""
    response = api.post(
        f"course-weeks/{published_week.pk}/cancel", course_admin, json={"reason": "För få anmälda"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "cancelled" and body["cancel_reason"] == "För få anmälda"
    assert api.post(f"course-weeks/{published_week.pk}/cancel", course_admin).status_code == 409


def test_cancel_needs_no_body(api, regional_study_director, make_week):
    response = api.post(f"course-weeks/{make_week().pk}/cancel", regional_study_director)
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"


def test_week_cancelled_as_a_draft_stays_hidden_from_trainees(
    api, course_admin, make_week, trainee
):
    week = make_week()
    api.post(f"course-weeks/{week.pk}/cancel", course_admin)
    assert api.get(f"course-weeks/{week.pk}", trainee.user).status_code == 404


def test_add_course_with_goals_days_and_leaders(api, course_admin, make_week, region):
    """C3: a course has title, description, days, leaders, capacity and goals per version."""
    leader = factories.user_with_role(Role.COURSE_LEADER, region=region)
    week = make_week(courses=0)
    response = api.post(
        f"course-weeks/{week.pk}/courses",
        course_admin,
        json={**COURSE, "capacity": 30, "leader_ids": [leader.pk]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["goals"] == {"2015": ["a1"], "2021": ["STa5", "STa6"], "2008": "Delmål 10"}
    assert body["days"] == ["2027-03-22", "2027-03-23"]
    assert body["capacity"] == 30 and body["leader_ids"] == [leader.pk]
    assert body["seats_taken"] == 0 and body["waiting"] == 0
    assert Course.objects.get(pk=body["id"]).week == week
    detail = api.get(f"course-weeks/{week.pk}", course_admin).json()
    assert [c["id"] for c in detail["courses"]] == [body["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"goals": {"2015": ["a1", "z9"]}}, "goals.2015"),
        ({"goals": {"2021": ["a1"]}}, "goals.2021"),
        ({"goals": {"2016": ["a1"]}}, "goals.2016"),
        ({"days": ["2027-04-01"]}, "days"),
        ({"leader_ids": [999_999]}, "leader_ids"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_course_answers_422_naming_the_field(api, course_admin, make_week, change, field):
    response = api.post(
        f"course-weeks/{make_week(courses=0).pk}/courses", course_admin, json={**COURSE, **change}
    )
    assert response.status_code == 422
    assert field in response.json()["fields"], response.json()
    assert not Course.objects.exists()


# --- who may change ---------------------------------------------------------------------------


def staff_actions(week: CourseWeek) -> list[tuple[str, str, dict | None]]:
    return [
        ("PATCH", f"course-weeks/{week.pk}", {"place": "Luleå"}),
        ("POST", f"course-weeks/{week.pk}/publish", None),
        ("POST", f"course-weeks/{week.pk}/cancel", {"reason": "x"}),
        ("POST", f"course-weeks/{week.pk}/courses", COURSE),
    ]


def test_trainee_gets_403_on_every_week_change(api, published_week, trainee):
    """Appendix A: a role that may not do something answers 403."""
    for method, path, body in staff_actions(published_week):
        assert api.call(method, path, trainee.user, json=body).status_code == 403, path


@pytest.mark.parametrize("role", [Role.STUDY_DIRECTOR, Role.COURSE_LEADER, Role.UNIT_MANAGER])
def test_other_non_staff_roles_get_403_on_week_changes(api, make_week, region, role):
    user = factories.user_with_role(role, region=region)
    for method, path, body in staff_actions(make_week()):
        assert api.call(method, path, user, json=body).status_code == 403, path


def test_other_region_s_admin_gets_404_on_every_week_change(api, make_week, outsider_admin):
    """SPEC 2: an object outside the caller's reach answers 404; nothing changes."""
    week = make_week()
    for method, path, body in staff_actions(week):
        assert api.call(method, path, outsider_admin, json=body).status_code == 404, path
    week.refresh_from_db()
    assert week.stored_state == "draft" and week.place == "Umeå"


def test_week_changes_need_a_valid_token(api, make_week):
    for method, path, body in staff_actions(make_week()):
        assert api.call(method, path, json=body).status_code == 401, path
        assert api.call(method, path, token="stp_bad", json=body).status_code == 401, path


def test_unknown_week_answers_404_to_staff_actions(api, course_admin):
    week = CourseWeek(pk=999_999)
    for method, path, body in staff_actions(week):
        assert api.call(method, path, course_admin, json=body).status_code == 404, path


def test_a_trainee_sees_the_weeks_of_their_home_unit_s_region(
    api, published_week, trainee, other_region
):
    """SPEC 2: the record follows the person; the home unit says which region is theirs."""
    assert api.get(f"course-weeks/{published_week.pk}", trainee.user).status_code == 200
    trainee.home_unit = factories.HomeUnitFactory(region=other_region)
    trainee.save(update_fields=["home_unit"])
    assert api.get(f"course-weeks/{published_week.pk}", trainee.user).status_code == 404


def test_a_supervisor_sees_the_weeks_of_their_trainees_region(api, published_week, trainee, db):
    supervisor = factories.UserFactory()
    assert api.get(f"course-weeks/{published_week.pk}", supervisor).status_code == 404
    trainee.supervisor = supervisor
    trainee.save(update_fields=["supervisor"])
    assert api.get(f"course-weeks/{published_week.pk}", supervisor).status_code == 200


def test_a_course_leader_sees_the_week_of_their_course(api, published_week, db):
    leader = factories.UserFactory()
    first_course(published_week).leaders.add(leader)
    assert api.get(f"course-weeks/{published_week.pk}", leader).status_code == 200


def test_state_filter_agrees_with_the_state_rules_on_every_date(course_admin, make_week):
    """C4: `?state=` is the SQL form of courses.states.effective_state; the two must agree
    around every boundary (deadline, first day, last day), in Stockholm time."""
    from stportal.core.dates import STOCKHOLM
    from stportal.courses.selectors import state_filter
    from stportal.courses.states import WeekState

    draft = make_week()
    published = course_services.publish_course_week(actor=course_admin, week=make_week())
    allocated = course_services.publish_course_week(actor=course_admin, week=make_week())
    # Allocation belongs to the registration engine; only the stored word matters here.
    CourseWeek.objects.filter(pk=allocated.pk).update(stored_state="allocated")
    cancelled = course_services.cancel_course_week(actor=course_admin, week=make_week())
    weeks = [CourseWeek.objects.get(pk=w.pk) for w in (draft, published, allocated, cancelled)]
    days = [
        dt.date(2026, 10, 15),
        dt.date(2026, 10, 16),
        dt.date(2027, 3, 21),
        dt.date(2027, 3, 22),
        dt.date(2027, 3, 26),
        dt.date(2027, 3, 27),
    ]
    for day in days:
        for hour in (0, 23):
            now = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=STOCKHOLM)
            for state in WeekState.values:
                by_sql = set(
                    CourseWeek.objects.filter(state_filter(state, day)).values_list("pk", flat=True)
                )
                by_rule = {w.pk for w in weeks if w.state_at(now) == state}
                assert by_sql == by_rule, (state, now)
