"""Pages of the education plan and the timeline (SPEC 5 P11), mounted at /utbildningsplan/.

- The start page: the trainee's own plan; for a supervisor or study director, the trainees
  whose plans they read.
- A trainee's plan by kind ("Min utbildningsplan" for the trainee), with adding, changing and
  removing items (removal asks first), and each item's signed certificate as a PDF.
- The timeline of the whole ST, drawn on the server as SVG, with a table of the same periods.
Server-rendered, no script; reads through the selectors, writes through the services, which
decide who may (`plan.permissions`) on their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stportal.accounts.models import TraineeProfile
from stportal.core import pages
from stportal.core.dates import local_date
from stportal.core.errors import ServiceError
from stportal.funding import uploads
from stportal.plan import permissions, selectors, services
from stportal.plan.forms import CertificateForm, PlanItemForm
from stportal.plan.models import BT_VERSION, ItemKind, PlanItem


def _to_index(request: HttpRequest, kwargs: dict) -> HttpResponse:
    return redirect("plan:index")


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


def _plan_url(item: PlanItem) -> str:
    return reverse("plan:trainee", args=[item.trainee_id]) + f"#item-{item.pk}"


@page
def index(request: HttpRequest) -> HttpResponse:
    own = TraineeProfile.objects.filter(user=request.user).first()
    others = list(
        permissions.plan_readable_trainees(request.user)
        .exclude(user=request.user)
        .select_related("user", "home_unit", "curriculum_version")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    if own is not None and not others:
        return redirect("plan:trainee", trainee_id=own.pk)
    return render(request, "plan/index.html", {"own": own, "trainees": others})


@page
def trainee(request: HttpRequest, trainee_id: int) -> HttpResponse:
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    items = list(selectors.items_of(profile))
    user = request.user
    return render(
        request,
        "plan/trainee.html",
        {
            "profile": profile,
            "is_self": profile.user_id == user.pk,
            "sections": selectors.sections(profile, items),
            "may_keep": permissions.may_keep_plan(user, profile),
            "may_add_meeting": permissions.may_add_meeting(user, profile),
            "changeable": {item.pk for item in items if permissions.may_change(user, item)},
            "meeting": ItemKind.SUPERVISION,
        },
    )


def _kinds_for(user, profile: TraineeProfile) -> list[str]:
    return [
        kind for kind in selectors.kinds_for(profile) if permissions.may_add(user, profile, kind)
    ]


def _form(request: HttpRequest, profile: TraineeProfile, kinds, initial=None) -> PlanItemForm:
    return PlanItemForm(
        request.POST or None,
        initial=initial,
        kinds=kinds,
        goals=list(selectors.goal_choices(profile)),
        bt=profile.curriculum_version.code == BT_VERSION,
    )


def _values(form: PlanItemForm) -> dict:
    data = dict(form.cleaned_data)
    data["bt_part"] = data.get("bt_part") or ""
    return data


@page
@require_http_methods(["GET", "POST"])
def new_item(request: HttpRequest, trainee_id: int) -> HttpResponse:
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    kinds = _kinds_for(request.user, profile)
    if not kinds:
        raise DjangoPermissionDenied(_("You may not add to this education plan."))
    wanted = request.GET.get("kind", "")
    initial = {"kind": wanted if wanted in kinds else kinds[0]}
    form = _form(request, profile, kinds, initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_plan_item(actor=request.user, trainee=profile, **_values(form))
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Added to the education plan: %(title)s.") % {"title": item.title}
            )
            return redirect(_plan_url(item))
    return render(
        request,
        "plan/form.html",
        {"profile": profile, "form": form, "item": None},
        status=422 if form.errors else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, item_id)
    permissions.check_may_change(request.user, item)
    profile = selectors.get_trainee_for_user(request.user, item.trainee_id)
    kinds = _kinds_for(request.user, profile)
    if item.kind not in kinds:
        kinds = [item.kind, *kinds]
    initial = {
        "kind": item.kind,
        "title": item.title,
        "place": item.place,
        "start_date": item.start_date,
        "end_date": item.end_date,
        "status": item.status,
        "extent_percent": item.extent_percent,
        "bt_part": item.bt_part,
        "goal_codes": [goal.code for goal in item.goals.all()],
        "note": item.note,
    }
    form = _form(request, profile, kinds, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_plan_item(actor=request.user, item=item, **_values(form))
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("The item is saved: %(title)s.")
                % {"title": form.cleaned_data["title"] or item.title},
            )
            return redirect(_plan_url(item))
    return render(
        request,
        "plan/form.html",
        {
            "profile": profile,
            "form": form,
            "item": item,
            "certificate_form": CertificateForm(),
        },
        status=422 if form.errors else 200,
    )


@page
@require_http_methods(["GET", "POST"])
def delete_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, item_id)
    permissions.check_may_change(request.user, item)
    if request.method == "POST":
        services.remove_plan_item(actor=request.user, item=item)
        messages.success(
            request, _("Removed from the education plan: %(title)s.") % {"title": item.title}
        )
        return redirect("plan:trainee", trainee_id=item.trainee_id)
    return render(request, "plan/delete.html", {"item": item})


@page
@require_POST
def attach_certificate(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, item_id)
    permissions.check_may_change(request.user, item)
    form = CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            uploads.check_size(upload.size or 0)
            services.attach_plan_certificate(
                actor=request.user, item=item, data=upload.read(), filename=upload.name or ""
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            _form_errors(form, exc)
        else:
            messages.success(request, _("The certificate is attached."))
            return redirect(_plan_url(item))
    profile = selectors.get_trainee_for_user(request.user, item.trainee_id)
    kinds = _kinds_for(request.user, profile)
    return render(
        request,
        "plan/form.html",
        {
            "profile": profile,
            "form": PlanItemForm(
                initial={"kind": item.kind},
                kinds=kinds if item.kind in kinds else [item.kind, *kinds],
                goals=list(selectors.goal_choices(profile)),
                bt=profile.curriculum_version.code == BT_VERSION,
            ),
            "item": item,
            "certificate_form": form,
        },
        status=422,
    )


@page
@require_http_methods(["GET", "POST"])
def remove_certificate(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, item_id)
    permissions.check_may_change(request.user, item)
    if request.method == "POST" and item.has_certificate:
        services.remove_plan_certificate(actor=request.user, item=item)
        messages.success(request, _("The certificate is removed."))
        return redirect(_plan_url(item))
    if not item.has_certificate:
        return redirect(_plan_url(item))
    return render(request, "plan/remove_certificate.html", {"item": item})


@page
def certificate_pdf(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_item_for_user(request.user, item_id)
    data = selectors.certificate_bytes(item)
    if data is None:
        messages.error(request, _("No certificate is attached to this item."))
        return redirect(_plan_url(item))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intyg-utbildningsplan-{item.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@page
def timeline(request: HttpRequest, trainee_id: int) -> HttpResponse:
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    today = local_date(timezone.now())
    return render(
        request,
        "plan/timeline.html",
        {
            "profile": profile,
            "is_self": profile.user_id == request.user.pk,
            "timeline": selectors.timeline_of(profile, today),
        },
    )
