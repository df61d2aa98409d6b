"""The annual report as PDF (SPEC 5 P13), drawn with reportlab, always in Swedish: a header
with the trainee, specialty, curriculum version, period and status; every section as it was
frozen in the report; the trainee's reflection and the supervisor's assessment; the review
with its date and reviewer.

Text is set in Helvetica with WinAnsiEncoding, as the certificates are
(`certificates.drawing.to_winansi`): it covers Swedish and extracts as text.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from stportal.annualreport.models import AnnualReport, ReportStatus
from stportal.certificates.drawing import to_winansi
from stportal.core.dates import local_date

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=3)
_ITEM = ParagraphStyle("item", parent=_BODY, leftIndent=5 * mm, bulletIndent=1 * mm)
_QUIET = ParagraphStyle("quiet", parent=_BODY, textColor="#555555")
_TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=17, leading=21, spaceAfter=8)
_HEADING = ParagraphStyle(
    "heading", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=9, spaceAfter=4
)


def _text(value: Any) -> str:
    return escape(to_winansi(str(value)))


def _prose(text: str, empty: str) -> list[Paragraph]:
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    if not paragraphs:
        return [Paragraph(_text(empty), _QUIET)]
    return [Paragraph(_text(p), _BODY) for p in paragraphs]


def _header(report: AnnualReport) -> Table:
    trainee = report.trainee
    rows = [
        (_("Trainee"), trainee.user.display_name),
        (_("Specialty"), trainee.specialty.name),
        (_("Curriculum version"), trainee.curriculum_version.code),
        (
            _("Period"),
            f"{report.period_start.isoformat()} – {report.period_end.isoformat()}",
        ),
        (_("Status"), str(ReportStatus(report.status).label)),
    ]
    if report.supervisor is not None:
        rows.append((_("Supervisor"), report.supervisor.display_name))
    table = Table(
        [[Paragraph(_text(k), _BODY), Paragraph(_text(v), _BODY)] for k, v in rows],
        colWidths=[45 * mm, 120 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, "#999999"),
            ]
        )
    )
    return table


def _review(report: AnnualReport) -> list[Any]:
    if report.reviewed_at is None:
        return [Paragraph(_text(_("The study director has not yet reviewed the report.")), _QUIET)]
    reviewer = report.reviewed_by.display_name if report.reviewed_by else ""
    day = local_date(report.reviewed_at).isoformat()
    if report.status == ReportStatus.REVIEWED:
        line = _("Reviewed %(date)s by %(name)s.") % {"date": day, "name": reviewer}
    else:
        line = _("Sent back to draft %(date)s by %(name)s.") % {"date": day, "name": reviewer}
    found: list[Any] = [Paragraph(_text(line), _BODY)]
    if report.review_comment:
        found.append(
            Paragraph(_text(_("Comment: %(comment)s") % {"comment": report.review_comment}), _BODY)
        )
    return found


def annual_report_pdf(report: AnnualReport) -> bytes:
    """The report as one PDF (A4), in Swedish whatever the reader's language."""
    with translation.override("sv"):
        story: list[Any] = [
            Paragraph(_text(_("Annual report %(year)d") % {"year": report.year}), _TITLE),
            _header(report),
        ]
        for section in report.sections:
            story.append(Paragraph(_text(section.get("title", "")), _HEADING))
            lines = section.get("lines") or []
            if not lines:
                story.append(Paragraph(_text(section.get("empty_text") or "–"), _QUIET))
            for line in lines:
                story.append(Paragraph(_text(line), _ITEM, bulletText="•"))
        story.append(Paragraph(_text(_("The trainee's reflection")), _HEADING))
        story.extend(_prose(report.trainee_text, _("Not yet written.")))
        story.append(Paragraph(_text(_("The supervisor's assessment")), _HEADING))
        story.extend(_prose(report.supervisor_text, _("Not yet written.")))
        story.append(Paragraph(_text(_("Study director's review")), _HEADING))
        story.extend(_review(report))
        story.append(Spacer(1, 4 * mm))
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=to_winansi(
                _("Annual report %(year)d, %(name)s")
                % {"year": report.year, "name": report.trainee.user.display_name}
            ),
            author="ST-portalen",
        )
        document.build(story)
    return buffer.getvalue()
