"""The ST completion pack (SPEC 5 P14): the certificates the application for the specialist
certificate needs, numbered *Bilaga nr* in the application's order, what is missing, and one
PDF of the application and the trainee's copies. The trainee for self; the supervisor, the
study director and staff of the region read. Unknown ids and ids outside the caller's reach
answer 404 alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from stportal.api.auth import AUTH, caller
from stportal.completion import documents, selectors

router = Router(tags=["completion pack"])


class AttachmentOut(Schema):
    number: int
    title: str
    kind: str
    present: bool
    has_document: bool
    goals: list[str]
    form_number: str
    source: str
    source_id: int
    start: dt.date | None
    end: dt.date | None


class MissingOut(Schema):
    code: str
    kind: str
    subject: str
    message: str


class CompletionPackOut(Schema):
    trainee_id: int
    regulation: str
    curriculum_version: str
    bt: bool
    application_form: bool
    attachments: list[AttachmentOut]
    missing: list[MissingOut]


def _out(pack: selectors.PackView) -> dict[str, Any]:
    return {
        "trainee_id": pack.profile.pk,
        "regulation": pack.regulation_text,
        "curriculum_version": pack.version,
        "bt": pack.bt,
        "application_form": pack.form is not None,
        "attachments": [
            {
                "number": line.number,
                "title": line.title,
                "kind": line.kind,
                "present": line.present,
                "has_document": line.has_document,
                "goals": list(line.goals),
                "form_number": line.form_number,
                "source": line.source,
                "source_id": line.source_id,
                "start": line.start,
                "end": line.end,
            }
            for line in pack.lines
        ],
        "missing": [
            {"code": m.code, "kind": m.kind, "subject": m.subject, "message": m.text}
            for m in pack.missing
        ],
    }


@router.get(
    "/trainees/{id:trainee_id}/completion-pack",
    auth=AUTH,
    response=CompletionPackOut,
    summary="The trainee's completion pack: the numbered attachments and what is missing",
)
def get_pack(request: HttpRequest, trainee_id: int) -> dict[str, Any]:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    return _out(selectors.pack_for(profile))


@router.get(
    "/trainees/{id:trainee_id}/completion-pack.pdf",
    auth=AUTH,
    url_name="completion_pack_pdf",
    summary="One PDF: the filled application (when uploaded), the list of attachments and the "
    "trainee's copies in order, each after its Bilaga nr",
    openapi_extra={
        "responses": {
            200: {
                "description": "The pack",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_pack_pdf(request: HttpRequest, trainee_id: int) -> HttpResponse:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    pack = selectors.pack_for(profile)
    response = HttpResponse(
        documents.pack_pdf(pack, form=pack.form), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="specialistansokan-{trainee_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
