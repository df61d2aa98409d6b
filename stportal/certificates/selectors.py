"""Reads of course certificates with permission and business meaning (C18, C19; STYLE rule 6).

Who reads a certificate is decided in `certificates.permissions`: staff of the course week's
region and the certifier get the original; the trainee it is about gets a copy, marked as a
copy; anyone else gets 404 (whether a person holds a certificate is private). The public
verification answers only valid / revoked, the trainee's name, the course and the date (C19).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from stportal.accounts.models import Region, User
from stportal.attendance import selectors as attendance_selectors
from stportal.certificates import lifecycle, permissions
from stportal.certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateForm,
    CertificateState,
    FormVersion,
    ReplacementOutcome,
    ReplacementRequest,
)
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, PermissionDenied
from stportal.courses.models import Course


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related(
        "line__registration__trainee__user",
        "line__course__week__series",
        "batch",
        "reissue_of",
    )


@dataclass(frozen=True)
class CertificateAccess:
    certificate: Certificate
    copy: bool  # the trainee's own copy (C19); staff and the certifier get the original


def get_certificate_for_user(user: User, certificate_id: int) -> CertificateAccess:
    """The certificate if the caller may read it, and whether as a copy."""
    certificate = _certificates().filter(pk=certificate_id).first()
    if certificate is None:
        raise NotFound()
    return CertificateAccess(certificate, copy=permissions.reads_a_copy(user, certificate))


def get_certificate_for_tracking(user: User, certificate_id: int) -> Certificate:
    """A certificate the caller may move on, revoke or reissue, and read the original of:
    staff of the region or the certifier. Its trainee gets 403 (they may read it); anyone
    else 404."""
    certificate = _certificates().filter(pk=certificate_id).first()
    if certificate is None:
        raise NotFound()
    course = certificate.line.course
    permissions.check_may_track(user, certificate, course, course.week)
    return certificate


def get_batch_for_user(user: User, batch_id: int) -> CertificateBatch:
    """A print batch the caller tracks; 404 for anyone else, as for an unknown batch."""
    batch = (
        CertificateBatch.objects.select_related("course__week__series").filter(pk=batch_id).first()
    )
    if batch is None:
        raise NotFound()
    permissions.check_may_track_batch(user, batch)
    return batch


def get_course_for_certificates(user: User, course_id: int) -> Course:
    """A course whose certificates and print batches the caller sees: staff of the region and
    the certifier. A course leader who does not certify and a trainee get 403; staff of
    another region 404 (C18, C19)."""
    course = attendance_selectors.get_course_for_register(user, course_id)
    if not permissions.may_see_course_certificates(user, course):
        raise PermissionDenied(_("Only the course administration and the certifier see this."))
    return course


def certificates_of_trainee_user(user: User) -> QuerySet[Certificate]:
    """The trainee's own certificates, newest first (to download copies)."""
    return _certificates().filter(line__registration__trainee__user=user)


def certificates_of_course(course: Course) -> QuerySet[Certificate]:
    """Every certificate of a course, reissues and revoked ones included, by trainee."""
    return (
        _certificates()
        .filter(line__course=course)
        .order_by(
            "line__registration__trainee__user__last_name",
            "line__registration__trainee__user__first_name",
            "issued_at",
            "id",
        )
    )


@dataclass(frozen=True)
class BatchSummary:
    """A print batch with how many of its certificates stand in each state (C19)."""

    batch: CertificateBatch
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def batches_of_course(course: Course) -> list[BatchSummary]:
    """The course's print batches with a count per state: one query."""
    annotations = {
        f"n_{state}": Count("certificates", filter=Q(certificates__state=state))
        for state in lifecycle.STATES
    }
    batches = (
        CertificateBatch.objects.filter(course=course)
        .select_related("created_by")
        .annotate(**annotations)
        .order_by("-created_at", "-id")
    )
    return [
        BatchSummary(
            batch=batch, counts={state: getattr(batch, f"n_{state}") for state in lifecycle.STATES}
        )
        for batch in batches
    ]


@dataclass(frozen=True)
class Verification:
    """What the public page and API say about a code (C19: nothing more)."""

    valid: bool
    revoked: bool
    trainee_name: str
    course_title: str
    issued_on: dt.date


