"""Course certificates as PDF (C18, C18a, C19), tested against Socialstyrelsen's real forms.

The forms are Socialstyrelsen's documents and are not in the repository: the tests read them
from `../shared/reference/forms/` beside the repository and skip when that folder is absent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, StreamObject

from stportal.certificates import official_form
from stportal.certificates.content import CertificateData, printed_values
from stportal.certificates.drawing import (
    LEADING,
    FilledRects,
    TextRun,
    fit_text,
    margin_block,
    text_width,
    to_winansi,
)
from stportal.certificates.pdf import (
    COPY_MARK,
    FORM_SPECS,
    LAYOUTS,
    FormError,
    RenderItem,
    clear_form_cache,
    detect_version,
    fill_official_form,
    inspect_form,
    render_certificate,
    render_many,
    render_own_rendition,
    render_transfer_sheet,
)
from stportal.certificates.qr import QUIET_MODULES, qr_matrix, qr_rects
from stportal.certificates.rendition import TRANSFER_NOTICE, TRANSFER_TITLE

REPO_ROOT = Path(__file__).resolve().parents[3]
FORMS_DIR = REPO_ROOT / ".." / "shared" / "reference" / "forms"
FORM_FILES = {
    "2015": "sosfs-2015-8-bilaga-5-kurs.pdf",
    "2021": "hslf-fs-2021-8-bilaga-10-kurs.pdf",
}
NOT_OFFICIAL_SENTENCE = "Detta är inte Socialstyrelsens officiella blankett."
CODE = "K7QF-3MZP-XW9D"
URL = f"https://stportal.example.se/intyg/verifiera/{CODE}"
DESCRIPTION = (
    "Kursen behandlar etiska principer i vården, mångfald och jämlikhet. "
    "Eftermiddagarna ägnas åt gruppövningar med fall från primärvården i Västerbotten."
)


def form_bytes(version: str) -> bytes:
    path = FORMS_DIR / FORM_FILES[version]
    if not path.is_file():
        pytest.skip(
            f"Socialstyrelsen's {version} course form is not at ../shared/reference/forms/ "
            "beside the repository (the forms are not shipped with the product)"
        )
    return path.read_bytes()


def certificate(
    version: str = "2015", role: str = "kursledare", **changes: object
) -> CertificateData:
    data = CertificateData(
        curriculum_version=version,  # type: ignore[arg-type]
        bilaga_nr="12",
        last_name="Öberg-Ekström",
        first_name="Åsa Märta",
        personal_id="198503151234",
        specialty="Allmänmedicin",
        goal_codes=("a1", "a2", "b1") if version != "2021" else ("STa4", "STa5", "STb1"),
        subject="Etik, mångfald och jämlikhet",
        period_start=dt.date(2027, 3, 22),
        period_end=dt.date(2027, 3, 26),
        course_leader="Göran Ärlig",
        description=DESCRIPTION,
        certifier_role=role,  # type: ignore[arg-type]
        certifier_name="Björn Sjöström",
        certifier_specialty="Psykiatri",
        certifier_workplace="Norrlands universitetssjukhus, Umeå",
        place_and_date="Umeå 2027-03-26",
        certifier_personal_id="197001011234" if role == "handledare" else "",
        verification_code=CODE,
        verification_url=URL,
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def pypdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """Text with runs of whitespace made one space, so wrapped lines compare as one."""
    return re.sub(r"\s+", " ", text)


def poppler_text(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    options = ["-layout"] if layout else []
    done = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def expected_texts(data: CertificateData) -> list[str]:
    """What C18 says every certificate shows, as printed on `data`'s form."""
    texts = [
        data.last_name,
        data.first_name,
        "19850315-1234",
        data.specialty,
        ", ".join(data.goal_codes),
        data.certifier_name,
        data.place_and_date,
        data.certifier_workplace,
        "Eftermiddagarna ägnas åt gruppövningar",
    ]
    if data.curriculum_version == "2015":
        texts += [f"{data.subject}, 270322 \u2013 270326", data.course_leader]
    else:
        texts.append(data.subject)
    return texts


# Filling Socialstyrelsen's forms (C18, C18a) --------------------------------------------------


