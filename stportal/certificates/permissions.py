"""Who may do what with course certificates and Socialstyrelsen's forms (C18, C18a, C19;
SPEC 2; security review findings 4 and 9). The admin, the pages, the API, the selectors and the
services all ask here; the services refuse on their own too, so no entry point can skip a
check. `None` as the user is the system (commands, the demo), which may do everything.

- Issuing: the regional study director of the course week's region; where the week says so,
  the course's own leader too (C18).
- Tracking (states, new originals, revoking, print batches, the originals): staff of the
  week's region and the certifier (C19).
- Reading: those who track get the original; the trainee it is about gets a copy.
- A new original of a lost certificate (C19, seed 000): the trainee it is about asks for one
  for a certificate that is still valid; those who track the certificate see the open requests
  of their courses and reissue or decline them.
- A region's form: a superuser, or staff of that region (course admin or regional study
  director there). The installation's form, used by every region without its own: a
  superuser only. Listing: superusers see every form; staff see their own regions' forms and
  the installation's (which their certificates fall back on).

A certificate or print batch outside the caller's reach answers like an unknown one, 404
(whether a person holds a certificate is private); the certificate's own trainee, who may read
it, is refused with 403. A course is public in the catalogue: a person of the course's region
who may not issue gets 403, staff of another region 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from stportal.accounts.models import Region, Role, RoleAssignment, User
from stportal.certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateForm,
    CertificateState,
    ReplacementRequest,
)
from stportal.core.errors import NotFound, PermissionDenied, ServiceError
from stportal.core.permissions import staff_region_ids
from stportal.courses.models import Certifier, Course, CourseWeek


def _active(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _is_superuser(user: User | None) -> bool:
    return _active(user) and bool(user.is_superuser)  # type: ignore[union-attr]


def form_upload_region_ids(user: User | None) -> frozenset[int]:
    """The regions whose forms this person may upload (every region for a superuser)."""
    if _is_superuser(user):
        return frozenset(Region.objects.values_list("pk", flat=True))
    if not _active(user):
        return frozenset()
    return staff_region_ids(user)


def may_upload_form(user: User | None, region: Region | int | None) -> bool:
    """May `user` upload (and so replace) the form of `region`, None being the installation?
    A `user` of None is the system itself (commands, the demo)."""
    if user is None:
        return True
    if _is_superuser(user):
        return True
    if region is None or not _active(user):
        return False
    region_id = region if isinstance(region, int) else region.pk
    return region_id in staff_region_ids(user)


def may_upload_installation_form(user: User | None) -> bool:
    return may_upload_form(user, None)


def may_upload_any_form(user: User | None) -> bool:
    """Whether the forms page and the upload endpoint are open to this person at all."""
    return _is_superuser(user) or bool(form_upload_region_ids(user))


def may_list_forms(user: User | None) -> bool:
    return may_upload_any_form(user)


def forms_visible_to(user: User | None) -> QuerySet[CertificateForm]:
    """The stored forms this person may see (without their PDF bytes)."""
    forms = CertificateForm.objects.defer("pdf")
    if _is_superuser(user):
        return forms
    if not _active(user):
        return forms.none()
    regions = staff_region_ids(user)
    if not regions:
        return forms.none()
    return forms.filter(Q(region__in=regions) | Q(region__isnull=True))


# --- issuing and tracking certificates (C18, C19) ----------------------------------------------


def is_regional_study_director(user: User | None, region_id: int) -> bool:
    """The certifier of a region by default (C18)."""
    if not _active(user):
        return False
    return RoleAssignment.objects.filter(
        user=user, role=Role.REGIONAL_STUDY_DIRECTOR, region_id=region_id
    ).exists()


def _leads(user: User, course: Course) -> bool:
    return any(leader.pk == user.pk for leader in course.leaders.all())


def may_issue(user: User | None, course: Course, week: CourseWeek | None = None) -> bool:
    """C18: the regional study director of the week's region issues; where the week says so,
    the course's own leader does too."""
    if user is None:
        return True
    week = week or course.week
    if is_regional_study_director(user, week.series.region_id):
        return True
    return _active(user) and week.certifier == Certifier.COURSE_LEADER and _leads(user, course)


def may_track(user: User | None, course: Course, week: CourseWeek | None = None) -> bool:
    """Staff of the week's region track printing, signing and handing out, issue new
    originals, revoke, and read the originals (C19); so does the certifier."""
    if user is None:
        return True
    week = week or course.week
    return week.series.region_id in staff_region_ids(user) or may_issue(user, course, week)


