"""Appendix A conventions: session or Bearer token, 401 without them, and one JSON error body
`{code, message, fields}` for every failure (SPEC 6: never an HTML page or a stack trace)."""

from __future__ import annotations

import pytest
from django.test import Client

from stportal.accounts.models import ApiToken
from stportal.accounts.tokens import digest_of, revoke_api_token
from stportal.courses import selectors


def assert_error_body(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"code", "message", "fields"} <= set(body)
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def test_no_credentials_answer_401_with_the_error_body(api):
    """Appendix A: no token answers 401."""
    response = api.get("me")
    assert_error_body(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_answers_401(api, course_admin):
    """Appendix A: a bad token answers 401."""
    assert_error_body(api.get("me", token="stp_not-a-real-token"), 401, "not_authenticated")
    assert_error_body(api.get("me", token="garbage"), 401, "not_authenticated")


def test_other_authorization_schemes_answer_401(api, course_admin):
    """Only personal tokens (Bearer) and the session authenticate; a password never does."""
    response = api.client.get(
        "/api/v1/me", headers={"Authorization": "Basic a3Vyc2FkbWluOnNlY3JldA=="}
    )
    assert_error_body(response, 401, "not_authenticated")


def test_revoked_token_answers_401(api, course_admin):
    token = api.token(course_admin)
    assert api.get("me", token=token).status_code == 200
    revoke_api_token(actor=course_admin, token=ApiToken.objects.get(user=course_admin))
    assert_error_body(api.get("me", token=token), 401, "not_authenticated")


def test_token_of_an_inactive_user_answers_401(api, course_admin):
    token = api.token(course_admin)
    course_admin.is_active = False
    course_admin.save(update_fields=["is_active"])
    assert_error_body(api.get("me", token=token), 401, "not_authenticated")


def test_bad_token_is_refused_even_with_a_valid_session(client, api, course_admin):
    """A script must learn that its token is wrong, whatever cookie comes along."""
    client.force_login(course_admin)
    assert client.get("/api/v1/me").status_code == 200
    assert_error_body(api.get("me", token="stp_wrong"), 401, "not_authenticated")


def test_only_the_digest_of_a_token_is_stored_and_its_use_is_recorded(api, course_admin):
    token = api.token(course_admin)
    stored = ApiToken.objects.get(user=course_admin)
    assert stored.digest == digest_of(token) and token not in (stored.digest, stored.prefix)
    assert stored.last_used_at is None
    api.get("me", token=token)
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_browser_session_authenticates_reads(client, course_admin):
    client.force_login(course_admin)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == course_admin.username


def test_session_writes_need_the_csrf_token(course_admin, region):
    """The session cookie is an ambient credential: unsafe methods need the CSRF token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(course_admin)
    body = {"name": "HC Ersboda", "cost_centre": "KS1"}
    refused = browser.post("/api/v1/home-units", body, content_type="application/json")
    assert_error_body(refused, 403, "csrf_failed")

    secret = "k" * 32  # what a page's form would have set as cookie and sent back
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        "/api/v1/home-units",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert accepted.status_code == 201, accepted.content


def test_anonymous_write_answers_401_not_a_csrf_failure():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/api/v1/home-units", {}, content_type="application/json")
    assert_error_body(response, 401, "not_authenticated")


def test_token_writes_need_no_csrf_token(api, course_admin, region):
    api.client = Client(enforce_csrf_checks=True)
    response = api.post("home-units", course_admin, json={"name": "HC Ersboda"})
    assert response.status_code == 201, response.content


def test_unknown_path_answers_404_json(api, course_admin):
    assert_error_body(api.get("no/such/thing", course_admin), 404, "not_found")
    assert_error_body(api.get("course-weeks/not-a-number", course_admin), 404, "not_found")


def test_wrong_method_answers_405_json(api, course_admin):
    response = api.call("DELETE", "me", course_admin)
    assert_error_body(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_unreadable_body_answers_400_json(api, course_admin):
    response = api.client.post(
        "/api/v1/home-units",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(course_admin)}"},
    )
    assert_error_body(response, 400, "bad_request")


def test_validation_error_names_the_field(api, course_admin):
    """Appendix A: 422 with `fields` naming each field as the client wrote it."""
    response = api.post(
        "course-weeks",
        course_admin,
        json={"series": "LEKA A", "title": "X", "start_date": "soon", "capacity": "many"},
    )
    body = assert_error_body(response, 422, "validation_error")
    assert {"start_date", "capacity", "end_date", "late_cancellation_fee"} <= set(body["fields"])
    assert all(isinstance(problems, list) and problems for problems in body["fields"].values())


def test_query_parameter_errors_name_the_parameter(api, course_admin):
    body = assert_error_body(
        api.get("course-weeks", course_admin, state="sleeping"), 422, "validation_error"
    )
    assert list(body["fields"]) == ["state"]


@pytest.mark.parametrize("debug", [False, True])
def test_unexpected_failure_answers_500_json_without_a_stack_trace(
    api, course_admin, monkeypatch, settings, debug
):
    settings.DEBUG = debug

    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "weeks_for_user", broken)
    response = api.get("course-weeks", course_admin)
    body = assert_error_body(response, 500, "server_error")
    assert "database on fire" not in response.content.decode()
    assert "Traceback" not in body["message"]


def test_service_error_extra_keys_are_merged_into_the_body(rf):
    """Appendix A: e.g. 409 `registration_exists` carries `existing_registration_id`."""
    from stportal.api.api import api as ninja_api
    from stportal.core.errors import ServiceError

    error = ServiceError(
        "registration_exists", "Finns redan.", extra={"existing_registration_id": 7}
    )
    response = ninja_api.on_exception(rf.get("/api/v1/x"), error)
    assert response.status_code == 409
    assert __import__("json").loads(response.content) == {
        "existing_registration_id": 7,
        "code": "registration_exists",
        "message": "Finns redan.",
        "fields": {},
    }


def test_messages_follow_the_language_asked_for(api, course_admin):
    """SPEC 3: Swedish by default, English on request (Accept-Language)."""
    auth = {"Authorization": f"Bearer {api.token(course_admin)}"}
    swedish = api.client.post(
        "/api/v1/home-units", data={}, content_type="application/json", headers=auth
    )
    english = api.client.post(
        "/api/v1/home-units",
        data={},
        content_type="application/json",
        headers={**auth, "Accept-Language": "en"},
    )
    assert swedish["Content-Language"] == "sv"
    assert english.json()["fields"]["name"] == ["This field is required."]
    assert swedish.json()["fields"]["name"] == ["Detta fält måste fyllas i."]