@pytest.mark.parametrize("version", ["2015", "2021"])
def test_official_form_shows_every_field_with_swedish_letters_c18(version: str) -> None:
    """C18: name, personal id, specialty, goals of the version, subject (and period on 2015),
    course leader (2015), description, certifier block, all with å ä ö intact."""
    data = certificate(version)
    text = flat(pypdf_text(fill_official_form(form_bytes(version), data)))
    for expected in expected_texts(data):
        assert flat(expected) in text, expected
    if version == "2015":
        assert "Psykiatri" in text  # the certifier's specialty, whoever certifies
    else:
        assert "270322" not in text  # the 2021 form has no period
        assert "Göran Ärlig" not in text  # nor a course-leader box


@pytest.mark.parametrize("version", ["2015", "2021"])
def test_official_form_text_extracts_with_poppler_c18(version: str, tmp_path: Path) -> None:
    """C18: the filled values are real text to poppler too, Swedish letters included."""
    data = certificate(version)
    text = flat(poppler_text(fill_official_form(form_bytes(version), data), tmp_path))
    for expected in expected_texts(data):
        assert flat(expected) in text, expected


def test_2021_supervisor_boxes_filled_only_for_a_supervisor_c18() -> None:
    """C18 / HSLF-FS 2021:8: "Personnummer" and "Specialitet" of the certifier apply to a
    supervisor only."""
    form = form_bytes("2021")
    supervisor = pypdf_text(fill_official_form(form, certificate("2021", "handledare")))
    leader = pypdf_text(fill_official_form(form, certificate("2021", "kursledare")))
    assert "19700101-1234" in supervisor
    assert "Psykiatri" in supervisor
    assert "19700101-1234" not in leader
    assert "Psykiatri" not in leader


@pytest.mark.parametrize("version", ["2015", "2021"])
def test_official_form_is_flattened_without_buttons_c18a(version: str, tmp_path: Path) -> None:
    """C18a: flattened so nobody can edit it: no AcroForm, no field, no widget, no script, and
    the form's own reset and print buttons are gone."""
    out = fill_official_form(form_bytes(version), certificate(version))
    reader = PdfReader(io.BytesIO(out))
    assert "/AcroForm" not in reader.root_object
    assert "/Perms" not in reader.root_object
    assert not reader.get_fields()
    for page in reader.pages:
        annots = page.get("/Annots")
        widgets = [a for a in (annots or []) if a.get_object().get("/Subtype") == "/Widget"]
        assert widgets == []
    for marker in (b"/Widget", b"/FT", b"/JavaScript", b"/AcroForm"):
        assert marker not in out
    text = pypdf_text(out) + poppler_text(out, tmp_path)
    assert "Skriv ut" not in text
    assert "Rensa" not in text


