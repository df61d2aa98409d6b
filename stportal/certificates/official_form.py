"""Socialstyrelsen's own fillable course-certificate forms: check, fill, flatten (C18, C18a).

The forms are Socialstyrelsen's documents and are uploaded by staff, never shipped. A form is
parsed once into a `ParsedForm` (kept in a small cache keyed by the form's digest): the fields'
boxes are read, the form's interactive parts removed (fields, reset and print buttons, usage
rights, scripts) and one empty overlay added to the page. Filling a certificate then only
writes that overlay (the values in their boxes, the ticked box's own appearance, the margin
block) and serialises the document, so a batch of certificates costs one parse per form.

The result is flattened: no AcroForm and no widget is left, the values are page content.
"""

from __future__ import annotations

import hashlib
import io
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from stportal.certificates.content import CertificateData, printed_values
from stportal.certificates.drawing import (
    BOLD,
    REGULAR,
    FontName,
    Op,
    XObjectPlacement,
    margin_block,
    text_in_box,
    to_content_stream,
)
from stportal.certificates.qr import Rect
from stportal.certificates.sanitise import prune_unreachable, strip_active_content

FormVersion = Literal["2015", "2021"]
Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class FormSpec:
    """The fields of one version's course-certificate form, by the names the PDF gives them.

    `text_fields` pairs each printed value's key (see `printed_values`) with its field name;
    `checkboxes` pairs the certifier role with its box. `order` is every expected field in
    the order the form shows them.
    """

    version: FormVersion
    reference: str
    text_fields: tuple[tuple[str, str], ...]
    checkboxes: tuple[tuple[str, str], ...]
    order: tuple[str, ...]
    buttons: tuple[str, ...]

    @property
    def expected(self) -> tuple[str, ...]:
        return self.order


SOSFS_2015 = FormSpec(
    version="2015",
    reference="SOSFS 2015:8 bilaga 5",
    text_fields=(
        ("bilaga_nr", "Bilaga nr"),
        ("last_name", "Efternamn"),
        ("first_name", "Förnamn"),
        ("personal_id", "Personnummer"),
        ("specialty", "Specialitet som ansökan avser"),
        ("goals", "Delmål som intyget avser tex a1 b1 c1"),
        # Two spaces: the form's name drops the en dash between the dates.
        ("subject", "Ämne i rubrikform och period ååmmdd  ååmmdd för kursen"),
        ("course_leader", "Kursledare"),
        ("description", "Beskrivning av kursen"),
        (
            "certifier_specialty",
            "Specialitet om den intygande personen är specialistkompetent läkare",
        ),
        ("workplace", "Tjänsteställe"),
        ("place_and_date", "Ort och datum"),
        ("certifier_name", "Namnförtydligande"),
    ),
    checkboxes=(("kursledare", "Kryssruta1"), ("handledare", "Kryssruta2")),
    order=(
        "Bilaga nr",
        "Efternamn",
        "Förnamn",
        "Personnummer",
        "Specialitet som ansökan avser",
        "Delmål som intyget avser tex a1 b1 c1",
        "Ämne i rubrikform och period ååmmdd  ååmmdd för kursen",
        "Kursledare",
        "Beskrivning av kursen",
        "Kryssruta1",
        "Kryssruta2",
        "Specialitet om den intygande personen är specialistkompetent läkare",
        "Tjänsteställe",
        "Ort och datum",
        "Namnförtydligande",
    ),
    buttons=("Återställ formulär", "Skriv ut formulär"),
)

HSLF_2021 = FormSpec(
    version="2021",
    reference="HSLF-FS 2021:8 bilaga 10",
    text_fields=(
        ("bilaga_nr", "Bilaga nr"),
        ("last_name", "Efternamn"),
        ("first_name", "Förnamn"),
        ("personal_id", "Personnummer"),
        ("specialty", "Specialitet som ansökan avser"),
        ("goals", "Delmål som intyget avser tex STa1 STb1 STc1"),
        ("subject", "Kursens ämne anges i rubrikform"),
        ("description", "Beskrivning av kursen"),
        ("place_and_date", "Ort och datum"),
        ("certifier_name", "Namnförtydligande"),
        ("certifier_personal_id", "Personnummer gäller endast handledare"),
        ("certifier_specialty", "Specialitet gäller endast handledare"),
        ("workplace", "Tjänsteställe"),
    ),
    checkboxes=(("handledare", "Handledare"), ("kursledare", "Kursledare")),
    order=(
        "Bilaga nr",
        "Efternamn",
        "Förnamn",
        "Personnummer",
        "Specialitet som ansökan avser",
        "Delmål som intyget avser tex STa1 STb1 STc1",
        "Kursens ämne anges i rubrikform",
        "Beskrivning av kursen",
        "Handledare",
        "Kursledare",
        "Ort och datum",
        "Namnförtydligande",
        "Personnummer gäller endast handledare",
        "Specialitet gäller endast handledare",
        "Tjänsteställe",
    ),
    buttons=("Rensa", "Skriv ut"),
)

