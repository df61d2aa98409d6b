"""What the registers ask of a person now (the start page's list): registers of finished
courses not yet closed, for the course's leaders and the region's staff."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from stportal.accounts.models import User
from stportal.core.dates import local_date
from stportal.core.permissions import staff_region_ids
from stportal.core.waiting import Waiting
from stportal.courses.models import Course
from stportal.courses.states import StoredState


def waiting_for(user: User) -> list[Waiting]:
    today = local_date(timezone.now())
    mine = Q(leaders=user) | Q(week__series__region_id__in=staff_region_ids(user))
    # A register waits from the course week's last day until it is closed (C17).
    count = (
        Course.objects.filter(
            mine,
            removed_at__isnull=True,
            week__end_date__lte=today,
            week__stored_state=StoredState.ALLOCATED,
        )
        .exclude(register__closed_at__isnull=False)
        .distinct()
        .count()
    )
    return [
        Waiting(
            ngettext(
                "%(count)d course register to fill in and close",
                "%(count)d course registers to fill in and close",
                count,
            )
            % {"count": count},
            count,
            reverse("attendance:courses"),
            order=30,
        )
    ]