def _mat(a: list[float], b: list[float]) -> list[float]:
    """a × b for PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def painted_forms(reader: PdfReader) -> list[tuple[bytes, float, float]]:
    """Every form XObject painted on page 1, recursively: (its data, origin x, origin y)."""
    found: list[tuple[bytes, float, float]] = []

    def walk(content: ContentStream, resources: Any, ctm: list[float]) -> None:
        stack: list[list[float]] = []
        for operands, operator in content.operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = _mat([float(v) for v in operands], ctm)
            elif operator == b"Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject.get("/Subtype") != "/Form":
                    continue
                matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                inner = _mat(matrix, ctm)
                found.append((xobject.get_data(), inner[4], inner[5]))
                walk(ContentStream(xobject, reader), xobject.get("/Resources", {}), inner)

    page = reader.pages[0]
    contents = page.get_contents()
    assert contents is not None
    walk(contents, page["/Resources"], [1, 0, 0, 1, 0, 0])
    return found


def on_appearance(form: bytes, name: str) -> tuple[bytes, list[float]]:
    """The form's own "on" appearance of checkbox `name` and the box's /Rect."""
    annots: Any = PdfReader(io.BytesIO(form)).pages[0]["/Annots"]
    for ref in annots:
        annot = ref.get_object()
        if annot.get("/T") == name:
            normal = annot["/AP"]["/N"]
            stream = next(v for k, v in normal.items() if k != "/Off").get_object()
            assert isinstance(stream, StreamObject)
            return stream.get_data(), [float(v) for v in annot["/Rect"]]
    raise AssertionError(name)


def dark_pixels(png: Path, rect: list[float], page_height: float, dpi: int) -> int:
    from PIL import Image

    scale = dpi / 72
    inset = 2.5
    x0, y0, x1, y1 = rect
    box = (
        round((x0 + inset) * scale),
        round((page_height - y1 + inset) * scale),
        round((x1 - inset) * scale),
        round((page_height - y0 - inset) * scale),
    )
    with Image.open(png) as image:
        region = image.convert("L").crop(box)
        return sum(1 for value in region.tobytes() if value < 128)


CHECKBOX_CASES = [
    ("2015", "kursledare", "Kryssruta1", "Kryssruta2"),
    ("2015", "handledare", "Kryssruta2", "Kryssruta1"),
    ("2021", "kursledare", "Kursledare", "Handledare"),
    ("2021", "handledare", "Handledare", "Kursledare"),
]


@pytest.mark.parametrize(("version", "role", "ticked", "unticked"), CHECKBOX_CASES)
def test_certifier_box_is_ticked_with_the_forms_own_appearance_c18(
    version: str, role: str, ticked: str, unticked: str
) -> None:
    """C18: who certifies ticks their box: the flattened page paints the ticked box's own /Ja
    appearance at that box, and no checkbox appearance at the other one."""
    form = form_bytes(version)
    out = fill_official_form(form, certificate(version, role))
    on_data, on_rect = on_appearance(form, ticked)
    _, off_rect = on_appearance(form, unticked)
    painted = painted_forms(PdfReader(io.BytesIO(out)))

    def inside(x: float, y: float, rect: list[float]) -> bool:
        return rect[0] - 0.5 <= x <= rect[2] + 0.5 and rect[1] - 0.5 <= y <= rect[3] + 0.5

    assert any(data == on_data and inside(x, y, on_rect) for data, x, y in painted)
    assert not any(inside(x, y, off_rect) for _, x, y in painted)


@pytest.mark.parametrize(("version", "role", "ticked", "unticked"), CHECKBOX_CASES)
def test_ticked_box_is_drawn_on_the_rendered_page_c18(
    version: str, role: str, ticked: str, unticked: str, tmp_path: Path
) -> None:
    """C18: rendered by poppler, the certifier's box has a cross in it and the other is empty."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler's pdftoppm is not installed")
    form = form_bytes(version)
    out = fill_official_form(form, certificate(version, role))
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(out)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    height = float(PdfReader(io.BytesIO(out)).pages[0].mediabox.height)
    png = tmp_path / "page.png"
    assert dark_pixels(png, on_appearance(form, ticked)[1], height, 100) >= 8
    assert dark_pixels(png, on_appearance(form, unticked)[1], height, 100) == 0


@pytest.mark.parametrize("version", ["2015", "2021"])
def test_verification_code_in_margin_and_copy_mark_only_on_copies_c19(version: str) -> None:
    """C19: every certificate carries its verification code; the trainee's copy says it is a
    copy, the original does not."""
    form = form_bytes(version)
    original = pypdf_text(fill_official_form(form, certificate(version), copy=False))
    copy = pypdf_text(fill_official_form(form, certificate(version), copy=True))
    assert CODE in original
    assert CODE in copy
    assert URL in flat(original)
    assert COPY_MARK not in original
    assert "KOPIA" not in original
    assert COPY_MARK in copy


def test_margin_block_is_clear_of_the_forms_boxes_c18a() -> None:
    """C18a: the QR code and the code lines are drawn outside every field box of both forms."""
    for version in ("2015", "2021"):
        template = official_form.parsed_form(form_bytes(version))
        _, _, width, height = template.visible
        ops = margin_block(
            page_width=width,
            page_height=height,
            verification_code=CODE,
            verification_url=URL,
            copy=True,
        )
        boxes = [widget.rect for widget in template.boxes.values()]
        for op in ops:
            areas = []
            if isinstance(op, TextRun):
                areas = [
                    (x, y - 2, text_width(t, op.font, op.size), op.size) for x, y, t in op.lines
                ]
            elif isinstance(op, FilledRects):
                areas = list(op.rects)
            for ax, ay, aw, ah in areas:
                for bx, by, bw, bh in boxes:
                    overlaps = ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah
                    assert not overlaps, (version, op)


