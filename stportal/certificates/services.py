"""Course certificates: every write, and the PDF of one certificate (C18, C18a, C19, C22).

1. `upload_certificate_form` (in `certificates.form_uploads`, re-exported here): staff keep
   Socialstyrelsen's form per curriculum version for their region (a superuser for the
   installation), checked and stripped of everything active on upload (C18a).
2. `issue_certificates`: the certifier issues, for a closed register, one certificate per
   passed participant without one, as one print batch; the trainee is told by e-mail.
3. `set_certificate_state` / `set_batch_state`: issued → printed → signed → handed out or
   posted, with dates, compare-and-swap per certificate (C19).
4. `reissue_certificate` (a new original of a lost one) and `revoke_certificate`, with reasons.
5. `certificate_pdf`: the certificate on the form it was issued on, else the product's own
   rendition; a 2008 trainee gets the transfer sheet (C18).

Issuing locks like the registration services (week, then its courses in id order, then the
course's register). State changes of one certificate are compare-and-swap (STYLE rule 4).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stportal.accounts.models import Role, User
from stportal.attendance.models import CourseRegister
from stportal.certificates import lifecycle, permissions
from stportal.certificates.content import CertificateData
from stportal.certificates.form_uploads import (
    check_form_size,
    current_form,
    forget_form_bytes,
    form_bytes,
    form_size_limit,
    upload_certificate_form,
)
from stportal.certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateState,
)
from stportal.certificates.pdf import FormError, render_certificate, render_own_rendition
from stportal.certificates.permissions import may_issue
from stportal.core import audit
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses.models import Certifier, Course, CourseWeek
from stportal.curricula.models import Goal
from stportal.registrations.models import LineStatus, RegistrationLine
from stportal.registrations.rules import CoreError
from stportal.registrations.services import lock_week

logger = logging.getLogger(__name__)

__all__ = [
    "certificate_data",
    "certificate_pdf",
    "certifier_of",
    "check_form_size",
    "current_form",
    "forget_form_bytes",
    "form_bytes",
    "form_size_limit",
    "issue_certificates",
    "reissue_certificate",
    "render_on_stored_form",
    "revoke_certificate",
    "revoke_certificates_of_corrected_results",
    "set_batch_state",
    "set_certificate_state",
    "upload_certificate_form",
    "valid_certificates",
    "verification_url",
]


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def valid_certificates() -> QuerySet[Certificate]:
    """Certificates that are not revoked: a line holds at most one (C19)."""
    return Certificate.objects.exclude(state=CertificateState.REVOKED)


# --- who certifies (C18) -------------------------------------------------------------------


def _leaders(course: Course) -> list[User]:
    return sorted(course.leaders.all(), key=lambda u: (u.last_name, u.first_name, u.pk))


def _regional_study_directors(region_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.REGIONAL_STUDY_DIRECTOR,
            role_assignments__region_id=region_id,
        )
        .distinct()
        .order_by("pk")
    )


def certifier_of(course: Course, actor: User | None, week: CourseWeek | None = None) -> User:
    """The person whose name goes in the certifier's block (C18): the issuing person when they
    may certify, else by the week's setting the course's first leader or the region's regional
    study director."""
    week = week or course.week
    if actor is not None and may_issue(actor, course, week):
        return actor
    if week.certifier == Certifier.COURSE_LEADER:
        leaders = _leaders(course)
        if leaders:
            return leaders[0]
    directors = _regional_study_directors(week.series.region_id)
    if directors:
        return directors[0]
    raise ServiceError(
        "no_certifier", _("Nobody holds the role that certifies this course's certificates.")
    )


# --- what a certificate says (C18) -----------------------------------------------------------


def _place(week: CourseWeek) -> str:
    """The town of "Ort och datum": the last part of the week's place ("…(NUS), Umeå")."""
    for text in (week.place, week.host_site, week.series.host_site):
        if text and text.strip():
            return text.rsplit(",", 1)[-1].strip()
    return week.series.region.name


