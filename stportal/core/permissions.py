"""Who may use the back office (the Django admin), and which regions' objects they see.

The admin is for course admins and regional study directors (SPEC 2, the staff roles), each
within the regions where they hold the role, and for superusers, who see everything. Access
comes from RoleAssignment rows, not from Django's `is_staff` flag or model permissions, so that
giving someone a staff role in a region is all it takes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from stportal.accounts.models import STAFF_ROLES, RoleAssignment
from stportal.core.errors import PermissionDenied

_CACHE_ATTRIBUTE = "_stportal_staff_region_ids"
# The region a person holding staff roles in several regions has chosen to work in (SPEC 2:
# roles are held within a region), kept in their session; unset, they act in all of them.
ACTIVE_REGION_SESSION_KEY = "stportal_active_region"
_ACTIVE_ATTRIBUTE = "_stportal_active_region"


def all_staff_region_ids(user) -> frozenset[int]:
    """Every region where the person is course admin or regional study director (cached on
    the user object for the request), whichever they have chosen to work in."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, role__in=STAFF_ROLES).values_list(
                "region_id", flat=True
            )
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def staff_region_ids(user) -> frozenset[int]:
    """The regions where the person acts as course admin or regional study director: all of
    them, or the one they have switched to (`work_in_region`)."""
    found = all_staff_region_ids(user)
    active = getattr(user, _ACTIVE_ATTRIBUTE, None)
    if active is not None and active in found:
        return frozenset({active})
    return found


def work_in_region(user, region_id: int | None) -> None:
    """Narrow the person's staff powers to one of their regions for this request (None: all
    of them). The middleware applies the choice kept in the session to every request."""
    setattr(user, _ACTIVE_ATTRIBUTE, region_id)


def active_region_id(user) -> int | None:
    """The region the person has switched to, when it is still one of theirs."""
    active = getattr(user, _ACTIVE_ATTRIBUTE, None)
    return active if active in all_staff_region_ids(user) else None


def require_staff(user) -> frozenset[int]:
    """The caller's staff regions; 403 for anyone who is staff nowhere (SPEC 2)."""
    regions = staff_region_ids(user)
    if not regions:
        raise PermissionDenied(_("Only course administrators and study directors may do this."))
    return regions


def can_use_admin(user) -> bool:
    """Superusers and holders of a staff role anywhere may open the back office."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or staff_region_ids(user))


def scope_to_regions(user, queryset: QuerySet, region_lookup: str | None) -> QuerySet:
    """Narrow `queryset` to the user's staff regions. `region_lookup` is the path from the
    model to its Region (`"pk"` for Region itself); None means the rows are shared by all
    regions (curricula)."""
    if region_lookup is None or user.is_superuser:
        return queryset
    regions = staff_region_ids(user)
    if region_lookup == "pk":
        return queryset.filter(pk__in=regions)
    return queryset.filter(**{f"{region_lookup}__in": regions})


@dataclass(frozen=True)
class AuditScope:
    """How to find the region of an audited object: the model label and the lookup path."""

    label: str
    region_lookup: str


# Audit events name their object by type and id only; these say which region each type of
# object belongs to, so that a course admin sees the audit trail of their own regions only.
# Other apps add their models with `register_audit_scope`; an event on an unlisted type is
# shown to superusers only.
AUDIT_SCOPES: dict[str, AuditScope] = {}


def register_audit_scope(label: str, region_lookup: str) -> None:
    AUDIT_SCOPES[label.lower()] = AuditScope(label.lower(), region_lookup)


for _label, _lookup in (
    ("accounts.region", "pk"),
    ("accounts.area", "region"),
    ("accounts.homeunit", "region"),
    ("accounts.roleassignment", "region"),
    ("accounts.traineeprofile", "home_unit__region"),
    ("accounts.plannedcompletionchange", "trainee__home_unit__region"),
    ("accounts.user", "role_assignments__region"),
    ("accounts.apitoken", "user__role_assignments__region"),
    ("courses.courseseries", "region"),
    ("courses.courseweek", "series__region"),
    ("courses.course", "week__series__region"),
    ("registrations.registration", "course_week__series__region"),
    ("registrations.registrationline", "registration__course_week__series__region"),
    ("registrations.fee", "registration__course_week__series__region"),
):
    register_audit_scope(_label, _lookup)


def audit_events_in_scope(user, queryset: QuerySet, scopes: Iterable[AuditScope] | None = None):
    """Audit events about objects in the user's staff regions (all events for superusers)."""
    if user.is_superuser:
        return queryset
    regions = staff_region_ids(user)
    if not regions:
        return queryset.none()
    condition = Q(pk__in=[])
    for scope in scopes if scopes is not None else AUDIT_SCOPES.values():
        try:
            model = apps.get_model(scope.label)
        except LookupError:
            continue
        if scope.region_lookup == "pk":
            in_region = model._default_manager.filter(pk__in=regions)
        else:
            in_region = model._default_manager.filter(**{f"{scope.region_lookup}__in": regions})
        ids = in_region.annotate(_id_text=Cast("pk", CharField())).values("_id_text")
        condition |= Q(object_type=scope.label, object_id__in=ids)
    return queryset.filter(condition)
