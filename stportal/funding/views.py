"""Pages for funding applications (ST-medel, SPEC 5 P3).

- The trainee's applications and the form for a new one (from a catalogue course or written
  in); an application's page with its costs, total, the yearly-limit warning, the invoicing
  details once approved, and the certificate upload.
- The study director's applications to decide, and the decision form.
- Staff: approved spending per area and year, as a table and a chart, and as a download.
Server-rendered, working without JavaScript; reads through the selectors, writes through the
services, which refuse on their own (`funding.permissions`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stportal.accounts.models import TraineeProfile
from stportal.catalogue.models import ExternalCourse
from stportal.core import errors, spreadsheets
from stportal.core.dates import local_date
from stportal.core.pages import message_and_redirect, service_page
from stportal.curricula.models import Goal, MandatorySubject
from stportal.funding import exports, permissions, rules, selectors, services, uploads
from stportal.funding.forms import COST_FIELDS, ApplicationForm, CertificateForm, DecisionForm
from stportal.funding.models import FundingApplication, FundingStatus


def _back_to_detail(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
    return redirect("funding:detail", kwargs["application_id"])


_page = service_page(message_and_redirect(lambda request, kwargs: redirect("funding:mine")))
_detail_page = service_page(message_and_redirect(_back_to_detail))


def _form_errors(form, exc: errors.ServiceError) -> None:
    """A service's refusal on the form: by field where it names one, else above the form."""
    named = False
    for name, problems in exc.fields.items():
        field = {"course_id": "course", "subject_ids": "subjects", "costs": None}.get(name, name)
        if field and field in form.fields:
            for problem in problems:
                form.add_error(field, problem)
            named = True
    if not named:
        form.add_error(
            None, " ".join(p for found in exc.fields.values() for p in found) or exc.message
        )


def _own_profile(user) -> TraineeProfile | None:
    return (
        TraineeProfile.objects.select_related("user", "home_unit__area", "specialty")
        .filter(user=user)
        .first()
    )


@_page
def mine(request: HttpRequest) -> HttpResponse:
    """The trainee's own applications."""
    profile = _own_profile(request.user)
    found = list(selectors.own_applications(request.user)) if profile else []
    limits = selectors.yearly_limits(found)
    area = profile.home_unit.area if profile else None
    return render(
        request,
        "funding/mine.html",
        {
            "profile": profile,
            "rows": [(a, selectors.total_of(a), limits[a.pk]) for a in found],
            "settings": selectors.settings_of(area),
            "decides": selectors.decides_any(request.user),
        },
    )


def _choices(profile: TraineeProfile):
    goals = Goal.objects.filter(
        Q(specialty__isnull=True) | Q(specialty_id=profile.specialty_id),
        version_id=profile.curriculum_version_id,
    ).order_by("position", "code")
    subjects = MandatorySubject.objects.filter(
        specialty_id=profile.specialty_id, version_id=profile.curriculum_version_id
    ).order_by("position")
    return list(goals), list(subjects)


def _prefill(course: ExternalCourse, profile: TraineeProfile) -> dict[str, Any]:
    return {
        "course": course.pk,
        "course_title": course.title,
        "provider": course.provider.name,
        "start_date": course.start_date,
        "end_date": course.end_date,
        "place": course.place,
        "fee": course.cost,
        "goals": [
            g.code for g in course.goals.all() if g.version_id == profile.curriculum_version_id
        ],
        "subjects": [s.pk for s in course.subjects.all()],
    }


@_page
@require_http_methods(["GET", "POST"])
def new_application(request: HttpRequest) -> HttpResponse:
    """A new application: pick a catalogue course to fill in the form, or write it in."""
    profile = _own_profile(request.user)
    if profile is None:
        return render(request, "funding/new.html", {"profile": None})
    today = local_date(timezone.now())
    courses = list(selectors.course_choices(profile, today))
    goals, subjects = _choices(profile)
    chosen = None
    if request.method == "POST":
        form = ApplicationForm(request.POST, goals=goals, subjects=subjects)
        if form.is_valid():
            data = form.cleaned_data
            course = None
            if data["course"]:
                course = (
                    ExternalCourse.objects.select_related("provider")
                    .filter(pk=data["course"])
                    .first()
                )
            try:
                application = services.submit_application(
                    actor=request.user,
                    trainee=profile,
                    course=course,
                    course_title=data["course_title"],
                    provider=data["provider"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    place=data["place"],
                    motivation=data["motivation"],
                    goal_codes=data["goals"],
                    subject_ids=data["subjects"],
                    costs=[
                        services.Cost(kind=name, amount=data[name])
                        for name, _label in COST_FIELDS
                        if data.get(name)
                    ],
                )
            except errors.ServiceError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your application is sent to your study director, who decides it."),
                )
                return redirect("funding:detail", application.pk)
    else:
        initial: dict[str, Any] = {}
        wanted = request.GET.get("course", "")
        if wanted.isdigit() and len(wanted) < 19:
            chosen = next((c for c in courses if c.pk == int(wanted)), None)
            if chosen is not None:
                initial = _prefill(chosen, profile)
        form = ApplicationForm(initial=initial, goals=goals, subjects=subjects)
    return render(
        request,
        "funding/new.html",
        {
            "profile": profile,
            "form": form,
            "courses": courses,
            "chosen": chosen,
            "settings": selectors.settings_of(profile.home_unit.area),
            "cost_fields": [form[name] for name, _label in COST_FIELDS],
        },
        status=422 if form.errors else 200,
    )


