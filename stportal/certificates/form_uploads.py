"""Socialstyrelsen's course-certificate forms as staff upload them (C18a): checking and keeping
an upload, the form a certificate issued now goes on, and the stored bytes of a form.

Part of the certificate services (`certificates.services` re-exports these names): an upload
is a write like any other, audited in its transaction, and refused by
`certificates.permissions` on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections import OrderedDict

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import Region, User
from stportal.certificates.models import CertificateForm
from stportal.certificates.pdf import FormCheck, FormProblem, inspect_form
from stportal.certificates.permissions import may_upload_any_form, may_upload_form
from stportal.certificates.sanitise import sanitise_form
from stportal.core import audit
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed

logger = logging.getLogger(__name__)

__all__ = [
    "check_form_size",
    "current_form",
    "form_bytes",
    "forget_form_bytes",
    "form_size_limit",
    "upload_certificate_form",
]


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- Socialstyrelsen's forms (C18a) ------------------------------------------------------------


def _problem_message(code: str, check: FormCheck, field: str) -> str:
    """A problem `inspect_form` found, as a whole translated sentence."""
    if code == "missing_fields":
        return _("The form lacks fields the certificate fills: %(fields)s.") % {
            "fields": ", ".join(check.missing)
        }
    if code == "wrong_field_type":
        return _("The field %(field)s is not of the kind the form should have.") % {"field": field}
    if code == "not_on_first_page":
        return _("The field %(field)s is not on the form's first page.") % {"field": field}
    texts = {
        "not_a_pdf": _("The file is not a PDF that can be read."),
        "encrypted": _("The PDF is protected with a password and cannot be filled."),
        "no_fields": _("The PDF has no fillable fields: upload Socialstyrelsen's fillable form."),
        "version_mismatch": _(
            "The PDF is the course-certificate form of the other curriculum version."
        ),
    }
    return texts.get(code, _("The PDF is neither the 2015 nor the 2021 course-certificate form."))


def problem_messages(check: FormCheck) -> list[str]:
    """Every problem of an upload; the missing fields named first, whatever else is wrong."""
    messages = []
    if check.missing:
        messages.append(_problem_message("missing_fields", check, ""))
    for problem in check.problems:
        if problem.code != "missing_fields":
            messages.append(_problem_message(problem.code, check, problem.field))
    return messages or [_problem_message("unknown_form", check, "")]


def form_size_limit() -> int:
    """The largest form upload in bytes (`STPORTAL_FORM_MAX_BYTES`)."""
    return int(settings.CERTIFICATE_FORM_MAX_BYTES)


def check_form_size(size: int) -> None:
    """Refuse an upload larger than the limit, before anything reads it (C18a)."""
    limit = form_size_limit()
    if size > limit:
        raise ValidationFailed(
            {
                "file": [
                    _(
                        "The file is too large (%(size)s): a certificate form may be at most "
                        "%(limit)s."
                    )
                    % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
                ]
            }
        )


def _refuse_form(check: FormCheck) -> ServiceError:
    return ServiceError(
        "validation_error",
        _("This PDF cannot be used as the course-certificate form."),
        fields={"file": problem_messages(check)},
        extra={
            "missing_fields": list(check.missing),
            "problems": [p.code for p in check.problems],
            "detected_version": check.detected_version,
        },
        status=422,
    )


def upload_certificate_form(
    *,
    actor: User | None,
    pdf_bytes: bytes,
    region: Region | None = None,
    version: str | None = None,
    filename: str = "",
    now: dt.datetime | None = None,
) -> CertificateForm:
    """Keep Socialstyrelsen's course-certificate form of a curriculum version for a region, or
    without `region` for the whole installation (C18a; security review finding 4).

    1. A region's form: staff of that region or a superuser; the installation's: a superuser
       only (403 otherwise, `certificates.permissions`). `actor=None` is the system.
    2. At most `STPORTAL_FORM_MAX_BYTES` (422, `fields.file`).
    3. The PDF must be that version's fillable form (or, without `version`, one of the two) with
       every field the product fills: else 422 naming each problem, `fields.file`, and the
       missing field names in `missing_fields`.
    4. What is stored is the upload stripped of everything active (open and additional
       actions, links and other annotations, embedded files, scripts, XFA), checked again.
    5. The latest upload of a region (or the installation) per version is its current form; the
       same file uploaded again changes nothing. Older forms are kept: the certificates issued
       on them stay on them.
    """
    if not may_upload_form(actor, region):
        if region is None and actor is not None and may_upload_any_form(actor):
            raise PermissionDenied(
                _("Only a superuser may upload the form used by the whole installation.")
            )
        raise PermissionDenied(_("You may upload certificate forms only for your own regions."))
    if version is not None and version not in ("2015", "2021"):
        raise ValidationFailed(
            {"version": [_("Forms are uploaded for the 2015 and 2021 curricula.")]}
        )
    check_form_size(len(pdf_bytes))
    check = inspect_form(pdf_bytes, version)  # type: ignore[arg-type]
    if not check.ok or check.version is None:
        raise _refuse_form(check)
    try:
        sanitised = sanitise_form(pdf_bytes)
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        logger.info("A certificate form could not be rewritten: %s", exc)
        raise _refuse_form(
            FormCheck(check.version, check.detected_version, (), (), (FormProblem("not_a_pdf"),))
        ) from exc
    kept = inspect_form(sanitised.pdf, check.version)
    if not kept.ok:
        raise _refuse_form(kept)
    now = _now(now)
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    region_id = region.pk if region is not None else None
    with transaction.atomic():
        current = (
            CertificateForm.objects.select_for_update()
            .filter(version=check.version, region_id=region_id)
            .order_by("-uploaded_at", "-id")
            .only("pk", "sha256", "version", "region", "uploaded_at")
            .first()
        )
        if current is not None and current.sha256 == digest:
            return current
        form = CertificateForm.objects.create(
            region_id=region_id,
            version=check.version,
            pdf=sanitised.pdf,
            sha256=digest,
            filename=filename[:200],
            size=len(sanitised.pdf),
            fields=list(kept.fields),
            removed=list(sanitised.removed),
            uploaded_at=now,
            uploaded_by=actor,
        )
        audit.record(
            actor=actor,
            action="certificate_form.uploaded",
            obj=form,
            after={
                "region": region_id,
                "version": form.version,
                "sha256": digest,
                "size": form.size,
                "uploaded_size": len(pdf_bytes),
                "filename": form.filename,
                "removed": list(sanitised.removed),
                "replaces": current.pk if current is not None else None,
            },
        )
    return form


def _latest(version: str, region_id: int | None) -> QuerySet[CertificateForm]:
    return CertificateForm.objects.filter(version=version, region_id=region_id).order_by(
        "-uploaded_at", "-id"
    )


def current_form(version: str, region: Region | int | None = None) -> CertificateForm | None:
    """The form a certificate of `version` issued now in `region` goes on, without its PDF
    bytes (C18a): the region's latest upload, else the installation's latest; without
    `region`, the installation's. None: the product's own rendition."""
    if version not in ("2015", "2021"):
        return None
    region_id = region.pk if isinstance(region, Region) else region
    if region_id is not None:
        own = _latest(version, region_id).defer("pdf").first()
        if own is not None:
            return own
    return _latest(version, None).defer("pdf").first()


# Stored forms never change: keep the bytes of the few in use, so a batch of PDFs does not
# read 1–2 MB from the database per certificate.
_FORM_BYTES: OrderedDict[int, bytes] = OrderedDict()
_FORM_BYTES_LOCK = threading.Lock()


def form_bytes(form_id: int | None) -> bytes | None:
    """The stored (sanitised) PDF of a form, None for none."""
    if form_id is None:
        return None
    with _FORM_BYTES_LOCK:
        cached = _FORM_BYTES.get(form_id)
        if cached is not None:
            _FORM_BYTES.move_to_end(form_id)
            return cached
    raw = CertificateForm.objects.filter(pk=form_id).values_list("pdf", flat=True).first()
    if raw is None:
        return None
    data = bytes(raw)
    with _FORM_BYTES_LOCK:
        _FORM_BYTES[form_id] = data
        while len(_FORM_BYTES) > 4:
            _FORM_BYTES.popitem(last=False)
    return data


def forget_form_bytes() -> None:
    """Empty the cache of stored forms' bytes: for tests, whose rolled-back uploads may give
    a new form the id of an earlier one (SQLite reuses ids)."""
    with _FORM_BYTES_LOCK:
        _FORM_BYTES.clear()
