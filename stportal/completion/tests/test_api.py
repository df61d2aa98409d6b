"""The completion pack API (SPEC 5 P14, Appendix A): `GET /api/v1/trainees/{id}/completion-pack`
answers `{attachments: [{number, title, kind, present, ...}], missing: [...]}` and
`.../completion-pack.pdf` one PDF, for the trainee, the supervisor and the study director;
another trainee and unknown or absurd ids answer 404."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from stportal.accounts.tokens import issue_api_token
from stportal.completion.tests.conftest import issue_st_day

pytestmark = pytest.mark.django_db


def get(user, path: str):
    headers = {"Authorization": f"Bearer {issue_api_token(actor=None, user=user)}"} if user else {}
    return Client().get("/api/v1" + path, headers=headers)


def test_p14_the_pack_as_json(sara, supervisor, study_director):
    issue_st_day(supervisor, sara)
    for user in (sara.user, supervisor, study_director):
        response = get(user, f"/trainees/{sara.pk}/completion-pack")
        assert response.status_code == 200, user
        body = response.json()
        assert body["curriculum_version"] == "2015"
        assert [(a["number"], a["kind"], a["present"]) for a in body["attachments"]] == [
            (1, "specialist_competence", False),
            (2, "course", True),
        ]
        assert body["attachments"][1]["title"] == "Läkemedel"
        assert body["attachments"][1]["source"] == "st_day"
        assert body["attachments"][1]["goals"]
        codes = {(m["code"], m["kind"]) for m in body["missing"]}
        assert ("certificate", "specialist_competence") in codes
        assert ("kind", "quality_work") in codes
        assert ("kind", "written_work") in codes
        assert all(m["message"] for m in body["missing"])


def test_p14_the_pack_as_one_pdf(sara, supervisor):
    issue_st_day(supervisor, sara)
    response = get(sara.user, f"/trainees/{sara.pk}/completion-pack.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 4  # the list, two separators and the certificate's copy


@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_p14_nobody_sees_anothers_pack(sara, other_trainee, suffix):
    path = f"/trainees/{sara.pk}/completion-pack{suffix}"
    assert get(other_trainee.user, path).status_code == 404
    assert get(None, path).status_code == 401
    for absurd in ("0", "99999999999999999999", "-1", "abc"):
        response = get(sara.user, f"/trainees/{absurd}/completion-pack{suffix}")
        assert response.status_code in (404, 422), absurd
