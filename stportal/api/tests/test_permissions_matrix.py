"""Every endpoint against every kind of caller (SPEC 2, Appendix A): no token and a bad token
answer 401 everywhere; a trainee answers 403 on every staff endpoint, with a token or in the
browser; staff of another region get 404 (or nothing) for our objects."""

from __future__ import annotations

import pytest

from stportal.api.tests.conftest import WEEK_FIELDS

EVERY_ENDPOINT = [
    ("GET", "me"),
    ("GET", "course-series"),
    ("GET", "home-units"),
    ("POST", "home-units"),
    ("GET", "trainees"),
    ("POST", "trainees"),
    ("GET", "trainees/{trainee}"),
    ("GET", "course-weeks"),
    ("POST", "course-weeks"),
    ("GET", "course-weeks/{week}"),
    ("PATCH", "course-weeks/{week}"),
    ("POST", "course-weeks/{week}/publish"),
    ("POST", "course-weeks/{week}/cancel"),
    ("POST", "course-weeks/{week}/courses"),
]
STAFF_ENDPOINTS = [
    (method, path)
    for method, path in EVERY_ENDPOINT
    if method != "GET" or path in ("home-units", "trainees")
]
BODIES = {
    "home-units": {"name": "HC Ersboda"},
    "course-weeks": WEEK_FIELDS,
    "course-weeks/{week}": {"place": "Luleå"},
    "course-weeks/{week}/courses": {"title": "Etik", "days": ["2027-03-22"]},
}


@pytest.fixture
def paths(trainee, make_week):
    week = make_week()
    return {"trainee": trainee.pk, "week": week.pk}


@pytest.mark.parametrize(("method", "path"), EVERY_ENDPOINT)
def test_every_endpoint_answers_401_without_or_with_a_bad_token(api, paths, method, path):
    url = path.format(**paths)
    body = BODIES.get(path)
    for token in (None, "stp_bad", "not-even-our-format"):
        response = api.call(method, url, token=token, json=body)
        assert response.status_code == 401, (token, response.content)
        assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path"), STAFF_ENDPOINTS)
def test_trainee_gets_403_on_every_staff_endpoint(api, paths, trainee, method, path):
    response = api.call(method, path.format(**paths), trainee.user, json=BODIES.get(path))
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(("method", "path"), STAFF_ENDPOINTS)
def test_trainee_in_the_browser_gets_403_on_every_staff_endpoint(
    client, paths, trainee, method, path
):
    client.force_login(trainee.user)
    send = getattr(client, method.lower())
    response = send(
        f"/api/v1/{path.format(**paths)}", BODIES.get(path) or {}, content_type="application/json"
    )
    assert response.status_code == 403, response.content


@pytest.mark.parametrize(
    ("method", "path"),
    [(m, p) for m, p in EVERY_ENDPOINT if "{" in p],
)
def test_other_region_s_admin_gets_404_for_our_objects(api, paths, outsider_admin, method, path):
    response = api.call(method, path.format(**paths), outsider_admin, json=BODIES.get(path))
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
