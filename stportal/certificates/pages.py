"""The logged-in course certificate pages (C18, C18a, C19): a course's certificates and issuing
them in one action, print batches and their states, one certificate (state, new original,
revoke), and the trainee's own certificates with copies to download. The forms page is
`form_pages`, requests for a new original `replacement_pages`, and the public verification
page `views.verify`.

Server-rendered and usable without JavaScript. Views stay thin: reads through the
permission-checking selectors, writes through `certificates.services`. A rule's refusal is shown
on the page, next to its field where it has one, never as a server error; every action ends
with a message saying what happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from stportal.attendance import selectors as attendance_selectors
from stportal.certificates import lifecycle, permissions, selectors, services
from stportal.certificates.models import Certificate, CertificateBatch, CertificateState
from stportal.core import bounds, pages
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, PermissionDenied, ServiceError
from stportal.courses.models import Certifier, Course
from stportal.registrations.models import LineStatus

# --- words ---------------------------------------------------------------------------------

STATE_LABELS = {
    CertificateState.ISSUED: pgettext_lazy("certificate state", "Issued"),
    CertificateState.PRINTED: pgettext_lazy("certificate state", "Printed"),
    CertificateState.SIGNED: pgettext_lazy("certificate state", "Signed"),
    CertificateState.HANDED_OUT: pgettext_lazy("certificate state", "Handed out"),
    CertificateState.POSTED: pgettext_lazy("certificate state", "Posted"),
    CertificateState.REVOKED: pgettext_lazy("certificate state", "Revoked"),
}
# What each state means to the trainee waiting for the signed original (C19).
STATE_HINTS = {
    CertificateState.ISSUED: gettext_lazy("The original is to be printed and signed."),
    CertificateState.PRINTED: gettext_lazy("The original is printed and waits to be signed."),
    CertificateState.SIGNED: gettext_lazy(
        "The original is signed and will be handed out or posted."
    ),
    CertificateState.HANDED_OUT: gettext_lazy("The signed original has been handed out to you."),
    CertificateState.POSTED: gettext_lazy("The signed original has been posted to you."),
    CertificateState.REVOKED: gettext_lazy("This certificate is no longer valid."),
}
STATE_BADGES = {
    CertificateState.ISSUED: "draft",
    CertificateState.PRINTED: "allocated",
    CertificateState.SIGNED: "running",
    CertificateState.HANDED_OUT: "published",
    CertificateState.POSTED: "published",
    CertificateState.REVOKED: "cancelled",
}
# The batch actions, by the state they move to (C19).
MOVE_LABELS = {
    CertificateState.PRINTED: pgettext_lazy("certificate move", "Printed"),
    CertificateState.SIGNED: pgettext_lazy("certificate move", "Signed"),
    CertificateState.HANDED_OUT: pgettext_lazy("certificate move", "Handed out"),
    CertificateState.POSTED: pgettext_lazy("certificate move", "Posted"),
}
VERSION_LABELS = {
    "2008": gettext_lazy("SOSFS 2008:17 (transfer sheet for the 2008 form)"),
    "2015": gettext_lazy("SOSFS 2015:8, bilaga 5"),
    "2021": gettext_lazy("HSLF-FS 2021:8, bilaga 10"),
}


def state_date(certificate: Certificate) -> dt.date | None:
    """The date the certificate reached its current state."""
    if certificate.state == CertificateState.REVOKED:
        return local_date(certificate.revoked_at) if certificate.revoked_at else None
    if certificate.state == CertificateState.ISSUED:
        return local_date(certificate.issued_at)
    return getattr(certificate, lifecycle.DATE_FIELDS[certificate.state])


@dataclass(frozen=True)
class CertificateRow:
    certificate: Certificate
    label: str
    badge: str
    hint: str
    on: dt.date | None

    @property
    def revoked(self) -> bool:
        return self.certificate.state == CertificateState.REVOKED

    def _content_date(self, key: str) -> dt.date | None:
        value = self.certificate.content.get(key)
        try:
            return dt.date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    @property
    def issued_on(self) -> dt.date:
        return local_date(self.certificate.issued_at)

    @property
    def period_start(self) -> dt.date | None:
        return self._content_date("period_start")

    @property
    def period_end(self) -> dt.date | None:
        return self._content_date("period_end")


def certificate_row(certificate: Certificate) -> CertificateRow:
    return CertificateRow(
        certificate=certificate,
        label=str(STATE_LABELS.get(certificate.state, certificate.state)),
        badge=STATE_BADGES.get(certificate.state, "draft"),
        hint=str(STATE_HINTS.get(certificate.state, "")),
        on=state_date(certificate),
    )


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(
        f"{STATE_LABELS[state]}: {counts[state]}" for state in lifecycle.STATES if counts.get(state)
    )


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


# --- forms ---------------------------------------------------------------------------------


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StateForm(forms.Form):
    """C19: the next state of a batch or a certificate, with the date it happened."""

    state = forms.ChoiceField(
        label=gettext_lazy("Mark as"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose what has happened."),
            "invalid_choice": gettext_lazy("Choose what has happened."),
        },
    )
    date = forms.DateField(
        label=gettext_lazy("Date"),
        help_text=gettext_lazy("The day it happened. Today, unless you change it."),
        widget=DATE_WIDGET,
        validators=[bounds.validate_date_in_range],
        error_messages={
            "required": gettext_lazy("Write the date."),
            "invalid": gettext_lazy("Write the date as yyyy-mm-dd."),
        },
    )

    def __init__(self, *args, states: list[str], single: bool = False, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", local_date(timezone.now()))
        if len(states) == 1:
            kwargs["initial"].setdefault("state", states[0])
        super().__init__(*args, **kwargs)
        labels = STATE_LABELS if single else MOVE_LABELS
        self.fields["state"].choices = [(state, labels[state]) for state in states]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- access --------------------------------------------------------------------------------


# Log-in required; the selectors' 403 and 404 become Django's; any other refusal that a
# view did not handle becomes a message on the page, never a server error.
certificate_page = pages.service_page(
    pages.message_and_redirect(lambda request, kwargs: redirect("certificates:batches"))
)


def add_errors(form: forms.Form, exc: ServiceError) -> None:
    """A service's refusal on the form: by its field where the form has one."""
    if exc.fields:
        for name, found in exc.fields.items():
            target = name if name in form.fields else None
            for message in found:
                form.add_error(target, message)
    else:
        form.add_error(None, exc.message)


