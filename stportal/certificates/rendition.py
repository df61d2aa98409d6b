"""The product's own drawings of a course certificate, with reportlab (C18, C18a).

`render_own_rendition` is used where no official form has been uploaded for the trainee's
curriculum version: the same headings and fields in the same order as Socialstyrelsen's form,
saying on the page that it is not the official form. `render_transfer_sheet` serves a legacy
2008 trainee: the same data, for the supervisor to copy onto the 2008 form and sign.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from stportal.certificates.content import (
    CertificateData,
    format_period,
    printed_values,
)
from stportal.certificates.drawing import (
    BOLD,
    REGULAR,
    draw_ops,
    margin_block,
    text_in_box,
    text_width,
    to_winansi,
    wrap,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 72.0
RIGHT = 523.5
WIDTH = RIGHT - LEFT
LABEL_SIZE = 6.5
VALUE_SIZE = 10.0
BOX_HEIGHT = 30.0
LINE = 0.75

NOT_OFFICIAL = (
    "Detta är inte Socialstyrelsens officiella blankett. Det är ST-portalens återgivning av "
    "{reference} med samma rubriker och fält i samma ordning."
)


@dataclass(frozen=True)
class Cell:
    """One box: its heading as the form prints it (**bold** parts marked), the value it shows
    (a key of `printed_values`; None for the handwritten signature) and its width."""

    label: str
    key: str | None
    width: float
    multiline: bool = False

    @property
    def heading(self) -> str:
        return self.label.replace("**", "")


@dataclass(frozen=True)
class Boxes:
    cells: tuple[Cell, ...]
    height: float = BOX_HEIGHT


@dataclass(frozen=True)
class Gap:
    height: float


@dataclass(frozen=True)
class Heading:
    text: str
    size: float = 9.5


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    size: float = 8.0


@dataclass(frozen=True)
class Checkboxes:
    boxes: tuple[tuple[str, str], ...]  # (certifier role, label)


Element = Boxes | Gap | Heading | Paragraph | Checkboxes


@dataclass(frozen=True)
class Layout:
    reference: str
    footer: str
    elements: tuple[Element, ...]

    @property
    def headings(self) -> tuple[str, ...]:
        """Every field's heading in the order the form shows them (checkbox labels included)."""
        out: list[str] = []
        for element in self.elements:
            if isinstance(element, Boxes):
                out.extend(cell.heading for cell in element.cells)
            elif isinstance(element, Checkboxes):
                out.extend(label for _, label in element.boxes)
        return tuple(out)


HALF = WIDTH / 2

# SOSFS 2015:8 bilaga 5, its headings verbatim and in its order.
LAYOUT_2015 = Layout(
    reference="SOSFS 2015:8 bilaga 5",
    footer="Återgivning av SOSFS 2015:8 bilaga 5 \u2013 inte Socialstyrelsens blankett",
    elements=(
        Heading("Sökande"),
        Boxes((Cell("**Efternamn**", "last_name", HALF), Cell("**Förnamn**", "first_name", HALF))),
        Boxes((Cell("**Personnummer**", "personal_id", 154.0),)),
        Gap(10),
        Boxes((Cell("**Specialitet som ansökan avser**", "specialty", WIDTH),)),
        Boxes((Cell("**Delmål som intyget avser** (t.ex. a1, b1, c1)", "goals", WIDTH),)),
        Gap(10),
        Boxes(
            (
                Cell(
                    "**Ämne** (i rubrikform) **och period** (ååmmdd \u2013 ååmmdd) **för kursen**",
                    "subject",
                    WIDTH,
                ),
            )
        ),
        Boxes((Cell("**Kursledare**", "course_leader", WIDTH),)),
        Gap(10),
        Boxes((Cell("**Beskrivning av kursen**", "description", WIDTH, multiline=True),), 220),
        Gap(14),
        Heading("Intygande"),
        Paragraph(
            "Sökanden har genomfört utbildningsaktiviteten och uppfyllt kompetenskrav i "
            "delmålet/-en."
        ),
        Checkboxes((("kursledare", "Kursledare"), ("handledare", "Handledare"))),
        Boxes(
            (
                Cell(
                    "**Specialitet** (om den intygande personen är specialistkompetent läkare)",
                    "certifier_specialty",
                    WIDTH,
                ),
            )
        ),
        Boxes(
            (
                Cell("**Tjänsteställe**", "workplace", HALF),
                Cell("**Ort och datum**", "place_and_date", HALF),
            )
        ),
        Boxes(
            (
                Cell("**Namnteckning**", None, HALF),
                Cell("**Namnförtydligande**", "certifier_name", HALF),
            )
        ),
    ),
)

