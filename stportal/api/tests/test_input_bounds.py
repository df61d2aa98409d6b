"""Security review finding 8: what a client sends is held to the model's limits and answers 422
with the field named (or 404 for an id no object can have), never 500, on SQLite and
PostgreSQL alike (run this file with DATABASE_URL set for the second)."""

from __future__ import annotations

import datetime as dt

import pytest

from stportal.api.tests.conftest import WEEK_FIELDS, first_course
from stportal.core.dates import STOCKHOLM
from stportal.courses.models import CourseWeek
from stportal.registrations.models import Registration

pytestmark = pytest.mark.django_db

REGISTRATION_OPEN = dt.datetime(2026, 9, 15, 12, tzinfo=STOCKHOLM)
TOO_BIG = 2**63  # one past the largest id of a 64-bit key
MEGABYTE = "x" * 1_000_000


def assert_refused(response, field: str, status: int = 422) -> None:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["fields"], body


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capacity", TOO_BIG),
        ("capacity", 10_001),
        ("capacity", -1),
        ("late_cancellation_fee", TOO_BIG),
        ("late_cancellation_fee", -3000),
        ("series", TOO_BIG),
    ],
)
def test_capacity_fee_and_ids_of_2_63_answer_422(api, course_admin, series, field, value):
    """Security review finding 8: capacity (or a fee, or an id) of 2^63 answered 500."""
    response = api.post("course-weeks", course_admin, json={**WEEK_FIELDS, field: value})
    assert_refused(response, field)
    assert not CourseWeek.objects.exists()


@pytest.mark.parametrize("field", ["start_date", "registration_deadline", "invitation_date"])
def test_a_date_in_year_1_answers_422(api, course_admin, series, field):
    """Security review finding 8: a start date of year 1 overflowed date arithmetic (500)."""
    response = api.post("course-weeks", course_admin, json={**WEEK_FIELDS, field: "0001-01-01"})
    assert_refused(response, field)
    assert not CourseWeek.objects.exists()


def test_changing_a_week_to_year_9999_answers_422(api, course_admin, make_week):
    """Security review finding 8: the same date bounds hold for PATCH."""
    week = make_week()
    response = api.patch(f"course-weeks/{week.pk}", course_admin, json={"end_date": "9999-12-31"})
    assert_refused(response, "end_date")
    week.refresh_from_db()
    assert week.end_date.isoformat() == WEEK_FIELDS["end_date"]


def test_a_100000_character_title_answers_422(api, course_admin, series):
    """Security review finding 8: a 100,000-character title was accepted on SQLite (and failed
    with 500 on PostgreSQL); the limit is the model's (160)."""
    response = api.post("course-weeks", course_admin, json={**WEEK_FIELDS, "title": "T" * 100_000})
    assert_refused(response, "title")
    assert response.json()["fields"]["title"] == ["Skriv högst 160 tecken."]
    assert not CourseWeek.objects.exists()


def test_a_one_megabyte_dietary_note_answers_422(api, trainee, published_week):
    """Security review finding 8: a 1 MB dietary note was accepted on SQLite."""
    response = api.post(
        f"course-weeks/{published_week.pk}/registrations",
        trainee.user,
        json={"dietary_needs": MEGABYTE},
    )
    assert_refused(response, "dietary_needs")
    assert not Registration.objects.exists()


@pytest.mark.parametrize("field", ["note", "earlier_courses_note"])
def test_notes_are_capped_at_2000_characters(api, trainee, published_week, frozen_time, field):
    """Security review finding 8: TextFields get a cap too (2,000 characters for notes)."""
    frozen_time.move_to(REGISTRATION_OPEN)
    url = f"course-weeks/{published_week.pk}/registrations"
    assert_refused(api.post(url, trainee.user, json={field: "n" * 2_001}), field)
    assert not Registration.objects.exists()
    accepted = api.post(url, trainee.user, json={field: "n" * 2_000})
    assert accepted.status_code == 201, accepted.json()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("course-weeks", {**WEEK_FIELDS, "title": "LEKA\x00A"}, "title"),
        ("course-weeks", {**WEEK_FIELDS, "series": "LEKA\x00A"}, "series"),
        ("home-units", {"name": "Enhet\x00"}, "name"),
    ],
)
def test_nul_bytes_in_a_body_answer_422_with_the_field(
    api, course_admin, series, path, body, field
):
    """Security review finding 8: NUL bytes were accepted (and PostgreSQL cannot store them)."""
    response = api.post(path, course_admin, json=body)
    assert_refused(response, field)
    assert any("NUL" in problem for problem in response.json()["fields"][field])
    assert not CourseWeek.objects.exists()


