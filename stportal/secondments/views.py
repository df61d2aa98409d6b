"""Pages of secondments, the training allowance and credited service (SPEC 5 P7–P9), mounted
at /sidotjanstgoring/.

- The start page: a trainee goes to their own page; others see the trainees whose record
  they read.
- One page per trainee, "Sidotjänstgöring och ST-ersättning": the secondments with the
  required kinds not yet planned, the allowance's months used and left with a warning when
  the plan needs more, and the credit decisions; with the forms of those who may act.
- Planning, changing and removing a secondment; recording the allowance; crediting prior
  service and withdrawing a credit. A form the service refuses is shown again with the input
  kept (422).
Server-rendered and working without JavaScript; reads through the selectors, writes through
the services, which decide who may (`secondments.permissions`) on their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from stportal.accounts.models import TraineeProfile
from stportal.core import pages
from stportal.core.errors import ServiceError
from stportal.secondments import permissions, selectors, services
from stportal.secondments.forms import AllowanceForm, CreditForm, ReasonForm, SecondmentForm


def _to_index(request: HttpRequest, kwargs: dict) -> HttpResponse:
    return redirect("secondments:index")


page = pages.service_page(pages.message_and_redirect(_to_index))


def _form_errors(form, exc: ServiceError) -> None:
    named = False
    for name, problems in exc.fields.items():
        if name in form.fields:
            for problem in problems:
                form.add_error(name, problem)
            named = True
    if not named:
        form.add_error(None, pages.refusal_text(exc))


def _trainee_url(profile: TraineeProfile, anchor: str = "") -> str:
    url = reverse("secondments:trainee", args=[profile.pk])
    return f"{url}#{anchor}" if anchor else url


@page
def index(request: HttpRequest) -> HttpResponse:
    own = TraineeProfile.objects.filter(user=request.user).first()
    trainees = list(selectors.trainees_for(request.user))
    if own is not None and not trainees:
        return redirect("secondments:trainee", own.pk)
    return render(request, "secondments/index.html", {"own": own, "trainees": trainees})


def _context(request: HttpRequest, profile: TraineeProfile, **forms: Any) -> dict[str, Any]:
    plan = selectors.plan_of(profile)
    may_decide = permissions.may_decide(request.user, profile)
    allowance = selectors.allowance_of(profile, plan.secondments)
    kinds = selectors.kinds()
    found = allowance.allowance
    context: dict[str, Any] = {
        "profile": profile,
        "plan": plan,
        "allowance": allowance.allowance,
        "status": allowance.status,
        "credits": list(selectors.credits_of(profile)),
        "may_plan": permissions.may_plan(request.user, profile),
        "may_decide": may_decide,
        "is_self": profile.user_id == request.user.pk,
        "secondment_form": SecondmentForm(kinds=kinds),
        "allowance_form": AllowanceForm(
            initial={
                "queue_position": found.queue_position if found else None,
                "months_paid": found.months_paid if found else 0,
                "secondment_months_paid": found.secondment_months_paid if found else 0,
                "note": found.note if found else "",
            }
        ),
        "credit_form": CreditForm(),
    }
    context.update(forms)
    return context


@page
def trainee(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The trainee's secondments, allowance and credited service, for whoever reads the
    record."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    return render(request, "secondments/trainee.html", _context(request, profile))


def _secondment_message(secondment) -> str:
    text = _("The secondment %(kind)s at %(place)s, %(start)s to %(end)s, is in the plan.") % {
        "kind": secondment.kind.label,
        "place": secondment.place,
        "start": secondment.start_date.isoformat(),
        "end": secondment.end_date.isoformat(),
    }
    if secondment.end_from_default:
        weeks = secondment.kind.default_weeks
        text += " " + ngettext(
            "No end date was given, so it ends after the usual %(weeks)s week; change it if it "
            "differs.",
            "No end date was given, so it ends after the usual %(weeks)s weeks; change it if "
            "it differs.",
            weeks,
        ) % {"weeks": weeks}
    return text


@page
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """Plan a secondment (the trainee, the supervisor, the study director, staff)."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    permissions.check_may_plan(request.user, profile)
    form = SecondmentForm(request.POST or None, kinds=selectors.kinds())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            secondment = services.plan_secondment(
                actor=request.user,
                trainee=profile,
                kind=data["kind"],
                place=data["place"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                note=data["note"],
                mandatory=True if data["mandatory"] else None,
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _secondment_message(secondment))
            return redirect(_trainee_url(profile, f"secondment-{secondment.pk}"))
    return render(
        request,
        "secondments/form.html",
        {
            "profile": profile,
            "form": form,
            "title": _("Plan a secondment"),
            "button": _("Add to the plan"),
            "action": reverse("secondments:plan", args=[profile.pk]),
        },
        status=422 if form.errors else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, secondment_id: int) -> HttpResponse:
    secondment = selectors.get_secondment_for_user(request.user, secondment_id)
    profile = secondment.trainee
    permissions.check_may_plan(request.user, profile)
    initial = {
        "kind": secondment.kind.code,
        "place": secondment.place,
        "start_date": secondment.start_date,
        "end_date": secondment.end_date,
        "mandatory": secondment.mandatory,
        "note": secondment.note,
    }
    form = SecondmentForm(request.POST or None, initial=initial, kinds=selectors.kinds())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            secondment = services.change_secondment(
                actor=request.user,
                secondment=secondment,
                kind=data["kind"],
                place=data["place"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                note=data["note"],
                mandatory=data["mandatory"],
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _secondment_message(secondment))
            return redirect(_trainee_url(profile, f"secondment-{secondment.pk}"))
    return render(
        request,
        "secondments/form.html",
        {
            "profile": profile,
            "form": form,
            "title": _("Change the secondment"),
            "button": _("Save the changes"),
            "action": reverse("secondments:change", args=[secondment.pk]),
        },
        status=422 if form.errors else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, secondment_id: int) -> HttpResponse:
    secondment = selectors.get_secondment_for_user(request.user, secondment_id)
    profile = secondment.trainee
    permissions.check_may_plan(request.user, profile)
    if request.method == "POST":
        services.remove_secondment(actor=request.user, secondment=secondment)
        messages.success(
            request,
            _("The secondment %(kind)s at %(place)s is taken out of the plan.")
            % {"kind": secondment.kind.label, "place": secondment.place},
        )
        return redirect(_trainee_url(profile, "secondments"))
    return render(
        request, "secondments/remove.html", {"profile": profile, "secondment": secondment}
    )


@page
@require_http_methods(["GET", "POST"])
def record_allowance(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """Record the allowance (the study director, staff)."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    permissions.check_may_decide(request.user, profile)
    context = _context(request, profile)
    form = AllowanceForm(request.POST or None, initial=context["allowance_form"].initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_allowance(
                actor=request.user,
                trainee=profile,
                queue_position=data["queue_position"],
                months_paid=data["months_paid"],
                secondment_months_paid=data["secondment_months_paid"],
                note=data["note"],
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _("The training allowance is recorded."))
            return redirect(_trainee_url(profile, "allowance"))
    return render(
        request,
        "secondments/form.html",
        {
            "profile": profile,
            "form": form,
            "title": _("Record the training allowance"),
            "button": _("Save the allowance"),
            "action": reverse("secondments:allowance", args=[profile.pk]),
        },
        status=422 if form.errors else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def credit(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """Credit prior service (the study director, staff)."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    permissions.check_may_decide(request.user, profile)
    form = CreditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.credit_prior_service(
                actor=request.user,
                trainee=profile,
                period_start=data["period_start"],
                period_end=data["period_end"],
                months=data["months"],
                comment=data["comment"],
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            profile.refresh_from_db(fields=["credited_months"])
            messages.success(
                request,
                _(
                    "The decision is recorded. Months credited: %(months)s. The trainee's "
                    "credited months in all: %(total)s."
                )
                % {"months": decision.months, "total": profile.credited_months},
            )
            return redirect(_trainee_url(profile, f"credit-{decision.pk}"))
    return render(
        request,
        "secondments/form.html",
        {
            "profile": profile,
            "form": form,
            "title": _("Credit prior service"),
            "button": _("Record the decision"),
            "action": reverse("secondments:credit", args=[profile.pk]),
        },
        status=422 if form.errors else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, credit_id: int) -> HttpResponse:
    decision = selectors.get_credit_for_user(request.user, credit_id)
    profile = decision.trainee
    permissions.check_may_decide(request.user, profile)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not decision.is_withdrawn:
        try:
            services.withdraw_service_credit(
                actor=request.user, credit=decision, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _("The credit decision is withdrawn."))
            return redirect(_trainee_url(profile, "credits"))
    return render(
        request,
        "secondments/form.html",
        {
            "profile": profile,
            "form": form,
            "decision": decision,
            "title": _("Withdraw a credit decision"),
            "button": _("Withdraw the decision"),
            "action": reverse("secondments:withdraw", args=[decision.pk]),
        },
        status=422 if form.errors else 200,
    )
