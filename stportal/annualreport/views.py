"""Pages for annual reports (SPEC 5 P13).

- The list ("Årsrapporter"): the trainee's own reports and the form to assemble one, the
  supervisor's trainees' reports, the reports waiting for the study director's review.
- A trainee's reports, for whoever reads the record.
- A report: header, the year's sections, both parts, the form for the caller's own part while
  it is a draft (save, or for the supervisor also mark ready for review), refreshing the
  sections, the study director's review form, the history of versions, the PDF.
Server-rendered, working without JavaScript. Reads through the selectors, writes through the
services, which decide who may (`annualreport.permissions`) on their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stportal.accounts import permissions as record
from stportal.annualreport import permissions, rules, selectors, services
from stportal.annualreport.documents import annual_report_pdf
from stportal.annualreport.forms import SUBMIT, CreateForm, PartForm, ReviewForm
from stportal.annualreport.models import AnnualReport
from stportal.core import errors
from stportal.core.dates import local_date
from stportal.core.pages import message_and_redirect, service_page
from stportal.statements import compare, workflow
from stportal.statements.forms import CompareForm


def _to_report(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
    return redirect("annualreport:detail", report_id=kwargs["report_id"])


def _to_index(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
    return redirect("annualreport:index")


def _form_errors(form, exc: errors.ServiceError) -> None:
    """A service's refusal on the form: by field where it names one, else above the form."""
    named = False
    for name, problems in exc.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            named = True
    if not named:
        form.add_error(None, exc.message)


def _this_year() -> int:
    return local_date(timezone.now()).year


@service_page(message_and_redirect(_to_index))
def index(request: HttpRequest) -> HttpResponse:
    """Everything about annual reports that concerns the person."""
    user = request.user
    profile = getattr(user, "trainee_profile", None)
    own = list(selectors.reports_of(profile)) if profile is not None else None
    supervised = list(selectors.supervised_reports(user))
    directs = record.directed_trainees(user).exists()
    waiting = list(selectors.to_review(user)) if directs else []
    done = list(selectors.reviewed_by_directed(user)[:20]) if directs else []
    return render(
        request,
        "annualreport/index.html",
        {
            "own": own,
            "profile": profile,
            "create_form": CreateForm(initial={"year": _this_year()}),
            "supervised": supervised,
            "directs": directs,
            "waiting": waiting,
            "done": done,
        },
    )