def verify(code: str) -> Verification | None:
    """The certificate behind a verification code, or None when there is none."""
    normalised = lifecycle.normalise_code(code)
    if not normalised:
        return None
    certificate = (
        Certificate.objects.filter(verification_code=normalised)
        .only("state", "content", "issued_at")
        .first()
    )
    if certificate is None:
        return None
    revoked = certificate.state == CertificateState.REVOKED
    return Verification(
        valid=not revoked,
        revoked=revoked,
        trainee_name=certificate.trainee_name,
        course_title=certificate.course_title,
        issued_on=local_date(certificate.issued_at),
    )


@dataclass(frozen=True)
class FormInUse:
    """Which form certificates of one curriculum version are issued on now (C18a)."""

    version: str
    form: CertificateForm | None  # None: the product's own rendition
    inherited: bool  # the installation's form, the region having none of its own


@dataclass(frozen=True)
class FormScope:
    """A region (None: the whole installation) and its forms in use, one per version."""

    region: Region | None
    rows: tuple[FormInUse, ...]


def forms_in_use(user: User) -> list[FormScope]:
    """For each region whose forms the person may upload (every region for a superuser), and
    for the installation, the form each version is issued on now. Two queries."""
    if not permissions.may_list_forms(user):
        return []
    latest: dict[tuple[int | None, str], CertificateForm] = {}
    for form in (
        permissions.forms_visible_to(user)
        .select_related("uploaded_by")
        .order_by("version", "-uploaded_at", "-id")
    ):
        latest.setdefault((form.region_id, form.version), form)
    regions = Region.objects.filter(pk__in=permissions.form_upload_region_ids(user)).order_by(
        "name", "pk"
    )
    versions = list(FormVersion.values)
    installation = tuple(
        FormInUse(version, latest.get((None, version)), False) for version in versions
    )
    scopes = [FormScope(None, installation)]
    for region in regions:
        rows = []
        for version in versions:
            own = latest.get((region.pk, version))
            fallback = latest.get((None, version))
            rows.append(FormInUse(version, own or fallback, own is None and fallback is not None))
        scopes.append(FormScope(region, tuple(rows)))
    return scopes


def current_forms(user: User) -> list[CertificateForm]:
    """The current form of each version of each region the person may see, and of the
    installation: the forms in use that are not merely inherited."""
    return [
        row.form
        for scope in forms_in_use(user)
        for row in scope.rows
        if row.form is not None and not row.inherited
    ]


# --- requests for a new original of a lost certificate (C19) ---------------------------------


def _replacement_requests() -> QuerySet[ReplacementRequest]:
    return ReplacementRequest.objects.select_related(
        "trainee__user",
        "certificate__line__course__week",
        "created_by",
        "handled_by",
        "new_certificate",
    )


def open_replacement_requests(user: User) -> QuerySet[ReplacementRequest]:
    """The open requests of the courses whose certificates the person tracks, oldest first."""
    return _replacement_requests().filter(
        pk__in=permissions.replacement_requests_visible_to(user).values("pk"),
        outcome=ReplacementOutcome.OPEN,
    )


def handled_replacement_requests(user: User, limit: int = 20) -> list[ReplacementRequest]:
    """The latest handled requests the person may see, newest first."""
    return list(
        _replacement_requests()
        .filter(pk__in=permissions.replacement_requests_visible_to(user).values("pk"))
        .exclude(outcome=ReplacementOutcome.OPEN)
        .order_by("-handled_at", "-id")[:limit]
    )


def get_replacement_request_for_handling(user: User, request_id: int) -> ReplacementRequest:
    """A request the caller may reissue or decline; its trainee 403, anyone else 404."""
    request = _replacement_requests().filter(pk=request_id).first()
    if request is None:
        raise NotFound()
    permissions.check_may_handle_replacement(user, request)
    return request


def latest_requests_of_trainee_user(user: User) -> dict[int, ReplacementRequest]:
    """The trainee's latest request per certificate, by certificate id: one query."""
    latest: dict[int, ReplacementRequest] = {}
    for request in (
        ReplacementRequest.objects.filter(trainee__user=user)
        .select_related("new_certificate")
        .order_by("created_at", "id")
    ):
        latest[request.certificate_id] = request
    return latest