def _workplace(week: CourseWeek) -> str:
    """The certifier's "Tjänsteställe": the host site and the region."""
    host = (week.host_site or week.series.host_site or "").strip()
    region = week.series.region.name
    return f"{host}, {region}" if host else region


def _certifier_specialty(certifier: User) -> str:
    """The certifier's specialty for the form's "Specialitet" box, "" for none (C18)."""
    specialty = certifier.specialist_in
    return specialty.name if specialty is not None else ""


def certifier_block(
    course: Course, week: CourseWeek, certifier: User, issued_on: dt.date
) -> dict[str, Any]:
    return {
        # Both settings of C18 tick the box "Kursledare" (the course's certifier).
        "certifier_role": "kursledare",
        "certifier_name": certifier.display_name,
        # "Specialitet" (if the certifier is a specialist): set on the person in the admin.
        "certifier_specialty": _certifier_specialty(certifier),
        "certifier_workplace": _workplace(week),
        "certifier_personal_id": "",
        "place_and_date": f"{_place(week)} {issued_on.isoformat()}",
    }


def _goal_codes(line: RegistrationLine, course: Course, version: str) -> list[str]:
    """The goals the course covers in the trainee's curriculum version (C18): general goals
    and the trainee's own specialty's goals. 2008 goals are the course's free text."""
    if version == "2008":
        return [code.strip() for code in course.goals_2008_text.split(",") if code.strip()]
    specialty_id = line.registration.trainee.specialty_id
    goals = [
        goal
        for goal in course.goals.all()
        if goal.version.code == version and goal.specialty_id in (None, specialty_id)
    ]
    return [goal.code for goal in sorted(goals, key=lambda g: (g.position, g.code, g.pk))]


def _content(
    line: RegistrationLine,
    course: Course,
    week: CourseWeek,
    days: list[dt.date],
    certifier: User,
    issued_on: dt.date,
) -> dict[str, Any]:
    registration = line.registration
    trainee = registration.trainee
    user = trainee.user
    version = registration.curriculum_version.code
    first_day = days[0] if days else week.start_date
    last_day = days[-1] if days else week.end_date
    leaders = ", ".join(leader.display_name for leader in _leaders(course))
    return {
        "curriculum_version": version,
        "bilaga_nr": "",  # the applicant numbers the attachments (Appendix B)
        "last_name": user.last_name or user.display_name,
        "first_name": user.first_name,
        "personal_id": trainee.personal_id,
        "specialty": trainee.specialty.name,
        "goal_codes": _goal_codes(line, course, version),
        "subject": course.title,
        "period_start": first_day.isoformat(),
        "period_end": last_day.isoformat(),
        "course_leader": leaders,
        "description": course.description,
        "issued_on": issued_on.isoformat(),
        **certifier_block(course, week, certifier, issued_on),
    }


def verification_url(code: str) -> str:
    """Where anyone checks a certificate (C19): the public page of its code."""
    return settings.SITE_URL.rstrip("/") + reverse("certificates:verify", args=[code])


def certificate_data(certificate: Certificate) -> CertificateData:
    """The certificate's fixed content as the renderers' input."""
    content = certificate.content
    return CertificateData(
        curriculum_version=certificate.version,  # type: ignore[arg-type]
        bilaga_nr=str(content.get("bilaga_nr", "")),
        last_name=str(content["last_name"]),
        first_name=str(content["first_name"]),
        personal_id=str(content["personal_id"]),
        specialty=str(content["specialty"]),
        goal_codes=tuple(str(code) for code in content["goal_codes"]),
        subject=str(content["subject"]),
        period_start=dt.date.fromisoformat(content["period_start"]),
        period_end=dt.date.fromisoformat(content["period_end"]),
        course_leader=str(content["course_leader"]),
        description=str(content["description"]),
        certifier_role=content["certifier_role"],
        certifier_name=str(content["certifier_name"]),
        certifier_specialty=str(content.get("certifier_specialty", "")),
        certifier_workplace=str(content["certifier_workplace"]),
        place_and_date=str(content["place_and_date"]),
        certifier_personal_id=str(content.get("certifier_personal_id", "")),
        verification_code=certificate.verification_code,
        verification_url=verification_url(certificate.verification_code),
    )


