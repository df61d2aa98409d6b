"""Pages for the planned ST completion date (C5a) and the HR import.

- "Min ST": the trainee's date, its history and a form to propose a new one.
- The study director's (and staff's) list of proposals waiting, each confirmed or rejected
  with a comment.
- Staff: the trainees of their regions, and per trainee the history and a direct change.
- Staff: the HR import, with a dry run that reports every row.
Server-rendered, working without JavaScript. Reads through the selectors, writes through the
services, which decide who may (`accounts.permissions`) on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stportal.accounts import (
    completion_selectors,
    completion_services,
    import_services,
    permissions,
    selectors,
)
from stportal.accounts.forms import (
    DecisionForm,
    ImportForm,
    PlannedCompletionForm,
    TraineeFilterForm,
)
from stportal.accounts.models import PlannedCompletionStatus, TraineeProfile
from stportal.core import errors
from stportal.core.permissions import staff_region_ids
from stportal.core.personnummer import looks_like as looks_like_personal_id


def _page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required; the selectors' refusals become Django's 403 and 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except errors.PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except errors.NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


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


def _own_profile(user) -> TraineeProfile | None:
    return (
        TraineeProfile.objects.select_related("user", "home_unit", "specialty", "study_director")
        .filter(user=user)
        .first()
    )


@_page
@require_http_methods(["GET", "POST"])
def my_st(request: HttpRequest) -> HttpResponse:
    """The trainee's planned completion date, its history, and a proposal of a new one."""
    profile = _own_profile(request.user)
    form = PlannedCompletionForm()
    if profile is not None and request.method == "POST":
        form = PlannedCompletionForm(request.POST)
        if form.is_valid():
            try:
                completion_services.propose_planned_completion_change(
                    actor=request.user,
                    trainee=profile,
                    planned_completion=form.cleaned_data["planned_completion"],
                    reason=form.cleaned_data["reason"],
                )
            except errors.ServiceError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your proposal is sent to your study director, who confirms or rejects it."),
                )
                return redirect("accounts:my_st")
    history = list(completion_selectors.history_of(profile)) if profile else []
    pending = next((c for c in history if c.status == PlannedCompletionStatus.PROPOSED), None)
    return render(
        request,
        "accounts/my_st.html",
        {"profile": profile, "history": history, "pending": pending, "form": form},
        status=422 if form.errors else 200,
    )


@_page
def completion_proposals(request: HttpRequest) -> HttpResponse:
    """The proposals waiting for this study director's (or staff member's) decision."""
    if not completion_selectors.decides_any(request.user):
        raise DjangoPermissionDenied(
            _("Only study directors and staff decide planned completion dates.")
        )
    proposals = list(completion_selectors.pending_proposals_for(request.user))
    return render(
        request,
        "accounts/completion_proposals.html",
        {"proposals": proposals, "form": DecisionForm()},
    )


@_page
@require_POST
def decide_completion(request: HttpRequest, change_id: int) -> HttpResponse:
    change = completion_selectors.get_change_for_user(request.user, change_id)
    if not permissions.may_decide_planned_completion(request.user, change.trainee):
        raise DjangoPermissionDenied(
            _("Only the trainee's study director or staff may decide this.")
        )
    form = DecisionForm(request.POST)
    back = reverse("accounts:completion_proposals")
    if request.POST.get("next") == "trainee":
        back = reverse("accounts:trainee", args=[change.trainee_id])
    if not form.is_valid():
        messages.error(request, _("Choose to confirm or reject the proposal."))
        return redirect(back)
    approved = form.cleaned_data["approved"]
    try:
        completion_services.decide_planned_completion_change(
            actor=request.user,
            change=change,
            approved=approved,
            comment=form.cleaned_data["comment"],
        )
    except errors.PermissionDenied:
        raise
    except errors.ServiceError as exc:
        problems = " ".join(p for ps in exc.fields.values() for p in ps)
        messages.error(request, problems or exc.message)
        return redirect(back)
    name = change.trainee.user.display_name
    date = change.new_date.isoformat()
    if approved:
        text = _("%(name)s's planned completion date is now %(date)s.")
    else:
        text = _("The proposal of %(name)s (%(date)s) is rejected.")
    messages.success(request, text % {"name": name, "date": date})
    return redirect(back)


TRAINEES_PER_PAGE = 50


@_page
def trainees(request: HttpRequest) -> HttpResponse:
    """Staff: the trainees of their regions with their planned completion dates."""
    found = selectors.trainees_for_user(request.user).annotate(
        waiting=Count(
            "planned_completion_changes",
            filter=Q(planned_completion_changes__status=PlannedCompletionStatus.PROPOSED),
        )
    )
    form = TraineeFilterForm(request.GET)
    name = form.cleaned_data["name"].strip() if form.is_valid() else ""
    if name and looks_like_personal_id(name):
        # Personal identity numbers never travel in a URL (SPEC 7).
        messages.error(request, _("Search by name here; personal identity numbers are not used."))
        name = ""
    for word in name.split()[:4]:
        found = found.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        )
    page = Paginator(found, TRAINEES_PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "accounts/trainees.html",
        {"page": page, "form": form, "name": name},
    )


@_page
@require_http_methods(["GET", "POST"])
def trainee(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The history of one trainee's date, and a direct change by the study director or staff."""
    profile = completion_selectors.get_trainee_for_decider(request.user, trainee_id)
    form = PlannedCompletionForm()
    if request.method == "POST":
        form = PlannedCompletionForm(request.POST)
        if form.is_valid():
            try:
                completion_services.set_planned_completion(
                    actor=request.user,
                    trainee=profile,
                    planned_completion=form.cleaned_data["planned_completion"],
                    reason=form.cleaned_data["reason"],
                )
            except errors.ServiceError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The planned completion date is now %(date)s; the trainee is told.")
                    % {"date": form.cleaned_data["planned_completion"].isoformat()},
                )
                return redirect("accounts:trainee", trainee_id=profile.pk)
    history = list(completion_selectors.history_of(profile))
    return render(
        request,
        "accounts/trainee.html",
        {
            "profile": profile,
            "history": history,
            "form": form,
            "decision_form": DecisionForm(),
            "is_staff": profile.home_unit.region_id in staff_region_ids(request.user),
        },
        status=422 if form.errors else 200,
    )


@_page
@require_http_methods(["GET", "POST"])
def import_trainees(request: HttpRequest) -> HttpResponse:
    """Staff: upload the HR system's export; a dry run first, then the import."""
    selectors.require_staff(request.user)
    report = None
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = import_services.import_trainees(
                    actor=request.user,
                    data=upload.read(import_services.hr_import.MAX_BYTES + 1),
                    filename=upload.name,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except errors.ServiceError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, import_services.summary(report))
    rows = (
        [
            {"row": row, "text": import_services.describe_row(row, dry_run=report.dry_run)}
            for row in report.rows
        ]
        if report
        else []
    )
    return render(
        request,
        "accounts/import.html",
        {"form": form, "report": report, "rows": rows},
        status=422 if form.errors else 200,
    )