FORM_SPECS: dict[str, FormSpec] = {"2015": SOSFS_2015, "2021": HSLF_2021}

# Field names only one version's form has: they tell the two forms apart.
_DISTINCTIVE: dict[str, frozenset[str]] = {
    version: frozenset(spec.order) - frozenset(other.order)
    for version, spec, other in (("2015", SOSFS_2015, HSLF_2021), ("2021", HSLF_2021, SOSFS_2015))
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class FormError(ValueError):
    """The uploaded PDF cannot be used as this version's form; `check` says why."""

    def __init__(self, message: str, check: FormCheck | None = None) -> None:
        super().__init__(message)
        self.check = check


# Reading a form -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Widget:
    name: str
    field_type: str  # /Tx, /Btn, /Ch, /Sig
    flags: int
    page_index: int
    rect: Rect
    font_size: float
    align: Literal[0, 1, 2]
    on_appearance: IndirectObject | None  # a checkbox's "on" appearance stream
    on_state: str


def _inherited(widget: DictionaryObject, key: str) -> PdfObject | None:
    node: DictionaryObject | None = widget
    while node is not None:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _full_name(widget: DictionaryObject) -> str:
    parts: list[str] = []
    node: DictionaryObject | None = widget
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return _nfc(".".join(reversed(parts)))


def _font_size(default_appearance: object) -> float:
    """The size in a /DA string such as "/CenturyGothic 9 Tf 0 g" (0 = auto: we use 10)."""
    tokens = str(default_appearance or "").split()
    for index, token in enumerate(tokens):
        if token == "Tf" and index >= 1:
            try:
                size = float(tokens[index - 1])
            except ValueError:
                break
            return size if size > 0 else 10.0
    return 10.0


def _rect(value: object) -> Rect:
    x0, y0, x1, y1 = (float(v) for v in value)  # type: ignore[attr-defined]
    return (min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))


def _int(value: object) -> int:
    return int(value) if isinstance(value, (int, float)) else 0


def _widgets(pages: Iterable[PageObject]) -> list[_Widget]:
    widgets: list[_Widget] = []
    for page_index, page in enumerate(pages):
        for annot_ref in page.get("/Annots", ArrayObject()) or ArrayObject():
            annot = annot_ref.get_object()
            if not isinstance(annot, DictionaryObject) or annot.get("/Subtype") != "/Widget":
                continue
            field_type = str(_inherited(annot, "/FT") or "")
            flags = _int(_inherited(annot, "/Ff"))
            quadding = _int(_inherited(annot, "/Q"))
            on_ref: IndirectObject | None = None
            on_state = ""
            appearance = annot.get("/AP")
            if field_type == "/Btn" and appearance is not None:
                normal = appearance.get_object().get("/N")
                normal = normal.get_object() if normal is not None else None
                if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
                    for state, stream in normal.items():
                        if state != "/Off":
                            on_state = str(state)
                            on_ref = stream if isinstance(stream, IndirectObject) else None
                            break
            widgets.append(
                _Widget(
                    name=_full_name(annot),
                    field_type=field_type,
                    flags=flags,
                    page_index=page_index,
                    rect=_rect(annot["/Rect"]),
                    font_size=_font_size(_inherited(annot, "/DA")),
                    align=quadding if quadding in (0, 1, 2) else 0,  # type: ignore[arg-type]
                    on_appearance=on_ref,
                    on_state=on_state,
                )
            )
    return widgets


class _EncryptedError(Exception):
    pass