def render_on_stored_form(data: CertificateData, *, form_id: int | None, copy: bool) -> bytes:
    """`data` as PDF on the stored form `form_id` (C18a), filled and flattened; without a
    form, the product's own rendition (which says it is not the official form); a 2008
    trainee's is the transfer sheet. `copy` marks it as a copy. For every certificate drawn
    on Socialstyrelsen's course form, ST-day certificates included."""
    form = form_bytes(form_id)
    try:
        return render_certificate(data, form_pdf_bytes=form, copy=copy)
    except FormError:
        # Checked on upload, so this is a broken upload: the certificate still prints.
        logger.exception("The certificate form %s could not be filled", form_id)
        return render_own_rendition(data, copy=copy)


def certificate_pdf(*, certificate: Certificate, copy: bool) -> bytes:
    """The certificate as PDF (C18, C18a, C19): on the form it was issued on, whatever forms
    were uploaded since (see `render_on_stored_form`). `copy` marks it as a copy."""
    return render_on_stored_form(
        certificate_data(certificate), form_id=certificate.form_id, copy=copy
    )


# --- issuing (C18, C19) ----------------------------------------------------------------------


def _certificate_event(
    actor: User | None,
    certificate: Certificate,
    action: str,
    before: dict[str, Any] | None,
    reason: str = "",
) -> AuditEvent:
    return audit.event(
        actor=actor,
        action=action,
        object_type="certificates.certificate",
        object_id=certificate.pk,
        object_repr=f"{certificate.line_id} {certificate.verification_code}",
        before=before,
        after=_state_snapshot(certificate),
        reason=reason,
    )


def _state_snapshot(certificate: Certificate) -> dict[str, Any]:
    return audit.jsonable(
        {
            "state": certificate.state,
            "line_id": certificate.line_id,
            "batch_id": certificate.batch_id,
            "verification_code": certificate.verification_code,
            "printed_on": certificate.printed_on,
            "signed_on": certificate.signed_on,
            "handed_out_on": certificate.handed_out_on,
            "posted_on": certificate.posted_on,
            "revoked_at": certificate.revoked_at,
            "reissue_of": certificate.reissue_of_id,
        }
    )


