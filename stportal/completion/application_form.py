"""Socialstyrelsen's application for the specialist certificate (SPEC 5 P14, Appendix B):
which form an uploaded PDF is (by its field names), and filling it with the trainee's details,
the service list and the attachment numbers per kind, flattened (no field is left).

SOSFS 2015:8 bilaga 1 has the service list (23 rows) and eleven "Bilaga nr" lines, the first
six beside the kinds of certificate 2–7; HSLF-FS 2021:8 bilaga 5 has no service list (it goes
with the certificate of completed service) and eight "Bilagor nr" lines beside 6–13.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject

from stportal.completion import rules

SERVICE_ROWS = 23
_PLACE = "Tjänstgöringsställe Sjukhus klinik enhet eller annan specificeringRow{}"
_PERIOD = "Period ååmmdd  ååmmddRow{}"
_EXTENT = "Tjänstgöringens omfattning i pro cent av heltidRow{}"
_MONTHS = "Tjänstgöringens omfattning om räknad till måna der på heltidRow{}"
_MONTHS_SUM = "Tjänstgöringens omfattning om räknad till måna der på heltidSumma"

PERSONAL = ("Specialitet som ansökan avser", "Efternamn", "Förnamn", "Personnummer")

# The attachment lines per kind, by the form's field names.
NUMBER_FIELDS: dict[str, dict[str, str]] = {
    "2015": {
        rules.SPECIALIST_COMPETENCE: "Bilaga nr",
        rules.AUSKULTATION: "Bilaga nr_2",
        rules.CLINICAL_SERVICE: "Bilaga nr_3",
        rules.COURSE: "Bilaga nr_4",
        rules.QUALITY_WORK: "Bilaga nr_5",
        rules.WRITTEN_WORK: "Bilaga nr_6",
    },
    "2021": {
        rules.SERVICE_COMPLETED: "Bilagor nr.0.0",
        rules.SPECIALIST_COMPETENCE: "Bilagor nr.0.1",
        rules.AUSKULTATION: "Bilagor nr.0.2",
        rules.CLINICAL_SERVICE: "Bilagor nr.0.3",
        rules.COURSE: "Bilagor nr.0.4",
        rules.QUALITY_WORK: "Bilagor nr.0.5",
        rules.SCIENCE: "Bilagor nr.0.6",
    },
}

# What each version's form must have: the fields the product fills.
EXPECTED: dict[str, frozenset[str]] = {
    "2015": frozenset(
        PERSONAL
        + tuple(NUMBER_FIELDS["2015"].values())
        + tuple(
            name.format(row)
            for row in range(1, SERVICE_ROWS + 1)
            for name in (_PLACE, _PERIOD, _EXTENT, _MONTHS)
        )
    ),
    "2021": frozenset(PERSONAL + tuple(NUMBER_FIELDS["2021"].values())),
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class FormCheck:
    """Which application an uploaded PDF is: `version` ("2015", "2021") or None, and the
    expected fields it lacks; `problem` is "not_a_pdf", "encrypted", "no_fields" or
    "unknown_form" when it will not do."""

    version: str | None
    missing: tuple[str, ...] = ()
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.version is not None and not self.missing and not self.problem


def _field_names(pdf_bytes: bytes) -> set[str] | str:
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        if reader.is_encrypted and not reader.decrypt(""):
            return "encrypted"
        fields = reader.get_fields() or {}
    except Exception:  # an upload is untrusted: anything the parser raises means "not a PDF"
        return "not_a_pdf"
    return {_nfc(str(name)) for name in fields}


def inspect(pdf_bytes: bytes, version: str | None = None) -> FormCheck:
    """Which application form `pdf_bytes` is, by its field names: the version whose expected
    fields it has most of (at least half), else "unknown_form"."""
    names = _field_names(pdf_bytes)
    if isinstance(names, str):
        return FormCheck(None, problem=names)
    if not names:
        return FormCheck(None, problem="no_fields")
    scores = {v: len(names & expected) / len(expected) for v, expected in EXPECTED.items()}
    detected = max(scores, key=lambda v: (scores[v], v))
    if scores[detected] < 0.5 or (version is not None and detected != version):
        return FormCheck(None, problem="unknown_form")
    missing = tuple(sorted(EXPECTED[detected] - names))
    return FormCheck(detected, missing, "missing_fields" if missing else "")


@dataclass(frozen=True)
class ServiceRow:
    """One line of the service list: where, the period (ååmmdd – ååmmdd), the extent in per
    cent of full time and the months at full time."""

    place: str
    period: str
    percent: str
    months: str


@dataclass(frozen=True)
class Applicant:
    last_name: str
    first_name: str
    personal_id: str
    specialty: str


def numbers_by_kind(pack: rules.Pack) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for attachment in pack.attachments:
        found.setdefault(attachment.item.kind, []).append(attachment.number)
    return found


def number_text(numbers: Sequence[int]) -> str:
    """1, 2, 3, 5 -> "1–3, 5": runs of numbers as ranges."""
    runs: list[str] = []
    ordered = sorted(set(numbers))
    index = 0
    while index < len(ordered):
        end = index
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[index], ordered[end]
        runs.append(str(first) if first == last else f"{first}–{last}")
        index = end + 1
    return ", ".join(runs)


def values(
    version: str, applicant: Applicant, rows: Sequence[ServiceRow], pack: rules.Pack
) -> dict[str, str]:
    """Every field value to fill, by the form's field names."""
    found = {
        "Specialitet som ansökan avser": applicant.specialty,
        "Efternamn": applicant.last_name,
        "Förnamn": applicant.first_name,
        "Personnummer": applicant.personal_id,
    }
    numbers = numbers_by_kind(pack)
    for kind, name in NUMBER_FIELDS.get(version, {}).items():
        if numbers.get(kind):
            found[name] = number_text(numbers[kind])
    if version == "2015":
        total = 0.0
        for index, row in enumerate(rows[:SERVICE_ROWS], start=1):
            found[_PLACE.format(index)] = row.place
            found[_PERIOD.format(index)] = row.period
            found[_EXTENT.format(index)] = row.percent
            found[_MONTHS.format(index)] = row.months
            total += float(row.months.replace(",", ".") or 0)
        if rows:
            found[_MONTHS_SUM] = f"{total:.1f}".replace(".", ",")
    return found


