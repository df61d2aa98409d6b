"""The course certificate a trainee attaches to an approved funding application (P3): checked
to be a real, readable PDF of a bounded size, and stored stripped of everything active (the
same stripping as the certificate forms staff upload, `certificates.sanitise`)."""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader

from stportal.certificates.sanitise import sanitise_form
from stportal.core.errors import ValidationFailed

logger = logging.getLogger(__name__)


def size_limit() -> int:
    """The largest attachment in bytes (`STPORTAL_FUNDING_CERTIFICATE_MAX_BYTES`)."""
    return int(settings.FUNDING_CERTIFICATE_MAX_BYTES)


def check_size(size: int) -> None:
    """Refuse a file over the limit before anything reads it; and an empty one."""
    limit = size_limit()
    if size > limit:
        raise ValidationFailed(
            {
                "file": [
                    _("The file is too large (%(size)s): a certificate may be at most %(limit)s.")
                    % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
                ]
            }
        )
    if size == 0:
        raise ValidationFailed({"file": [_("The file is empty.")]})


def _not_a_pdf() -> ValidationFailed:
    return ValidationFailed({"file": [_("The file is not a PDF that can be read.")]})


def checked_pdf(data: bytes) -> bytes:
    """The PDF to keep: `data` checked (size, a PDF header, readable, not password protected,
    at least one page) and stripped of actions, links, attached files and scripts."""
    check_size(len(data))
    if b"%PDF-" not in data[:1024]:
        raise _not_a_pdf()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationFailed(
                {"file": [_("The PDF is protected with a password: attach it without one.")]}
            )
        if len(reader.pages) < 1:
            raise _not_a_pdf()
        kept = sanitise_form(data).pdf
    except ValidationFailed:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        logger.info("An attached certificate could not be read: %s", exc)
        raise _not_a_pdf() from exc
    return kept