def test_wrong_version_or_not_a_form_is_refused_c18a() -> None:
    """C18a: a 2021 trainee's certificate never goes on the 2015 form, nor on a random PDF."""
    with pytest.raises(FormError):
        fill_official_form(form_bytes("2015"), certificate("2021"))
    with pytest.raises(FormError):
        fill_official_form(pdf_with_fields(["Efternamn", "Förnamn"]), certificate("2015"))
    with pytest.raises(FormError):
        fill_official_form(b"not a pdf", certificate("2015"))


def test_long_values_shrink_and_stay_in_their_boxes_c18() -> None:
    """C18: every field is filled even when a value is long; text shrinks or wraps rather than
    spilling over the form's lines."""
    long_description = " ".join([DESCRIPTION] * 12)
    data = certificate(
        "2015",
        description=long_description,
        certifier_workplace="Hälsocentralen i Västra Ämtervik, Region Värmland, Sverige",
    )
    text = flat(pypdf_text(fill_official_form(form_bytes("2015"), data)))
    assert "Hälsocentralen i Västra Ämtervik" in text
    assert text.count("Eftermiddagarna ägnas åt") == 12


# Checking an upload (C18a) -----------------------------------------------------------------


def pdf_with_fields(names: list[str]) -> bytes:
    """A one-page PDF made with reportlab, with text fields of the given names (or none)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(72, 800, "Ett dokument som inte är Socialstyrelsens blankett")
    for index, name in enumerate(names):
        canvas.acroForm.textfield(name=name, x=72, y=700 - 30 * index, width=200, height=20)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("version", ["2015", "2021"])
def test_inspect_form_accepts_the_real_forms_c18a(version: str) -> None:
    """C18a: the upload check finds every expected field in Socialstyrelsen's own form."""
    form = form_bytes(version)
    check = inspect_form(form)
    assert check.ok, check.problems
    assert check.version == version
    assert check.detected_version == version
    assert check.missing == ()
    assert set(FORM_SPECS[version].expected) <= set(check.fields)
    assert detect_version(form) == version
    assert inspect_form(form, version).ok


def test_inspect_form_refuses_the_other_versions_form_c18a() -> None:
    """C18a: uploading the 2021 form as the 2015 form is caught."""
    check = inspect_form(form_bytes("2021"), "2015")
    assert not check.ok
    assert "version_mismatch" in {problem.code for problem in check.problems}
    assert "Kryssruta1" in check.missing


def test_inspect_form_reports_every_missing_field_of_a_pdf_without_fields_c18a() -> None:
    """C18a: a PDF without the form's fields is refused and the missing fields are named."""
    pdf = pdf_with_fields([])
    check = inspect_form(pdf, "2015")
    assert not check.ok
    assert check.missing == FORM_SPECS["2015"].expected
    assert "no_fields" in {problem.code for problem in check.problems}
    assert detect_version(pdf) is None
    unknown = inspect_form(pdf)
    assert not unknown.ok
    assert unknown.version is None


def test_inspect_form_names_the_fields_a_partial_form_lacks_c18a() -> None:
    """C18a: a form with some of the fields lists exactly the others as missing, in order."""
    present = ["Efternamn", "Förnamn", "Personnummer"]
    check = inspect_form(pdf_with_fields(present), "2021")
    assert not check.ok
    assert check.missing == tuple(n for n in FORM_SPECS["2021"].expected if n not in present)
    assert "missing_fields" in {problem.code for problem in check.problems}


def test_inspect_form_reports_a_file_that_is_not_a_pdf_c18a() -> None:
    """C18a: garbage is reported, not raised."""
    check = inspect_form(b"%PDF-1.4 this is not really a pdf")
    assert not check.ok
    assert check.problems[0].code == "not_a_pdf"


# The product's own rendition and the 2008 transfer sheet (C18, C18a) --------------------------