def _full_name(annotation: DictionaryObject) -> str:
    parts: list[str] = []
    node: DictionaryObject | None = annotation
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def _names_on(page: PageObject) -> set[str]:
    """The full names of the fields with a widget on `page`."""
    names = set()
    for reference in page.get("/Annots") or ():
        annotation = reference.get_object()
        if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") == "/Widget":
            names.add(_full_name(annotation))
    return names


def fill(pdf_bytes: bytes, field_values: Mapping[str, str]) -> bytes:
    """The form with `field_values` written in and flattened: the values become page content
    and no field, widget or form dictionary is left."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    known = {_nfc(str(name)): str(name) for name in (writer.get_fields() or {})}
    wanted = {known[name]: value for name, value in field_values.items() if name in known}
    writer.set_need_appearances_writer(False)
    written: set[str] = set()
    for page in writer.pages:
        # A field shown on several pages is written on the first only: the 2021 application
        # gives the lines of the other documents on its last page the names of the course,
        # development-work and STa3 lines (`Bilagor nr.0.4` …), which must stay empty there.
        here = _names_on(page) - written
        values_here = {name: value for name, value in wanted.items() if name in here}
        if values_here:
            writer.update_page_form_field_values(
                page, values_here, auto_regenerate=False, flatten=True
            )
        written |= here
    writer.remove_annotations(subtypes="/Widget")
    root = writer._root_object
    if NameObject("/AcroForm") in root:
        del root[NameObject("/AcroForm")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