# --- reads for these pages -----------------------------------------------------------------
# Scoped by `certificates.permissions.trackable_courses`: staff of the course week's region, and
# a course leader who certifies their own course where the week says so (C18).


def _batches_for(user) -> list[selectors.BatchSummary]:
    """Every print batch the person may track, newest first, with a count per state: one
    query."""
    annotations = {
        f"n_{state}": Count("certificates", filter=Q(certificates__state=state))
        for state in lifecycle.STATES
    }
    batches = (
        CertificateBatch.objects.filter(course__in=permissions.trackable_courses(user))
        .select_related("course__week", "created_by")
        .annotate(**annotations)
        .order_by("-created_at", "-id")
    )
    return [
        selectors.BatchSummary(
            batch=batch, counts={state: getattr(batch, f"n_{state}") for state in lifecycle.STATES}
        )
        for batch in batches
    ]


def _courses_to_issue(user) -> QuerySet[Course]:
    """Courses with a closed register and passed participants without a certificate (C19):
    one query."""
    return (
        Course.objects.filter(
            pk__in=permissions.trackable_courses(user), register__closed_at__isnull=False
        )
        .annotate(
            waiting=Count(
                "lines",
                # C19: passed without a valid certificate (never issued, or all revoked).
                filter=Q(lines__status=LineStatus.PASSED)
                & ~Q(lines__pk__in=services.valid_certificates().values("line_id")),
                distinct=True,
            )
        )
        .filter(waiting__gt=0)
        .select_related("week__series")
        .order_by("-week__start_date", "position", "id")
    )


