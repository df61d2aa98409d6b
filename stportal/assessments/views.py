"""Pages of competence assessments (SPEC 5 P12), mounted at /bedomningar/.

- "My assessments": the trainee's count this year against the region's expectation, their
  assessments, and starting one; for an assessor with an account, the assessments waiting for
  them; for a supervisor or study director, a link to their trainees.
- Starting an assessment (the trainee); one assessment (whoever may read the record, and the
  named assessor), with withdrawing and sending the link again for the trainee.
- A trainee's assessments (whoever may read the record); the trainees a supervisor or study
  director follows, with their counts.
- The assessor's page: completing through the link (public, no log-in), or in the product.
Server-rendered, working without JavaScript; reads through the selectors, writes through the
services, which decide who may on their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stportal.accounts.models import TraineeProfile
from stportal.assessments import permissions, rules, selectors, services
from stportal.assessments.forms import CompleteForm, RequestForm
from stportal.assessments.models import Assessment
from stportal.core import pages
from stportal.core.dates import local_date
from stportal.core.errors import ServiceError


def _to_index(request: HttpRequest, kwargs: dict) -> HttpResponse:
    if "assessment_id" in kwargs:
        return redirect("assessments:detail", kwargs["assessment_id"])
    return redirect("assessments:index")


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


def _titles(profile: TraineeProfile) -> dict[str, str]:
    return dict(selectors.goals_of(profile).values_list("code", "title"))


def _today():
    return local_date(timezone.now())


@page
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = selectors.own_profile(user)
    context: dict = {"profile": profile}
    if profile is not None:
        context["progress"] = selectors.progress_of(profile, _today())
        context["progress_text"] = selectors.progress_text(context["progress"])
        context["assessments"] = list(selectors.assessments_of(profile))
    context["to_assess"] = list(selectors.to_assess(user))
    context["follows"] = selectors.followed_trainees(user).exists()
    return render(request, "assessments/index.html", context)


@page
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """The trainee starts an assessment and names the assessor."""
    profile = selectors.own_profile(request.user)
    if profile is None:
        return render(request, "assessments/no_record.html", status=404)
    goals = list(selectors.goals_of(profile))
    form = RequestForm(request.POST or None, goals=goals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.request_assessment(
                actor=request.user,
                trainee=profile,
                kind=data["kind"],
                assessor_name=data["assessor_name"],
                assessor_email=data["assessor_email"],
                goal_codes=data["goals"],
                context=data["context"],
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("The assessment is sent to %(name)s at %(email)s.")
                % {"name": assessment.assessor_name, "email": assessment.assessor_email},
            )
            return redirect("assessments:detail", assessment.pk)
    return render(
        request,
        "assessments/new.html",
        {"profile": profile, "form": form},
        status=422 if form.errors else 200,
    )


@page
def detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, assessment_id)
    titles = _titles(assessment.trainee)
    now = timezone.now()
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "goals": [(code, titles.get(code, "")) for code in assessment.goals_shown],
            "may_manage": permissions.may_manage(request.user, assessment)
            and assessment.status == rules.REQUESTED,
            "may_complete": permissions.is_assessor(request.user, assessment)
            and rules.link_state(assessment.status, assessment.link_expires_at, now) == rules.OPEN,
            "link_state": rules.link_state(assessment.status, assessment.link_expires_at, now),
            "is_self": assessment.trainee.user_id == request.user.pk,
        },
    )


@page
@require_POST
def withdraw(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, assessment_id)
    services.withdraw_assessment(actor=request.user, assessment=assessment)
    messages.success(request, _("The assessment is withdrawn; its link no longer works."))
    return redirect("assessments:detail", assessment.pk)


@page
@require_POST
def resend(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, assessment_id)
    services.resend_assessment_link(actor=request.user, assessment=assessment)
    messages.success(
        request,
        _("A new link is sent to %(email)s; the earlier link no longer works.")
        % {"email": assessment.assessor_email},
    )
    return redirect("assessments:detail", assessment.pk)


@page
def trainee(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """A trainee's assessments, for whoever may read the record."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    progress = selectors.progress_of(profile, _today())
    return render(
        request,
        "assessments/trainee.html",
        {
            "profile": profile,
            "progress": progress,
            "progress_text": selectors.progress_text(progress),
            "assessments": list(selectors.assessments_of(profile)),
            "is_self": profile.user_id == request.user.pk,
        },
    )