@pytest.mark.parametrize("version", ["2015", "2021"])
def test_own_rendition_says_it_is_not_the_official_form_c18a(version: str) -> None:
    """C18a: without an uploaded form the product draws its own rendition, which says on the
    page that it is not Socialstyrelsen's official form, and shows every value."""
    data = certificate(version)
    text = flat(pypdf_text(render_own_rendition(data)))
    assert NOT_OFFICIAL_SENTENCE in text
    for expected in expected_texts(data):
        assert flat(expected) in text, expected
    assert CODE in text


@pytest.mark.parametrize("version", ["2015", "2021"])
def test_own_rendition_has_every_heading_in_the_forms_order_c18a(version: str) -> None:
    """C18a: the same headings and fields in the same order as the form of that version."""
    text = flat(pypdf_text(render_own_rendition(certificate(version))))
    position = 0
    for heading in LAYOUTS[version].headings:
        found = text.find(heading, position)
        assert found >= 0, f"{heading!r} missing or out of order"
        position = found + len(heading)


@pytest.mark.parametrize("version", ["2015", "2021"])
def test_own_rendition_headings_are_the_forms_own_words_c18a(version: str, tmp_path: Path) -> None:
    """C18a: every heading of the rendition is printed, word for word, on the real form, and
    the real form shows them in the same order."""
    # Layout mode reads the form row by row, as a person does.
    form_text = flat(poppler_text(form_bytes(version), tmp_path, layout=True))
    position = 0
    for heading in LAYOUTS[version].headings:
        found = form_text.find(heading, position)
        assert found >= 0, f"{heading!r} not on the real form, or out of its order"
        position = found + len(heading)


@pytest.mark.parametrize("version", ["2015", "2021", "2008"])
def test_own_drawings_mark_a_copy_and_only_a_copy_c19(version: str) -> None:
    """C19: the own rendition and the transfer sheet mark a copy as one, and only a copy."""
    data = certificate(version)
    assert COPY_MARK in pypdf_text(render_certificate(data, form_pdf_bytes=None, copy=True))
    assert "KOPIA" not in pypdf_text(render_certificate(data, form_pdf_bytes=None, copy=False))


def test_transfer_sheet_for_a_2008_trainee_carries_the_data_c18() -> None:
    """C18: a legacy 2008 trainee gets a sheet with the same data for the supervisor to copy
    onto the 2008 form and sign, saying so."""
    data = certificate("2008", "handledare", goal_codes=("Delmål 13", "Delmål 14"))
    text = flat(pypdf_text(render_transfer_sheet(data)))
    assert TRANSFER_TITLE in text
    assert flat(TRANSFER_NOTICE) in text
    for expected in [
        "Öberg-Ekström",
        "Åsa Märta",
        "19850315-1234",
        "Allmänmedicin",
        "Delmål 13, Delmål 14",
        "Etik, mångfald och jämlikhet",
        "270322 \u2013 270326",
        "Göran Ärlig",
        "Eftermiddagarna ägnas åt gruppövningar",
        "Handledare",
        "Björn Sjöström",
        "Psykiatri",
        "Norrlands universitetssjukhus, Umeå",
        "Umeå 2027-03-26",
        CODE,
    ]:
        assert expected in text, expected


# Dispatch and batches (C18, C19, SPEC 7) -----------------------------------------------------


def test_render_certificate_picks_form_rendition_or_transfer_sheet_c18() -> None:
    """C18/C18a: the uploaded form when there is one, the own rendition when not, and the
    transfer sheet for a 2008 trainee whatever form is uploaded."""
    form = form_bytes("2015")
    official = pypdf_text(render_certificate(certificate("2015"), form_pdf_bytes=form))
    assert "SOSFS 2015:8 - Bilaga 5" in official
    assert NOT_OFFICIAL_SENTENCE not in flat(official)
    own = pypdf_text(render_certificate(certificate("2015"), form_pdf_bytes=None))
    assert NOT_OFFICIAL_SENTENCE in flat(own)
    legacy = pypdf_text(render_certificate(certificate("2008"), form_pdf_bytes=form))
    assert TRANSFER_TITLE in legacy