# --- the trainee's own certificates (C19) --------------------------------------------------


@certificate_page
def mine(request: HttpRequest) -> HttpResponse:
    """The trainee's certificates with their state, and a copy of each to download."""
    # With each, the latest request for a new original of it (C19; seed 000).
    latest = selectors.latest_requests_of_trainee_user(request.user)
    rows = [
        (certificate_row(c), latest.get(c.pk))
        for c in selectors.certificates_of_trainee_user(request.user)
    ]
    return render(request, "certificates/mine.html", {"rows": rows})


def _pdf_response(pdf: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _stem(certificate: Certificate) -> str:
    return f"kursintyg-{slugify(certificate.course_title)[:40] or certificate.pk}"


@certificate_page
def copy_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """C19: a copy, marked as a copy in the margin. Someone else's certificate: 404."""
    access = selectors.get_certificate_for_user(request.user, certificate_id)
    pdf = services.certificate_pdf(certificate=access.certificate, copy=True)
    return _pdf_response(pdf, f"{_stem(access.certificate)}-kopia.pdf", attachment=True)


# --- a course's certificates: issue them in one action (C18, C19) ----------------------------


@dataclass(frozen=True)
class PassedRow:
    name: str
    registration_id: int
    status: str
    current: CertificateRow | None
    earlier: list[CertificateRow]


@certificate_page
def course(request: HttpRequest, course_id: int) -> HttpResponse:
    """The course's passed participants with their certificate's state, its print batches,
    and issuing for everyone passed without one."""
    course = selectors.get_course_for_certificates(request.user, course_id)
    register = attendance_selectors.register_view(course)
    by_line: dict[int, list[Certificate]] = {}
    for certificate in selectors.certificates_of_course(course):
        by_line.setdefault(certificate.line_id, []).append(certificate)
    passed = []
    for row in register.participants:
        if row.status != LineStatus.PASSED and row.line.pk not in by_line:
            continue
        found = by_line.get(row.line.pk, [])
        valid = [c for c in found if c.state != CertificateState.REVOKED]
        current = valid[-1] if valid else None
        passed.append(
            PassedRow(
                name=row.name,
                registration_id=row.registration_id,
                status=row.status,
                current=certificate_row(current) if current else None,
                earlier=[certificate_row(c) for c in found if c is not current],
            )
        )
    waiting = sum(1 for row in passed if row.current is None and row.status == LineStatus.PASSED)
    return render(
        request,
        "certificates/course.html",
        {
            "course": course,
            "week": course.week,
            "closed": register.closed,
            "passed": passed,
            "waiting": waiting,
            "incomplete": sum(1 for r in register.participants if r.status == "incomplete"),
            "batches": selectors.batches_of_course(course),
            "may_issue": permissions.may_issue(request.user, course),
            "certifier_is_leader": course.week.certifier == Certifier.COURSE_LEADER,
        },
    )


@certificate_page
@require_POST
def issue(request: HttpRequest, course_id: int) -> HttpResponse:
    """C19: one action issues a certificate for every passed participant without one, as one
    print batch."""
    course = selectors.get_course_for_certificates(request.user, course_id)
    try:
        issued = services.issue_certificates(actor=request.user, course=course)
    except (NotFound, PermissionDenied):
        raise  # 404 and 403 are the page's own answers
    except ServiceError as exc:
        messages.error(request, pages.refusal_text(exc))
        return redirect("certificates:course", course_id=course.pk)
    if not issued:
        messages.info(
            request,
            _("Every passed participant already has a certificate: nothing new was issued."),
        )
        return redirect("certificates:course", course_id=course.pk)
    messages.success(
        request,
        ngettext(
            "%(count)d course certificate is issued for %(course)s as one print batch. The "
            "trainee is told by e-mail. Print the batch, have it signed, and mark it here.",
            "%(count)d course certificates are issued for %(course)s as one print batch. The "
            "trainees are told by e-mail. Print the batch, have it signed, and mark it here.",
            len(issued),
        )
        % {"count": len(issued), "course": course.title},
    )
    return redirect("certificates:batch", batch_id=issued[0].batch_id)


# --- print batches (C19) -------------------------------------------------------------------


@certificate_page
def batches(request: HttpRequest) -> HttpResponse:
    """Courses waiting for certificates, every print batch with its states, and which
    certificate form is in use."""
    if not permissions.may_use_batches(request.user):
        raise PermissionDenied(_("Only the course administration and the certifier see this."))
    summaries = _batches_for(request.user)
    return render(
        request,
        "certificates/batches.html",
        {
            "to_issue": list(_courses_to_issue(request.user)),
            "batches": [(s, _counts_text(s.counts)) for s in summaries],
            "forms": form_rows(request.user),
            "is_staff": permissions.may_upload_any_form(request.user),
            "open_requests": selectors.open_replacement_requests(request.user).count(),
        },
    )


REMOVED_LABELS = {
    "open_action": gettext_lazy("an action on opening"),
    "additional_actions": gettext_lazy("additional actions"),
    "actions": gettext_lazy("actions of buttons and links"),
    "link_annotations": gettext_lazy("links"),
    "file_attachments": gettext_lazy("attached files"),
    "other_annotations": gettext_lazy("comments and other annotations"),
    "embedded_files": gettext_lazy("embedded files"),
    "javascript": gettext_lazy("scripts"),
    "xfa": gettext_lazy("an XFA form"),
    "usage_rights": gettext_lazy("a usage-rights signature"),
}


def _removed_text(form: Any) -> str:
    if form is None or not form.removed:
        return ""
    return ", ".join(str(REMOVED_LABELS.get(code, code)) for code in form.removed)


def form_rows(user: Any) -> list[tuple[str, list[tuple[str, Any, bool, str]]]]:
    """Per region (and the installation) which form each version is issued on now."""
    rows = []
    for scope in selectors.forms_in_use(user):
        name = scope.region.name if scope.region is not None else _("The whole installation")
        rows.append(
            (
                name,
                [
                    (str(VERSION_LABELS[r.version]), r.form, r.inherited, _removed_text(r.form))
                    for r in scope.rows
                ],
            )
        )
    return rows


def _batch_states(certificates: list[Certificate]) -> list[str]:
    """The states some certificate of the batch can move to now (C19), in order."""
    present = {c.state for c in certificates}
    return [state for state in lifecycle.TRACKED if lifecycle.predecessor(state) in present]


def _render_batch(
    request: HttpRequest, batch: CertificateBatch, *, state_form: StateForm | None = None
) -> HttpResponse:
    certificates = list(selectors.certificates_of_course(batch.course).filter(batch=batch))
    states = _batch_states(certificates)
    if state_form is None and states:
        state_form = StateForm(states=states)
    elif state_form is not None and states:
        state_form.fields["state"].choices = [(s, MOVE_LABELS[s]) for s in states]
    counts = {state: 0 for state in lifecycle.STATES}
    for certificate in certificates:
        counts[certificate.state] += 1
    # Each certificate prints on the form it was issued on (C18a).
    without_form = sorted(
        {c.version for c in certificates if c.version in ("2015", "2021") and c.form_id is None}
    )
    return render(
        request,
        "certificates/batch.html",
        {
            "batch": batch,
            "course": batch.course,
            "week": batch.course.week,
            "rows": [certificate_row(c) for c in certificates],
            "counts": [(STATE_LABELS[s], counts[s]) for s in lifecycle.STATES if counts[s]],
            "state_form": state_form,
            "printable": any(c.state != CertificateState.REVOKED for c in certificates),
            "without_form": [VERSION_LABELS[v] for v in without_form],
            "is_staff": permissions.may_upload_any_form(request.user),
        },
    )


@certificate_page
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _render_batch(request, selectors.get_batch_for_user(request.user, batch_id))


@certificate_page
@require_POST
def batch_state(request: HttpRequest, batch_id: int) -> HttpResponse:
    """C19: mark every certificate of the batch that is ready for it printed, signed, handed
    out or posted, with the date."""
    batch = selectors.get_batch_for_user(request.user, batch_id)
    # Every tracked state is accepted here, so that a page gone stale gets the service's
    # answer ("no certificate can move to that state now") rather than a bare "invalid".
    form = StateForm(request.POST, states=list(lifecycle.TRACKED))
    if form.is_valid():
        state = form.cleaned_data["state"]
        try:
            moved = services.set_batch_state(
                actor=request.user, batch=batch, state=state, date=form.cleaned_data["date"]
            )
        except (NotFound, PermissionDenied):
            raise  # 404 and 403 are the page's own answers
        except ServiceError as exc:
            add_errors(form, exc)
        else:
            n = len(moved)
            texts = {
                CertificateState.PRINTED: lambda: ngettext(
                    "%(count)d certificate of the batch is marked printed on %(date)s.",
                    "%(count)d certificates of the batch are marked printed on %(date)s.",
                    n,
                ),
                CertificateState.SIGNED: lambda: ngettext(
                    "%(count)d certificate of the batch is marked signed on %(date)s.",
                    "%(count)d certificates of the batch are marked signed on %(date)s.",
                    n,
                ),
                CertificateState.HANDED_OUT: lambda: ngettext(
                    "%(count)d certificate of the batch is marked handed out on %(date)s.",
                    "%(count)d certificates of the batch are marked handed out on %(date)s.",
                    n,
                ),
                CertificateState.POSTED: lambda: ngettext(
                    "%(count)d certificate of the batch is marked posted on %(date)s.",
                    "%(count)d certificates of the batch are marked posted on %(date)s.",
                    n,
                ),
            }
            messages.success(
                request,
                texts[state]() % {"count": n, "date": _day(form.cleaned_data["date"])},
            )
            return redirect("certificates:batch", batch_id=batch.pk)
    return _render_batch(request, batch, state_form=form)


@certificate_page
def batch_pdf(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Every valid original of the batch in one PDF, to print (the API's
    `/certificate-batches/{id}.pdf`)."""
    batch = selectors.get_batch_for_user(request.user, batch_id)
    pdf = services.batch_pdf(batch=batch)
    if pdf is None:
        raise Http404(_("The batch has no valid certificate to print."))
    return _pdf_response(pdf, f"kursintyg-omgang-{batch.pk}.pdf", attachment=False)


# --- one certificate: state, new original, revoke (C19) --------------------------------------


def _next_states(certificate: Certificate) -> list[str]:
    return sorted(
        lifecycle.FORWARD.get(certificate.state, frozenset()), key=lifecycle.TRACKED.index
    )


def _render_certificate(
    request: HttpRequest,
    certificate: Certificate,
    *,
    state_form: StateForm | None = None,
    reissue_form: ReasonForm | None = None,
    revoke_form: ReasonForm | None = None,
) -> HttpResponse:
    states = _next_states(certificate)
    revoked = certificate.state == CertificateState.REVOKED
    if state_form is None and states:
        state_form = StateForm(states=states, single=True, prefix="state")
    elif state_form is not None and states:
        state_form.fields["state"].choices = [(s, STATE_LABELS[s]) for s in states]
    if not revoked:
        reissue_form = reissue_form or ReasonForm(prefix="reissue")
        revoke_form = revoke_form or ReasonForm(prefix="revoke")
    if reissue_form is not None:
        reissue_form.fields["reason"].label = _("Why is a new original needed?")
        reissue_form.fields["reason"].help_text = _(
            "For example: the original was lost in the post. This certificate is revoked and "
            "a new original with a new verification code is issued, to print and sign again."
        )
    if revoke_form is not None:
        revoke_form.fields["reason"].label = _("Why is the certificate revoked?")
        revoke_form.fields["reason"].help_text = _(
            "The public verification page will say that the certificate is revoked."
        )
    content = certificate.content
    return render(
        request,
        "certificates/certificate.html",
        {
            "certificate": certificate,
            "row": certificate_row(certificate),
            "course": certificate.line.course,
            "week": certificate.line.course.week,
            "version_label": VERSION_LABELS.get(certificate.version, certificate.version),
            "goal_codes": ", ".join(content.get("goal_codes", [])),
            "certifier": content.get("certifier_name", ""),
            "verify_url": reverse("certificates:verify", args=[certificate.verification_code]),
            "reissues": list(certificate.reissues.order_by("issued_at", "id")),
            "state_form": state_form if not revoked else None,
            "reissue_form": reissue_form,
            "revoke_form": revoke_form,
            "history": [
                (STATE_LABELS[state], getattr(certificate, lifecycle.DATE_FIELDS[state]))
                for state in lifecycle.TRACKED
                if getattr(certificate, lifecycle.DATE_FIELDS[state])
            ],
        },
    )


@certificate_page
def certificate(request: HttpRequest, certificate_id: int) -> HttpResponse:
    found = selectors.get_certificate_for_tracking(request.user, certificate_id)
    return _render_certificate(request, found)


@certificate_page
@require_POST
def certificate_state(request: HttpRequest, certificate_id: int) -> HttpResponse:
    found = selectors.get_certificate_for_tracking(request.user, certificate_id)
    form = StateForm(request.POST, states=list(lifecycle.TRACKED), single=True, prefix="state")
    if form.is_valid():
        state = form.cleaned_data["state"]
        try:
            services.set_certificate_state(
                actor=request.user, certificate=found, state=state, date=form.cleaned_data["date"]
            )
        except (NotFound, PermissionDenied):
            raise  # 404 and 403 are the page's own answers
        except ServiceError as exc:
            add_errors(form, exc)
        else:
            texts = {
                CertificateState.PRINTED: _(
                    "The certificate for %(name)s is marked printed on %(date)s."
                ),
                CertificateState.SIGNED: _(
                    "The certificate for %(name)s is marked signed on %(date)s."
                ),
                CertificateState.HANDED_OUT: _(
                    "The certificate for %(name)s is marked handed out on %(date)s."
                ),
                CertificateState.POSTED: _(
                    "The certificate for %(name)s is marked posted on %(date)s."
                ),
            }
            messages.success(
                request,
                texts[state]
                % {"name": found.trainee_name, "date": _day(form.cleaned_data["date"])},
            )
            return redirect("certificates:certificate", certificate_id=found.pk)
    return _render_certificate(request, found, state_form=form)


@certificate_page
@require_POST
def reissue(request: HttpRequest, certificate_id: int) -> HttpResponse:
    found = selectors.get_certificate_for_tracking(request.user, certificate_id)
    form = ReasonForm(request.POST, prefix="reissue")
    if form.is_valid():
        try:
            new = services.reissue_certificate(
                actor=request.user, certificate=found, reason=form.cleaned_data["reason"]
            )
        except (NotFound, PermissionDenied):
            raise  # 404 and 403 are the page's own answers
        except ServiceError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "A new original is issued for %(name)s, with a new verification code. The "
                    "lost original is revoked. Print and sign the new one."
                )
                % {"name": found.trainee_name},
            )
            return redirect("certificates:certificate", certificate_id=new.pk)
    return _render_certificate(request, found, reissue_form=form)


@certificate_page
@require_POST
def revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    found = selectors.get_certificate_for_tracking(request.user, certificate_id)
    form = ReasonForm(request.POST, prefix="revoke")
    if form.is_valid():
        try:
            services.revoke_certificate(
                actor=request.user, certificate=found, reason=form.cleaned_data["reason"]
            )
        except (NotFound, PermissionDenied):
            raise  # 404 and 403 are the page's own answers
        except ServiceError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The certificate for %(name)s is revoked. The verification page now says so.")
                % {"name": found.trainee_name},
            )
            return redirect("certificates:certificate", certificate_id=found.pk)
    return _render_certificate(request, found, revoke_form=form)


@certificate_page
def original_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The original, to print (staff and the certifier)."""
    found = selectors.get_certificate_for_tracking(request.user, certificate_id)
    pdf = services.certificate_pdf(certificate=found, copy=False)
    return _pdf_response(pdf, f"{_stem(found)}.pdf", attachment=False)
