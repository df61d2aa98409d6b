"""The completion pack's downloads (SPEC 5 P14):

- the numbered list of attachments: what to write as *Bilaga nr* on each signed original,
  and what is still missing;
- one PDF of the trainee's copies in the application's order: the application form first
  (filled and flattened) when staff have uploaded it, then for each attachment a separator
  page with its *Bilaga nr* followed by the copy; an attachment the product holds no document
  of is named on its separator page as not included.
"""

from __future__ import annotations

import io
import logging

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from stportal.completion import application_form, rules
from stportal.completion.models import ApplicationForm
from stportal.completion.selectors import Line, PackView, service_list

logger = logging.getLogger(__name__)

MARGIN = 56.0
WIDTH, HEIGHT = A4


def _canvas(buffer: io.BytesIO, title: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("ST-portalen")
    return canvas


def _wrap(text: str, width: float, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, "Helvetica", size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


class _Writer:
    """Lines of text down A4 pages."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.y = HEIGHT - MARGIN

    def line(self, text: str, *, size: float = 10, bold: bool = False, indent: float = 0) -> None:
        for part in _wrap(text, WIDTH - 2 * MARGIN - indent, size):
            if self.y < MARGIN + size:
                self.canvas.showPage()
                self.y = HEIGHT - MARGIN
            self.canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
            self.canvas.drawString(MARGIN + indent, self.y, part)
            self.y -= size * 1.4

    def gap(self, points: float = 8) -> None:
        self.y -= points


def _header(writer: _Writer, pack: PackView, title: str) -> None:
    user = pack.profile.user
    writer.line(title, size=15, bold=True)
    writer.line(
        _("%(name)s, %(specialty)s, %(regulation)s")
        % {
            "name": user.display_name,
            "specialty": pack.profile.specialty.name,
            "regulation": pack.regulation_text,
        }
    )
    writer.gap()


def _line_text(line: Line) -> str:
    parts = [f"{line.kind_label}: {line.title}"]
    if line.goals:
        parts.append(_("goals %(goals)s") % {"goals": ", ".join(line.goals)})
    if not line.present:
        parts.append(_("not there yet"))
    elif not line.has_document:
        parts.append(_("signed original only"))
    return " · ".join(parts)


def attachment_list_pdf(pack: PackView) -> bytes:
    """The numbered list of attachments and what is missing."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, _("Attachments to the application for a specialist certificate"))
    writer = _Writer(canvas)
    _header(writer, pack, _("Attachments to the application for a specialist certificate"))
    writer.line(
        _(
            "Write the number as “Bilaga nr” on each signed original, and the numbers per kind on "
            "the application."
        )
    )
    writer.gap()
    for line in pack.lines:
        writer.line(_("Bilaga nr %(number)s") % {"number": line.number}, bold=True)
        writer.line(_line_text(line), indent=16)
    writer.gap()
    writer.line(_("Missing"), size=12, bold=True)
    if not pack.missing:
        writer.line(_("Nothing is missing."))
    for missing in pack.missing:
        writer.line(f"– {missing.text}", indent=8)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _separator(pack: PackView, line: Line) -> bytes:
    buffer = io.BytesIO()
    canvas = _canvas(buffer, _("Bilaga nr %(number)s") % {"number": line.number})
    writer = _Writer(canvas)
    writer.y = HEIGHT / 2 + 80
    writer.line(_("Bilaga nr %(number)s") % {"number": line.number}, size=28, bold=True)
    writer.gap(12)
    writer.line(line.title, size=14)
    writer.line(line.kind_label)
    if line.goals:
        writer.line(_("Goals: %(goals)s") % {"goals": ", ".join(line.goals)})
    writer.line(pack.profile.user.display_name)
    if not line.has_document:
        writer.gap(12)
        writer.line(
            _("Not included: the product holds no copy of this certificate.")
            if line.present
            else _("Not included: this certificate is not there yet."),
            bold=True,
        )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def filled_application(pack: PackView, form: ApplicationForm) -> bytes:
    """Socialstyrelsen's application filled with the trainee, the service list and the
    attachment numbers per kind, flattened."""
    profile = pack.profile
    applicant = application_form.Applicant(
        last_name=profile.user.last_name,
        first_name=profile.user.first_name,
        personal_id=_personal_id(profile.personal_id),
        specialty=profile.specialty.name,
    )
    rows = [
        application_form.ServiceRow(
            place=row.place,
            period=row.period,
            percent=str(row.percent),
            months=f"{row.months:.1f}".replace(".", ","),
        )
        for row in service_list(profile)
    ]
    numbered = rules.Pack(
        version=pack.version,
        bt=pack.bt,
        attachments=tuple(
            rules.Attachment(line.number, rules.Item(kind=line.kind, title=line.title))
            for line in pack.lines
        ),
        missing=(),
    )
    values = application_form.values(pack.version, applicant, rows, numbered)
    return application_form.fill(bytes(form.pdf), values)


def _personal_id(stored: str) -> str:
    """YYYYMMDDNNNC -> YYYYMMDD-NNNC, as the form asks."""
    digits = stored.strip()
    return f"{digits[:8]}-{digits[8:]}" if len(digits) == 12 and digits.isdigit() else digits


def _append(writer: PdfWriter, pdf_bytes: bytes) -> bool:
    try:
        writer.append(PdfReader(io.BytesIO(pdf_bytes)))
    except Exception as exc:  # a stored upload that no longer reads: the pack still goes out
        logger.warning("A document of the completion pack could not be merged: %s", exc)
        return False
    return True


def _document(line: Line) -> bytes:
    """The copy of one attachment, or nothing when the product holds none or cannot draw it."""
    if not line.has_document or line.pdf is None:
        return b""
    try:
        return line.pdf()
    except Exception as exc:  # one broken document must not stop the rest of the pack
        logger.warning("The copy of attachment %s could not be drawn: %s", line.number, exc)
        return b""


def pack_pdf(pack: PackView, *, form: ApplicationForm | None = None) -> bytes:
    """One PDF of the application (when a form is uploaded) and the trainee's copies in
    order, each after its separator page."""
    writer = PdfWriter()
    if form is not None:
        _append(writer, filled_application(pack, form))
    _append(writer, attachment_list_pdf(pack))
    for line in pack.lines:
        document = _document(line)
        if document:
            _append(writer, _separator(pack, line))
            if not _append(writer, document):
                _append(writer, _separator(pack, _without_document(line)))
        else:
            _append(writer, _separator(pack, _without_document(line)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _without_document(line: Line) -> Line:
    from dataclasses import replace

    return replace(line, pdf=None)
