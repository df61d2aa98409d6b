"""Logs operations can ship (SPEC 7): one JSON object per line with the request's id on every
line of a request, and no personal identity number in any of them."""

from __future__ import annotations

import json
import logging

import pytest

from stportal.core.requestlog import (
    JsonFormatter,
    PersonalIdFilter,
    RequestIdFilter,
    mask_personal_ids,
)

pytestmark = pytest.mark.django_db


def test_every_answer_carries_a_request_id_and_a_sane_one_from_the_proxy_is_kept(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second
    kept = client.get("/healthz", headers={"X-Request-ID": "proxy-1234abcd"})
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    refused = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith lines"})
    assert refused["X-Request-ID"] != "bad id\nwith lines"


def test_the_access_line_names_the_request_and_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="stportal.request"):
        response = client.get("/healthz", headers={"X-Request-ID": "abcdef123456"})
    (line,) = [r for r in caplog.records if r.name == "stportal.request"]
    assert line.getMessage() == "GET /healthz 200"
    assert (line.method, line.path, line.status) == ("GET", "/healthz", 200)
    assert response["X-Request-ID"] == "abcdef123456"


def record(message, *args, exc_info=None):
    made = logging.LogRecord("stportal.test", logging.ERROR, __file__, 1, message, args, exc_info)
    RequestIdFilter().filter(made)
    PersonalIdFilter().filter(made)
    return made


def test_a_json_line_has_the_fields_and_no_personal_identity_number():
    try:
        raise ValueError("bad input 19121212-1212")
    except ValueError as exc:
        made = record("Trainee %s not found", "191212121212", exc_info=(type(exc), exc, None))
    line = json.loads(JsonFormatter().format(made))
    assert line["message"] == "Trainee [personnummer] not found"
    assert line["level"] == "ERROR" and line["logger"] == "stportal.test"
    assert line["request_id"] == "-"
    assert "19121212" not in json.dumps(line) and "[personnummer]" in line["exception"]


@pytest.mark.parametrize(
    "text",
    ["121212-1212", "19121212-1212", "191212121212", "1212121212", "121212+1212"],
)
def test_every_form_of_a_personal_identity_number_is_masked(text):
    assert mask_personal_ids(f"id {text}.") == "id [personnummer]."


@pytest.mark.parametrize("text", ["registration 12345", "2027-03-22", "order 12345678901234"])
def test_other_numbers_are_left_alone(text):
    assert mask_personal_ids(text) == text
