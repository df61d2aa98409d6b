"""ST-days that correspond to a mandatory course (SPEC 5 P4): the supervisor records the
examination and issues the certificate; whoever may read the trainee's record lists them; the
PDF is the original for the supervisor and staff, a copy for the trainee; the supervisor who
issued one, or staff, revokes it. Unknown ids and ids outside the caller's reach answer 404
alike."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from stportal.api.auth import AUTH, caller
from stportal.api.types import Day, Id, NoteText, Text, TextOf
from stportal.stdays import selectors, services
from stportal.stdays.documents import st_day_certificate_pdf, verification_url
from stportal.stdays.models import GOAL_CODE_MAX_LENGTH, MAX_GOALS, StDayCertificate

router = Router(tags=["stdays"])


class StDayCertificateIn(Schema):
    subject_id: Id = Field(
        description="A mandatory subject of the trainee's specialty and curriculum version."
    )
    title: TextOf(StDayCertificate, "title") = Field(
        "", description="The subject heading on the certificate; the subject's name if empty."
    )
    first_day: Day
    last_day: Day | None = Field(None, description="For an ST-day of several days.")
    place: TextOf(StDayCertificate, "place") = ""
    description: TextOf(StDayCertificate, "description") = ""
    goal_codes: list[Text(GOAL_CODE_MAX_LENGTH)] = Field(
        default_factory=list,
        max_length=MAX_GOALS,
        description="Only for a subject whose goals are not numbered (a specialty's c goals).",
    )
    examined_on: Day
    examination: TextOf(StDayCertificate, "examination") = Field(
        description="How the supervisor examined the trainee."
    )


class ReasonIn(Schema):
    reason: NoteText


class StDayCertificateOut(Schema):
    id: int
    trainee_id: int
    trainee_name: str
    subject_id: int
    subject_name: str
    title: str
    first_day: dt.date
    last_day: dt.date
    place: str
    description: str
    goal_codes: list[str]
    examined_on: dt.date
    examination: str
    curriculum_version: str
    verification_code: str
    verification_url: str
    state: Literal["issued", "revoked"]
    issued_at: dt.datetime
    issued_by_id: int
    issued_by_name: str
    revoked_at: dt.datetime | None
    revoke_reason: str
    pdf_url: str


def _out(certificate: StDayCertificate) -> dict[str, Any]:
    return {
        "id": certificate.pk,
        "trainee_id": certificate.trainee_id,
        "trainee_name": certificate.trainee_name,
        "subject_id": certificate.subject_id,
        "subject_name": certificate.subject.name,
        "title": certificate.title,
        "first_day": certificate.first_day,
        "last_day": certificate.last_day,
        "place": certificate.place,
        "description": certificate.description,
        "goal_codes": [str(code) for code in certificate.goal_codes],
        "examined_on": certificate.examined_on,
        "examination": certificate.examination,
        "curriculum_version": certificate.version,
        "verification_code": certificate.verification_code,
        "verification_url": verification_url(certificate.verification_code),
        "state": "revoked" if certificate.is_revoked else "issued",
        "issued_at": timezone.localtime(certificate.issued_at),
        "issued_by_id": certificate.issued_by_id,
        "issued_by_name": certificate.certifier_name,
        "revoked_at": (
            timezone.localtime(certificate.revoked_at) if certificate.revoked_at else None
        ),
        "revoke_reason": certificate.revoke_reason,
        "pdf_url": reverse("api:st_day_certificate_pdf", args=[certificate.pk]),
    }


@router.post(
    "/trainees/{id:trainee_id}/st-day-certificates",
    auth=AUTH,
    response={201: StDayCertificateOut},
    summary="Record an examined ST-day and issue its certificate (the trainee's supervisor)",
)
def issue(request: HttpRequest, trainee_id: int, payload: StDayCertificateIn) -> Status:
    user = caller(request)
    profile = selectors.get_trainee_for_user(user, trainee_id)
    certificate = services.issue_st_day_certificate(
        actor=user,
        trainee=profile,
        subject=payload.subject_id,
        title=payload.title,
        first_day=payload.first_day,
        last_day=payload.last_day,
        place=payload.place,
        description=payload.description,
        examined_on=payload.examined_on,
        examination=payload.examination,
        goal_codes=payload.goal_codes,
    )
    return Status(201, _out(selectors.get_certificate_for_user(user, certificate.pk).certificate))


@router.get(
    "/trainees/{id:trainee_id}/st-day-certificates",
    auth=AUTH,
    response=list[StDayCertificateOut],
    summary="A trainee's ST-day certificates, revoked ones too",
)
def list_for_trainee(request: HttpRequest, trainee_id: int) -> list[dict[str, Any]]:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    return [_out(c) for c in selectors.certificates_of_trainee(profile)]


@router.get(
    "/st-day-certificates/{id:certificate_id}",
    auth=AUTH,
    response=StDayCertificateOut,
    summary="One ST-day certificate",
)
def get_one(request: HttpRequest, certificate_id: int) -> dict[str, Any]:
    return _out(selectors.get_certificate_for_user(caller(request), certificate_id).certificate)


@router.get(
    "/st-day-certificates/{id:certificate_id}.pdf",
    auth=AUTH,
    url_name="st_day_certificate_pdf",
    summary="The ST-day certificate as PDF: the original for the supervisor and staff, a copy "
    "for the trainee",
    openapi_extra={
        "responses": {
            200: {
                "description": "The certificate",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    access = selectors.get_certificate_for_user(caller(request), certificate_id)
    body = st_day_certificate_pdf(certificate=access.certificate, copy=access.copy)
    name = f"st-dagsintyg-{certificate_id}{'-kopia' if access.copy else ''}.pdf"
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/st-day-certificates/{id:certificate_id}/revoke",
    auth=AUTH,
    response=StDayCertificateOut,
    summary="Revoke an ST-day certificate with a reason (the supervisor who issued it, staff)",
)
def revoke(request: HttpRequest, certificate_id: int, payload: ReasonIn) -> dict[str, Any]:
    user = caller(request)
    certificate = selectors.get_certificate_for_user(user, certificate_id).certificate
    services.revoke_st_day_certificate(actor=user, certificate=certificate, reason=payload.reason)
    return _out(selectors.get_certificate_for_user(user, certificate_id).certificate)
