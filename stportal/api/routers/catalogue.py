"""The course catalogue (SPEC 5 P2): the region's programme and external courses, by goal and
subject; providers preferred or other. Everyone reads the catalogue of their own regions; staff
of a region add its providers and external courses."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from stportal.accounts import selectors as account_selectors
from stportal.api.auth import AUTH, STAFF_AUTH, caller
from stportal.api.errors import resolve_together
from stportal.api.schemas import MAX_GOALS, GoalCode
from stportal.api.types import Amount, Day, Id, ShortText, Text, TextOf
from stportal.catalogue import listing, selectors, services
from stportal.catalogue.models import ExternalCourse, Provider
from stportal.core import bounds
from stportal.core.dates import local_date
from stportal.core.errors import ValidationFailed
from stportal.courses.selectors import resolve_goals

router = Router(tags=["catalogue"])

MAX_SUBJECTS = 100


class GoalTagOut(Schema):
    version: str = Field(description="The curriculum version: `2015` or `2021`.")
    code: str
    title: str


class SubjectTagOut(Schema):
    id: int
    name: str


class CatalogueEntryOut(Schema):
    kind: str = Field(description="`programme` (the region's own) or `external`.")
    id: int = Field(description="The course's id (a programme course or an external course).")
    region_id: int
    title: str
    description: str
    provider: str = Field(description="The provider's name (the region for its programme).")
    provider_id: int | None
    preferred: bool = Field(description="A preferred provider: the region's own.")
    needs_exception: bool = Field(
        description="A course of an *other* provider needs the study director's exception."
    )
    url: str = Field(description="The provider's page, or the course week's page.")
    week_id: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    place: str
    cost: int | None = Field(description="Whole SEK; 0 for the free programme courses.")
    certified: bool = Field(description="Gives Socialstyrelsen's course certificate.")
    goals: list[GoalTagOut]
    subjects: list[SubjectTagOut]


class CatalogueQuery(Schema):
    q: ShortText = Field("", description="Words in the title, description, provider or place.")
    goal: GoalCode = Field("", description="A goal's code (`a1`, `STa3`).")  # type: ignore[valid-type]
    subject: Id | None = Field(
        None, description="A mandatory subject's id: the courses that serve it."
    )
    kind: Literal["", "programme", "external", "preferred", "other"] = ""


@router.get(
    "/catalogue",
    auth=AUTH,
    response=list[CatalogueEntryOut],
    summary="Search the course catalogue of the caller's regions",
)
def list_catalogue(request: HttpRequest, filters: Query[CatalogueQuery]) -> list[listing.Entry]:
    """The region's own programme (published course weeks that have not ended) and the
    external courses, narrowed by every criterion given. A subject matches the courses that
    name it and those that serve all of its goals. An unknown subject answers 422."""
    user = caller(request)
    subject = None
    if filters.subject is not None:
        subject = selectors.subject_by_id(filters.subject)
        if subject is None:
            raise ValidationFailed({"subject": [_("Unknown mandatory subject.")]})
    return selectors.catalogue_for(
        user,
        today=local_date(timezone.now()),
        query=filters.q,
        goal=filters.goal,
        subject=subject,
        kind=filters.kind,
    ).entries


class ProviderOut(Schema):
    id: int
    region_id: int
    name: str
    kind: str = Field(description="`preferred` (the region's own) or `other`.")
    preferred: bool
    url: str
    description: str


class ProviderIn(Schema):
    model_config = ConfigDict(extra="forbid")

    region: Id | ShortText | None = Field(
        None, description="Region id or code; needed only by staff of several regions."
    )
    name: TextOf(Provider, "name")  # type: ignore[valid-type]
    kind: Literal["preferred", "other"] = "other"
    url: TextOf(Provider, "url") = ""  # type: ignore[valid-type]
    description: Text(bounds.DESCRIPTION_MAX_LENGTH) = ""  # type: ignore[valid-type]


@router.get(
    "/providers", auth=AUTH, response=list[ProviderOut], summary="The providers of the catalogue"
)
def list_providers(request: HttpRequest) -> QuerySet[Provider]:
    return selectors.providers_for(caller(request))


@router.post("/providers", auth=STAFF_AUTH, response={201: ProviderOut}, summary="Add a provider")
def create_provider(request: HttpRequest, payload: ProviderIn) -> Status:
    """Staff of the region: a provider is preferred (the region's own) or other. Its name is
    unique in the region (422 naming `name`)."""
    user = caller(request)
    region = account_selectors.resolve_staff_region(user, payload.region)
    provider = services.create_provider(
        actor=user,
        region=region,
        name=payload.name,
        kind=payload.kind,
        url=payload.url,
        description=payload.description,
    )
    return Status(201, provider)


class ExternalGoalsIn(Schema):
    """Goals by code per curriculum version."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    v2015: list[GoalCode] = Field(default_factory=list, alias="2015", max_length=MAX_GOALS)  # type: ignore[valid-type]
    v2021: list[GoalCode] = Field(default_factory=list, alias="2021", max_length=MAX_GOALS)  # type: ignore[valid-type]


class ExternalCourseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    provider_id: Id
    title: TextOf(ExternalCourse, "title")  # type: ignore[valid-type]
    url: TextOf(ExternalCourse, "url") = ""  # type: ignore[valid-type]
    start_date: Day | None = None
    end_date: Day | None = None
    place: TextOf(ExternalCourse, "place") = ""  # type: ignore[valid-type]
    cost: Amount | None = Field(None, description="Whole SEK.")
    certified: bool = False
    description: Text(bounds.DESCRIPTION_MAX_LENGTH) = ""  # type: ignore[valid-type]
    goals: ExternalGoalsIn = Field(default_factory=ExternalGoalsIn)
    subject_ids: list[Id] = Field(default_factory=list, max_length=MAX_SUBJECTS)


class ExternalCourseOut(Schema):
    id: int
    provider_id: int
    title: str
    url: str
    start_date: dt.date | None
    end_date: dt.date | None
    place: str
    cost: int | None
    certified: bool
    description: str
    goals: dict[str, list[str]]
    subject_ids: list[int]

    @staticmethod
    def resolve_goals(obj: Any) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {"2015": [], "2021": []}
        for goal in obj.goals.select_related("version"):
            found.setdefault(goal.version.code, []).append(goal.code)
        return {version: sorted(codes) for version, codes in found.items()}

    @staticmethod
    def resolve_subject_ids(obj: Any) -> list[int]:
        return sorted(s.pk for s in obj.subjects.all())


def _subjects(ids: list[int]) -> list:
    found = selectors.subjects_by_id(ids)
    unknown = sorted(set(ids) - set(found))
    if unknown:
        raise ValidationFailed(
            {
                "subject_ids": [
                    _("Unknown mandatory subject: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
                ]
            }
        )
    return list(found.values())


@router.post(
    "/external-courses",
    auth=STAFF_AUTH,
    response={201: ExternalCourseOut},
    summary="Add an external course to the catalogue",
)
def create_external_course(request: HttpRequest, payload: ExternalCourseIn) -> Status:
    """Staff of the provider's region (404 for a provider outside it). Goals by code per
    curriculum version, mandatory subjects by id; unknown ones answer 422."""
    user = caller(request)
    provider = selectors.get_provider_for_staff(user, payload.provider_id)
    goals = payload.goals
    refs = resolve_together(
        goals=lambda: resolve_goals({"2015": goals.v2015, "2021": goals.v2021}),
        subjects=lambda: _subjects(payload.subject_ids),
    )
    course = services.create_external_course(
        actor=user,
        provider=provider,
        title=payload.title,
        url=payload.url,
        start_date=payload.start_date,
        end_date=payload.end_date,
        place=payload.place,
        cost=payload.cost,
        certified=payload.certified,
        description=payload.description,
        goals=refs["goals"],
        subjects=refs["subjects"],
    )
    return Status(201, course)
