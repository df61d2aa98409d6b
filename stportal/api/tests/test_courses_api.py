"""`PATCH /api/v1/courses/{id}`, `POST /api/v1/courses/{id}/remove` and moving a week through
`PATCH /api/v1/course-weeks/{id}` (issue 9, rule fixes 1 and 2; C3, C4, Appendix A)."""

from __future__ import annotations

from stportal.api.tests.conftest import first_course
from stportal.courses.models import CourseDay
from stportal.notifications.models import OutboxMessage
from stportal.registrations import services as registration_services
from stportal.registrations.models import Fee, LineStatus


def days_of(course):
    return [d.date.isoformat() for d in CourseDay.objects.filter(course=course).order_by("date")]


def test_staff_patch_a_courses_days_capacity_and_goals(api, course_admin, make_week):
    """Appendix A: PATCH answers the course as it now is; left-out fields stay."""
    week = make_week()
    course = first_course(week)
    response = api.patch(
        f"courses/{course.pk}",
        course_admin,
        json={
            "days": ["2027-03-23", "2027-03-24"],
            "capacity": 20,
            "goals": {"2015": ["a1", "a2"]},
            "description": "Ny beskrivning",
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["days"] == ["2027-03-23", "2027-03-24"]
    assert (body["capacity"], body["own_capacity"], body["removed"]) == (20, 20, False)
    assert body["goals"]["2015"] == ["a1", "a2"]
    assert body["title"] == "Delkurs 1"
    assert days_of(course) == ["2027-03-23", "2027-03-24"]
    back = api.patch(f"courses/{course.pk}", course_admin, json={"capacity": None})
    assert (back.json()["own_capacity"], back.json()["capacity"]) == (None, 60)


def test_course_days_outside_the_week_or_on_a_weekend_answer_422(api, course_admin, make_week):
    course = first_course(make_week())
    response = api.patch(
        f"courses/{course.pk}", course_admin, json={"days": ["2027-03-27", "2027-03-29"]}
    )
    assert response.status_code == 422
    problems = " ".join(response.json()["fields"]["days"])
    assert "2027-03-27" in problems and "2027-03-29" in problems
    assert days_of(course) == ["2027-03-22"]


def test_only_staff_of_the_region_patch_or_remove_a_course(api, make_week, trainee, outsider_admin):
    course = first_course(make_week())
    for path, body in ((f"courses/{course.pk}", {"title": "X"}),):
        assert api.patch(path, trainee.user, json=body).status_code == 403
        assert api.patch(path, outsider_admin, json=body).status_code == 404
    remove = f"courses/{course.pk}/remove"
    assert api.post(remove, trainee.user, json={"reason": "X"}).status_code == 403
    assert api.post(remove, outsider_admin, json={"reason": "X"}).status_code == 404
    assert api.patch("courses/999999", outsider_admin, json={"title": "X"}).status_code == 404
    course.refresh_from_db()
    assert course.title == "Delkurs 1" and course.removed_at is None


def test_removing_a_course_cancels_its_lines_free_and_shows_it_removed(
    api, course_admin, published_week, trainee, frozen_time
):
    """C4: `POST /courses/{id}/remove`; the lines are cancelled by the organiser, free; the
    course shows `removed: true` in the week; registering for it is refused."""
    course = first_course(published_week)
    frozen_time.move_to("2026-09-15 12:00+02:00")
    registration_services.register_for_course_week(
        actor=trainee.user, week=published_week, trainee=trainee
    )
    response = api.post(f"courses/{course.pk}/remove", course_admin, json={"reason": "Sjuk"})
    assert response.status_code == 200, response.json()
    assert response.json()["removed"] is True
    line = trainee.registrations.get().lines.get(course=course)
    assert line.status == LineStatus.CANCELLED and line.fee is None
    assert not Fee.objects.exists()
    assert OutboxMessage.objects.filter(kind="course_removed").count() == 1
    week = api.get(f"course-weeks/{published_week.pk}", trainee.user).json()
    removed = {c["id"]: c["removed"] for c in week["courses"]}
    assert removed[course.pk] is True and list(removed.values()).count(False) == 1
    again = api.post(f"courses/{course.pk}/remove", course_admin, json={"reason": "Sjuk"})
    assert again.status_code == 409


def test_moving_a_week_through_patch_moves_its_course_days(api, course_admin, make_week):
    """Appendix A: PATCH start_date and end_date by the same number of days."""
    week = make_week(courses=2)
    response = api.patch(
        f"course-weeks/{week.pk}",
        course_admin,
        json={"start_date": "2027-03-29", "end_date": "2027-04-02"},
    )
    assert response.status_code == 200, response.json()
    assert {tuple(c["days"]) for c in response.json()["courses"]} == {("2027-03-29",)}


def test_a_move_leaving_course_days_outside_answers_422_naming_them(api, course_admin, make_week):
    week = make_week()
    response = api.patch(f"course-weeks/{week.pk}", course_admin, json={"start_date": "2027-03-23"})
    assert response.status_code == 422
    assert "2027-03-22" in " ".join(response.json()["fields"]["days"])
    week.refresh_from_db()
    assert week.start_date.isoformat() == "2027-03-22"
