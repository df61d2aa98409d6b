"""Funding applications for courses (ST-medel, SPEC 5 P3, Appendix A): the trainee applies with
cost items, the study director of the trainee's area decides with a comment, an approved
application carries the invoicing details, the trainee attaches the course certificate; staff
read spending per area and year. Unknown ids and ids outside the caller's reach answer 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from stportal.accounts.models import TraineeProfile
from stportal.accounts.permissions import may_read_record
from stportal.api.auth import AUTH, caller
from stportal.api.types import Day, Id, NoteText, ShortText, TextOf
from stportal.catalogue.models import ExternalCourse
from stportal.core import spreadsheets
from stportal.core.errors import NotFound, PermissionDenied, ValidationFailed
from stportal.funding import exports, permissions, selectors, services, uploads
from stportal.funding.models import MAX_COST, MAX_COST_ITEMS, FundingApplication

router = Router(tags=["funding"])

# The spending download's types besides JSON.
FILE_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    spreadsheets.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
}


class CostIn(Schema):
    kind: Literal["fee", "travel", "lodging", "other"]
    amount: Annotated[int, Field(ge=1, le=MAX_COST)] = Field(description="Whole SEK.")


class FundingApplicationIn(Schema):
    trainee_id: Id | None = Field(None, description="Staff: the trainee applied for.")
    course_id: Id | None = Field(
        None, description="A catalogue course of the region: fills in what is not given."
    )
    course_title: TextOf(FundingApplication, "course_title") = ""  # type: ignore[valid-type]
    provider: TextOf(FundingApplication, "provider") = ""  # type: ignore[valid-type]
    start_date: Day | None = None
    end_date: Day | None = None
    place: TextOf(FundingApplication, "place") = ""  # type: ignore[valid-type]
    motivation: NoteText = ""
    goals: Annotated[list[ShortText], Field(max_length=200)] | None = Field(
        None, description="Goal codes of the trainee's curriculum version."
    )
    subject_ids: Annotated[list[Id], Field(max_length=100)] | None = None
    costs: Annotated[list[CostIn], Field(max_length=MAX_COST_ITEMS)]


class DecisionIn(Schema):
    approved: bool
    comment: NoteText = ""
    exception_reason: NoteText = Field(
        "", description="Required to approve a course of an other (not preferred) provider."
    )


class CostOut(Schema):
    kind: str
    amount: int


class InvoiceOut(Schema):
    area: str
    address: str
    purchaser_id: str
    gln: str
    organisation_number: str
    customer_number: str
    vat_registration_number: str
    vat_number: str
    bank: str
    bic: str


class YearlyLimitOut(Schema):
    year: int
    total: int = Field(description="The trainee's approved and submitted applications that year.")
    limit: int | None
    exceeded: bool = Field(description="A warning only: it never blocks.")


class CertificateOut(Schema):
    filename: str
    size: int | None
    uploaded_at: dt.datetime | None
    url: str


class FundingApplicationOut(Schema):
    id: int
    trainee_id: int
    trainee_name: str
    status: str = Field(description="`submitted`, `approved` or `rejected`.")
    course_id: int | None
    course_title: str
    provider: str
    other_provider: bool
    exception_reason: str
    start_date: dt.date
    end_date: dt.date | None
    place: str
    motivation: str
    goals: list[str]
    subject_ids: list[int]
    costs: list[CostOut]
    total: int
    yearly_limit: YearlyLimitOut
    register_before_approval: bool
    expected_courses_per_year: int | None
    submitted_at: dt.datetime
    submitted_by_id: int | None
    decided_by_id: int | None
    decided_at: dt.datetime | None
    comment: str
    invoice: InvoiceOut | None
    certificate: CertificateOut | None


class SpendingRowOut(Schema):
    area: str
    year: int
    applications: int
    fee: int
    travel: int
    lodging: int
    other: int
    total: int


class SpendingFilter(Schema):
    year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    format: Literal["json", "csv", "xlsx"] = "json"


def application_out(application: FundingApplication, limit=None) -> dict[str, Any]:
    limit = limit or selectors.yearly_limit_of(application)
    found = selectors.settings_of(application.area)
    invoice = selectors.invoice_of(application)
    return {
        "id": application.pk,
        "trainee_id": application.trainee_id,
        "trainee_name": application.trainee.user.display_name,
        "status": application.status,
        "course_id": application.course_id,
        "course_title": application.course_title,
        "provider": application.provider,
        "other_provider": application.other_provider,
        "exception_reason": application.exception_reason,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "place": application.place,
        "motivation": application.motivation,
        "goals": [goal.code for goal in application.goals.all()],
        "subject_ids": [subject.pk for subject in application.subjects.all()],
        "costs": [{"kind": c.kind, "amount": c.amount} for c in application.costs.all()],
        "total": selectors.total_of(application),
        "yearly_limit": {
            "year": limit.year,
            "total": limit.total,
            "limit": limit.limit,
            "exceeded": limit.exceeded,
        },
        "register_before_approval": bool(found and found.register_before_approval),
        "expected_courses_per_year": found.expected_courses_per_year if found else None,
        "submitted_at": application.submitted_at,
        "submitted_by_id": application.submitted_by_id,
        "decided_by_id": application.decided_by_id,
        "decided_at": application.decided_at,
        "comment": application.decision_comment,
        "invoice": invoice.__dict__ if invoice is not None else None,
        "certificate": (
            {
                "filename": application.certificate_filename,
                "size": application.certificate_size,
                "uploaded_at": application.certificate_uploaded_at,
                "url": f"/api/v1/funding-applications/{application.pk}/certificate.pdf",
            }
            if application.has_certificate
            else None
        ),
    }


def _fresh(application: FundingApplication) -> dict[str, Any]:
    return application_out(selectors.applications().get(pk=application.pk))


def _trainee(user: Any, trainee_id: int | None) -> TraineeProfile:
    if trainee_id is None:
        own = TraineeProfile.objects.select_related("home_unit").filter(user=user).first()
        if own is None:
            raise ValidationFailed({"trainee_id": [_("Say which trainee the application is for.")]})
        return own
    profile = TraineeProfile.objects.select_related("home_unit").filter(pk=trainee_id).first()
    if profile is None or not may_read_record(user, profile):
        raise NotFound()
    return profile


@router.post(
    "/funding-applications",
    auth=AUTH,
    response={201: FundingApplicationOut},
    summary="Apply for funds for a course (the trainee; staff on behalf)",
)
def create_application(request: HttpRequest, payload: FundingApplicationIn) -> Status:
    user = caller(request)
    profile = _trainee(user, payload.trainee_id)
    course = None
    if payload.course_id is not None:
        course = (
            ExternalCourse.objects.select_related("provider").filter(pk=payload.course_id).first()
        )
        if course is None:
            raise ValidationFailed({"course_id": [_("There is no such catalogue course.")]})
    application = services.submit_application(
        actor=user,
        trainee=profile,
        course=course,
        course_title=payload.course_title,
        provider=payload.provider,
        start_date=payload.start_date,
        end_date=payload.end_date,
        place=payload.place,
        motivation=payload.motivation,
        goal_codes=payload.goals,
        subject_ids=payload.subject_ids,
        costs=[services.Cost(kind=c.kind, amount=c.amount) for c in payload.costs],
    )
    return Status(201, _fresh(application))


@router.get(
    "/funding-applications",
    auth=AUTH,
    response=list[FundingApplicationOut],
    summary="The caller's own applications and those of the trainees whose record they read",
)
def list_applications(request: HttpRequest, to_decide: bool = False) -> list[dict[str, Any]]:
    user = caller(request)
    found = list(selectors.to_decide(user) if to_decide else selectors.readable_applications(user))
    limits = selectors.yearly_limits(found)
    return [application_out(a, limits[a.pk]) for a in found]


@router.get(
    "/funding-applications/{id:application_id}",
    auth=AUTH,
    response=FundingApplicationOut,
    summary="Get a funding application",
)
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return application_out(selectors.get_application_for_user(caller(request), application_id))


@router.post(
    "/funding-applications/{id:application_id}/decision",
    auth=AUTH,
    response=FundingApplicationOut,
    summary="Approve or reject a funding application (the trainee's study director)",
)
def decide_application(
    request: HttpRequest, application_id: int, payload: DecisionIn
) -> dict[str, Any]:
    user = caller(request)
    application = selectors.get_application_for_user(user, application_id)
    decided = services.decide_application(
        actor=user,
        application=application,
        approved=payload.approved,
        comment=payload.comment,
        exception_reason=payload.exception_reason,
    )
    return _fresh(decided)


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
    "/funding-applications/{id:application_id}/certificate",
    auth=AUTH,
    response=FundingApplicationOut,
    summary="Attach the course certificate (a PDF) to an approved application",
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
def attach_certificate(request: HttpRequest, application_id: int) -> dict[str, Any]:
    user = caller(request)
    application = selectors.get_application_for_user(user, application_id)
    if not permissions.may_attach_certificate(user, application):
        raise PermissionDenied(_("Only the trainee attaches the course certificate."))
    data, filename = _read_upload(request)
    return _fresh(
        services.attach_certificate(
            actor=user, application=application, data=data, filename=filename
        )
    )


@router.get(
    "/funding-applications/{id:application_id}/certificate.pdf",
    auth=AUTH,
    response={200: None},
    summary="The course certificate attached to an application",
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def certificate_pdf(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(caller(request), application_id)
    data = selectors.certificate_bytes(application)
    if data is None:
        raise NotFound(_("No certificate is attached to this application."))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kursintyg-st-medel-{application.pk}.pdf"'
    )
    return response


@router.get(
    "/funding-spending",
    auth=AUTH,
    response=list[SpendingRowOut],
    summary="Approved spending per area and year (staff): JSON, or ?format=csv / ?format=xlsx",
    openapi_extra={"responses": {200: {"content": FILE_CONTENT}}},
)
def spending(request: HttpRequest, filters: Query[SpendingFilter]) -> Any:
    user = caller(request)
    if not permissions.spending_region_ids(user):
        raise PermissionDenied(_("Only course administrators and study directors may do this."))
    rows = selectors.spending_rows(user, filters.year)
    if filters.format in ("csv", "xlsx"):
        return spreadsheets.table_response(
            exports.spending_table(rows), stem="st-medel", kind=filters.format
        )
    return [
        {
            "area": row.area,
            "year": row.year,
            "applications": row.applications,
            **row.by_kind,
            "total": row.total,
        }
        for row in rows
    ]