@service_page(message_and_redirect(_to_index))
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """The trainee assembles their annual report for a year."""
    profile = getattr(request.user, "trainee_profile", None)
    if profile is None:
        raise errors.PermissionDenied(_("Only the trainee assembles their annual report."))
    form = CreateForm(initial={"year": _this_year()})
    if request.method == "POST":
        form = CreateForm(request.POST)
        if form.is_valid():
            try:
                report = services.create_report(
                    actor=request.user, trainee=profile, year=form.cleaned_data["year"]
                )
            except errors.PermissionDenied:
                raise
            except errors.ServiceError as exc:
                existing = exc.extra.get("existing_report_id")
                if existing:
                    messages.info(request, exc.message)
                    return redirect("annualreport:detail", report_id=existing)
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The annual report for %(year)d is assembled as a draft.")
                    % {"year": report.year},
                )
                return redirect("annualreport:detail", report_id=report.pk)
    return render(
        request,
        "annualreport/new.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@service_page(message_and_redirect(_to_index))
def trainee(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """A trainee's annual reports, for whoever reads the record."""
    profile = selectors.get_trainee_for_reader(request.user, trainee_id)
    return render(
        request,
        "annualreport/trainee.html",
        {
            "profile": profile,
            "reports": list(selectors.reports_of(profile)),
            "may_create": permissions.may_create(request.user, profile),
        },
    )


def _detail_context(request: HttpRequest, report: AnnualReport) -> dict[str, Any]:
    user = request.user
    profile = report.trainee
    actions = workflow.allowed_actions(report.status, permissions.roles_of(user, profile))
    part = permissions.part_of(user, profile)
    return {
        "report": report,
        "versions": list(selectors.versions_of(report)),
        "part": part,
        "may_edit": workflow.EDIT in actions and part is not None,
        "may_submit": workflow.SUBMIT in actions and permissions.may_submit(user, profile),
        "missing": rules.missing_parts(report.trainee_text, report.supervisor_text),
        "may_review": workflow.ACCEPT in actions,
        "locked": not workflow.may_edit(report.status),
        "compare_form": CompareForm(initial={"a": max(1, report.version - 1), "b": report.version}),
    }


@service_page(message_and_redirect(_to_report))
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """One report; its authors write their own parts here while it is a draft."""
    report = selectors.get_report_for_user(request.user, report_id)
    part = permissions.part_of(request.user, report.trainee)
    form = None
    if part is not None:
        current = report.trainee_text if part == rules.TRAINEE else report.supervisor_text
        form = PartForm(initial={"text": current}, part=part)
    if request.method == "POST":
        part = permissions.check_may_write(request.user, report)
        form = PartForm(request.POST, part=part)
        if form.is_valid():
            try:
                report = services.write_part(
                    actor=request.user, report=report, text=form.cleaned_data["text"]
                )
                if request.POST.get("action") == SUBMIT:
                    report = services.submit_report(actor=request.user, report=report)
            except errors.PermissionDenied:
                raise
            except errors.ServiceError as exc:
                if exc.code in ("locked", "conflict"):
                    messages.error(request, exc.message)
                    return redirect("annualreport:detail", report_id=report_id)
                if exc.code == "validation_error" and not set(exc.fields) & set(form.fields):
                    # Both parts are needed before it is submitted: the text is saved.
                    messages.error(request, errors_text(exc))
                    return redirect("annualreport:detail", report_id=report_id)
                _form_errors(form, exc)
            else:
                if report.status == workflow.DRAFT:
                    messages.success(request, _("Your part of the annual report is saved."))
                else:
                    messages.success(
                        request,
                        _(
                            "The annual report is marked ready for review; the study director "
                            "and the trainee are told."
                        ),
                    )
                return redirect("annualreport:detail", report_id=report.pk)
    context = _detail_context(request, report)
    context.update({"form": form, "review_form": ReviewForm()})
    return render(
        request,
        "annualreport/detail.html",
        context,
        status=422 if form is not None and form.errors else 200,
    )


def errors_text(exc: errors.ServiceError) -> str:
    return " ".join(str(m) for found in exc.fields.values() for m in found) or exc.message


@service_page(message_and_redirect(_to_report))
@require_POST
def refresh(request: HttpRequest, report_id: int) -> HttpResponse:
    """Assemble the year's sections again while the report is a draft."""
    report = selectors.get_report_for_user(request.user, report_id)
    before = report.version
    report = services.refresh_sections(actor=request.user, report=report)
    if report.version == before:
        messages.info(request, _("The sections already say what the record says."))
    else:
        messages.success(request, _("The sections are assembled again from the record."))
    return redirect("annualreport:detail", report_id=report.pk)


@service_page(message_and_redirect(_to_report))
@require_POST
def review(request: HttpRequest, report_id: int) -> HttpResponse:
    """The study director marks the report reviewed or sends it back with a comment."""
    report = selectors.get_report_for_user(request.user, report_id)
    permissions.check_may_review(request.user, report)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the annual report is reviewed or sent back."))
        return redirect("annualreport:detail", report_id=report.pk)
    accepted = form.cleaned_data["accepted"]
    try:
        services.review_report(
            actor=request.user,
            report=report,
            accepted=accepted,
            comment=form.cleaned_data["comment"],
        )
    except errors.PermissionDenied:
        raise
    except errors.ServiceError as exc:
        if exc.code == "validation_error":
            _form_errors(form, exc)
            context = _detail_context(request, report)
            context.update({"form": None, "review_form": form})
            return render(request, "annualreport/detail.html", context, status=422)
        raise
    values = {"name": report.trainee.user.display_name, "year": report.year}
    if accepted:
        text = _(
            "The annual report %(year)d for %(name)s is reviewed; the trainee and supervisor "
            "are told."
        )
    else:
        text = _(
            "The annual report %(year)d for %(name)s is sent back to draft; the trainee and "
            "supervisor are told."
        )
    messages.success(request, text % values)
    return redirect("annualreport:detail", report_id=report.pk)


@service_page(message_and_redirect(_to_report))
def pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report as PDF, for whoever reads it."""
    report = selectors.get_report_for_user(request.user, report_id)
    return pdf_response(report)


def pdf_response(report: AnnualReport) -> HttpResponse:
    response = HttpResponse(annual_report_pdf(report), content_type="application/pdf")
    name = f"arsrapport-{report.year}-{report.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@service_page(message_and_redirect(_to_report))
def compare_versions(request: HttpRequest, report_id: int) -> HttpResponse:
    """Two versions side by side, both parts, the differences marked (`statements.compare`)."""
    report = selectors.get_report_for_user(request.user, report_id)
    form = CompareForm(request.GET)
    parts: list[tuple[str, list[compare.Row]]] = []
    first = second = None
    if form.is_valid():
        try:
            first, second = selectors.version_pair(
                report, form.cleaned_data["a"], form.cleaned_data["b"]
            )
        except errors.ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            parts = [
                (
                    _("The trainee's reflection"),
                    compare.side_by_side(first.trainee_text, second.trainee_text),
                ),
                (
                    _("The supervisor's assessment"),
                    compare.side_by_side(first.supervisor_text, second.supervisor_text),
                ),
            ]
    return render(
        request,
        "annualreport/compare.html",
        {
            "report": report,
            "versions": list(selectors.versions_of(report)),
            "form": form,
            "first": first,
            "second": second,
            "parts": parts,
        },
        status=422 if form.errors else 200,
    )
