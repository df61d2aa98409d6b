"""Text fitting and the few drawing operations the certificates need, for two backends.

The values on Socialstyrelsen's form are drawn straight into a PDF content stream (fast: no
second PDF to parse per certificate); the product's own rendition and the transfer sheet are
drawn with reportlab. Both take the same `Op`s, so a value wraps and shrinks the same way, and
the margin block (verification code, QR code, copy mark) looks the same everywhere.

Text is set in the PDF standard font Helvetica with WinAnsiEncoding: every viewer has it, it
covers Swedish (å ä ö Å Ä Ö é) and it extracts as text. A character outside WinAnsi is printed
without its accent where it has one (ő -> o, ł -> l), else as "?".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from stportal.certificates.qr import Rect, qr_rects

FontName = Literal["Helvetica", "Helvetica-Bold"]
REGULAR: FontName = "Helvetica"
BOLD: FontName = "Helvetica-Bold"

MIN_FONT_SIZE = 5.0
PADDING = 2.0  # what Acrobat leaves between a field's edge and its text
LEADING = 1.18  # line height as a multiple of the font size
ELLIPSIS = "\u2026"

COPY_MARK = "KOPIA \u2013 ej original"


@dataclass(frozen=True)
class TextRun:
    """Lines of text in one font; `lines` are (x, baseline y, text). Clipped to `clip`."""

    lines: tuple[tuple[float, float, str], ...]
    font: FontName
    size: float
    clip: Rect | None = None
    gray: float = 0.0


@dataclass(frozen=True)
class FilledRects:
    rects: tuple[Rect, ...]
    gray: float = 0.0


@dataclass(frozen=True)
class XObjectPlacement:
    """Paint a form XObject (a field's own appearance) with the matrix `cm`; PDF backend only."""

    name: str
    cm: tuple[float, float, float, float, float, float]


Op = TextRun | FilledRects | XObjectPlacement


# Letters NFKD does not take apart, and dashes WinAnsi lacks: their nearest WinAnsi form.
_FALLBACK = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "ı": "i",
        "Ŀ": "L",
        "ŀ": "l",
        "Ŧ": "T",
        "ŧ": "t",
        "Ŋ": "N",
        "ŋ": "n",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
    }
)


def to_winansi(text: str) -> str:
    """`text` with every character WinAnsiEncoding (cp1252) can show; others lose their accent
    or become "?". Line breaks and tabs become spaces."""
    text = unicodedata.normalize("NFC", text).translate(_FALLBACK)
    out: list[str] = []
    for char in text:
        if char in "\t\r\n":
            out.append(" ")
            continue
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            try:
                base.encode("cp1252")
            except UnicodeEncodeError:
                base = "?"
            out.append(base or "?")
        else:
            out.append(char)
    return "".join(out)


def text_width(text: str, font: FontName, size: float) -> float:
    return float(stringWidth(text, font, size))


def _split_word(word: str, width: float, font: FontName, size: float) -> list[str]:
    """Break a word wider than the box into pieces that fit (URLs, long compounds)."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: float, font: FontName, size: float) -> list[str]:
    """Greedy word wrap; explicit line breaks start new lines, empty lines are kept."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = to_winansi(paragraph).split()
        if not words:
            lines.append("")
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if text_width(word, font, size) <= width:
                current = word
            else:
                *full, current = _split_word(word, width, font, size)
                lines.extend(full)
        lines.append(current)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def block_height(lines: int, size: float) -> float:
    """Height that `lines` lines set from the top of a box need, padding and descenders in."""
    return PADDING + 1 + 0.8 * size + (lines - 1) * LEADING * size + 0.25 * size


