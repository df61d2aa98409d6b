"""GDPR (SPEC 7, Appendix A): a person's export holds everything the product keeps about
them, for themself at /me/export and for staff of their region at /trainees/{id}/export;
nobody else gets it, secrets are never in it, and every export is in the audit trail."""

from __future__ import annotations

import datetime as dt
import json

from stportal.core.audit import AuditEvent
from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services


def at(*args):
    return dt.datetime(*args, tzinfo=STOCKHOLM)


def registered_and_cancelled_late(api, make_week, course_admin, trainee, frozen_time):
    """A seat confirmed, then cancelled inside the cancellation period: a charged fee."""
    week = course_services.publish_course_week(
        actor=course_admin, week=make_week(courses=1, capacity=10)
    )
    frozen_time.move_to(at(2026, 9, 10, 9))
    made = api.post(f"course-weeks/{week.pk}/registrations", trainee.user, json={}).json()
    frozen_time.move_to(at(2026, 10, 20, 9))
    api.post(f"course-weeks/{week.pk}/allocation", course_admin, json={"dry_run": False})
    frozen_time.move_to(at(2027, 3, 12, 9))
    api.post(f"registrations/{made['id']}/cancel", trainee.user, json={"reason": "Sjuk"})
    return made["id"]


def test_my_export_holds_my_registrations_fees_and_profile_and_no_secrets(
    api, make_week, course_admin, trainee, frozen_time
):
    registration_id = registered_and_cancelled_late(
        api, make_week, course_admin, trainee, frozen_time
    )
    response = api.get("me/export", trainee.user)
    assert response.status_code == 200
    export = response.json()
    assert export["user_id"] == trainee.user_id and export["trainee_id"] == trainee.pk
    data = export["data"]
    assert data["accounts"]["user"][0]["username"] == trainee.user.username
    assert data["accounts"]["trainee_profile"][0]["personal_id"] == trainee.personal_id
    assert [r["id"] for r in data["registrations"]["registrations"]] == [registration_id]
    assert {line["status"] for line in data["registrations"]["lines"]} == {"cancelled"}
    (fee,) = data["registrations"]["fees"]
    assert (fee["amount"], fee["status"]) == (3000, "charged")
    assert data["notifications"]["e_mail"], "the e-mail sent to the person"
    for part in ("certificates", "attendance", "funding", "plan", "assessments"):
        assert part in data
    text = json.dumps(export)
    assert "pbkdf2" not in text and "argon2" not in text  # no password hash
    assert "digest" not in json.dumps(data["accounts"]["api_tokens"])
    assert AuditEvent.objects.filter(action="personal_data.exported", actor=trainee.user).exists()


def test_staff_of_the_region_export_a_trainee_and_it_is_audited(api, course_admin, trainee):
    response = api.get(f"trainees/{trainee.pk}/export", course_admin)
    assert response.status_code == 200
    assert response.json()["data"]["accounts"]["trainee_profile"][0]["id"] == trainee.pk
    event = AuditEvent.objects.get(action="personal_data.exported", actor=course_admin)
    assert event.after["user_id"] == trainee.user_id


def test_nobody_else_gets_a_trainees_export(api, trainee, other_trainee, supervisor):
    for outsider in (other_trainee.user, supervisor):
        assert api.get(f"trainees/{trainee.pk}/export", outsider).status_code == 404
    assert api.get("trainees/999999/export", trainee.user).status_code == 404


def test_a_person_without_a_trainee_record_exports_their_account(api, course_admin):
    export = api.get("me/export", course_admin).json()
    assert export["trainee_id"] is None
    assert export["data"]["accounts"]["roles"], "their roles"
    assert export["data"]["registrations"] == {}
