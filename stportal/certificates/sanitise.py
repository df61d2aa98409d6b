"""Strip an uploaded certificate form of everything active before it is stored (C18a; security
review finding 4).

A certificate form is a document that staff upload and every certificate of a region is then
printed on, so it must carry nothing that acts when it is opened or clicked: no open action
and no additional actions (document, pages, fields), no link annotation or any other
annotation besides the form's fields, no action of any kind (URI, JavaScript, launch, submit,
import), no embedded or associated files, no JavaScript name tree, no XFA (a second,
scriptable form the filling never uses) and no usage-rights signature (it would no longer
match). The AcroForm fields the filling needs stay; the upload check runs again on the result.

Pure: PDF bytes in, PDF bytes and what was removed out; no database and no Django.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

# What `strip_active_content` reports, in a fixed order.
OPEN_ACTION = "open_action"
ADDITIONAL_ACTIONS = "additional_actions"
ACTIONS = "actions"
LINK_ANNOTATIONS = "link_annotations"
FILE_ATTACHMENTS = "file_attachments"
OTHER_ANNOTATIONS = "other_annotations"
EMBEDDED_FILES = "embedded_files"
JAVASCRIPT = "javascript"
XFA = "xfa"
USAGE_RIGHTS = "usage_rights"
REMOVED_ORDER = (
    OPEN_ACTION,
    ADDITIONAL_ACTIONS,
    ACTIONS,
    LINK_ANNOTATIONS,
    FILE_ATTACHMENTS,
    OTHER_ANNOTATIONS,
    EMBEDDED_FILES,
    JAVASCRIPT,
    XFA,
    USAGE_RIGHTS,
)


@dataclass(frozen=True)
class SanitisedForm:
    pdf: bytes
    removed: tuple[str, ...]


def _resolve(obj: PdfObject | None) -> PdfObject | None:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _is_action(obj: PdfObject | None) -> bool:
    value = _resolve(obj)
    return isinstance(value, DictionaryObject) and (
        "/S" in value or value.get("/Type") == "/Action"
    )


def _delete(dictionary: DictionaryObject, key: str, found: set[str], what: str) -> None:
    if key in dictionary:
        del dictionary[key]
        found.add(what)


def _strip_annotations(writer: PdfWriter, found: set[str]) -> None:
    """Keep only the form's fields (widgets) on each page; empty every other annotation in
    place, so that a structure tree still pointing at one reaches nothing active."""
    for page in writer.pages:
        _delete(page, "/AA", found, ADDITIONAL_ACTIONS)
        _delete(page, "/AF", found, EMBEDDED_FILES)
        annots = _resolve(page.get("/Annots"))
        if not isinstance(annots, ArrayObject):
            if "/Annots" in page:
                del page["/Annots"]
            continue
        kept = ArrayObject()
        for ref in annots:
            annot = _resolve(ref)
            if not isinstance(annot, DictionaryObject):
                continue
            subtype = annot.get("/Subtype")
            if subtype == "/Widget":
                kept.append(ref)
                continue
            action = _resolve(annot.get("/A"))
            if subtype == "/Link" or (isinstance(action, DictionaryObject) and "/URI" in action):
                found.add(LINK_ANNOTATIONS)
            elif subtype == "/FileAttachment":
                found.add(FILE_ATTACHMENTS)
            else:
                found.add(OTHER_ANNOTATIONS)
            annot.clear()
        if kept:
            page[NameObject("/Annots")] = kept
        else:
            del page["/Annots"]


def _strip_catalog(writer: PdfWriter, found: set[str]) -> None:
    root = writer.root_object
    _delete(root, "/OpenAction", found, OPEN_ACTION)
    _delete(root, "/AA", found, ADDITIONAL_ACTIONS)
    _delete(root, "/AF", found, EMBEDDED_FILES)
    _delete(root, "/Collection", found, EMBEDDED_FILES)
    _delete(root, "/Perms", found, USAGE_RIGHTS)
    _delete(root, "/NeedsRendering", found, XFA)
    names = _resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject):
        _delete(names, "/JavaScript", found, JAVASCRIPT)
        _delete(names, "/EmbeddedFiles", found, EMBEDDED_FILES)
        if not names:
            del root["/Names"]
    acroform = _resolve(root.get("/AcroForm"))
    if isinstance(acroform, DictionaryObject):
        _delete(acroform, "/XFA", found, XFA)


def _strip_everywhere(writer: PdfWriter, found: set[str]) -> None:
    """Every dictionary the document reaches: no additional actions, no action under /A
    (fields, outline items), no JavaScript."""
    seen: set[int] = set()
    stack: list[PdfObject] = [writer.root_object]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            resolved = obj.get_object()
            if resolved is not None:
                stack.append(resolved)
            continue
        if isinstance(obj, DictionaryObject):
            _delete(obj, "/AA", found, ADDITIONAL_ACTIONS)
            _delete(obj, "/JS", found, JAVASCRIPT)
            if "/A" in obj and _is_action(obj["/A"]):
                action = _resolve(obj["/A"])
                if isinstance(action, DictionaryObject) and action.get("/S") == "/JavaScript":
                    found.add(JAVASCRIPT)
                del obj["/A"]
                found.add(ACTIONS)
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def prune_unreachable(writer: PdfWriter) -> None:
    """Drop every object the document no longer reaches (removed annotations, files, scripts),
    so the written file holds no trace of them."""
    reachable: set[int] = set()
    stack: list[PdfObject] = []
    for start in (writer.root_object, writer._info):  # noqa: SLF001 (the document info)
        if start is not None:
            reference = start.indirect_reference
            stack.append(reference if reference is not None else start)
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in reachable:
                continue
            reachable.add(obj.idnum)
            resolved = obj.get_object()
            if resolved is not None:
                stack.append(resolved)
        elif isinstance(obj, DictionaryObject):
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    for index in range(len(writer._objects)):  # noqa: SLF001
        if index + 1 not in reachable:
            writer._objects[index] = None  # noqa: SLF001


def strip_active_content(writer: PdfWriter, *, prune: bool = True) -> tuple[str, ...]:
    """Remove, in place, everything active from a document (see the module docstring) and
    say what was found, in `REMOVED_ORDER`. Without `prune` the caller prunes afterwards."""
    found: set[str] = set()
    _strip_annotations(writer, found)
    _strip_catalog(writer, found)
    _strip_everywhere(writer, found)
    if prune:
        prune_unreachable(writer)
    return tuple(code for code in REMOVED_ORDER if code in found)


def sanitise_form(pdf_bytes: bytes) -> SanitisedForm:
    """The uploaded form without anything active. Raises pypdf's errors for a file it cannot
    read (the upload check refuses such files first)."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header
    removed = strip_active_content(writer)
    out = io.BytesIO()
    writer.write(out)
    return SanitisedForm(pdf=out.getvalue(), removed=removed)
