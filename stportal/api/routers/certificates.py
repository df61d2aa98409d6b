"""Course certificates (C18, C18a, C19, Appendix A "Certificates"): the certifier issues,
staff track, a trainee reads own copies, anyone verifies a code."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from stportal.accounts.models import Region
from stportal.api.attendance_schemas import (
    BatchOut,
    CertificateFormOut,
    CertificateOut,
    CertificateStateIn,
    ReasonIn,
    VerificationOut,
    batch_out,
    certificate_form_out,
    certificate_out,
    verification_out,
)
from stportal.api.auth import AUTH, caller
from stportal.attendance import selectors as attendance_selectors
from stportal.certificates import permissions, selectors, services
from stportal.certificates.models import Certificate
from stportal.core.errors import NotFound, PermissionDenied, ValidationFailed
from stportal.stdays import selectors as stday_selectors

router = Router(tags=["certificates"])


def _anyone(request: HttpRequest) -> bool:
    """C19: anyone may check a code. Listed after the usual ways to log in, so the schema
    documents those and a bad token still answers 401; without credentials this lets the
    request through."""
    return True


PUBLIC = [*AUTH, _anyone]


def _out(certificate_id: int) -> dict[str, Any]:
    return certificate_out(
        Certificate.objects.select_related("line__registration").get(pk=certificate_id)
    )


@router.post(
    "/courses/{id:course_id}/certificates",
    auth=AUTH,
    response=list[CertificateOut],
    summary="Issue certificates for every passed participant without one (C18, C19)",
)
def issue(request: HttpRequest, course_id: int) -> list[dict[str, Any]]:
    user = caller(request)
    course = attendance_selectors.get_course_for_register(user, course_id)
    issued = services.issue_certificates(actor=user, course=course)
    return [certificate_out(certificate) for certificate in issued]


@router.get(
    "/courses/{id:course_id}/certificates",
    auth=AUTH,
    response=list[CertificateOut],
    summary="A course's certificates (staff and the certifier)",
)
def course_certificates(request: HttpRequest, course_id: int) -> list[dict[str, Any]]:
    course = selectors.get_course_for_certificates(caller(request), course_id)
    return [certificate_out(c) for c in selectors.certificates_of_course(course)]


@router.get(
    "/courses/{id:course_id}/certificate-batches",
    auth=AUTH,
    response=list[BatchOut],
    summary="A course's print batches with a count per state (C19)",
)
def course_batches(request: HttpRequest, course_id: int) -> list[dict[str, Any]]:
    course = selectors.get_course_for_certificates(caller(request), course_id)
    return [batch_out(summary) for summary in selectors.batches_of_course(course)]


@router.get(
    "/me/certificates",
    auth=AUTH,
    response=list[CertificateOut],
    summary="My course certificates (copies to download)",
)
def my_certificates(request: HttpRequest) -> list[dict[str, Any]]:
    return [certificate_out(c) for c in selectors.certificates_of_trainee_user(caller(request))]


@router.get(
    "/certificates/verify/{code}",
    auth=PUBLIC,
    response=VerificationOut,
    summary="Check a verification code (public, C19)",
)
def verify(request: HttpRequest, code: str) -> dict[str, Any]:
    # An ST-day certificate is drawn on the same course form by the supervisor (SPEC 5 P4):
    # its code is checked here too, with the subject heading as the course's title.
    verification = selectors.verify(code) or stday_selectors.verify(code)
    if verification is None:
        raise NotFound(_("There is no course certificate with this verification code."))
    return verification_out(verification)


@router.get(
    "/certificates/{id:certificate_id}",
    auth=AUTH,
    response=CertificateOut,
    summary="One certificate",
)
def get_certificate(request: HttpRequest, certificate_id: int) -> dict[str, Any]:
    access = selectors.get_certificate_for_user(caller(request), certificate_id)
    return certificate_out(access.certificate)


@router.get(
    "/certificates/{id:certificate_id}.pdf",
    auth=AUTH,
    summary="The certificate as PDF: the original for staff, a copy for the trainee (C19)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The certificate",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    access = selectors.get_certificate_for_user(caller(request), certificate_id)
    pdf = services.certificate_pdf(certificate=access.certificate, copy=access.copy)
    name = f"kursintyg-{certificate_id}{'-kopia' if access.copy else ''}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/certificates/{id:certificate_id}/state",
    auth=AUTH,
    response=CertificateOut,
    summary="Printed, signed, handed out or posted, with the date (C19)",
)
def set_state(
    request: HttpRequest, certificate_id: int, payload: CertificateStateIn
) -> dict[str, Any]:
    user = caller(request)
    certificate = selectors.get_certificate_for_tracking(user, certificate_id)
    services.set_certificate_state(
        actor=user, certificate=certificate, state=payload.state, date=payload.date
    )
    return _out(certificate_id)


@router.post(
    "/certificates/{id:certificate_id}/reissue",
    auth=AUTH,
    response=CertificateOut,
    summary="A new original of a lost certificate (C19); answers the new certificate",
)
def reissue(request: HttpRequest, certificate_id: int, payload: ReasonIn) -> dict[str, Any]:
    user = caller(request)
    certificate = selectors.get_certificate_for_tracking(user, certificate_id)
    new = services.reissue_certificate(actor=user, certificate=certificate, reason=payload.reason)
    return _out(new.pk)


@router.post(
    "/certificates/{id:certificate_id}/revoke",
    auth=AUTH,
    response=CertificateOut,
    summary="Revoke a certificate with a reason (C19)",
)
def revoke(request: HttpRequest, certificate_id: int, payload: ReasonIn) -> dict[str, Any]:
    user = caller(request)
    certificate = selectors.get_certificate_for_tracking(user, certificate_id)
    services.revoke_certificate(actor=user, certificate=certificate, reason=payload.reason)
    return _out(certificate_id)


@router.post(
    "/certificate-batches/{id:batch_id}/state",
    auth=AUTH,
    response=list[CertificateOut],
    summary="Move every certificate of a print batch on (C19); answers those moved",
)
def set_batch_state(
    request: HttpRequest, batch_id: int, payload: CertificateStateIn
) -> list[dict[str, Any]]:
    user = caller(request)
    batch = selectors.get_batch_for_user(user, batch_id)
    moved = services.set_batch_state(
        actor=user, batch=batch, state=payload.state, date=payload.date
    )
    return [_out(certificate.pk) for certificate in moved]


@router.get(
    "/certificate-batches/{id:batch_id}.pdf",
    auth=AUTH,
    summary="Every original of a print batch in one PDF, to print (C19)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The batch",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def batch_pdf(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = selectors.get_batch_for_user(caller(request), batch_id)
    pdf = services.batch_pdf(batch=batch)
    if pdf is None:
        raise NotFound(_("The batch has no valid certificate to print."))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kursintyg-sats-{batch_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _read_upload(request: HttpRequest) -> tuple[bytes, str, str | None, str | None]:
    """The PDF of a multipart upload (field `file`, optional `version` and `region_id`) or of a
    raw body, refused over the size limit before it is read whole."""
    limit = services.form_size_limit()
    content_type = request.content_type or ""
    if content_type.startswith("multipart/"):
        upload = request.FILES.get("file") or next(iter(request.FILES.values()), None)
        if upload is None:
            raise ValidationFailed({"file": [_("Attach the PDF as the field `file`.")]})
        services.check_form_size(upload.size)
        return (
            upload.read(),
            upload.name or "",
            request.POST.get("version") or None,
            request.POST.get("region_id") or None,
        )
    if hasattr(request, "_body"):
        data = request.body
    else:
        # Read the stream ourselves: the official forms can be larger than Django's limit for
        # request bodies held in memory (DATA_UPLOAD_MAX_MEMORY_SIZE).
        data = request.read(limit + 1)
    services.check_form_size(len(data))
    if not data:
        raise ValidationFailed({"file": [_("Send the PDF as the request body or as `file`.")]})
    return data, "", None, None


def _upload_region(user: Any, region_id: str | int | None) -> Region | None:
    """The region a form is uploaded for: the one named; without one, a superuser's upload is
    the installation's and a person who may upload for one region only uploads for it."""
    if region_id in (None, ""):
        if permissions.may_upload_installation_form(user):
            return None
        allowed = permissions.form_upload_region_ids(user)
        if len(allowed) == 1:
            return Region.objects.get(pk=next(iter(allowed)))
        raise ValidationFailed({"region_id": [_("Say which region the form is for.")]})
    try:
        number = int(region_id)
    except (TypeError, ValueError):
        raise ValidationFailed({"region_id": [_("Give the region as its id.")]}) from None
    region = Region.objects.filter(pk=number).first() if 0 < number < 2**63 else None
    if region is None:
        raise NotFound()
    return region


