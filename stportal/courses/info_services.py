"""Writing the programme's information page (C21). Dates and deadlines are not written here:
the public page computes them from the course weeks, so they are never stale."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stportal.accounts.models import Region, User
from stportal.core import audit
from stportal.core.errors import PermissionDenied, ValidationFailed
from stportal.core.permissions import register_audit_scope
from stportal.courses import permissions
from stportal.courses.models import InformationPage

EDITABLE_FIELDS = (
    "title",
    "introduction",
    "how_to_register",
    "cancellation_and_fees",
    "lodging",
    "contact",
)


def save_information_page(*, actor: User, region: Region, **fields: Any) -> InformationPage:
    """Create or change a region's information page.

    1. Only staff of the region (course admin, regional study director) may write it.
    2. Only the page's text fields may be given; the title may not be empty.
    3. The change is audited in the same transaction, with the text before and after.
    """
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValueError(f"not fields of the information page: {', '.join(unknown)}")
    if not permissions.may_manage_region(actor, region.pk):
        raise PermissionDenied()
    values = {name: str(value).strip() for name, value in fields.items() if value is not None}
    if "title" in values and not values["title"]:
        raise ValidationFailed({"title": [_("Write a title.")]})
    with transaction.atomic():
        page = InformationPage.objects.select_for_update().filter(region=region).first()
        if page is None:
            if not values.get("title"):
                raise ValidationFailed({"title": [_("Write a title.")]})
            page = InformationPage(region=region)
            before = None
            action = "information_page.created"
        else:
            before = audit.snapshot(page, EDITABLE_FIELDS)
            action = "information_page.changed"
        for name, value in values.items():
            setattr(page, name, value)
        page.updated_by = actor
        page.save()
        after = audit.snapshot(page, EDITABLE_FIELDS)
        if before is not None:
            changed = [name for name in EDITABLE_FIELDS if before[name] != after[name]]
            before = {name: before[name] for name in changed}
            after = {name: after[name] for name in changed}
        audit.record(actor=actor, action=action, obj=page, before=before, after=after)
    return page


# The page belongs to a region: its audit events are shown to that region's staff.
register_audit_scope("courses.informationpage", "region")