def _read(pdf_bytes: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    if reader.is_encrypted:
        # An owner-password-only form opens with the empty user password; anything else
        # cannot be filled.
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # missing crypto backend, unknown handler, …
            raise _EncryptedError from exc
        if not opened:
            raise _EncryptedError
    return reader


def _read_widgets(pdf_bytes: bytes) -> tuple[PdfReader, list[_Widget]] | FormProblem:
    """The PDF and its widgets, or the problem that stops us reading them. An upload is
    untrusted input: whatever a malformed file makes the parser raise means "not a PDF"."""
    try:
        reader = _read(pdf_bytes)
        return reader, _widgets(reader.pages)
    except _EncryptedError:
        return FormProblem("encrypted")
    except Exception:
        return FormProblem("not_a_pdf")


# Checking an upload (C18a) ------------------------------------------------------------------


@dataclass(frozen=True)
class FormProblem:
    """Why a PDF will not do as a form. `code` is for the app to translate:
    not_a_pdf, encrypted, no_fields, unknown_form, version_mismatch, missing_fields,
    wrong_field_type (with `field`), not_on_first_page (with `field`)."""

    code: str
    field: str = ""


@dataclass(frozen=True)
class FormCheck:
    """The result of checking an uploaded course-certificate form (C18a).

    `version` is the version the form was checked against (the one asked for, else the one
    detected); `missing` lists that version's expected fields the PDF lacks, in form order.
    """

    version: FormVersion | None
    detected_version: FormVersion | None
    fields: tuple[str, ...]
    missing: tuple[str, ...]
    problems: tuple[FormProblem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def _detect(names: set[str]) -> FormVersion | None:
    scores = {version: len(names & distinctive) for version, distinctive in _DISTINCTIVE.items()}
    best = max(scores.values())
    winners = [version for version, score in scores.items() if score == best]
    if best < 2 or len(winners) != 1:
        return None
    return winners[0]  # type: ignore[return-value]


def _check_widgets(widgets: list[_Widget], version: FormVersion | None) -> FormCheck:
    names = {widget.name for widget in widgets}
    detected = _detect(names)
    checked = version or detected
    problems: list[FormProblem] = []
    missing: tuple[str, ...] = ()
    if not widgets:
        problems.append(FormProblem("no_fields"))
    elif checked is None:
        problems.append(FormProblem("unknown_form"))
    if version is not None and detected is not None and detected != version:
        problems.append(FormProblem("version_mismatch"))
    if checked is not None:
        spec = FORM_SPECS[checked]
        missing = tuple(name for name in spec.order if name not in names)
        if missing and widgets:  # without any widget "no_fields" already says it
            problems.append(FormProblem("missing_fields"))
        by_name = {widget.name: widget for widget in widgets}
        boxes = {name for _, name in spec.checkboxes}
        for name in spec.order:
            widget = by_name.get(name)
            if widget is None:
                continue
            wanted = "/Btn" if name in boxes else "/Tx"
            if widget.field_type != wanted or (wanted == "/Btn" and widget.on_appearance is None):
                problems.append(FormProblem("wrong_field_type", name))
            elif widget.page_index != 0:
                problems.append(FormProblem("not_on_first_page", name))
    return FormCheck(
        version=checked,
        detected_version=detected,
        fields=tuple(sorted(names)),
        missing=missing,
        problems=tuple(problems),
    )


def inspect_form(pdf_bytes: bytes, version: FormVersion | None = None) -> FormCheck:
    """Check that an uploaded PDF is the course-certificate form of `version` (or, without
    `version`, of whichever version it looks like) with every field the product fills (C18a)."""
    read = _read_widgets(pdf_bytes)
    if isinstance(read, FormProblem):
        return FormCheck(version, None, (), (), (read,))
    return _check_widgets(read[1], version)


def detect_version(pdf_bytes: bytes) -> FormVersion | None:
    """ "2015" or "2021" by the form's field names, None if it is neither course form."""
    return inspect_form(pdf_bytes).detected_version


# The parsed, cleaned form -------------------------------------------------------------------

_FONT_RESOURCES: dict[FontName, str] = {REGULAR: "STPHelv", BOLD: "STPHelvBold"}
_OVERLAY = "STPCertificate"


@dataclass
class ParsedForm:
    """A form read once and made ready to fill: interactive parts removed, one empty overlay
    on the page. Only `fill_template` touches it, under `lock`."""

    version: FormVersion
    spec: FormSpec
    writer: PdfWriter
    overlay: EncodedStreamObject
    visible: Rect  # the page's crop box: where the margin block goes
    boxes: dict[str, _Widget]
    tick_names: dict[str, tuple[str, Matrix]]
    lock: threading.Lock


def _fit_matrix(appearance: StreamObject, rect: Rect) -> Matrix:
    """The `cm` that paints an appearance stream into a widget's /Rect (PDF 32000, 12.5.5): the
    stream's own /Matrix is applied by `Do`, so map its transformed /BBox onto the rect."""
    bx0, by0, bx1, by1 = (float(v) for v in appearance.get("/BBox", [0, 0, rect[2], rect[3]]))
    a, b, c, d, e, f = (float(v) for v in appearance.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (bx0, bx1) for y in (by0, by1)]
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    width = max(xs) - min(xs) or 1.0
    height = max(ys) - min(ys) or 1.0
    sx = rect[2] / width
    sy = rect[3] / height
    return (sx, 0.0, 0.0, sy, rect[0] - min(xs) * sx, rect[1] - min(ys) * sy)


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode())  # noqa: SLF001 (no public add_object)


def _prepare(pdf_bytes: bytes, version: FormVersion | None) -> ParsedForm:
    read = _read_widgets(pdf_bytes)
    if isinstance(read, FormProblem):
        check = FormCheck(version, None, (), (), (read,))
        raise FormError(f"not a usable course-certificate form: {read.code}", check)
    reader, widgets = read
    check = _check_widgets(widgets, version)
    if not check.ok or check.version is None:
        codes = ", ".join(problem.code for problem in check.problems)
        raise FormError(f"not a usable course-certificate form: {codes}", check)
    spec = FORM_SPECS[check.version]

    writer = PdfWriter(clone_from=reader)
    # Keep the form's PDF version (pypdf would write 1.3, older than its features).
    writer.pdf_header = reader.pdf_header
    # Read the fields again from the clone, so appearance references are the writer's own.
    by_name = {widget.name: widget for widget in _widgets(writer.pages)}
    root = writer.root_object
    # Nothing active, whatever the stored form holds (forms uploaded before uploads were
    # sanitised included): no actions, links, files or scripts, no usage-rights signature.
    strip_active_content(writer, prune=False)
    # Flatten: no fields. The reset and print buttons go with the other widgets.
    if "/AcroForm" in root:
        del root["/AcroForm"]

    page = writer.pages[0]
    annots = page.get("/Annots")
    if annots is not None:
        kept = ArrayObject(
            ref for ref in annots.get_object() if ref.get_object().get("/Subtype") != "/Widget"
        )
        if kept:
            page[NameObject("/Annots")] = kept
        else:
            del page["/Annots"]

    fonts = DictionaryObject()
    for font, resource in _FONT_RESOURCES.items():
        fonts[NameObject("/" + resource)] = writer._add_object(  # noqa: SLF001
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/" + font),
                    NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                }
            )
        )
    xobjects = DictionaryObject()
    tick_names: dict[str, tuple[str, Matrix]] = {}
    for index, (role, name) in enumerate(spec.checkboxes, start=1):
        widget = by_name[name]
        assert widget.on_appearance is not None  # checked by _check_widgets
        ref = widget.on_appearance
        appearance = ref.get_object()
        assert isinstance(appearance, StreamObject)
        resource = f"STPTick{index}"
        xobjects[NameObject("/" + resource)] = ref
        tick_names[role] = (resource, _fit_matrix(appearance, widget.rect))

    media = page.mediabox
    overlay = DecodedStreamObject().flate_encode()
    overlay.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in media),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): fonts, NameObject("/XObject"): xobjects}
            ),
        }
    )
    overlay_ref = writer._add_object(overlay)  # noqa: SLF001

    # Wrap the form's own content in q/Q so its graphics state cannot leak into the overlay,
    # then paint the overlay; the form's content streams are reused untouched.
    contents = page.get("/Contents")
    if contents is None:
        original_refs = []
    elif isinstance(contents.get_object(), ArrayObject):
        original_refs = list(contents.get_object())
    else:
        original_refs = [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [
            _stream(writer, b"q\n"),
            *original_refs,
            _stream(writer, b"\nQ\nq /" + _OVERLAY.encode("ascii") + b" Do Q\n"),
        ]
    )
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    page_resources = DictionaryObject(resources)
    existing = page_resources.get("/XObject")
    page_xobjects = DictionaryObject(existing.get_object() if existing is not None else {})
    page_xobjects[NameObject("/" + _OVERLAY)] = overlay_ref
    page_resources[NameObject("/XObject")] = page_xobjects
    page[NameObject("/Resources")] = page_resources

    prune_unreachable(writer)
    boxes = {name: by_name[name] for _, name in spec.text_fields}
    return ParsedForm(
        version=spec.version,
        spec=spec,
        writer=writer,
        overlay=overlay,
        visible=_rect(page.cropbox),
        boxes=boxes,
        tick_names=tick_names,
        lock=threading.Lock(),
    )