# HSLF-FS 2021:8 bilaga 10, its headings verbatim and in its order.
LAYOUT_2021 = Layout(
    reference="HSLF-FS 2021:8 bilaga 10",
    footer="Återgivning av HSLF-FS 2021:8 bilaga 10 \u2013 inte Socialstyrelsens blankett",
    elements=(
        Heading("Sökande"),
        Boxes(
            (Cell("**Efternamn**", "last_name", 252.5), Cell("**Förnamn**", "first_name", 199.0))
        ),
        Boxes(
            (
                Cell("**Personnummer**", "personal_id", 175.0),
                Cell("**Specialitet som ansökan avser**", "specialty", 276.5),
            )
        ),
        Gap(12),
        Boxes((Cell("**Delmål som intyget avser** (t.ex. STa1, STb1, STc1)", "goals", 254.0),)),
        Gap(12),
        Boxes((Cell("**Kursens ämne** (anges i rubrikform)", "subject", 297.0),)),
        Boxes((Cell("**Beskrivning av kursen**", "description", WIDTH, multiline=True),), 170),
        Gap(12),
        Paragraph(
            "Intygsutfärdande handledare alternativt kursledare intygar att sökanden har "
            "genomfört utbildningsaktiviteten och bedömer att han eller hon har uppfyllt "
            "kompetenskrav i delmålet/-en.",
            bold=True,
            size=9.0,
        ),
        Checkboxes((("handledare", "Handledare"), ("kursledare", "Kursledare"))),
        Boxes(
            (
                Cell("**Namnteckning**", None, 252.5),
                Cell("**Ort och datum**", "place_and_date", 199.0),
            )
        ),
        Boxes(
            (
                Cell("**Namnförtydligande**", "certifier_name", 276.5),
                Cell(
                    "**Personnummer** (gäller endast handledare)",
                    "certifier_personal_id",
                    175.0,
                ),
            )
        ),
        Boxes(
            (
                Cell(
                    "**Specialitet** (gäller endast handledare)",
                    "certifier_specialty",
                    WIDTH,
                ),
            )
        ),
        Boxes((Cell("**Tjänsteställe**", "workplace", WIDTH),)),
    ),
)

LAYOUTS: dict[str, Layout] = {"2015": LAYOUT_2015, "2021": LAYOUT_2021}


def _new_canvas(buffer: io.BytesIO, title: str) -> Canvas:
    # invariant=1: no creation date or random id, so the same data gives the same bytes.
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("ST-portalen")
    canvas.setLineWidth(LINE)
    return canvas


def _draw_label(canvas: Canvas, x: float, y: float, label: str, size: float) -> None:
    """A heading with its **bold** parts, drawn as one text object so it extracts whole."""
    text = canvas.beginText(x, y)
    for index, part in enumerate(label.split("**")):
        if part:
            text.setFont(BOLD if index % 2 else REGULAR, size)
            text.textOut(to_winansi(part))
    canvas.drawText(text)


def _draw_centred(canvas: Canvas, y: float, text: str, font: str, size: float) -> None:
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, to_winansi(text))


def _draw_paragraph(canvas: Canvas, y: float, text: str, font: str, size: float) -> float:
    """Wrapped text from baseline `y` down; returns the y under the last line."""
    lines = wrap(text, WIDTH, font, size)  # type: ignore[arg-type]
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawString(LEFT, y, line)
        y -= size * 1.25
    return y


