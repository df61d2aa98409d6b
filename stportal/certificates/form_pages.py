"""The page of Socialstyrelsen's course-certificate forms (C18a): which form each curriculum
version prints on, per region and for the installation, and uploading a new one. Staff of a
region upload for it; a superuser also for the whole installation (`certificates.permissions`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.accounts.models import Region
from stportal.certificates import permissions, services
from stportal.certificates.pages import VERSION_LABELS, certificate_page, form_rows
from stportal.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed

INSTALLATION = "installation"


class UploadForm(forms.Form):
    """C18a: Socialstyrelsen's fillable course-certificate form for one curriculum version, for
    one of the person's regions (a superuser may also upload the installation's form)."""

    region = forms.ChoiceField(label=gettext_lazy("For"), widget=forms.RadioSelect)
    version = forms.ChoiceField(
        label=gettext_lazy("Curriculum version"),
        choices=[
            ("", gettext_lazy("Recognise it from the form")),
            ("2015", gettext_lazy("2015 (SOSFS 2015:8, bilaga 5)")),
            ("2021", gettext_lazy("2021 (HSLF-FS 2021:8, bilaga 10)")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("The form (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": gettext_lazy("Choose the PDF file to upload.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = []
        if permissions.may_upload_installation_form(user):
            choices.append((INSTALLATION, _("The whole installation (regions without a form)")))
        regions = Region.objects.filter(pk__in=permissions.form_upload_region_ids(user)).order_by(
            "name", "pk"
        )
        choices += [(str(region.pk), region.name) for region in regions]
        self.fields["region"].choices = choices
        self.only_choice = choices[0][0] if len(choices) == 1 else None
        if self.only_choice is not None:
            # One place to upload for: it is chosen already.
            self.fields["region"].initial = self.only_choice
            self.fields["region"].required = False
        self.fields["file"].help_text = _(
            "The fillable PDF as Socialstyrelsen publishes it, at most %(limit)s. It is checked "
            "for every field the certificate fills, and links, actions, attached files and "
            "scripts are removed before it is kept."
        ) % {"limit": filesizeformat(services.form_size_limit())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            services.check_form_size(upload.size)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.fields["file"]) from exc
        return upload

    def chosen_region(self) -> Region | None:
        value = self.cleaned_data.get("region") or self.only_choice
        return None if value == INSTALLATION else Region.objects.get(pk=int(value))


@certificate_page
def certificate_forms(request: HttpRequest) -> HttpResponse:
    """Which form each curriculum version prints on, per region, and uploading a new one."""
    if not permissions.may_list_forms(request.user):
        raise PermissionDenied(_("Only course administrators and study directors may do this."))
    missing_fields: list[str] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            version = form.cleaned_data["version"] or None
            region = form.chosen_region()
            try:
                before = {
                    v: getattr(services.current_form(v, region), "pk", None)
                    for v in ("2015", "2021")
                }
                saved = services.upload_certificate_form(
                    actor=request.user,
                    pdf_bytes=upload.read(),
                    region=region,
                    version=version,
                    filename=upload.name or "",
                )
            except (NotFound, PermissionDenied):
                raise  # 404 and 403 are the page's own answers
            except ServiceError as exc:
                missing_fields = list(exc.extra.get("missing_fields", []))
                if exc.fields:
                    for name, found in exc.fields.items():
                        target = "version" if name == "version" else "file"
                        for message in found:
                            form.add_error(target, message)
                else:
                    form.add_error("file", exc.message)
            else:
                label = VERSION_LABELS[saved.version]
                if before.get(saved.version) == saved.pk:
                    messages.info(
                        request,
                        _("This is already the current form for %(version)s: nothing changed.")
                        % {"version": label},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "The form for %(version)s is uploaded. Certificates are printed on "
                            "it from now on."
                        )
                        % {"version": label},
                    )
                return redirect("certificates:forms")
    else:
        form = UploadForm(user=request.user)
    return render(
        request,
        "certificates/forms.html",
        {"form": form, "forms": form_rows(request.user), "missing_fields": missing_fields},
    )
