"""Reads of the course catalogue with a business meaning (SPEC 5 P2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from stportal.accounts.models import User
from stportal.catalogue import listing, permissions
from stportal.catalogue.models import ExternalCourse, Provider, ProviderKind
from stportal.core.errors import NotFound
from stportal.core.permissions import staff_region_ids
from stportal.courses import permissions as course_permissions
from stportal.courses.models import Course, CourseWeek
from stportal.courses.states import StoredState
from stportal.curricula.coverage import SubjectRef
from stportal.curricula.models import Goal, MandatorySubject


def provider_named(*, region_id: int, name: str) -> Provider | None:
    """The region's provider of this name (case and surrounding spaces ignored), or None."""
    return Provider.objects.filter(region_id=region_id, name__iexact=name.strip()).first()


def provider_is_preferred(*, region_id: int, name: str) -> bool:
    """Whether a course of this provider needs no exception (P2): only the region's preferred
    providers; an unknown provider is an *other* provider."""
    provider = provider_named(region_id=region_id, name=name)
    return provider is not None and provider.kind == ProviderKind.PREFERRED


# --- Providers and external courses ------------------------------------------------------------


def providers_for(user: User) -> QuerySet[Provider]:
    """The providers of the catalogues the person reads."""
    return Provider.objects.filter(region_id__in=permissions.reader_region_ids(user)).order_by(
        "region_id", "name", "pk"
    )


def get_provider_for_staff(user: User | None, provider_id: int) -> Provider:
    """A provider the person may change: 403 for someone who is staff nowhere, 404 for one
    outside their regions or unknown."""
    permissions.check_staff_anywhere(user)
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is None or not permissions.may_manage_catalogue(user, provider.region_id):
        raise NotFound()
    return provider


def get_external_course_for_staff(user: User | None, course_id: int) -> ExternalCourse:
    permissions.check_staff_anywhere(user)
    course = ExternalCourse.objects.select_related("provider").filter(pk=course_id).first()
    if course is None or not permissions.may_manage_catalogue(user, course.provider.region_id):
        raise NotFound()
    return course


def subject_by_id(subject_id: int | None) -> MandatorySubject | None:
    if subject_id is None:
        return None
    return MandatorySubject.objects.prefetch_related("goals").filter(pk=subject_id).first()


def subjects_by_id(ids: list[int]) -> dict[int, MandatorySubject]:
    return {s.pk: s for s in MandatorySubject.objects.filter(pk__in=set(ids))}


# --- The catalogue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    entries: list[listing.Entry]
    region_ids: frozenset[int]
    manages: bool  # the reader is staff of one of the regions (edits in the back office)


def _goal_tags(goals) -> tuple[listing.GoalTag, ...]:
    return tuple(
        listing.GoalTag(version=g.version.code, code=g.code, title=g.title)
        for g in sorted(goals, key=lambda g: (g.version.code, g.position, g.code))
    )


def _goals_prefetch() -> Prefetch:
    return Prefetch("goals", queryset=Goal.objects.select_related("version"))


def programme_entries(region_ids: set[int], *, today: dt.date) -> list[listing.Entry]:
    """The courses of the regions' published course weeks that have not ended (two queries):
    the region's own programme, free of charge (C20), with a course certificate; and those of
    other regions' weeks opened to the regions (C23), at the price per seat the reader's region
    pays for a guest."""
    guest_weeks = CourseWeek.objects.filter(course_permissions.open_to_guests_from(region_ids))
    courses = (
        Course.objects.filter(
            Q(week__series__region_id__in=region_ids) | Q(week__in=guest_weeks.values("pk")),
            week__stored_state__in=(StoredState.PUBLISHED, StoredState.ALLOCATED),
            week__end_date__gte=today,
            removed_at__isnull=True,
        )
        .select_related("week", "week__series", "week__series__region")
        .prefetch_related(_goals_prefetch())
    )
    return [
        listing.Entry(
            kind=listing.PROGRAMME,
            id=course.pk,
            region_id=course.week.series.region_id,
            title=course.title,
            description=course.description,
            provider=course.week.series.region.name,
            preferred=True,
            url=reverse("courses:week", args=[course.week_id]),
            week_id=course.week_id,
            start_date=course.week.start_date,
            end_date=course.week.end_date,
            place=course.week.place,
            cost=0 if course.week.series.region_id in region_ids else course.week.guest_seat_price,
            certified=True,
            goals=_goal_tags(course.goals.all()),
        )
        for course in courses
    ]


def external_entries(region_ids: set[int], *, today: dt.date) -> list[listing.Entry]:
    """The regions' external courses that have not ended, and the undated ones (three
    queries)."""
    not_ended = (
        Q(end_date__gte=today)
        | Q(end_date__isnull=True, start_date__gte=today)
        | Q(end_date__isnull=True, start_date__isnull=True)
    )
    courses = (
        ExternalCourse.objects.filter(not_ended, provider__region_id__in=region_ids)
        .select_related("provider")
        .prefetch_related(_goals_prefetch(), "subjects")
    )
    return [
        listing.Entry(
            kind=listing.EXTERNAL,
            id=course.pk,
            region_id=course.provider.region_id,
            title=course.title,
            description=course.description,
            provider=course.provider.name,
            provider_id=course.provider_id,
            preferred=course.provider.kind == ProviderKind.PREFERRED,
            url=course.url,
            start_date=course.start_date,
            end_date=course.end_date,
            place=course.place,
            cost=course.cost,
            certified=course.certified,
            goals=_goal_tags(course.goals.all()),
            subjects=tuple(
                listing.SubjectTag(id=s.pk, name=s.name)
                for s in sorted(course.subjects.all(), key=lambda s: (s.position, s.pk))
            ),
        )
        for course in courses
    ]


def subject_ref(subject: MandatorySubject) -> SubjectRef:
    return SubjectRef(
        id=subject.pk,
        name=subject.name,
        goal_codes=frozenset(goal.code for goal in subject.goals.all()),
    )


def catalogue_for(
    user: User,
    *,
    today: dt.date,
    query: str = "",
    goal: str = "",
    subject: MandatorySubject | None = None,
    kind: str = "",
) -> Catalogue:
    """The catalogue of the person's regions, narrowed by the search, in a constant number of
    queries whatever the number of courses."""
    region_ids = permissions.reader_region_ids(user)
    entries = []
    if region_ids:
        entries = programme_entries(region_ids, today=today) + external_entries(
            region_ids, today=today
        )
    found = listing.search(
        entries,
        query=query,
        goal=goal,
        subject=subject_ref(subject) if subject is not None else None,
        kind=kind,
    )
    manages = bool(user.is_superuser or set(staff_region_ids(user)) & region_ids)
    return Catalogue(entries=found, region_ids=frozenset(region_ids), manages=manages)


def goal_choices() -> list[Goal]:
    """The general goals of the 2015 and 2021 curricula, to search by (one query)."""
    return list(
        Goal.objects.filter(specialty__isnull=True, version__code__in=("2015", "2021"))
        .select_related("version")
        .order_by("version__code", "position", "code")
    )


def subject_choices() -> list[MandatorySubject]:
    """Every mandatory subject, by specialty and curriculum version (one query)."""
    return list(
        MandatorySubject.objects.select_related("specialty", "version").order_by(
            "specialty__name", "version__code", "position", "pk"
        )
    )
