"""Annual reports (årsrapporter, SPEC 5 P13): the trainee assembles the report for a calendar
year from the record (the sections are frozen in it), the trainee writes their reflection and
the supervisor their assessment (PATCH `text` writes the caller's own part; `refresh_sections`
assembles the sections again) while it is a draft; the supervisor marks it ready for review
once both parts are written (then it is locked: 409 `locked`), and the study director marks it
reviewed or sends it back to draft with a comment. Every version is kept. Unknown ids and ids
outside the caller's reach answer 404 alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from stportal.annualreport import rules, selectors, services
from stportal.annualreport.documents import annual_report_pdf
from stportal.annualreport.models import TEXT_MAX_LENGTH, AnnualReport, AnnualReportVersion
from stportal.api.auth import AUTH, caller
from stportal.api.types import NoteText, Text

router = Router(tags=["annual reports"])

PartText = Text(TEXT_MAX_LENGTH)


class ReportIn(Schema):
    year: int = Field(
        ge=rules.FIRST_YEAR, le=rules.LAST_YEAR, description="The calendar year covered."
    )


class ReportPatch(Schema):
    text: PartText | None = Field(
        None,
        description="The caller's own part: the trainee's reflection, or the supervisor's "
        "assessment.",
    )
    refresh_sections: bool = Field(False, description="Assemble the year's sections again.")


class ReviewIn(Schema):
    accepted: bool = Field(description="True: reviewed. False: back to draft (comment needed).")
    comment: NoteText = ""


class SectionOut(Schema):
    key: str
    title: str
    lines: list[str]
    order: int
    empty_text: str


class VersionOut(Schema):
    number: int
    event: str = Field(
        description="`created`, `edited`, `refreshed`, `submitted`, `reviewed`, `sent_back`."
    )
    status: str
    trainee_text: str
    supervisor_text: str
    written_by_id: int | None
    written_at: dt.datetime
    comment: str


class ReportOut(Schema):
    id: int
    trainee_id: int
    year: int
    period_start: dt.date
    period_end: dt.date
    status: str = Field(description="`draft`, `ready_for_review` or `reviewed`.")
    trainee_text: str
    supervisor_text: str
    supervisor_id: int | None
    version: int = Field(description="The number of the newest version.")
    sections_at: dt.datetime
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    submitted_by_id: int | None
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None
    review_comment: str
    pdf_url: str

    @staticmethod
    def resolve_pdf_url(obj: AnnualReport) -> str:
        return f"/api/v1/annual-reports/{obj.pk}.pdf"


class ReportDetailOut(ReportOut):
    sections: list[SectionOut] = Field(description="The year's sections as frozen.")
    versions: list[VersionOut] = Field(description="Every version, oldest first.")

    @staticmethod
    def resolve_sections(obj: AnnualReport) -> list[dict[str, Any]]:
        return [
            {
                "key": str(s.get("key", "")),
                "title": str(s.get("title", "")),
                "lines": [str(line) for line in s.get("lines") or []],
                "order": int(s.get("order", 50)),
                "empty_text": str(s.get("empty_text", "")),
            }
            for s in obj.sections
        ]

    @staticmethod
    def resolve_versions(obj: AnnualReport) -> list[AnnualReportVersion]:
        return list(selectors.versions_of(obj))


def _reload(report: AnnualReport) -> AnnualReport:
    # Read back as stored (the services' swaps write with `update`).
    return AnnualReport.objects.select_related("trainee").get(pk=report.pk)


@router.get(
    "/trainees/{id:trainee_id}/annual-reports",
    auth=AUTH,
    response=list[ReportOut],
    summary="A trainee's annual reports, newest year first",
)
def list_reports(request: HttpRequest, trainee_id: int) -> list[AnnualReport]:
    profile = selectors.get_trainee_for_reader(caller(request), trainee_id)
    return list(selectors.reports_of(profile))


@router.post(
    "/trainees/{id:trainee_id}/annual-reports",
    auth=AUTH,
    response={201: ReportDetailOut},
    summary="Assemble the annual report for a year (the trainee for self; 409 `report_exists`)",
)
def create_report(request: HttpRequest, trainee_id: int, payload: ReportIn) -> Status:
    user = caller(request)
    profile = selectors.get_trainee_for_reader(user, trainee_id)
    report = services.create_report(actor=user, trainee=profile, year=payload.year)
    return Status(201, _reload(report))


@router.get(
    "/annual-reports/{id:report_id}",
    auth=AUTH,
    response=ReportDetailOut,
    summary="An annual report with its sections and every version",
)
def get_report(request: HttpRequest, report_id: int) -> AnnualReport:
    return selectors.get_report_for_user(caller(request), report_id)


@router.patch(
    "/annual-reports/{id:report_id}",
    auth=AUTH,
    response=ReportDetailOut,
    summary="Write one's own part of a draft, or assemble its sections again (409 `locked` "
    "once it is ready for review)",
)
def patch_report(request: HttpRequest, report_id: int, payload: ReportPatch) -> AnnualReport:
    user = caller(request)
    report = selectors.get_report_for_user(user, report_id)
    updated = services.update_report(
        actor=user, report=report, text=payload.text, refresh=payload.refresh_sections
    )
    return _reload(updated)


@router.post(
    "/annual-reports/{id:report_id}/submit",
    auth=AUTH,
    response=ReportDetailOut,
    summary="Mark a report ready for review (the supervisor, both parts written; then locked)",
)
def submit_report(request: HttpRequest, report_id: int) -> AnnualReport:
    user = caller(request)
    report = selectors.get_report_for_user(user, report_id)
    return _reload(services.submit_report(actor=user, report=report))


@router.post(
    "/annual-reports/{id:report_id}/review",
    auth=AUTH,
    response=ReportDetailOut,
    summary="Review a report: reviewed, or back to draft with a comment",
)
def review_report(request: HttpRequest, report_id: int, payload: ReviewIn) -> AnnualReport:
    user = caller(request)
    report = selectors.get_report_for_user(user, report_id)
    reviewed = services.review_report(
        actor=user, report=report, accepted=payload.accepted, comment=payload.comment
    )
    return _reload(reviewed)


@router.get(
    "/annual-reports/{id:report_id}.pdf",
    auth=AUTH,
    url_name="annual_report_pdf",
    summary="The annual report as PDF (in Swedish)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report_for_user(caller(request), report_id)
    response = HttpResponse(annual_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="arsrapport-{report.year}-{report.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
