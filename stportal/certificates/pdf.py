"""Course certificates as PDF: plain data in, PDF bytes out (C18, C18a, C19).

No database and no Django here: the certificates app gathers a `CertificateData` per passed
participant and calls these functions.

- `render_certificate` picks the right document: Socialstyrelsen's uploaded form, filled and
  flattened (`fill_official_form`); the product's own rendition when no form is uploaded
  (`render_own_rendition`); the transfer sheet for a legacy 2008 trainee
  (`render_transfer_sheet`).
- `render_many` renders a print batch, parsing each uploaded form once.
- `inspect_form` and `detect_version` check an upload before it is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stportal.certificates.content import CertificateData, printed_values
from stportal.certificates.drawing import COPY_MARK
from stportal.certificates.official_form import (
    FORM_SPECS,
    FormCheck,
    FormError,
    FormProblem,
    FormSpec,
    ParsedForm,
    clear_form_cache,
    detect_version,
    fill_official_form,
    fill_template,
    inspect_form,
    parsed_form,
)
from stportal.certificates.rendition import (
    LAYOUTS,
    NOT_OFFICIAL,
    render_own_rendition,
    render_transfer_sheet,
)

__all__ = [
    "COPY_MARK",
    "FORM_SPECS",
    "LAYOUTS",
    "NOT_OFFICIAL",
    "CertificateData",
    "FormCheck",
    "FormError",
    "FormProblem",
    "FormSpec",
    "RenderItem",
    "clear_form_cache",
    "detect_version",
    "fill_official_form",
    "inspect_form",
    "printed_values",
    "render_certificate",
    "render_many",
    "render_own_rendition",
    "render_transfer_sheet",
]


def render_certificate(
    data: CertificateData, *, form_pdf_bytes: bytes | None, copy: bool = False
) -> bytes:
    """The certificate of `data` as PDF (C18): on `form_pdf_bytes` (the uploaded official form
    of the trainee's version) when given, else the own rendition; a 2008 trainee gets the
    transfer sheet whatever form is given. `copy` marks it as a copy in the margin (C19).
    Raises `FormError` when the form is not the course form of the trainee's version."""
    if data.curriculum_version == "2008":
        return render_transfer_sheet(data, copy=copy)
    if form_pdf_bytes is None:
        return render_own_rendition(data, copy=copy)
    return fill_official_form(form_pdf_bytes, data, copy=copy)


@dataclass(frozen=True)
class RenderItem:
    """One certificate of a batch: its data, the official form of its version if uploaded,
    and whether to mark it as a copy."""

    data: CertificateData
    form_pdf_bytes: bytes | None = None
    copy: bool = False


def render_many(items: Iterable[RenderItem]) -> list[bytes]:
    """Every item's certificate, in order (C19's print batch). Each distinct form is parsed
    once for the whole batch, so a batch costs one parse per form plus a fill per item."""
    parsed: dict[int, tuple[bytes, ParsedForm]] = {}
    out: list[bytes] = []
    for item in items:
        form = item.form_pdf_bytes
        if item.data.curriculum_version == "2008" or form is None:
            out.append(render_certificate(item.data, form_pdf_bytes=form, copy=item.copy))
            continue
        # Batch items usually share the same bytes object: look it up by identity before
        # hashing 1-2 MB per certificate (the parsed-form cache is keyed by digest).
        entry = parsed.get(id(form))
        if entry is None or entry[0] is not form:
            entry = (form, parsed_form(form))
            parsed[id(form)] = entry
        out.append(fill_template(entry[1], item.data, copy=item.copy))
    return out