def test_render_many_parses_each_form_once_c19(monkeypatch: pytest.MonkeyPatch) -> None:
    """C19 / SPEC 7: a print batch parses each uploaded form once, not once per certificate,
    and gives the same documents as rendering one by one."""
    forms = {version: form_bytes(version) for version in ("2015", "2021")}
    clear_form_cache()
    calls: list[int] = []
    real_prepare = official_form._prepare

    def counting_prepare(pdf: bytes, version: object) -> object:
        calls.append(len(pdf))
        return real_prepare(pdf, version)  # type: ignore[arg-type]

    monkeypatch.setattr(official_form, "_prepare", counting_prepare)
    items = [
        RenderItem(certificate(version, last_name=f"Åberg {n}"), forms[version], copy=n % 2 == 0)
        for n in range(6)
        for version in ("2015", "2021")
    ] + [RenderItem(certificate("2021")), RenderItem(certificate("2008"), forms["2015"])]
    pdfs = render_many(items)
    assert len(calls) == 2
    assert len(pdfs) == len(items)
    for item, pdf in zip(items, pdfs, strict=True):
        expected = render_certificate(item.data, form_pdf_bytes=item.form_pdf_bytes, copy=item.copy)
        assert pdf == expected
    assert "Åberg 3" in pypdf_text(pdfs[7])


# The pure helpers ----------------------------------------------------------------------------


def test_printed_values_follow_each_forms_wording_c18() -> None:
    """C18 / Appendix B: 2015 joins subject and period with an en dash; 2021 has no period and
    no course-leader box; goal codes print "a1, b1"."""
    v2015 = printed_values(certificate("2015"))
    assert v2015["subject"] == "Etik, mångfald och jämlikhet, 270322 \u2013 270326"
    assert v2015["goals"] == "a1, a2, b1"
    assert v2015["personal_id"] == "19850315-1234"
    v2021 = printed_values(certificate("2021", "handledare"))
    assert v2021["subject"] == "Etik, mångfald och jämlikhet"
    assert v2021["course_leader"] == ""
    assert v2021["certifier_personal_id"] == "19700101-1234"


def test_certificate_data_refuses_malformed_input() -> None:
    with pytest.raises(ValueError, match="personal_id"):
        certificate(personal_id="850315-1234")
    with pytest.raises(ValueError, match="period_end"):
        certificate(period_end=dt.date(2027, 3, 1))
    with pytest.raises(ValueError, match="version"):
        certificate(curriculum_version="2019")
    with pytest.raises(TypeError):
        certificate(goal_codes="a1")


def test_winansi_keeps_swedish_letters_and_degrades_the_rest() -> None:
    assert to_winansi("Åsa Öberg, Sjöström é – ü") == "Åsa Öberg, Sjöström é – ü"
    assert to_winansi("Dvořák") == "Dvorák"
    assert to_winansi("Łukasz Żółć") == "Lukasz Zólc"
    assert to_winansi("\u0416") == "?"  # Cyrillic has no WinAnsi form
    assert to_winansi("rad 1\nrad 2") == "rad 1 rad 2"


def test_fit_text_never_overflows_its_box() -> None:
    for text, width, height, multiline in [
        ("Norrlands universitetssjukhus, Umeå", 80.0, 20.0, False),
        (" ".join([DESCRIPTION] * 30), 450.0, 150.0, True),
        ("x" * 400, 100.0, 20.0, False),
    ]:
        size, lines = fit_text(text, width, height, size=10.0, multiline=multiline)
        assert all(text_width(line, "Helvetica", size) <= width - 4 + 1e-6 for line in lines)
        assert len(lines) * size * LEADING <= height or len(lines) == 1


def test_qr_rects_draw_exactly_the_qr_matrix_c19() -> None:
    """C19: the drawn rectangles give back segno's module matrix for the verification URL."""
    size = 52.0
    matrix = qr_matrix(URL)
    modules = len(matrix) + 2 * QUIET_MODULES
    unit = size / modules
    drawn = [[False] * len(matrix) for _ in matrix]
    for x, y, w, h in qr_rects(URL, 10.0, 20.0, size):
        row = round((20.0 + size - (y + h)) / unit) - QUIET_MODULES
        first = round((x - 10.0) / unit) - QUIET_MODULES
        for col in range(first, first + round(w / unit)):
            drawn[row][col] = True
    assert [tuple(r) for r in drawn] == [tuple(r) for r in matrix]
