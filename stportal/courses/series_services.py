"""Writes on a course series (C1, C9): its priority policy, a per-series setting."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.core import audit
from stportal.core.errors import NotFound, ValidationFailed
from stportal.courses import permissions
from stportal.courses.models import CourseSeries, PriorityPolicy


def set_priority_policy(*, actor: User | None, series: CourseSeries, policy: str) -> CourseSeries:
    """Choose how a series' seats are given when a course has more on-time requests than
    seats (C9, Appendix B). Staff of the series' region only; audited in the same
    transaction. The next allocation run of its weeks uses it."""
    if policy not in PriorityPolicy.values:
        raise ValidationFailed({"priority_policy": [_("Unknown priority policy.")]})
    with transaction.atomic():
        try:
            series = CourseSeries.objects.select_for_update().get(pk=series.pk)
        except CourseSeries.DoesNotExist as exc:
            raise NotFound() from exc
        permissions.require_manage_region(actor, series.region_id)
        before = audit.snapshot(series, ["priority_policy"])
        series.priority_policy = policy
        series.save(update_fields=["priority_policy"])
        audit.record(
            actor=actor,
            action="course_series.priority_policy_changed",
            obj=series,
            before=before,
            after=audit.snapshot(series, ["priority_policy"]),
        )
    return series