_CACHE_SIZE = 4
_cache: OrderedDict[str, ParsedForm] = OrderedDict()
_cache_lock = threading.Lock()


def parsed_form(pdf_bytes: bytes) -> ParsedForm:
    """The parsed form, from the cache when this exact form was parsed before."""
    key = hashlib.sha256(pdf_bytes).hexdigest()
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    template = _prepare(pdf_bytes, None)
    with _cache_lock:
        _cache[key] = template
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return template


def clear_form_cache() -> None:
    with _cache_lock:
        _cache.clear()


# Filling -------------------------------------------------------------------------------------


def _field_ops(template: ParsedForm, data: CertificateData, copy: bool) -> list[Op]:
    values = printed_values(data)
    ops: list[Op] = []
    for key, name in template.spec.text_fields:
        widget = template.boxes[name]
        run = text_in_box(
            values[key],
            widget.rect,
            size=widget.font_size,
            multiline=bool(widget.flags & (1 << 12)),  # Ff bit 13: multiline
            align=widget.align,
        )
        if run is not None:
            ops.append(run)
    resource, matrix = template.tick_names[data.certifier_role]
    ops.append(XObjectPlacement(resource, matrix))
    return ops


def _margin_ops(template: ParsedForm, data: CertificateData, copy: bool) -> list[Op]:
    """The margin block, in coordinates from the visible page's lower left corner."""
    _, _, width, height = template.visible
    return margin_block(
        page_width=width,
        page_height=height,
        verification_code=data.verification_code,
        verification_url=data.verification_url,
        copy=copy,
    )