def issue_certificates(
    *, actor: User | None, course: Course, now: dt.datetime | None = None
) -> list[Certificate]:
    """Issue the course certificates of a closed register in one action (C18, C19).

    1. The certifier only (the region's regional study director; the course leader where the
       week says so): 403 otherwise. The register must be closed (409 `register_not_closed`).
    2. One certificate per passed participant without a valid one, as one print batch; an
       empty list (and no batch) when every passed participant has one. A participant whose
       only certificates are revoked (revoked in error, or a result corrected and corrected
       back) gets a new certificate with a new code. A unique constraint backs "one valid
       certificate per line" under any concurrency.
    3. The content is fixed now, in the trainee's curriculum version; the trainee is told by
       e-mail after commit (C22).
    """
    from stportal.certificates.notify import notify_certificates_issued

    now = _now(now)
    with transaction.atomic():
        week_id = Course.objects.filter(pk=course.pk).values_list("week_id", flat=True).first()
        if week_id is None:
            raise NotFound()
        week, courses = lock_week(week_id)
        course = courses[course.pk]
        permissions.check_may_issue(actor, course, week)
        register = CourseRegister.objects.select_for_update().filter(course=course).first()
        if register is None or not register.is_closed:
            raise ServiceError(
                "register_not_closed",
                _("Certificates are issued once the course's register is closed."),
            )
        lines = list(
            RegistrationLine.objects.filter(course=course, status=LineStatus.PASSED)
            .annotate(has_certificate=Exists(valid_certificates().filter(line=OuterRef("pk"))))
            .filter(has_certificate=False)
            .select_related(
                "registration__trainee__user",
                "registration__trainee__specialty",
                "registration__curriculum_version",
            )
            .order_by(
                "registration__trainee__user__last_name",
                "registration__trainee__user__first_name",
                "id",
            )
        )
        if not lines:
            return []
        course = (
            Course.objects.prefetch_related(
                Prefetch("goals", queryset=Goal.objects.select_related("version")),
                "leaders",
            )
            .select_related("week__series__region")
            .get(pk=course.pk)
        )
        week = course.week
        days = sorted(course.days.values_list("date", flat=True))
        certifier = certifier_of(course, actor, week)
        issued_on = local_date(now)
        # C18a: the region's current form of each version, else the installation's; the
        # certificate keeps it for good.
        forms = {
            version: current_form(version, week.series.region_id) for version in ("2015", "2021")
        }
        batch = CertificateBatch.objects.create(course=course, created_at=now, created_by=actor)
        certificates = Certificate.objects.bulk_create(
            [
                Certificate(
                    line=line,
                    batch=batch,
                    version=line.registration.curriculum_version.code,
                    form=forms.get(line.registration.curriculum_version.code),
                    verification_code=lifecycle.new_verification_code(),
                    content=_content(line, course, week, days, certifier, issued_on),
                    state=CertificateState.ISSUED,
                    issued_at=now,
                    issued_by=actor,
                )
                for line in lines
            ]
        )
        if any(certificate.pk is None for certificate in certificates):
            # Backends that do not return ids from bulk inserts: read them back.
            by_line = dict(Certificate.objects.filter(batch=batch).values_list("line_id", "pk"))
            for certificate in certificates:
                certificate.pk = by_line[certificate.line_id]
        audit.record(
            actor=actor,
            action="certificate_batch.issued",
            obj=batch,
            after={
                "course_id": course.pk,
                "certificates": [c.pk for c in certificates],
                "certifier": certifier.pk,
            },
        )
        audit.record_many(
            [_certificate_event(actor, c, "certificate.issued", None) for c in certificates]
        )
        for certificate, line in zip(certificates, lines, strict=True):
            line.course = course
            certificate.line = line
        notify_certificates_issued(certificates)
    return certificates


# --- tracking, revoking, reissuing (C19) --------------------------------------------------------


def _course_and_week(certificate: Certificate) -> tuple[Course, CourseWeek]:
    course = Course.objects.select_related("week__series").get(pk=certificate.line.course_id)
    return course, course.week


def _check_may_track(actor: User | None, certificate: Certificate) -> tuple[Course, CourseWeek]:
    """Refuse, as `certificates.permissions` says, anyone who may not track the certificate:
    403 to its own trainee, 404 to everyone else (another region's staff among them)."""
    course, week = _course_and_week(certificate)
    permissions.check_may_track(actor, certificate, course, week)
    return course, week


def _swap(certificate: Certificate, expected: str, **changes: Any) -> Certificate:
    """Compare-and-swap on the certificate's state (STYLE rule 4)."""
    updated = Certificate.objects.filter(pk=certificate.pk, state=expected).update(**changes)
    if updated != 1:
        raise ServiceError(
            "conflict", _("The certificate was changed by someone else. Reload and try again.")
        )
    for name, value in changes.items():
        setattr(certificate, name, value)
    return certificate


