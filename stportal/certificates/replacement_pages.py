"""Pages for a new original of a lost course certificate (C19; seed 000): the trainee asks for
one from their certificates page, and the course administration sees the open requests and
reissues or declines each. Reads through `certificates.selectors`, writes through
`certificates.replacements`; who may do what is `certificates.permissions`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stportal.certificates import permissions, replacements, selectors
from stportal.certificates.models import ReplacementRequest
from stportal.certificates.pages import add_errors, certificate_page, certificate_row
from stportal.core import bounds
from stportal.core.errors import NotFound, PermissionDenied, ServiceError


class RequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What happened to the original?"),
        help_text=gettext_lazy(
            "For example: it never arrived in the post, or it was lost when you moved."
        ),
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write what happened to the original.")},
    )


class HandleForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment to the trainee"),
        required=False,
        max_length=bounds.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- the trainee -------------------------------------------------------------------------------


def _render_request(
    request: HttpRequest, access: selectors.CertificateAccess, form: RequestForm
) -> HttpResponse:
    return render(
        request,
        "certificates/replacement_request.html",
        {"row": certificate_row(access.certificate), "form": form},
    )


@certificate_page
def request_replacement(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The trainee asks for a new original of a lost certificate. Someone else's: 404."""
    access = selectors.get_certificate_for_user(request.user, certificate_id)
    if not permissions.is_own_certificate(request.user, access.certificate):
        raise NotFound()
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            replacements.request_replacement(
                actor=request.user,
                certificate=access.certificate,
                reason=form.cleaned_data["reason"],
            )
        except (NotFound, PermissionDenied):
            raise  # 404 and 403 are the page's own answers
        except ServiceError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your request for a new original of %(course)s is sent. The course "
                    "administration handles it and tells you by e-mail."
                )
                % {"course": access.certificate.course_title},
            )
            return redirect("certificates:mine")
    return _render_request(request, access, form)


# --- the course administration ---------------------------------------------------------------


def _render_requests(
    request: HttpRequest, forms_by_id: dict[int, tuple[HandleForm, HandleForm]] | None = None
) -> HttpResponse:
    forms_by_id = forms_by_id or {}
    rows = []
    for found in selectors.open_replacement_requests(request.user):
        reissue_form, decline_form = forms_by_id.get(
            found.pk,
            (HandleForm(prefix=f"reissue-{found.pk}"), HandleForm(prefix=f"decline-{found.pk}")),
        )
        rows.append((found, certificate_row(found.certificate), reissue_form, decline_form))
    return render(
        request,
        "certificates/replacement_requests.html",
        {"rows": rows, "handled": selectors.handled_replacement_requests(request.user)},
    )


@certificate_page
def replacement_requests(request: HttpRequest) -> HttpResponse:
    """The open requests for a new original, oldest first, and the latest handled ones."""
    if not permissions.may_use_batches(request.user):
        raise PermissionDenied(_("Only the course administration and the certifier see this."))
    return _render_requests(request)


def _handle(request: HttpRequest, request_id: int, *, reissue: bool) -> HttpResponse:
    found: ReplacementRequest = selectors.get_replacement_request_for_handling(
        request.user, request_id
    )
    reissue_form = HandleForm(request.POST if reissue else None, prefix=f"reissue-{found.pk}")
    decline_form = HandleForm(None if reissue else request.POST, prefix=f"decline-{found.pk}")
    form = reissue_form if reissue else decline_form
    if form.is_valid():
        try:
            if reissue:
                replacements.reissue_on_request(
                    actor=request.user, request=found, comment=form.cleaned_data["comment"]
                )
            else:
                replacements.decline_replacement_request(
                    actor=request.user, request=found, comment=form.cleaned_data["comment"]
                )
        except (NotFound, PermissionDenied):
            raise  # 404 and 403 are the page's own answers
        except ServiceError as exc:
            add_errors(form, exc)
        else:
            name = found.certificate.trainee_name
            if reissue:
                text = _(
                    "A new original is issued for %(name)s, with a new verification code. Print "
                    "and sign it. %(name)s is told by e-mail."
                )
            else:
                text = _("The request of %(name)s is declined. %(name)s is told by e-mail.")
            messages.success(request, text % {"name": name})
            return redirect("certificates:replacement_requests")
    return _render_requests(request, {found.pk: (reissue_form, decline_form)})


@certificate_page
@require_POST
def reissue_on_request(request: HttpRequest, request_id: int) -> HttpResponse:
    return _handle(request, request_id, reissue=True)


@certificate_page
@require_POST
def decline_request(request: HttpRequest, request_id: int) -> HttpResponse:
    return _handle(request, request_id, reissue=False)
