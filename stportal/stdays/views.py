"""Pages of the ST-day certificates (SPEC 5 P4), mounted at /st-dagar/.

- The start page: for a supervisor, their trainees (each with a link to record an examined
  ST-day) and the certificates they issued, with the originals as PDF and revoking; for a
  trainee, their own certificates with copies to download.
- Recording an examined ST-day for one trainee (the trainee's own supervisor).
- A trainee's certificates, for whoever may read the record.
- One certificate as PDF (the original or a copy), revoking one, and the public check of a
  verification code.
Server-rendered and working without JavaScript; reads through the selectors, writes through
the services, which decide who may (`stdays.permissions`) on their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stportal.accounts.models import TraineeProfile
from stportal.core import pages
from stportal.core.errors import ServiceError
from stportal.stdays import permissions, selectors, services
from stportal.stdays.documents import st_day_certificate_pdf
from stportal.stdays.forms import RevokeForm, StDayCertificateForm
from stportal.stdays.models import StDayCertificate


def _to_index(request: HttpRequest, kwargs: dict) -> HttpResponse:
    return redirect("stdays:index")


page = pages.service_page(pages.message_and_redirect(_to_index))


def _form_errors(form, exc: ServiceError) -> None:
    """A service's refusal on the form: by field where it names one, else above the form."""
    named = False
    for name, problems in exc.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            named = True
    if not named:
        form.add_error(None, pages.refusal_text(exc))


def _rows(certificates, user) -> list[tuple[StDayCertificate, bool]]:
    """Each certificate with whether the reader may revoke it (no query per row: the
    supervisor who issued it, or staff of the trainee's region, cached per request)."""
    return [
        (certificate, not certificate.is_revoked and permissions.may_revoke(user, certificate))
        for certificate in certificates
    ]


@page
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    trainees = list(
        selectors.supervised_trainees(user).annotate(
            st_days=Count(
                "st_day_certificates",
                filter=Q(st_day_certificates__revoked_at__isnull=True),
            )
        )
    )
    issued = list(selectors.certificates_for_supervisor(user))
    profile = TraineeProfile.objects.filter(user=user).first()
    own = list(selectors.certificates_of_trainee(profile)) if profile is not None else []
    return render(
        request,
        "stdays/index.html",
        {
            "trainees": trainees,
            "issued": _rows(issued, user),
            "is_supervisor": bool(trainees or issued),
            "profile": profile,
            "own": _rows(own, user),
        },
    )


@page
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The supervisor records an examined ST-day for one of their trainees."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    permissions.check_may_issue(request.user, profile)
    subjects = list(selectors.mandatory_subjects_of(profile))
    form = StDayCertificateForm(request.POST or None, subjects=subjects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certificate = services.issue_st_day_certificate(
                actor=request.user,
                trainee=profile,
                subject=data["subject"],
                title=data["title"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                place=data["place"],
                description=data["description"],
                examined_on=data["examined_on"],
                examination=data["examination"],
                goal_codes=form.goal_list(),
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("The ST-day certificate for %(name)s is issued: %(title)s.")
                % {"name": profile.user.display_name, "title": certificate.title},
            )
            return redirect(reverse("stdays:index") + f"#certificate-{certificate.pk}")
    return render(
        request,
        "stdays/record.html",
        {"profile": profile, "form": form, "subjects": subjects},
        status=422 if form.errors else 200,
    )


@page
def trainee(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """A trainee's ST-day certificates, for whoever may read the record."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    certificates = list(selectors.certificates_of_trainee(profile))
    return render(
        request,
        "stdays/trainee.html",
        {
            "profile": profile,
            "rows": _rows(certificates, request.user),
            "may_issue": permissions.may_issue(request.user, profile),
            "is_self": profile.user_id == request.user.pk,
        },
    )


@page
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    access = selectors.get_certificate_for_user(request.user, certificate_id)
    pdf = st_day_certificate_pdf(certificate=access.certificate, copy=access.copy)
    name = f"st-dagsintyg-{certificate_id}{'-kopia' if access.copy else ''}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@page
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = selectors.get_certificate_for_user(request.user, certificate_id).certificate
    permissions.check_may_revoke(request.user, certificate)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not certificate.is_revoked:
        try:
            services.revoke_st_day_certificate(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("The ST-day certificate %(title)s is revoked.") % {"title": certificate.title},
            )
            return redirect("stdays:index")
    return render(
        request,
        "stdays/revoke.html",
        {"certificate": certificate, "form": form},
        status=422 if form.errors else 200,
    )


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public check of an ST-day certificate's verification code (no log-in)."""
    verification = selectors.verify(code)
    response = render(
        request,
        "stdays/verify.html",
        {"verification": verification, "code": code},
        status=200 if verification is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
