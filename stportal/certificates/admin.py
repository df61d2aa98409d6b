"""Back office for course certificates, print batches and Socialstyrelsen's forms (C18a, C19).

Certificates and batches are read-only here; admin actions move them on through the services
(STYLE rules 1 and 5). A new form is uploaded here too, for one of the person's regions (a
superuser's also for the whole installation): the upload is checked, stripped of everything
active and kept by `upload_certificate_form` (C18a); a stored form is never changed or deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stportal.accounts.models import Region
from stportal.certificates import form_uploads, lifecycle, services
from stportal.certificates import permissions as form_permissions
from stportal.certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateForm,
    FormVersion,
    ReplacementRequest,
)
from stportal.certificates.pdf import inspect_form
from stportal.core import permissions
from stportal.core.admin import ReadOnlyAdmin, StaffModelAdmin, adopt
from stportal.core.errors import ServiceError, ValidationFailed


class UploadFormForm(forms.ModelForm):
    region = forms.ModelChoiceField(
        label=_("region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("The whole installation (superusers only)"),
        help_text=_("The region whose certificates are issued on this form."),
    )
    upload = forms.FileField(
        label=_("PDF"),
        help_text=_("Socialstyrelsen's fillable course-certificate form (AcroForm)."),
    )
    version = forms.ChoiceField(
        label=_("curriculum version"),
        choices=[("", _("Detect from the form")), *FormVersion.choices],
        required=False,
    )

    class Meta:
        model = CertificateForm
        fields: list[str] = []

    user = None  # set per request by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region_ids = form_permissions.form_upload_region_ids(self.user)
        self.fields["region"].queryset = Region.objects.filter(pk__in=region_ids).order_by("name")
        if not form_permissions.may_upload_installation_form(self.user):
            self.fields["region"].required = True
            self.fields["region"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        if "region" in cleaned and not form_permissions.may_upload_form(self.user, region):
            self.add_error(
                "region", gettext("You may upload certificate forms only for your own regions.")
            )
            return cleaned
        upload = cleaned.get("upload")
        if upload is None:
            return cleaned
        try:
            services.check_form_size(upload.size)
        except ValidationFailed as exc:
            self.add_error("upload", exc.fields["file"])
            return cleaned
        data = upload.read()
        check = inspect_form(data, cleaned.get("version") or None)
        if not check.ok or check.version is None:
            for message in form_uploads.problem_messages(check):
                self.add_error("upload", message)
        cleaned["pdf_bytes"] = data
        return cleaned


@admin.register(CertificateForm)
class CertificateFormAdmin(StaffModelAdmin):
    """Forms of the person's regions and the installation's; uploads go through the service,
    which decides who may upload for which region (`certificates.permissions`)."""

    region_lookup = "region"
    allow_add = True
    allow_change = False
    allow_delete = False
    form = UploadFormForm
    list_display = (
        "version",
        "region_name",
        "filename",
        "size",
        "uploaded_at",
        "uploaded_by",
        "sha256",
    )
    list_filter = ("version", ("region", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("region", "uploaded_by")
    fields = ("region", "upload", "version")
    readonly_fields = ()

    def get_fields(self, request, obj=None):
        if obj is not None:
            return (
                "region",
                "version",
                "filename",
                "size",
                "sha256",
                "fields",
                "removed",
                "uploaded_at",
                "uploaded_by",
            )
        return ("region", "upload", "version")

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else ()

    def has_add_permission(self, request, *args):
        return form_permissions.may_upload_any_form(request.user)

    def scope_queryset(self, request, queryset):
        visible = form_permissions.forms_visible_to(request.user).values("pk")
        return queryset.filter(pk__in=visible)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        return type(base.__name__, (base,), {"user": request.user})

    @admin.display(description=_("region"), ordering="region__name")
    def region_name(self, form: CertificateForm) -> str:
        return form.region.name if form.region is not None else gettext("The whole installation")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        created = services.upload_certificate_form(
            actor=request.user,
            pdf_bytes=data["pdf_bytes"],
            region=data.get("region"),
            version=data.get("version") or None,
            filename=getattr(data["upload"], "name", ""),
        )
        adopt(obj, created)


class _StateActions:
    """Admin actions that move certificates on (C19) through the services."""

    def has_track_permission(self, request) -> bool:
        return request.user.is_superuser or bool(permissions.staff_region_ids(request.user))

    def _move(self, request, queryset, state: str) -> None:
        moved = 0
        for obj in queryset:
            try:
                if isinstance(obj, CertificateBatch):
                    moved += len(
                        services.set_batch_state(actor=request.user, batch=obj, state=state)
                    )
                else:
                    services.set_certificate_state(actor=request.user, certificate=obj, state=state)
                    moved += 1
            except ServiceError as exc:
                self.message_user(request, f"{obj}: {exc.message}", messages.WARNING)
        if moved:
            self.message_user(
                request,
                gettext("Certificates moved on: %(count)d.") % {"count": moved},
                messages.SUCCESS,
            )

    @admin.action(description=_("Mark as printed"), permissions=("track",))
    def mark_printed(self, request, queryset):
        self._move(request, queryset, lifecycle.PRINTED)

    @admin.action(description=_("Mark as signed"), permissions=("track",))
    def mark_signed(self, request, queryset):
        self._move(request, queryset, lifecycle.SIGNED)

    @admin.action(description=_("Mark as handed out"), permissions=("track",))
    def mark_handed_out(self, request, queryset):
        self._move(request, queryset, lifecycle.HANDED_OUT)

    @admin.action(description=_("Mark as posted"), permissions=("track",))
    def mark_posted(self, request, queryset):
        self._move(request, queryset, lifecycle.POSTED)


_STATE_ACTIONS = ("mark_printed", "mark_signed", "mark_handed_out", "mark_posted")


@admin.register(Certificate)
class CertificateAdmin(_StateActions, ReadOnlyAdmin):
    region_lookup = "line__course__week__series__region"
    list_display = (
        "trainee",
        "course",
        "version",
        "state",
        "verification_code",
        "issued_at",
        "printed_on",
        "signed_on",
        "handed_out_on",
        "posted_on",
        "revoked_at",
    )
    list_filter = (
        "state",
        "version",
        ("line__course__week", admin.RelatedOnlyFieldListFilter),
        ("line__course", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "line__registration__trainee__user__first_name",
        "line__registration__trainee__user__last_name",
        "line__course__title",
        "verification_code",
    )
    list_select_related = ("line__registration__trainee__user", "line__course__week")
    fields = (
        "line",
        "batch",
        "version",
        "form",
        "verification_code",
        "state",
        "issued_at",
        "issued_by",
        "printed_on",
        "signed_on",
        "handed_out_on",
        "posted_on",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
        "reissue_of",
        "reissue_reason",
    )
    readonly_fields = fields
    actions = _STATE_ACTIONS

    @admin.display(description=_("trainee"))
    def trainee(self, certificate: Certificate) -> str:
        return certificate.line.registration.trainee.user.display_name

    @admin.display(description=_("course"))
    def course(self, certificate: Certificate) -> str:
        return str(certificate.line.course)


@admin.register(CertificateBatch)
class CertificateBatchAdmin(_StateActions, ReadOnlyAdmin):
    region_lookup = "course__week__series__region"
    list_display = ("course", "created_at", "created_by", "size")
    list_filter = (("course__week", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("course__title", "course__week__title")
    list_select_related = ("course__week", "created_by")
    fields = ("course", "created_at", "created_by")
    readonly_fields = fields
    actions = _STATE_ACTIONS

    @admin.display(description=_("certificates"))
    def size(self, batch: CertificateBatch) -> int:
        return batch.certificates.count()


@admin.register(ReplacementRequest)
class ReplacementRequestAdmin(ReadOnlyAdmin):
    """Requests for a new original of a lost certificate (C19): read-only; they are handled on
    the certificate pages, through `certificates.replacements`."""

    region_lookup = "certificate__line__course__week__series__region"
    list_display = ("certificate", "outcome", "created_at", "handled_at", "handled_by")
    list_filter = ("outcome",)
    search_fields = (
        "trainee__user__first_name",
        "trainee__user__last_name",
        "certificate__verification_code",
    )
    list_select_related = ("certificate", "handled_by")
    fields = (
        "trainee",
        "certificate",
        "reason",
        "created_at",
        "created_by",
        "outcome",
        "handled_at",
        "handled_by",
        "comment",
        "new_certificate",
    )
    readonly_fields = fields
