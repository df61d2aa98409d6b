"""The completion pack: every write (SPEC 5 P14).

1. `keep_summary_certificate`: the trainee uploads the signed copy of a once-only certificate
   (a checked, size-capped PDF: the funding app's check), or marks it as to come.
2. `upload_application_form`: staff keep Socialstyrelsen's application form of a curriculum
   version for their region (a superuser also for the whole installation): checked by its
   field names, size-capped and stripped of everything active, as the course-certificate forms.

Each locks its parent row and audits in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import Region, TraineeProfile, User
from stportal.certificates.form_uploads import check_form_size
from stportal.certificates.sanitise import sanitise_form
from stportal.completion import application_form, permissions, rules
from stportal.completion.models import ApplicationForm, SummaryCertificate
from stportal.core import audit, bounds
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from stportal.funding.uploads import checked_pdf


def regulation(profile: TraineeProfile) -> tuple[str, bool]:
    """The trainee's regulation: "2015" or "2021", and whether BT belongs to it (2021)."""
    version = profile.curriculum_version.code
    return ("2021", True) if version == "2021" else ("2015", False)


logger = logging.getLogger(__name__)

SUMMARY_FIELDS = ("trainee_id", "kind", "filename", "size", "sha256", "updated_at")


def summary_kinds(profile: TraineeProfile) -> tuple[str, ...]:
    """The once-only certificates the trainee's application takes (the trainee uploads them)."""
    version, bt = regulation(profile)
    return tuple(kind for kind in rules.kind_order(version, bt) if kind in rules.ONCE)


def keep_summary_certificate(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    kind: str,
    data: bytes | None = None,
    filename: str = "",
    now: dt.datetime | None = None,
) -> SummaryCertificate:
    """The trainee's signed copy of a once-only certificate (`data`), or, without `data`, the
    mark that it is to come (an uploaded copy is then dropped). Audited."""
    permissions.check_may_keep_summary(actor, trainee)
    if kind not in summary_kinds(trainee):
        raise ValidationFailed(
            {"kind": [_("The application under your regulation takes no such certificate.")]}
        )
    kept = checked_pdf(data) if data is not None else None
    now = now or timezone.now()
    name = filename.replace(bounds.NUL, "").strip()[:200]
    with transaction.atomic():
        TraineeProfile.objects.select_for_update().filter(pk=trainee.pk).first()
        current = SummaryCertificate.objects.filter(trainee=trainee, kind=kind).first()
        before = audit.snapshot(current, SUMMARY_FIELDS) if current is not None else None
        if current is None:
            current = SummaryCertificate(trainee=trainee, kind=kind)
        current.pdf = kept
        current.filename = name if kept is not None else ""
        current.size = len(kept) if kept is not None else None
        current.sha256 = hashlib.sha256(data).hexdigest() if data is not None else ""
        current.updated_at = now
        current.updated_by = actor
        current.save()
        audit.record(
            actor=actor,
            action="summary_certificate.uploaded" if kept else "summary_certificate.to_come",
            obj=current,
            before=before,
            after=audit.snapshot(current, SUMMARY_FIELDS),
        )
    return current


def _refuse(check: application_form.FormCheck) -> ServiceError:
    problems = {
        "not_a_pdf": _("The file is not a PDF that can be read."),
        "encrypted": _("The PDF is protected with a password and cannot be filled."),
        "no_fields": _("The PDF has no fillable fields: upload Socialstyrelsen's fillable form."),
    }
    if check.problem in problems:
        message = problems[check.problem]
    elif check.missing:
        message = _("The form lacks fields the application fills: %(fields)s.") % {
            "fields": ", ".join(check.missing[:10])
        }
    else:
        message = _("The PDF is not Socialstyrelsen's application for a specialist certificate.")
    return ServiceError(
        "validation_error",
        _("This PDF cannot be used as the application form."),
        fields={"file": [message]},
        extra={"missing_fields": list(check.missing), "problem": check.problem},
        status=422,
    )


def upload_application_form(
    *,
    actor: User | None,
    pdf_bytes: bytes,
    region: Region | None = None,
    version: str | None = None,
    filename: str = "",
    now: dt.datetime | None = None,
) -> ApplicationForm:
    """Keep Socialstyrelsen's application form for `region` (None: the installation).

    1. Staff of the region or a superuser; the installation's: a superuser only (403).
    2. At most the size of a certificate form (422, `fields.file`).
    3. The PDF must be the 2015 or 2021 application (or the one `version` says), recognised
       by its field names, with every field the pack fills (422 otherwise).
    4. Kept stripped of everything active; the same file again changes nothing.
    """
    if not permissions.may_upload_form(actor, region):
        raise PermissionDenied(_("You may upload application forms only for your own regions."))
    if version is not None and version not in ("2015", "2021"):
        raise ValidationFailed(
            {"version": [_("Forms are uploaded for the 2015 and 2021 curricula.")]}
        )
    check_form_size(len(pdf_bytes))
    check = application_form.inspect(pdf_bytes, version)
    if not check.ok or check.version is None:
        raise _refuse(check)
    try:
        kept = sanitise_form(pdf_bytes).pdf
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        logger.info("An application form could not be rewritten: %s", exc)
        raise _refuse(application_form.FormCheck(None, problem="not_a_pdf")) from exc
    if not application_form.inspect(kept, check.version).ok:
        raise _refuse(application_form.inspect(kept, check.version))
    now = now or timezone.now()
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    region_id = region.pk if region is not None else None
    with transaction.atomic():
        current = (
            ApplicationForm.objects.select_for_update()
            .filter(version=check.version)
            .filter(Q(region__isnull=True) if region_id is None else Q(region_id=region_id))
            .order_by("-uploaded_at", "-id")
            .only("pk", "sha256", "version", "region", "uploaded_at")
            .first()
        )
        if current is not None and current.sha256 == digest:
            return current
        form = ApplicationForm.objects.create(
            region_id=region_id,
            version=check.version,
            pdf=kept,
            sha256=digest,
            filename=filename.replace(bounds.NUL, "")[:200],
            size=len(kept),
            uploaded_at=now,
            uploaded_by=actor,
        )
        audit.record(
            actor=actor,
            action="application_form.uploaded",
            obj=form,
            after={
                "region": region_id,
                "version": form.version,
                "sha256": digest,
                "size": form.size,
                "filename": form.filename,
                "replaces": current.pk if current is not None else None,
            },
        )
    return form