def test_nul_bytes_in_a_registration_answer_422(api, trainee, published_week):
    response = api.post(
        f"course-weeks/{published_week.pk}/registrations",
        trainee.user,
        json={"dietary_needs": "glutenfri\x00"},
    )
    assert_refused(response, "dietary_needs")
    assert not Registration.objects.exists()


def test_nul_bytes_in_the_query_or_path_answer_422(api, course_admin):
    """Security review finding 8: a NUL where no schema looks (query string, path) is refused
    before it reaches the database."""
    assert_refused(api.get("course-weeks", course_admin, state="draft\x00"), "state")
    assert_refused(api.get("certificates/verify/abc%00def"), "path")


@pytest.mark.parametrize("query", [{"home_unit_id": TOO_BIG}, {"home_unit_id": 0}])
def test_query_ids_out_of_range_answer_422(api, course_admin, query):
    """Security review finding 8: `?home_unit_id=2^63` answered 500 on SQLite."""
    assert_refused(api.get("trainees", course_admin, **query), "home_unit_id")
    assert_refused(api.get("fees", course_admin, **query), "home_unit_id")


def test_ids_of_2_63_in_a_body_answer_422(api, course_admin, trainee, published_week):
    url = f"course-weeks/{published_week.pk}/registrations"
    assert_refused(api.post(url, course_admin, json={"trainee_id": TOO_BIG}), "trainee_id")
    assert_refused(
        api.post(url, course_admin, json={"trainee_id": trainee.pk, "course_ids": [TOO_BIG]}),
        "course_ids",
    )
    course = first_course(published_week)
    response = api.call(
        "PUT", f"courses/{course.pk}/capacity", course_admin, json={"capacity": TOO_BIG}
    )
    assert_refused(response, "capacity")
    assert not Registration.objects.exists()


@pytest.mark.parametrize("week_id", [str(TOO_BIG), "99999999999999999999", "0"])
@pytest.mark.parametrize(
    "path", ["course-weeks/{}", "course-weeks/{}/registrations", "registrations/{}/cancel"]
)
def test_an_id_no_object_can_have_in_the_path_answers_404(api, course_admin, path, week_id):
    """Security review finding 8: an id past 2^63-1 in the path is an address that does not
    exist (404), for every method."""
    url = path.format(week_id)
    for method in ("GET", "POST"):
        response = api.call(method, url, course_admin, json={})
        assert response.status_code in (404, 405), (method, url, response.status_code)
        assert response.json()["code"] in ("not_found", "method_not_allowed")


def test_the_schema_tells_clients_the_limits(api):
    """Security review finding 8: the OpenAPI schema carries the bounds (for clients and the
    fuzz run)."""
    schema = api.get("/api/v1/openapi.json").json()
    week_in = schema["components"]["schemas"]["CourseWeekIn"]["properties"]
    assert week_in["title"]["maxLength"] == 160
    assert week_in["capacity"]["maximum"] == 10_000
    registration_in = schema["components"]["schemas"]["RegistrationIn"]["properties"]
    assert registration_in["note"]["maxLength"] == 2_000
    get_week = schema["paths"]["/api/v1/course-weeks/{week_id}"]["get"]
    (week_id,) = [p for p in get_week["parameters"] if p["name"] == "week_id"]
    assert week_id["schema"]["maximum"] == TOO_BIG - 1 and week_id["schema"]["minimum"] == 1


def test_a_body_past_the_size_limit_answers_413(api, course_admin, settings):
    """Never a 500 for what a client sends: a body past Django's limit is 'too large'."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = api.post("course-weeks", course_admin, json={**WEEK_FIELDS, "place": MEGABYTE})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