def may_see_course_certificates(user: User | None, course: Course) -> bool:
    """A course's certificates and print batches: those who track them."""
    return may_track(user, course)


def trackable_courses(user: User) -> QuerySet[Course]:
    """The ids of the courses (not removed) whose certificates the person tracks, as a
    subquery: what `may_track` says, for many courses at once."""
    return Course.objects.filter(
        Q(week__series__region_id__in=staff_region_ids(user))
        | Q(leaders=user, week__certifier=Certifier.COURSE_LEADER),
        removed_at__isnull=True,
    ).values("pk")


def may_use_batches(user: User | None) -> bool:
    """Whether the print-batch pages are open to this person at all: staff anywhere, or the
    leader of a course whose week has its leaders certify."""
    if not _active(user):
        return False
    return (
        bool(staff_region_ids(user))
        or Course.objects.filter(leaders=user, week__certifier=Certifier.COURSE_LEADER).exists()
    )


def is_own_certificate(user: User | None, certificate: Certificate) -> bool:
    """The certificate is about this person (a trainee reads a copy of it)."""
    return (
        _active(user) and certificate.line.registration.trainee.user_id == user.pk  # type: ignore[union-attr]
    )


def reads_a_copy(user: User | None, certificate: Certificate) -> bool:
    """How the person reads the certificate: False for the original (those who track it),
    True for a copy (its trainee). Anyone else is refused: 404."""
    course = certificate.line.course
    if may_track(user, course, course.week):
        return False
    if is_own_certificate(user, certificate):
        return True
    raise NotFound()


# --- refusals the services raise on their own -----------------------------------------------


def issue_refusal(
    user: User | None, course: Course, week: CourseWeek | None = None
) -> ServiceError:
    """What to answer someone who may not issue: 404 to staff of other regions only (the
    course is not theirs to know), 403 to everyone else."""
    week = week or course.week
    regions = staff_region_ids(user)
    if regions and week.series.region_id not in regions:
        return NotFound()
    return PermissionDenied(_("Only the certifier of this course may issue certificates."))


def check_may_issue(actor: User | None, course: Course, week: CourseWeek | None = None) -> None:
    if not may_issue(actor, course, week):
        raise issue_refusal(actor, course, week)


def check_may_track(
    actor: User | None, certificate: Certificate, course: Course, week: CourseWeek
) -> None:
    """Refuse anyone who may not move, reissue or revoke the certificate: 403 to its own
    trainee (they may read it), 404 to everyone else."""
    if may_track(actor, course, week):
        return
    if is_own_certificate(actor, certificate):
        raise PermissionDenied()
    raise NotFound()


def check_may_track_batch(actor: User | None, batch: CertificateBatch) -> None:
    """A print batch is private to those who track its course's certificates: 404."""
    if not may_track(actor, batch.course, batch.course.week):
        raise NotFound()


# --- requests for a new original of a lost certificate (C19) ---------------------------------


def may_request_replacement(user: User | None, certificate: Certificate) -> bool:
    """The trainee a valid certificate is about may ask for a new original of it."""
    return is_own_certificate(user, certificate) and certificate.state != CertificateState.REVOKED


def check_may_request_replacement(user: User | None, certificate: Certificate) -> None:
    """Someone else's certificate answers like an unknown one, 404; the trainee's own revoked
    certificate 409 (a valid one may have replaced it)."""
    if not is_own_certificate(user, certificate):
        raise NotFound()
    if certificate.state == CertificateState.REVOKED:
        raise ServiceError(
            "already_revoked",
            _("This certificate is no longer valid: ask for a new original of the valid one."),
        )


def may_handle_replacement(user: User | None, request: ReplacementRequest) -> bool:
    """Those who track the certificate reissue or decline a request for a new original."""
    course = request.certificate.line.course
    return may_track(user, course, course.week)


def check_may_handle_replacement(user: User | None, request: ReplacementRequest) -> None:
    """The trainee who asked gets 403 (they see their request); anyone else 404."""
    if may_handle_replacement(user, request):
        return
    if _active(user) and request.trainee.user_id == user.pk:  # type: ignore[union-attr]
        raise PermissionDenied()
    raise NotFound()


def replacement_requests_visible_to(user: User | None) -> QuerySet[ReplacementRequest]:
    """The requests this person handles: those of the courses whose certificates they track."""
    if user is None:
        return ReplacementRequest.objects.all()
    if not _active(user):
        return ReplacementRequest.objects.none()
    return ReplacementRequest.objects.filter(certificate__line__course__in=trackable_courses(user))