def _tick(canvas: Canvas, x: float, y: float, size: float) -> None:
    inset = size * 0.2
    canvas.line(x + inset, y + inset, x + size - inset, y + size - inset)
    canvas.line(x + inset, y + size - inset, x + size - inset, y + inset)


def render_own_rendition(data: CertificateData, *, copy: bool = False) -> bytes:
    """The product's rendition of the course certificate of `data`'s version (2015 or 2021),
    for when no official form has been uploaded (C18a): the form's headings and fields in its
    order, a sentence saying it is not Socialstyrelsen's official form, and the margin block
    (verification code, QR code, copy mark; C19)."""
    layout = LAYOUTS.get(data.curriculum_version)
    if layout is None:
        raise ValueError("the own rendition exists for the 2015 and 2021 forms only")
    values = printed_values(data)
    buffer = io.BytesIO()
    canvas = _new_canvas(
        buffer, f"Intyg om genomförd utbildningsaktivitet \u2013 Kurs ({layout.reference})"
    )

    # Bilaga nr, top right, as on the form.
    canvas.setFont("Helvetica-Oblique", 8.5)
    canvas.drawRightString(RIGHT - 40, 785, "Bilaga nr:")
    canvas.setFont(REGULAR, VALUE_SIZE)
    canvas.drawString(RIGHT - 36, 785, to_winansi(values["bilaga_nr"]))

    _draw_centred(canvas, 758, "INTYG", REGULAR, 15)
    _draw_centred(
        canvas, 740, "om genomförd utbildningsaktivitet och uppfyllda kompetenskrav", REGULAR, 12.5
    )
    _draw_centred(canvas, 717, "Kurs", BOLD, 13)

    # The not-official notice, framed, between the title and the first box.
    notice = NOT_OFFICIAL.format(reference=layout.reference)
    notice_lines = wrap(notice, WIDTH - 12, BOLD, 8.5)
    notice_height = len(notice_lines) * 8.5 * 1.25 + 8
    notice_top = 704.0
    canvas.setFillGray(0.93)
    canvas.rect(LEFT, notice_top - notice_height, WIDTH, notice_height, stroke=1, fill=1)
    canvas.setFillGray(0)
    canvas.setFont(BOLD, 8.5)
    y = notice_top - 4 - 8.5
    for line in notice_lines:
        canvas.drawString(LEFT + 6, y, line)
        y -= 8.5 * 1.25

    y = notice_top - notice_height - 18
    for element in layout.elements:
        if isinstance(element, Gap):
            y -= element.height
        elif isinstance(element, Heading):
            canvas.setFont(BOLD, element.size)
            canvas.drawString(LEFT, y - element.size, to_winansi(element.text))
            y -= element.size + 3
        elif isinstance(element, Paragraph):
            font = BOLD if element.bold else REGULAR
            y = _draw_paragraph(canvas, y - element.size, element.text, font, element.size)
            y -= 4
        elif isinstance(element, Checkboxes):
            size = 10.0
            x = LEFT + 4
            for role, label in element.boxes:
                canvas.rect(x, y - size - 4, size, size, stroke=1, fill=0)
                if data.certifier_role == role:
                    _tick(canvas, x, y - size - 4, size)
                canvas.setFont(BOLD, 8.5)
                canvas.drawString(x + size + 6, y - size - 2, label)
                x += size + 6 + text_width(label, BOLD, 8.5) + 36
            y -= size + 12
        else:
            x = LEFT
            for cell in element.cells:
                canvas.rect(x, y - element.height, cell.width, element.height, stroke=1, fill=0)
                _draw_label(canvas, x + 3, y - 8, cell.label, LABEL_SIZE)
                if cell.key is not None:
                    run = text_in_box(
                        values[cell.key],
                        (x, y - element.height, cell.width, element.height - 10),
                        size=VALUE_SIZE,
                        multiline=cell.multiline,
                    )
                    if run is not None:
                        # Drawn right after its heading, so the text reads in form order.
                        draw_ops(canvas, [run])
                x += cell.width
            y -= element.height

    canvas.setFont(REGULAR, 6.5)
    canvas.drawString(LEFT, 31, to_winansi(layout.footer))
    draw_ops(
        canvas,
        margin_block(
            page_width=PAGE_WIDTH,
            page_height=PAGE_HEIGHT,
            verification_code=data.verification_code,
            verification_url=data.verification_url,
            copy=copy,
        ),
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


TRANSFER_TITLE = "Underlag för kursintyg enligt SOSFS 2008:17"
TRANSFER_NOTICE = (
    "Detta är inte ett intyg. Sökanden följer SOSFS 2008:17. Handledaren för över uppgifterna "
    "nedan till Socialstyrelsens intygsblankett för kurs enligt SOSFS 2008:17, skriver under "
    "den och lämnar originalet till sökanden."
)


def transfer_rows(data: CertificateData) -> tuple[tuple[str, str], ...]:
    """(heading, value) rows of the 2008 transfer sheet, in the order of the course forms."""
    values = printed_values(data)
    certifier = "Kursledare" if data.certifier_role == "kursledare" else "Handledare"
    return (
        ("Bilaga nr", values["bilaga_nr"]),
        ("Efternamn", values["last_name"]),
        ("Förnamn", values["first_name"]),
        ("Personnummer", values["personal_id"]),
        ("Specialitet som ansökan avser", values["specialty"]),
        ("Delmål som intyget avser", values["goals"]),
        ("Kursens ämne", data.subject),
        ("Period (ååmmdd \u2013 ååmmdd)", format_period(data)),
        ("Kursledare", data.course_leader),
        ("Beskrivning av kursen", values["description"]),
        ("Intygas av", certifier),
        ("Namnförtydligande", values["certifier_name"]),
        ("Specialitet", values["certifier_specialty"]),
        ("Tjänsteställe", values["workplace"]),
        ("Ort och datum", values["place_and_date"]),
    )


def render_transfer_sheet(data: CertificateData, *, copy: bool = False) -> bytes:
    """A sheet with the certificate's data for a legacy 2008 trainee (C18): the supervisor
    copies it onto Socialstyrelsen's 2008 form and signs that; the sheet says so."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, TRANSFER_TITLE)
    canvas.setFont(BOLD, 15)
    canvas.drawString(LEFT, 770, to_winansi(TRANSFER_TITLE))
    y = _draw_paragraph(canvas, 748, TRANSFER_NOTICE, REGULAR, 9.5) - 10

    label_width = 140.0
    value_width = WIDTH - label_width
    canvas.line(LEFT, y, RIGHT, y)
    for heading, value in transfer_rows(data):
        multiline = heading == "Beskrivning av kursen"
        lines = wrap(value, value_width - 4, REGULAR, VALUE_SIZE) or [""]
        if not multiline:
            lines = lines[:3]
        height = max(len(lines), 1) * VALUE_SIZE * 1.25 + 8
        height = min(height, 260.0)
        canvas.setFont(BOLD, 8.5)
        # On the baseline of the value's first line (see `text_in_box`).
        canvas.drawString(LEFT + 2, y - 3 - 0.8 * VALUE_SIZE, to_winansi(heading))
        run = text_in_box(
            value,
            (LEFT + label_width, y - height, value_width, height),
            size=VALUE_SIZE,
            multiline=True,
        )
        if run is not None:
            draw_ops(canvas, [run])
        y -= height
        canvas.line(LEFT, y, RIGHT, y)

    y -= 24
    canvas.setFont(REGULAR, 9)
    canvas.drawString(
        LEFT, y, "Namnteckning görs på Socialstyrelsens blankett, inte på detta underlag."
    )
    draw_ops(
        canvas,
        margin_block(
            page_width=PAGE_WIDTH,
            page_height=PAGE_HEIGHT,
            verification_code=data.verification_code,
            verification_url=data.verification_url,
            copy=copy,
        ),
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
