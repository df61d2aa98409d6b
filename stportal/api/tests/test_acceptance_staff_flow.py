"""The foundation issue's "Must show 2", over the API with personal tokens (Appendix A).

A course admin creates a home unit, a trainee (an invalid personal identity number first:
422 naming `personal_id`), a course week, its courses, and publishes it (C3, C4). A trainee's
token gets 403 on each of those staff endpoints, and sees the week only once it is published.
"""

from __future__ import annotations

import io

from django.core.management import call_command


def token_of(username: str) -> dict[str, str]:
    """A token from the command line, as a script would get it (`stportal apitoken`)."""
    out = io.StringIO()
    call_command("apitoken", username, stdout=out)
    return {"Authorization": f"Bearer {out.getvalue().strip().splitlines()[-1]}"}


def test_course_admin_builds_and_publishes_a_week_and_a_trainee_is_refused_each_step(
    client, course_admin, series, trainee
):
    admin = token_of(course_admin.username)
    st = token_of(trainee.user.username)

    def post(path: str, body: dict, headers: dict[str, str]):
        return client.post(
            f"/api/v1/{path}", body, content_type="application/json", headers=headers
        )

    # Who am I.
    me = client.get("/api/v1/me", headers=admin).json()
    assert me["roles"] == ["course_admin"] and me["trainee_id"] is None

    # 1. A home unit.
    unit_body = {
        "name": "Hälsocentral Ålidhem",
        "cost_centre": "KS4100",
        "away_from_host_site": False,
    }
    unit = post("home-units", unit_body, admin)
    assert unit.status_code == 201, unit.content
    assert post("home-units", unit_body, st).status_code == 403

    # 2. A trainee: an invalid personal identity number answers 422 naming the field.
    trainee_body = {
        "first_name": "Åsa",
        "last_name": "Öberg",
        "email": "asa.oberg@example.org",
        "personal_id": "19811218-9875",
        "specialty": "Allmänmedicin",
        "curriculum_version": "2015",
        "planned_completion": "2028-06-30",
        "home_unit_id": unit.json()["id"],
        "employment_percent": 100,
    }
    refused = post("trainees", trainee_body, admin)
    assert refused.status_code == 422
    assert set(refused.json()) >= {"code", "message", "fields"}
    assert "personal_id" in refused.json()["fields"]
    created = post("trainees", {**trainee_body, "personal_id": "19811218-9876"}, admin)
    assert created.status_code == 201, created.content
    assert created.json()["personal_id"] == "19811218-****"
    assert post("trainees", {**trainee_body, "personal_id": "19811218-9876"}, st).status_code == 403

    # 3. A course week, a draft.
    week_body = {
        "series": "LEKA A",
        "title": "LEKA A 2027",
        "start_date": "2027-03-22",
        "end_date": "2027-03-26",
        "place": "Umeå",
        "capacity": 60,
        "invitation_date": "2026-09-01",
        "registration_deadline": "2026-10-15",
        "late_cancellation_fee": 3000,
    }
    week = post("course-weeks", week_body, admin)
    assert week.status_code == 201, week.content
    assert week.json()["state"] == "draft"
    week_id = week.json()["id"]
    assert post("course-weeks", week_body, st).status_code == 403
    assert client.get(f"/api/v1/course-weeks/{week_id}", headers=st).status_code == 404

    # 4. Its courses, with goals per curriculum version.
    courses = [
        {
            "title": "Medarbetarskap, ledarskap och pedagogik",
            "description": "Ledarskap i vården.",
            "days": ["2027-03-22", "2027-03-23"],
            "goals": {"2015": ["a1"], "2021": ["STa5", "STa6"]},
        },
        {
            "title": "Medicinsk vetenskap",
            "description": "Vetenskapligt förhållningssätt.",
            "days": ["2027-03-24", "2027-03-25", "2027-03-26"],
            "capacity": 30,
            "goals": {"2015": ["a5"], "2021": ["STa3"]},
        },
    ]
    for course in courses:
        added = post(f"course-weeks/{week_id}/courses", course, admin)
        assert added.status_code == 201, added.content
        assert post(f"course-weeks/{week_id}/courses", course, st).status_code == 403

    # 5. Publish: the week as it now is.
    assert post(f"course-weeks/{week_id}/publish", {}, st).status_code == 403
    published = post(f"course-weeks/{week_id}/publish", {}, admin)
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    assert post(f"course-weeks/{week_id}/publish", {}, admin).status_code == 409

    # The trainee now sees the week, its courses, seats and goals.
    seen = client.get(f"/api/v1/course-weeks/{week_id}", headers=st).json()
    assert seen["state"] == "published"
    assert [(c["title"], c["capacity"], c["seats_taken"]) for c in seen["courses"]] == [
        ("Medarbetarskap, ledarskap och pedagogik", 60, 0),
        ("Medicinsk vetenskap", 30, 0),
    ]
    assert seen["courses"][1]["goals"]["2015"] == ["a5"]
    assert [w["id"] for w in client.get("/api/v1/course-weeks", headers=st).json()] == [week_id]
