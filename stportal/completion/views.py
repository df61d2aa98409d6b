"""Pages of the completion pack (SPEC 5 P14), mounted at /specialistansokan/.

- "Ansökan om specialistbevis": the trainee's pack, numbered *Bilaga nr*, with what is missing
  and the downloads; the trainee uploads the summary certificates or marks them as to come.
  Whoever may read the record reads it.
- The two downloads: the numbered list of attachments, and one PDF of the whole pack.
- Staff upload Socialstyrelsen's application forms.
Server-rendered and working without JavaScript; reads through the selectors, writes through
the services, which decide who may on their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stportal.completion import documents, permissions, selectors, services
from stportal.completion.forms import TO_COME, ApplicationFormUpload, SummaryForm
from stportal.completion.models import ApplicationForm
from stportal.core import pages
from stportal.core.errors import NotFound, PermissionDenied, ServiceError


def _to_pack(request: HttpRequest, kwargs: dict) -> HttpResponse:
    trainee_id = kwargs.get("trainee_id")
    if trainee_id is None:
        return redirect("completion:forms")
    return redirect("completion:pack", trainee_id)


page = pages.service_page(pages.message_and_redirect(_to_pack))


def _render_pack(
    request: HttpRequest, pack: selectors.PackView, form: SummaryForm | None, status: int = 200
) -> HttpResponse:
    profile = pack.profile
    is_self = profile.user_id == request.user.pk
    kinds = services.summary_kinds(profile)
    return render(
        request,
        "completion/pack.html",
        {
            "pack": pack,
            "profile": profile,
            "is_self": is_self,
            "may_upload_forms": permissions.may_list_forms(request.user),
            "summary_form": form or (SummaryForm(kinds=kinds) if is_self else None),
            "summary_rows": [
                (kind, selectors.KIND_LABELS[kind], pack.summaries.get(kind)) for kind in kinds
            ],
        },
        status=status,
    )


@page
def pack(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The trainee's application for a specialist certificate: attachments and what is missing."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    return _render_pack(request, selectors.pack_for(profile), None)


@page
@require_POST
def summary(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The trainee uploads a summary certificate, or marks it as to come."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    permissions.check_may_keep_summary(request.user, profile)
    form = SummaryForm(request.POST, request.FILES, kinds=services.summary_kinds(profile))
    if form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        to_come = data["action"] == TO_COME
        try:
            services.keep_summary_certificate(
                actor=request.user,
                trainee=profile,
                kind=data["kind"],
                data=None if to_come or upload is None else upload.read(),
                filename="" if to_come or upload is None else upload.name or "",
            )
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as exc:
            for problems in exc.fields.values():
                for problem in problems:
                    form.add_error("file", problem)
            if not exc.fields:
                form.add_error(None, pages.refusal_text(exc))
        else:
            label = selectors.KIND_LABELS[data["kind"]]
            messages.success(
                request,
                (
                    _("“%(kind)s” is marked as to come.")
                    if to_come
                    else _("The signed copy of “%(kind)s” is kept.")
                )
                % {"kind": label},
            )
            return redirect(reverse("completion:pack", args=[profile.pk]) + "#summary")
    return _render_pack(request, selectors.pack_for(profile), form, status=422)


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@page
def attachment_list(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The numbered list of attachments (PDF)."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    body = documents.attachment_list_pdf(selectors.pack_for(profile))
    return _pdf(body, f"bilagor-{trainee_id}.pdf")


@page
def pack_pdf(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The whole pack as one PDF."""
    profile = selectors.get_trainee_for_user(request.user, trainee_id)
    pack = selectors.pack_for(profile)
    return _pdf(documents.pack_pdf(pack, form=pack.form), f"specialistansokan-{trainee_id}.pdf")


@page
@require_http_methods(["GET", "POST"])
def application_forms(request: HttpRequest) -> HttpResponse:
    """Staff: Socialstyrelsen's application forms in use, and uploading a new one."""
    if not permissions.may_list_forms(request.user):
        raise PermissionDenied(_("Only course administrators and study directors may do this."))
    form = ApplicationFormUpload(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            saved = services.upload_application_form(
                actor=request.user,
                pdf_bytes=upload.read(),
                region=form.chosen_region(),
                filename=upload.name or "",
            )
        except (NotFound, PermissionDenied):
            raise
        except ServiceError as exc:
            for problems in exc.fields.values():
                for problem in problems:
                    form.add_error("file", problem)
            if not exc.fields:
                form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                _("The application form %(form)s is uploaded.")
                % {"form": saved.get_version_display()},
            )
            return redirect("completion:forms")
    region_ids = permissions.upload_region_ids(request.user)
    current = (
        ApplicationForm.objects.defer("pdf")
        .select_related("region", "uploaded_by")
        .filter(region_id__in=region_ids)
        .order_by("region__name", "version", "-uploaded_at", "-id")
    )
    installation = (
        ApplicationForm.objects.defer("pdf")
        .select_related("uploaded_by")
        .filter(region=None)
        .order_by("version", "-uploaded_at", "-id")
    )
    return render(
        request,
        "completion/forms.html",
        {"form": form, "uploaded": list(installation) + list(current)},
        status=422 if form.errors else 200,
    )