def _detail_context(request: HttpRequest, application: FundingApplication) -> dict[str, Any]:
    user = request.user
    return {
        "application": application,
        "total": selectors.total_of(application),
        "limit": selectors.yearly_limit_of(application),
        "invoice": selectors.invoice_of(application),
        "settings": selectors.settings_of(application.area),
        "may_decide": application.status == FundingStatus.SUBMITTED
        and permissions.may_decide(user, application),
        "may_attach": application.status == FundingStatus.APPROVED
        and permissions.may_attach_certificate(user, application),
        "is_trainee": application.trainee.user_id == user.pk,
    }


@_page
def detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    context = _detail_context(request, application)
    context["certificate_form"] = CertificateForm()
    return render(request, "funding/detail.html", context)


@_detail_page
@require_POST
def attach_certificate(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    if not permissions.may_attach_certificate(request.user, application):
        raise DjangoPermissionDenied(_("Only the trainee attaches the course certificate."))
    form = CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            uploads.check_size(upload.size or 0)
            services.attach_certificate(
                actor=request.user,
                application=application,
                data=upload.read(),
                filename=upload.name or "",
            )
        except errors.ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The course certificate is attached."))
            return redirect("funding:detail", application.pk)
    context = _detail_context(request, application)
    context["certificate_form"] = form
    return render(request, "funding/detail.html", context, status=422)


@_page
def certificate_pdf(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    data = selectors.certificate_bytes(application)
    if data is None:
        raise errors.NotFound(_("No certificate is attached to this application."))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kursintyg-st-medel-{application.pk}.pdf"'
    )
    return response


@_page
def to_decide(request: HttpRequest) -> HttpResponse:
    """The applications waiting for this study director's decision."""
    found = list(selectors.to_decide(request.user))
    limits = selectors.yearly_limits(found)
    return render(
        request,
        "funding/to_decide.html",
        {
            "rows": [(a, selectors.total_of(a), limits[a.pk]) for a in found],
            "decides": selectors.decides_any(request.user),
        },
    )


@_detail_page
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    if not permissions.may_decide(request.user, application):
        raise DjangoPermissionDenied(
            _("Only the trainee's study director may decide this application.")
        )
    form = DecisionForm()
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decided = services.decide_application(
                    actor=request.user,
                    application=application,
                    approved=data["approved"],
                    comment=data["comment"],
                    exception_reason=data["exception_reason"],
                )
            except errors.ServiceError as exc:
                if exc.code == "already_decided":
                    raise
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The application is approved. The trainee is told by e-mail.")
                    if decided.status == FundingStatus.APPROVED
                    else _("The application is rejected. The trainee is told by e-mail."),
                )
                return redirect("funding:detail", application.pk)
    context = _detail_context(request, application)
    context["form"] = form
    return render(request, "funding/decide.html", context, status=422 if form.errors else 200)


@_page
def spending(request: HttpRequest) -> HttpResponse:
    """Approved spending per area and year: a table, a chart, and downloads (staff)."""
    if not permissions.spending_region_ids(request.user):
        raise DjangoPermissionDenied(
            _("Only course administrators and study directors may do this.")
        )
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    rows = selectors.spending_rows(request.user, year)
    kind = request.GET.get("format")
    if kind in ("csv", "xlsx"):
        return spreadsheets.table_response(exports.spending_table(rows), stem="st-medel", kind=kind)
    largest = max((row.total for row in rows), default=0)
    return render(
        request,
        "funding/spending.html",
        {
            "rows": [(row, rules.bar_percent(row.total, largest)) for row in rows],
            "year": year,
            "kinds": rules.COST_KINDS,
        },
    )
