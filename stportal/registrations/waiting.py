"""What the course programme asks of a person now (the start page's list): offers of a seat
to answer, registration deadlines this week, and for staff course weeks to allocate."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from stportal.accounts.models import TraineeProfile, User
from stportal.core.dates import local_date
from stportal.core.permissions import staff_region_ids
from stportal.core.waiting import Waiting
from stportal.courses.models import CourseWeek
from stportal.courses.states import StoredState, WeekState
from stportal.registrations import lines
from stportal.registrations.models import LineStatus, RegistrationLine

DEADLINE_HORIZON = dt.timedelta(days=7)


def waiting_for(user: User) -> list[Waiting]:
    now = timezone.now()
    found = []
    profile = TraineeProfile.objects.filter(user=user).select_related("home_unit").first()
    if profile is not None:
        found += _trainee_items(profile, now)
    regions = staff_region_ids(user)
    if regions:
        found += _staff_items(regions, now)
    return found


def _trainee_items(profile: TraineeProfile, now: dt.datetime) -> list[Waiting]:
    offered = RegistrationLine.objects.filter(
        registration__trainee=profile, status=LineStatus.OFFERED
    ).values_list("status", "offer_expires_at")
    offers = sum(
        lines.offer_open(status=status, offer_expires_at=expires, now=now)
        for status, expires in offered
    )
    today = local_date(now)
    registered = RegistrationLine.objects.filter(
        registration__trainee=profile, status__in=lines.ACTIVE
    ).values("registration__course_week_id")
    weeks = (
        CourseWeek.objects.filter(
            series__region_id=profile.home_unit.region_id,
            stored_state=StoredState.PUBLISHED,
            registration_deadline__gte=today,
            registration_deadline__lte=today + DEADLINE_HORIZON,
        )
        .exclude(pk__in=registered)
        .only(
            "stored_state",
            "invitation_date",
            "registration_deadline",
            "cancellation_deadline",
            "start_date",
            "end_date",
        )
    )
    closing = sum(week.state_at(now) == WeekState.PUBLISHED for week in weeks)
    return [
        Waiting(
            ngettext(
                "%(count)d offer of a seat to answer",
                "%(count)d offers of seats to answer",
                offers,
            )
            % {"count": offers},
            offers,
            reverse("registrations:mine"),
            order=10,
        ),
        Waiting(
            ngettext(
                "%(count)d course week whose registration closes within a week",
                "%(count)d course weeks whose registration closes within a week",
                closing,
            )
            % {"count": closing},
            closing,
            reverse("courses:catalogue"),
            order=20,
        ),
    ]


def _staff_items(regions: frozenset[int], now: dt.datetime) -> list[Waiting]:
    weeks = CourseWeek.objects.filter(
        series__region_id__in=regions,
        stored_state=StoredState.PUBLISHED,
        registration_deadline__lt=local_date(now),
    ).only(
        "stored_state",
        "invitation_date",
        "registration_deadline",
        "cancellation_deadline",
        "start_date",
        "end_date",
    )
    to_allocate = sum(week.state_at(now) == WeekState.CLOSED for week in weeks)
    return [
        Waiting(
            ngettext(
                "%(count)d course week to allocate (its registration has closed)",
                "%(count)d course weeks to allocate (their registration has closed)",
                to_allocate,
            )
            % {"count": to_allocate},
            to_allocate,
            reverse("staff:weeks"),
            order=20,
        )
    ]