@router.post(
    "/certificate-forms",
    auth=AUTH,
    response={201: CertificateFormOut},
    summary="Upload Socialstyrelsen's course-certificate form of a curriculum version (C18a)",
    description=(
        "For the region `region_id` (the caller's staff region; without it, the caller's only "
        "staff region, or the whole installation for a superuser). The upload is checked for "
        "the fields the certificate fills and stripped of actions, links, attached files and "
        "scripts before it is kept."
    ),
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "version": {"type": "string", "enum": ["2015", "2021"]},
                            "region_id": {"type": "integer"},
                        },
                        "required": ["file"],
                    }
                },
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
def upload_form(
    request: HttpRequest, version: str | None = None, region_id: int | None = None
) -> Any:
    user = caller(request)
    if not permissions.may_upload_any_form(user):
        raise PermissionDenied(_("Only course administrators and study directors may do this."))
    data, filename, form_version, form_region = _read_upload(request)
    form = services.upload_certificate_form(
        actor=user,
        pdf_bytes=data,
        region=_upload_region(user, region_id if region_id is not None else form_region),
        version=version or form_version,
        filename=filename,
    )
    return Status(201, certificate_form_out(form))


@router.get(
    "/certificate-forms",
    auth=AUTH,
    response=list[CertificateFormOut],
    summary="The current form of each curriculum version, per region and the installation's (C18a)",
)
def current_forms(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller(request)
    if not permissions.may_list_forms(user):
        raise PermissionDenied(_("Only course administrators and study directors may do this."))
    return [certificate_form_out(form) for form in selectors.current_forms(user)]
