"""Who may upload, replace and list Socialstyrelsen's certificate forms (C18a; SPEC 2; security
review finding 4). The admin, the pages, the API and the upload service all ask here.

- A region's form: a superuser, or staff of that region (course admin or regional study
  director there).
- The installation's form, used by every region without its own: a superuser only.
- Listing: superusers see every form; staff see their own regions' forms and the
  installation's (which their certificates fall back on).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from stportal.accounts.models import Region, User
from stportal.certificates.models import CertificateForm
from stportal.core.permissions import staff_region_ids


def _active(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _is_superuser(user: User | None) -> bool:
    return _active(user) and bool(user.is_superuser)  # type: ignore[union-attr]


def form_upload_region_ids(user: User | None) -> frozenset[int]:
    """The regions whose forms this person may upload (every region for a superuser)."""
    if _is_superuser(user):
        return frozenset(Region.objects.values_list("pk", flat=True))
    if not _active(user):
        return frozenset()
    return staff_region_ids(user)


def may_upload_form(user: User | None, region: Region | int | None) -> bool:
    """May `user` upload (and so replace) the form of `region`, None being the installation?
    A `user` of None is the system itself (commands, the demo)."""
    if user is None:
        return True
    if _is_superuser(user):
        return True
    if region is None or not _active(user):
        return False
    region_id = region if isinstance(region, int) else region.pk
    return region_id in staff_region_ids(user)


def may_upload_installation_form(user: User | None) -> bool:
    return may_upload_form(user, None)


def may_upload_any_form(user: User | None) -> bool:
    """Whether the forms page and the upload endpoint are open to this person at all."""
    return _is_superuser(user) or bool(form_upload_region_ids(user))


def may_list_forms(user: User | None) -> bool:
    return may_upload_any_form(user)


def forms_visible_to(user: User | None) -> QuerySet[CertificateForm]:
    """The stored forms this person may see (without their PDF bytes)."""
    forms = CertificateForm.objects.defer("pdf")
    if _is_superuser(user):
        return forms
    if not _active(user):
        return forms.none()
    regions = staff_region_ids(user)
    if not regions:
        return forms.none()
    return forms.filter(Q(region__in=regions) | Q(region__isnull=True))