def fill_template(template: ParsedForm, data: CertificateData, *, copy: bool = False) -> bytes:
    """`fill_official_form` on a form parsed beforehand with `parsed_form`."""
    if data.curriculum_version != template.version:
        raise FormError(
            f"a {data.curriculum_version} certificate cannot go on the {template.version} form"
        )
    x, y, _, _ = template.visible
    content = b"".join(
        (
            to_content_stream(_field_ops(template, data, copy), _FONT_RESOURCES),
            f"q 1 0 0 1 {x:.3f} {y:.3f} cm\n".encode("ascii"),
            to_content_stream(_margin_ops(template, data, copy), _FONT_RESOURCES),
            b"Q\n",
        )
    )
    out = io.BytesIO()
    # One overlay object per parsed form, rewritten per certificate: serialise under a lock.
    # Each certificate is a new version of the form's document (PDF 32000, 14.4): keep the
    # form's permanent identifier, derive the changing one from the content, so the same
    # certificate gives the same bytes and two certificates never share an identifier.
    file_id = ByteStringObject(hashlib.sha256(content).digest()[:16])
    with template.lock:
        template.overlay.set_data(content)
        writer = template.writer
        first = writer._ID[0] if writer._ID else file_id  # noqa: SLF001
        writer._ID = ArrayObject((first, file_id))  # noqa: SLF001
        writer.write(out)
    return out.getvalue()


def fill_official_form(
    form_pdf_bytes: bytes, data: CertificateData, *, copy: bool = False
) -> bytes:
    """Socialstyrelsen's form for `data`'s version, filled field by field and flattened, with
    the verification code and QR code (and, for a copy, the copy mark) in the margin (C18a,
    C19). Raises `FormError` when the PDF is not that version's form."""
    return fill_template(parsed_form(form_pdf_bytes), data, copy=copy)