def _truncate(line: str, width: float, font: FontName, size: float) -> str:
    while line and text_width(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def fit_text(
    text: str,
    width: float,
    height: float,
    *,
    size: float,
    multiline: bool,
    font: FontName = REGULAR,
    min_size: float = MIN_FONT_SIZE,
) -> tuple[float, list[str]]:
    """The font size and lines that show all of `text` in a width x height box.

    A one-line box first shrinks the text (to no less than 70 % of `size`), then wraps it onto
    as many lines as the height allows; a multi-line box wraps and shrinks until it fits. Only
    when nothing fits at `min_size` is the last line cut with an ellipsis, so text is never
    drawn outside its box.
    """
    inner = max(width - 2 * PADDING, 1.0)
    size = min(size, max(height - 2, min_size))
    if not multiline:
        single = to_winansi(text).strip()
        one_line_floor = max(min_size, size * 0.7)
        step_size = size
        while step_size >= one_line_floor:
            if text_width(single, font, step_size) <= inner:
                return step_size, [single]
            step_size -= 0.25
    step_size = size
    while step_size >= min_size:
        lines = wrap(text, inner, font, step_size)
        if block_height(len(lines), step_size) <= height or len(lines) <= 1:
            if all(text_width(line, font, step_size) <= inner for line in lines):
                return step_size, lines
        step_size -= 0.25
    lines = wrap(text, inner, font, min_size)
    room = 1
    while block_height(room + 1, min_size) <= height:
        room += 1
    if len(lines) > room:
        lines = lines[:room]
        lines[-1] = _truncate(lines[-1], inner, font, min_size)
    return min_size, lines


def text_in_box(
    text: str,
    box: Rect,
    *,
    size: float,
    multiline: bool,
    align: Literal[0, 1, 2] = 0,
    font: FontName = REGULAR,
) -> TextRun | None:
    """`text` fitted into `box`: one line centred vertically, several from the top down.
    `align` is the form's /Q (0 left, 1 centre, 2 right)."""
    if not text.strip():
        return None
    x, y, width, height = box
    font_size, lines = fit_text(text, width, height, size=size, multiline=multiline, font=font)
    leading = font_size * LEADING
    if len(lines) == 1 and not multiline:
        # Centre the capitals (Helvetica's cap height is 0.718 em) in the box.
        first_baseline = y + height / 2 - 0.36 * font_size
    elif len(lines) * leading <= height and not multiline:
        block = len(lines) * leading
        first_baseline = y + height / 2 + block / 2 - 0.82 * font_size
    else:
        first_baseline = y + height - PADDING - 1 - 0.8 * font_size
    placed: list[tuple[float, float, str]] = []
    for index, line in enumerate(lines):
        line_width = text_width(line, font, font_size)
        if align == 1:
            line_x = x + (width - line_width) / 2
        elif align == 2:
            line_x = x + width - PADDING - line_width
        else:
            line_x = x + PADDING
        placed.append((line_x, first_baseline - index * leading, line))
    return TextRun(lines=tuple(placed), font=font, size=font_size, clip=box)


# The margin block -----------------------------------------------------------------------------

QR_SIZE = 52.0
PAGE_EDGE = 14.0  # what most office printers reach; nothing is drawn closer to the page edge
# Socialstyrelsen's forms print their footer ("SOSFS 2015:8 - Bilaga 5 ... 1 (1)") between
# 27 and 38 pt from the bottom, left of x = 310; their last boxes end 44 pt from the bottom.
FOOTER_RIGHT = 316.0
UPPER_BASELINE = 30.0
LOWER_BASELINE = PAGE_EDGE + 4


def _fit_line(text: str, font: FontName, size: float, available: float) -> tuple[str, float]:
    fitted = to_winansi(text)
    while size > MIN_FONT_SIZE and text_width(fitted, font, size) > available:
        size -= 0.25
    return fitted, size


def margin_block(
    *,
    page_width: float,
    page_height: float,
    verification_code: str,
    verification_url: str,
    copy: bool,
    left: float = 72.0,
) -> list[Op]:
    """Verification code, QR code and copy mark in the page's margins, clear of the boxes of
    both forms (C18a, C19).

    The QR code sits in the bottom right-hand corner beside the last boxes; the code is right
    of the form's footer and the address to check it under the footer, both right-aligned
    against the QR code. A copy says so under the footer on the left and, large, at the top
    left above the title.
    """
    ops: list[Op] = []
    qr_x = page_width - PAGE_EDGE - QR_SIZE
    right = qr_x - 6
    if verification_url:
        ops.append(FilledRects(qr_rects(verification_url, qr_x, PAGE_EDGE + 2, QR_SIZE)))
    lower_left = left
    if copy:
        mark, mark_size = _fit_line(COPY_MARK, BOLD, 9.0, right - left)
        ops.append(TextRun(lines=((left, LOWER_BASELINE, mark),), font=BOLD, size=mark_size))
        lower_left = left + text_width(mark, BOLD, mark_size) + 12
        ops.append(
            TextRun(
                lines=((left, page_height - PAGE_EDGE - 16, to_winansi(COPY_MARK)),),
                font=BOLD,
                size=14.0,
            )
        )
    if verification_code:
        line, size = _fit_line(
            f"Verifieringskod: {verification_code}", BOLD, 8.0, right - FOOTER_RIGHT
        )
        x = right - text_width(line, BOLD, size)
        ops.append(TextRun(lines=((x, UPPER_BASELINE, line),), font=BOLD, size=size))
    if verification_url:
        line, size = _fit_line(
            f"Kontrollera intyget: {verification_url}", REGULAR, 7.0, right - lower_left
        )
        x = right - text_width(line, REGULAR, size)
        ops.append(TextRun(lines=((x, LOWER_BASELINE, line),), font=REGULAR, size=size))
    return ops


# Backend 1: raw PDF content-stream operators ---------------------------------------------------


def _num(value: float) -> bytes:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


def _hex_string(text: str) -> bytes:
    return b"<" + to_winansi(text).encode("cp1252").hex().encode("ascii") + b">"


def to_content_stream(ops: Iterable[Op], font_resources: dict[FontName, str]) -> bytes:
    """PDF content-stream operators for `ops`; fonts are referred to by the resource names in
    `font_resources` (which must map to Helvetica/Helvetica-Bold with WinAnsiEncoding)."""
    out: list[bytes] = []
    for op in ops:
        if isinstance(op, TextRun):
            out.append(b"q")
            if op.clip is not None:
                out.append(b" ".join(_num(v) for v in op.clip) + b" re W n")
            out.append(_num(op.gray) + b" g BT /" + font_resources[op.font].encode("ascii"))
            out.append(_num(op.size) + b" Tf")
            for x, y, line in op.lines:
                out.append(b"1 0 0 1 " + _num(x) + b" " + _num(y) + b" Tm " + _hex_string(line))
                out.append(b"Tj")
            out.append(b"ET Q")
        elif isinstance(op, FilledRects):
            if not op.rects:
                continue
            out.append(b"q " + _num(op.gray) + b" g")
            out.extend(b" ".join(_num(v) for v in rect) + b" re" for rect in op.rects)
            out.append(b"f Q")
        else:
            matrix = b" ".join(_num(v) for v in op.cm)
            out.append(b"q " + matrix + b" cm /" + op.name.encode("ascii") + b" Do Q")
    return b"\n".join(out) + b"\n"


# Backend 2: a reportlab canvas -----------------------------------------------------------------


def draw_ops(canvas: Canvas, ops: Sequence[Op]) -> None:
    """Draw `ops` on a reportlab canvas (XObject placements are PDF-backend only)."""
    for op in ops:
        canvas.saveState()
        if isinstance(op, TextRun):
            if op.clip is not None:
                path = canvas.beginPath()
                path.rect(*op.clip)
                canvas.clipPath(path, stroke=0, fill=0)
            canvas.setFillGray(op.gray)
            canvas.setFont(op.font, op.size)
            for x, y, line in op.lines:
                canvas.drawString(x, y, line)
        elif isinstance(op, FilledRects):
            canvas.setFillGray(op.gray)
            for rect in op.rects:
                canvas.rect(*rect, stroke=0, fill=1)
        canvas.restoreState()