@page
def supervised(request: HttpRequest) -> HttpResponse:
    """The trainees the person supervises or whose record they direct, with this year's
    count; those behind marked. A constant number of queries whatever the number of rows."""
    profiles = list(selectors.followed_trainees(request.user))
    progress = selectors.progress_for(profiles, _today())
    rows = [
        (profile, progress[profile.pk], selectors.progress_text(progress[profile.pk]))
        for profile in profiles
    ]
    return render(request, "assessments/supervised.html", {"rows": rows})


def _closed(request: HttpRequest, state: str | None) -> HttpResponse:
    response = render(
        request,
        "assessments/link_closed.html",
        {"state": state},
        status=404 if state is None else 410,
    )
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    # The address holds the token: not cached, not indexed, never sent to another site as a
    # referrer (same-origin keeps the form's own Origin header, which the CSRF check needs).
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _assess_page(
    request: HttpRequest, assessment: Assessment, form: CompleteForm, action: str, status: int
) -> HttpResponse:
    titles = _titles(assessment.trainee)
    return render(
        request,
        "assessments/assess.html",
        {
            "assessment": assessment,
            "goals": [(code, titles.get(code, "")) for code in assessment.goal_codes],
            "form": form,
            "action": action,
        },
        status=status,
    )


def _complete_form(request: HttpRequest, assessment: Assessment) -> CompleteForm:
    titles = _titles(assessment.trainee)
    choices = [_Goal(code, titles.get(code, "")) for code in assessment.goal_codes]
    return CompleteForm(
        request.POST or None,
        goals=choices,
        initial={"goals": list(assessment.goal_codes), "assessed_on": _today()},
    )


class _Goal:
    def __init__(self, code: str, title: str) -> None:
        self.code, self.title = code, title


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, token: str) -> HttpResponse:
    """The assessor's public page: only what they need (the trainee's name, the kind, the
    goals, the situation), the form, and nothing once the link is used or expired."""
    assessment = selectors.by_token(token)
    if assessment is None:
        return _closed(request, None)
    state = rules.link_state(assessment.status, assessment.link_expires_at, timezone.now())
    if state != rules.OPEN:
        return _closed(request, state)
    form = _complete_form(request, assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.complete_assessment_by_link(
                token=token,
                actor=request.user if request.user.is_authenticated else None,
                independence=data["independence"],
                feedback=data["feedback"],
                goal_codes=data["goals"],
                assessed_on=data["assessed_on"],
            )
        except ServiceError as exc:
            if exc.status == 404:
                return _closed(request, None)
            if exc.status == 410:
                return _closed(request, exc.code.removeprefix("link_"))
            _form_errors(form, exc)
        else:
            return _private(render(request, "assessments/thanks.html", {"assessment": done}))
    action = reverse("assessments:assess", args=[token])
    return _private(_assess_page(request, assessment, form, action, 422 if form.errors else 200))


@page
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The named assessor completes the assessment in the product (logged in, with a verified
    e-mail address that is the one the trainee named)."""
    assessment = selectors.get_assessment_for_user(request.user, assessment_id)
    permissions.check_may_complete(request.user, assessment)
    state = rules.link_state(assessment.status, assessment.link_expires_at, timezone.now())
    if state != rules.OPEN:
        return _closed(request, state)
    form = _complete_form(request, assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.complete_assessment(
                actor=request.user,
                assessment=assessment,
                independence=data["independence"],
                feedback=data["feedback"],
                goal_codes=data["goals"],
                assessed_on=data["assessed_on"],
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            if exc.status == 410:
                return _closed(request, exc.code.removeprefix("link_"))
            _form_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the assessment is completed."))
            return redirect("assessments:detail", assessment.pk)
    action = reverse("assessments:complete", args=[assessment.pk])
    return _assess_page(request, assessment, form, action, 422 if form.errors else 200)
