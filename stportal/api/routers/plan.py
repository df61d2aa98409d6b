"""The education plan and the timeline (SPEC 5 P11): the trainee keeps their plan; their
supervisor and study director read it and may record supervision meetings; nobody else sees
it (unknown ids and ids outside the caller's reach answer 404 alike). Goals are codes of the
trainee's curriculum version (422 otherwise). The timeline is every period of the ST from every
part of the record."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from stportal.api.auth import AUTH, caller
from stportal.api.types import Day, NoteText, Text, TextOf
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ValidationFailed
from stportal.funding import uploads
from stportal.plan import permissions, selectors, services
from stportal.plan.models import MAX_GOALS, ItemKind, PlanItem

router = Router(tags=["plan"])

Kind = Literal[
    "placement",
    "auskultation",
    "course",
    "research",
    "quality_work",
    "written_work",
    "supervision",
    "leave",
    "absence",
    "bt",
    "other",
]
Status_ = Literal["planned", "done"]
Part = Literal["", "primary_care", "acute_care"]


class PlanItemIn(Schema):
    kind: Kind
    title: TextOf(PlanItem, "title") = Field(
        "", description="Required but for a supervision meeting (a few words)."
    )
    place: TextOf(PlanItem, "place") = ""
    start_date: Day = Field(description="For a supervision meeting: its date.")
    end_date: Day | None = Field(None, description="Not for a supervision meeting.")
    status: Status_ = "planned"
    extent_percent: int | None = Field(
        None, ge=1, le=100, description="Clinical service only; 100 when left out."
    )
    bt_part: Part = ""
    goals: list[Text(20)] = Field(
        default_factory=list,
        max_length=MAX_GOALS,
        description="Goal codes of the trainee's curriculum version.",
    )
    note: NoteText = ""


class PlanItemPatch(Schema):
    kind: Kind | None = None
    title: TextOf(PlanItem, "title") | None = None
    place: TextOf(PlanItem, "place") | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    status: Status_ | None = None
    extent_percent: int | None = Field(None, ge=1, le=100)
    bt_part: Part | None = None
    goals: list[Text(20)] | None = Field(None, max_length=MAX_GOALS)
    note: NoteText | None = None


class GoalOut(Schema):
    code: str
    title: str


class PlanItemOut(Schema):
    id: int
    trainee_id: int
    kind: Kind
    kind_label: str
    status: Status_
    title: str
    place: str
    start_date: dt.date
    end_date: dt.date
    extent_percent: int | None
    bt_part: Part
    goals: list[GoalOut]
    note: str
    has_certificate: bool
    certificate_url: str | None
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PeriodOut(Schema):
    kind: str
    kind_label: str
    start: dt.date
    end: dt.date
    title: str
    planned: bool
    source: str
    source_id: int


class TimelineOut(Schema):
    trainee_id: int
    st_start: dt.date | None
    planned_completion: dt.date
    today: dt.date
    periods: list[PeriodOut]


def _out(item: PlanItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "trainee_id": item.trainee_id,
        "kind": item.kind,
        "kind_label": str(ItemKind(item.kind).label),
        "status": item.status,
        "title": item.title,
        "place": item.place,
        "start_date": item.start_date,
        "end_date": item.end_date,
        "extent_percent": item.extent_percent,
        "bt_part": item.bt_part,
        "goals": [{"code": goal.code, "title": goal.title} for goal in item.goals.all()],
        "note": item.note,
        "has_certificate": item.has_certificate,
        "certificate_url": (
            reverse("api:plan_item_certificate", args=[item.pk]) if item.has_certificate else None
        ),
        "created_by_id": item.created_by_id,
        "created_at": timezone.localtime(item.created_at),
        "updated_at": timezone.localtime(item.updated_at),
    }


@router.get(
    "/trainees/{id:trainee_id}/plan-items",
    auth=AUTH,
    response=list[PlanItemOut],
    summary="A trainee's education plan: every item, by start",
)
def list_items(request: HttpRequest, trainee_id: int) -> list[dict[str, Any]]:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    return [_out(item) for item in selectors.items_of(profile)]


@router.post(
    "/trainees/{id:trainee_id}/plan-items",
    auth=AUTH,
    response={201: PlanItemOut},
    summary="Add to a trainee's education plan (the trainee; the supervisor and study director "
    "a supervision meeting)",
)
def add_item(request: HttpRequest, trainee_id: int, payload: PlanItemIn) -> Status:
    user = caller(request)
    profile = selectors.get_trainee_for_user(user, trainee_id)
    item = services.add_plan_item(
        actor=user,
        trainee=profile,
        kind=payload.kind,
        title=payload.title,
        place=payload.place,
        start_date=payload.start_date,
        end_date=payload.end_date,
        status=payload.status,
        extent_percent=payload.extent_percent,
        bt_part=payload.bt_part,
        goal_codes=payload.goals,
        note=payload.note,
    )
    return Status(201, _out(selectors.get_item_for_user(user, item.pk)))


@router.get(
    "/plan-items/{id:item_id}",
    auth=AUTH,
    response=PlanItemOut,
    summary="One item of an education plan",
)
def get_item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    return _out(selectors.get_item_for_user(caller(request), item_id))


@router.patch(
    "/plan-items/{id:item_id}",
    auth=AUTH,
    response=PlanItemOut,
    summary="Change an item (the trainee; whoever recorded a meeting, that meeting)",
)
def patch_item(request: HttpRequest, item_id: int, payload: PlanItemPatch) -> dict[str, Any]:
    user = caller(request)
    item = selectors.get_item_for_user(user, item_id)
    changes = payload.dict(exclude_unset=True)
    if "goals" in changes:
        changes["goal_codes"] = changes.pop("goals") or []
    for name in ("kind", "title", "start_date", "status"):
        if name in changes and changes[name] is None:
            raise ValidationFailed({name: [_("This field cannot be empty.")]})
    for name in ("place", "note", "bt_part"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    services.change_plan_item(actor=user, item=item, **changes)
    return _out(selectors.get_item_for_user(user, item_id))


@router.delete(
    "/plan-items/{id:item_id}",
    auth=AUTH,
    response={204: None},
    summary="Remove an item from the plan (the trainee; whoever recorded a meeting)",
)
def delete_item(request: HttpRequest, item_id: int) -> Status:
    user = caller(request)
    services.remove_plan_item(actor=user, item=selectors.get_item_for_user(user, item_id))
    return Status(204, None)


def _read_upload(request: HttpRequest) -> tuple[bytes, str]:
    limit = uploads.size_limit()
    if (request.content_type or "").startswith("multipart/"):
        upload = request.FILES.get("file") or next(iter(request.FILES.values()), None)
        if upload is None:
            raise ValidationFailed({"file": [_("Attach the PDF as the field `file`.")]})
        uploads.check_size(upload.size or 0)
        return upload.read(), upload.name or ""
    data = request.body if hasattr(request, "_body") else request.read(limit + 1)
    uploads.check_size(len(data))
    return data, ""


@router.post(
    "/plan-items/{id:item_id}/certificate",
    auth=AUTH,
    response=PlanItemOut,
    summary="Attach the item's signed certificate (a PDF)",
    description="The PDF as the request body, or as the multipart field `file`.",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
def attach_certificate(request: HttpRequest, item_id: int) -> dict[str, Any]:
    user = caller(request)
    item = selectors.get_item_for_user(user, item_id)
    permissions.check_may_change(user, item)
    data, filename = _read_upload(request)
    services.attach_plan_certificate(actor=user, item=item, data=data, filename=filename)
    return _out(selectors.get_item_for_user(user, item_id))


@router.delete(
    "/plan-items/{id:item_id}/certificate",
    auth=AUTH,
    response=PlanItemOut,
    summary="Remove the item's certificate",
)
def remove_certificate(request: HttpRequest, item_id: int) -> dict[str, Any]:
    user = caller(request)
    item = selectors.get_item_for_user(user, item_id)
    services.remove_plan_certificate(actor=user, item=item)
    return _out(selectors.get_item_for_user(user, item_id))


@router.get(
    "/plan-items/{id:item_id}/certificate.pdf",
    auth=AUTH,
    response={200: None},
    url_name="plan_item_certificate",
    summary="The item's signed certificate",
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def certificate_pdf(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_item_for_user(caller(request), item_id)
    data = selectors.certificate_bytes(item)
    if data is None:
        raise NotFound(_("No certificate is attached to this item."))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intyg-utbildningsplan-{item.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/trainees/{id:trainee_id}/timeline",
    auth=AUTH,
    response=TimelineOut,
    summary="The timeline of a trainee's ST: every period from every part of the record",
)
def timeline(request: HttpRequest, trainee_id: int) -> dict[str, Any]:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    found = selectors.timeline_of(profile, local_date(timezone.now()))
    return {
        "trainee_id": profile.pk,
        "st_start": profile.st_start,
        "planned_completion": profile.planned_completion,
        "today": found.today,
        "periods": [
            {
                "kind": period.kind,
                "kind_label": label,
                "start": period.start,
                "end": period.end,
                "title": period.title,
                "planned": period.planned,
                "source": period.source,
                "source_id": period.source_id,
            }
            for period, label in found.rows
        ],
    }