def set_certificate_state(
    *,
    actor: User | None,
    certificate: Certificate,
    state: str,
    date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Certificate:
    """Move one certificate on: issued → printed → signed → handed_out | posted, with the date
    (today unless given, never ahead) (C19). Staff or the certifier; 409 for a change the
    order does not allow."""
    now = _now(now)
    on = date or local_date(now)
    with transaction.atomic():
        certificate = Certificate.objects.select_related("line").get(pk=certificate.pk)
        _check_may_track(actor, certificate)
        current = certificate.state
        try:
            lifecycle.check_move(current, state, on=on, today=local_date(now))
        except CoreError as exc:
            if exc.code == "invalid_state":
                raise ValidationFailed(
                    {"state": [_("Choose printed, signed, handed_out or posted.")]}
                ) from exc
            if exc.code == "date_in_future":
                raise ValidationFailed({"date": [_("The date has not come yet.")]}) from exc
            raise ServiceError(
                exc.code,
                _("A certificate that is %(current)s cannot be marked %(state)s.")
                % {
                    "current": CertificateState(current).label,
                    "state": CertificateState(state).label,
                },
            ) from exc
        before = _state_snapshot(certificate)
        _swap(certificate, current, state=state, **{lifecycle.DATE_FIELDS[state]: on})
        _certificate_event(actor, certificate, f"certificate.{state}", before).save()
    return certificate


def set_batch_state(
    *,
    actor: User | None,
    batch: CertificateBatch,
    state: str,
    date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[Certificate]:
    """Move every certificate of a print batch that stands in the state before `state` (C19:
    tracked per certificate and per batch). Revoked certificates and those already further on
    are left as they are; 409 when none can move."""
    now = _now(now)
    on = date or local_date(now)
    if state not in lifecycle.TRACKED:
        raise ValidationFailed({"state": [_("Choose printed, signed, handed_out or posted.")]})
    if on > local_date(now):
        raise ValidationFailed({"date": [_("The date has not come yet.")]})
    predecessor = lifecycle.predecessor(state)
    with transaction.atomic():
        batch = CertificateBatch.objects.select_related("course__week__series").get(pk=batch.pk)
        permissions.check_may_track_batch(actor, batch)
        movable = list(
            Certificate.objects.select_for_update().filter(batch=batch, state=predecessor)
        )
        if not movable:
            raise ServiceError(
                "invalid_transition",
                _("No certificate of this batch can move to that state now."),
            )
        events = []
        for certificate in movable:
            before = _state_snapshot(certificate)
            _swap(certificate, str(predecessor), state=state, **{lifecycle.DATE_FIELDS[state]: on})
            events.append(_certificate_event(actor, certificate, f"certificate.{state}", before))
        audit.record_many(events)
        audit.record(
            actor=actor,
            action=f"certificate_batch.{state}",
            obj=batch,
            after={"certificates": [c.pk for c in movable], "date": on},
        )
    return movable


def revoke_certificate(
    *,
    actor: User | None,
    certificate: Certificate,
    reason: str,
    now: dt.datetime | None = None,
) -> Certificate:
    """Revoke a certificate with a reason (C19); the public page then says so. Staff or the
    certifier."""
    if not reason.strip():
        raise ValidationFailed({"reason": [_("Write why the certificate is revoked.")]})
    now = _now(now)
    with transaction.atomic():
        certificate = Certificate.objects.select_related("line").get(pk=certificate.pk)
        _check_may_track(actor, certificate)
        if not lifecycle.can_revoke(certificate.state):
            raise ServiceError("already_revoked", _("The certificate is already revoked."))
        before = _state_snapshot(certificate)
        _swap(
            certificate,
            certificate.state,
            state=CertificateState.REVOKED,
            revoked_at=now,
            revoked_by=actor,
            revoke_reason=reason.strip(),
        )
        _certificate_event(
            actor, certificate, "certificate.revoked", before, reason=reason.strip()
        ).save()
    return certificate


def _corrected_reason(status: str, reason: str) -> str:
    # Kept on the row for the audit trail, in Swedish like `_replaced_reason`.
    with translation.override("sv"):
        label = LineStatus(status).label if status in LineStatus.values else status
        if reason:
            return _(
                "The result was corrected to %(status)s after the register was reopened: %(reason)s"
            ) % {"status": label, "reason": reason}
        return _("The result was corrected to %(status)s after the register was reopened.") % {
            "status": label
        }


def revoke_certificates_of_corrected_results(
    *,
    actor: User | None,
    course: Course,
    reason: str = "",
    now: dt.datetime | None = None,
) -> list[Certificate]:
    """C19 with C17: a certificate stands only while its result stands. Every valid
    certificate of the course whose line is no longer passed (the register was reopened and
    the result corrected to not passed, incomplete or a no-show) is revoked, with the new
    result and the reopening's reason; the public verification then says revoked.

    Part of closing the register: `attendance.services.close_register` calls it inside its
    transaction, under its locks, after the permission check for closing.
    """
    now = _now(now)
    revoked: list[Certificate] = []
    with transaction.atomic():
        certificates = list(
            valid_certificates()
            .select_for_update(of=("self",))
            .filter(line__course=course)
            .exclude(line__status=LineStatus.PASSED)
            .select_related("line")
            .order_by("id")
        )
        events = []
        for certificate in certificates:
            before = _state_snapshot(certificate)
            text = _corrected_reason(certificate.line.status, reason.strip())
            _swap(
                certificate,
                certificate.state,
                state=CertificateState.REVOKED,
                revoked_at=now,
                revoked_by=actor,
                revoke_reason=text,
            )
            events.append(
                _certificate_event(actor, certificate, "certificate.revoked", before, reason=text)
            )
            revoked.append(certificate)
        AuditEvent.objects.bulk_create(events)
    return revoked


def _replaced_reason(reason: str) -> str:
    # Kept on the row for the audit trail, in Swedish like the registration engine's texts.
    with translation.override("sv"):
        return _("Replaced by a new original: %(reason)s") % {"reason": reason}


def reissue_certificate(
    *,
    actor: User | None,
    certificate: Certificate,
    reason: str,
    now: dt.datetime | None = None,
) -> Certificate:
    """A new original of the same certificate, for a lost one (C19): the same content with the
    certifier's block and date of the new signature, a new verification code, and back in
    the issued state for a new print and signature. The lost original is revoked, so only one
    original is ever valid. Logged. Staff or the certifier."""
    if not reason.strip():
        raise ValidationFailed({"reason": [_("Write why a new original is needed.")]})
    now = _now(now)
    with transaction.atomic():
        certificate = Certificate.objects.select_related("line").get(pk=certificate.pk)
        course, week = _check_may_track(actor, certificate)
        if not lifecycle.can_revoke(certificate.state):
            raise ServiceError(
                "already_revoked", _("A revoked certificate cannot be issued again.")
            )
        before = _state_snapshot(certificate)
        _swap(
            certificate,
            certificate.state,
            state=CertificateState.REVOKED,
            revoked_at=now,
            revoked_by=actor,
            revoke_reason=_replaced_reason(reason.strip()),
        )
        _certificate_event(
            actor, certificate, "certificate.revoked", before, reason=certificate.revoke_reason
        ).save()
        certifier = certifier_of(course, actor, week)
        content = {
            **certificate.content,
            **certifier_block(course, week, certifier, local_date(now)),
            "issued_on": local_date(now).isoformat(),
        }
        new = Certificate.objects.create(
            line=certificate.line,
            batch=certificate.batch,
            version=certificate.version,
            form_id=certificate.form_id,  # the same certificate, on the same form (C18a)
            verification_code=lifecycle.new_verification_code(),
            content=content,
            state=CertificateState.ISSUED,
            issued_at=now,
            issued_by=actor,
            reissue_of=certificate,
            reissue_reason=reason.strip(),
        )
        _certificate_event(actor, new, "certificate.reissued", None, reason=reason.strip()).save()
    return new


def render_batch(certificates: Iterable[Certificate], *, copy: bool = False) -> list[bytes]:
    """Every certificate of a print batch as PDF, each form parsed once (C19)."""
    from stportal.certificates.pdf import RenderItem, render_many

    forms: dict[int | None, bytes | None] = {}
    items = []
    for certificate in certificates:
        # Each certificate on the form it was issued on (C18a), each form read once.
        if certificate.form_id not in forms:
            forms[certificate.form_id] = form_bytes(certificate.form_id)
        items.append(
            RenderItem(
                data=certificate_data(certificate),
                form_pdf_bytes=forms[certificate.form_id],
                copy=copy,
            )
        )
    return render_many(items)


def batch_pdf(*, batch: CertificateBatch) -> bytes | None:
    """C19: every valid original of a print batch in one PDF to print; None when none is."""
    import io

    from pypdf import PdfReader, PdfWriter

    from stportal.certificates import selectors

    certificates = (
        selectors.certificates_of_course(batch.course)
        .filter(batch=batch)
        .exclude(state=CertificateState.REVOKED)
    )
    pdfs = render_batch(certificates)
    if not pdfs:
        return None
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
