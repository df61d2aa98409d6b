"""Forms of the completion pack's pages (SPEC 5 P14)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.accounts.models import Region
from stportal.certificates.form_uploads import check_form_size, form_size_limit
from stportal.completion import permissions
from stportal.completion.selectors import KIND_LABELS
from stportal.core.errors import ValidationFailed
from stportal.funding.uploads import check_size, size_limit

INSTALLATION = "installation"
UPLOAD = "upload"
TO_COME = "to_come"


class SummaryForm(forms.Form):
    """The trainee's signed copy of a once-only certificate, or the mark that it is to come."""

    kind = forms.ChoiceField(label=gettext_lazy("Which certificate"))
    action = forms.ChoiceField(
        label=gettext_lazy("What to do"),
        choices=[
            (UPLOAD, gettext_lazy("Upload the signed copy")),
            (TO_COME, gettext_lazy("Mark it as to come")),
        ],
        widget=forms.RadioSelect,
        initial=UPLOAD,
    )
    file = forms.FileField(
        label=gettext_lazy("The signed copy (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, kinds: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
        self.fields["file"].help_text = _("A PDF of at most %(limit)s.") % {
            "limit": filesizeformat(size_limit())
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if data.get("action") == UPLOAD:
            if upload is None:
                self.add_error("file", _("Choose the PDF file to upload."))
            else:
                try:
                    check_size(upload.size)
                except ValidationFailed as exc:
                    self.add_error("file", exc.fields["file"])
        return data


class ApplicationFormUpload(forms.Form):
    """Socialstyrelsen's application for a specialist certificate, for one of the person's
    regions (a superuser may also upload the installation's form)."""

    region = forms.ChoiceField(label=gettext_lazy("For"), widget=forms.RadioSelect)
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
        regions = Region.objects.filter(pk__in=permissions.upload_region_ids(user)).order_by(
            "name", "pk"
        )
        choices += [(str(region.pk), region.name) for region in regions]
        self.fields["region"].choices = choices
        self.only_choice = choices[0][0] if len(choices) == 1 else None
        if self.only_choice is not None:
            self.fields["region"].initial = self.only_choice
            self.fields["region"].required = False
        self.fields["file"].help_text = _(
            "The fillable PDF as Socialstyrelsen publishes it (2015 bilaga 1 or 2021 bilaga 5), "
            "at most %(limit)s. The version is recognised by the form's fields."
        ) % {"limit": filesizeformat(form_size_limit())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_form_size(upload.size)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.fields["file"]) from exc
        return upload

    def chosen_region(self) -> Region | None:
        value = self.cleaned_data.get("region") or self.only_choice
        return None if value == INSTALLATION else Region.objects.get(pk=int(value))
