"""Request and response shapes of the API (Appendix A). Shapes only: no rule lives here.

Dates are ISO 8601, ids integers, money whole SEK. Personal identity numbers are always masked
in responses (`19811218-****`, SPEC 7).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from stportal.accounts.models import HomeUnit, User
from stportal.api.types import (
    Amount,
    Capacity,
    Day,
    Id,
    NoteText,
    OpenToRegions,
    Percent,
    ShortText,
    Text,
    TextOf,
)
from stportal.core import personnummer
from stportal.courses.models import Certifier, Course, CourseSeries, CourseWeek
from stportal.curricula.models import Goal

CurriculumCode = Literal["2008", "2015", "2021"]

# A series is named by id or by its name (CourseSeries.name); a goal by its code (Goal.code).
SeriesName = TextOf(CourseSeries, "name")
GoalCode = TextOf(Goal, "code")
# Lists a request may carry: a course has a few days and leaders; a curriculum ~100 goals.
MAX_DAYS = 31
MAX_LEADERS = 50
MAX_GOALS = 500


def _local(instant: dt.datetime | None) -> dt.datetime | None:
    """Instants are answered with Stockholm's offset (STYLE rule 9)."""
    return timezone.localtime(instant) if instant is not None else None


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


# --- who am I ---------------------------------------------------------------------------------


class MeOut(Schema):
    user_id: int
    username: str
    name: str
    roles: list[str]
    trainee_id: int | None


# --- organisation -----------------------------------------------------------------------------


class HomeUnitIn(Schema):
    name: TextOf(HomeUnit, "name")
    cost_centre: TextOf(HomeUnit, "cost_centre") = ""
    area: Id | None = Field(None, description="Area id, in the unit's region.")
    away_from_host_site: bool = False
    invoice_address: NoteText = ""
    region: Id | ShortText | None = Field(
        None, description="Region id or code; needed only by staff of several regions."
    )


class HomeUnitOut(Schema):
    id: int
    name: str
    cost_centre: str
    area: int | None = Field(description="Area id.")
    area_name: str | None
    away_from_host_site: bool
    invoice_address: str
    region_id: int

    @staticmethod
    def resolve_area(obj: Any) -> int | None:
        return obj.area_id

    @staticmethod
    def resolve_area_name(obj: Any) -> str | None:
        return obj.area.name if obj.area_id else None


# --- trainees ---------------------------------------------------------------------------------


class TraineeIn(Schema):
    first_name: TextOf(User, "first_name")
    last_name: TextOf(User, "last_name")
    email: TextOf(User, "email")
    personal_id: Text(20) = Field(description="Personnummer or samordningsnummer, any common form.")
    specialty: ShortText = Field(description="Code (`allmanmedicin`) or Swedish name.")
    curriculum_version: CurriculumCode
    planned_completion: Day
    home_unit_id: Id
    employment_percent: Percent = 100
    st_start: Day | None = None

    @field_validator("curriculum_version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        try:
            validate_email(value.strip())
        except DjangoValidationError as exc:
            raise ValueError(_("Enter a valid e-mail address.")) from exc
        return value.strip()


class TraineeOut(Schema):
    id: int
    user_id: int
    username: str
    first_name: str
    last_name: str
    name: str
    email: str
    personal_id: str = Field(description="Masked: birth date shown, last four digits hidden.")
    specialty: str
    specialty_name: str
    curriculum_version: str
    planned_completion: dt.date
    st_start: dt.date | None
    employment_percent: int
    home_unit_id: int
    region_id: int
    supervisor_id: int | None
    study_director_id: int | None

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return obj.user.username

    @staticmethod
    def resolve_first_name(obj: Any) -> str:
        return obj.user.first_name

    @staticmethod
    def resolve_last_name(obj: Any) -> str:
        return obj.user.last_name

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_email(obj: Any) -> str:
        return obj.user.email

    @staticmethod
    def resolve_personal_id(obj: Any) -> str:
        return personnummer.mask(obj.personal_id)

    @staticmethod
    def resolve_specialty(obj: Any) -> str:
        return obj.specialty.code

    @staticmethod
    def resolve_specialty_name(obj: Any) -> str:
        return obj.specialty.name

    @staticmethod
    def resolve_curriculum_version(obj: Any) -> str:
        return obj.curriculum_version.code

    @staticmethod
    def resolve_region_id(obj: Any) -> int:
        return obj.home_unit.region_id


# --- course series and weeks ------------------------------------------------------------------


class CourseSeriesOut(Schema):
    id: int
    name: str
    region_id: int
    region: str = Field(description="The region's code.")
    default_iso_week: int
    invitation_month: int
    deadline_day: int
    deadline_month: int
    main_goals: str
    priority_policy: str
    default_place: str
    default_capacity: int
    default_fee: int
    host_site: str

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region.code


class CourseSeriesPatch(Schema):
    """A series' settings that staff change through the API."""

    model_config = ConfigDict(extra="forbid")

    priority_policy: (
        Literal[
            "shortest_remaining",
            "longest_served",
            "shortest_served",
            "months_served_fewest_courses",
        ]
        | None
    ) = Field(
        None,
        description="C9 and Appendix B: shortest_remaining (the seed's rule), longest_served, "
        "shortest_served (early-ST courses), months_served_fewest_courses.",
    )


class CourseWeekIn(Schema):
    series: Id | SeriesName = Field(description="Series id, or its name within your region.")
    title: TextOf(CourseWeek, "title")
    start_date: Day
    end_date: Day
    place: TextOf(CourseWeek, "place") = ""
    capacity: Capacity = Field(60, description="Default for the week's courses (C3).")
    invitation_date: Day
    registration_deadline: Day
    cancellation_deadline: Day | None = Field(
        None, description="Default: 14 days before the first day (C3)."
    )
    late_cancellation_fee: Amount = Field(description="Whole SEK (C14).")
    host_site: TextOf(CourseWeek, "host_site") = ""
    certifier: Certifier | None = None
    lodging_nightly_rate: Amount | None = Field(
        None, description="Whole SEK per night for the lodging list (C20); the setting's default."
    )
    open_to_regions: OpenToRegions = Field(
        default_factory=list,
        description="C23: other regions whose trainees may register: [] (none), a list of "
        'region ids, or "all".',
    )
    guest_seat_price: Amount = Field(
        0, description="C23: whole SEK invoiced to a guest's region per course seated."
    )
    guest_lodging_nightly_rate: Amount | None = Field(
        None, description="C23: whole SEK per lodging night for guests; null: the week's own."
    )


class CourseWeekPatch(Schema):
    """Any of the creation fields; those left out keep their value. `null` is refused."""

    model_config = ConfigDict(extra="forbid")

    series: Id | SeriesName | None = None
    title: TextOf(CourseWeek, "title") | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    place: TextOf(CourseWeek, "place") | None = None
    capacity: Capacity | None = None
    invitation_date: Day | None = None
    registration_deadline: Day | None = None
    cancellation_deadline: Day | None = None
    late_cancellation_fee: Amount | None = None
    host_site: TextOf(CourseWeek, "host_site") | None = None
    certifier: Certifier | None = None
    lodging_nightly_rate: Amount | None = None
    open_to_regions: OpenToRegions | None = None
    guest_seat_price: Amount | None = None
    guest_lodging_nightly_rate: Amount | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Validators run only on values the client sent: an explicit null lands here.
        if value is None:
            raise ValueError(_("This field cannot be empty."))
        return value


class CancelIn(Schema):
    reason: TextOf(CourseWeek, "cancel_reason") = ""


class GoalsIn(Schema):
    """Goals per curriculum version: codes for 2015 and 2021, free text for 2008 (C3)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    v2015: list[GoalCode] = Field(default_factory=list, alias="2015", max_length=MAX_GOALS)
    v2021: list[GoalCode] = Field(default_factory=list, alias="2021", max_length=MAX_GOALS)
    v2008: TextOf(Course, "goals_2008_text") = Field("", alias="2008")


class CourseIn(Schema):
    title: TextOf(Course, "title")
    description: TextOf(Course, "description") = ""
    days: list[Day] = Field(default_factory=list, max_length=MAX_DAYS)
    capacity: Capacity | None = Field(None, description="Empty: follows the week's capacity (C3).")
    leader_ids: list[Id] = Field(default_factory=list, max_length=MAX_LEADERS)
    goals: GoalsIn = Field(default_factory=GoalsIn)
    goals_2008: TextOf(Course, "goals_2008_text") = Field(
        "", description="SOSFS 2008:17 goals as free text."
    )


def goals_of(course: Course) -> dict[str, Any]:
    """`{"2015": [codes], "2021": [codes], "2008": "free text"}` from prefetched goals."""
    found: dict[str, Any] = {"2015": [], "2021": []}
    for goal in course.goals.all():
        found.setdefault(goal.version.code, []).append(goal.code)
    for codes in found.values():
        codes.sort()
    found["2008"] = course.goals_2008_text
    return found


class CourseOut(Schema):
    id: int
    week_id: int
    title: str
    description: str
    days: list[dt.date]
    capacity: int
    own_capacity: int | None
    seats_taken: int = Field(description="Confirmed and offered seats (C8).")
    waiting: int = Field(description="Lines on the waiting list.")
    goals: dict[str, list[str] | str]
    leader_ids: list[int]
    removed: bool = Field(description="Removed from its week by the organiser (C4).")

    @staticmethod
    def resolve_removed(obj: Any) -> bool:
        return obj.removed_at is not None

    @staticmethod
    def resolve_days(obj: Any) -> list[dt.date]:
        return [day.date for day in obj.days.all()]

    @staticmethod
    def resolve_goals(obj: Any) -> dict[str, Any]:
        return goals_of(obj)

    @staticmethod
    def resolve_leader_ids(obj: Any) -> list[int]:
        return sorted(user.pk for user in obj.leaders.all())


class CourseWeekOut(Schema):
    id: int
    series: str = Field(description="The series' name.")
    series_id: int
    region_id: int
    title: str
    state: str = Field(
        description="draft, published, closed, allocated, running, finished, cancelled (C4)."
    )
    start_date: dt.date
    end_date: dt.date
    place: str
    capacity: int
    invitation_date: dt.date
    registration_deadline: dt.date
    cancellation_deadline: dt.date
    late_cancellation_fee: int
    host_site: str
    certifier: str
    lodging_nightly_rate: int
    open_to_regions: str | list[int] = Field(
        description='C23: the other regions whose trainees may register: "all" or their ids.'
    )
    guest_seat_price: int
    guest_lodging_nightly_rate: int | None
    published_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str

    @staticmethod
    def resolve_series(obj: Any) -> str:
        return obj.series.name

    @staticmethod
    def resolve_region_id(obj: Any) -> int:
        return obj.series.region_id

    @staticmethod
    def resolve_open_to_regions(obj: CourseWeek) -> str | list[int]:
        if obj.open_to_all_regions:
            return "all"
        return sorted(region.pk for region in obj.open_to_regions.all())

    @staticmethod
    def resolve_state(obj: CourseWeek) -> str:
        return str(obj.state)

    @staticmethod
    def resolve_published_at(obj: CourseWeek) -> dt.datetime | None:
        return _local(obj.published_at)

    @staticmethod
    def resolve_cancelled_at(obj: CourseWeek) -> dt.datetime | None:
        return _local(obj.cancelled_at)


class CourseWeekDetailOut(CourseWeekOut):
    courses: list[CourseOut]

    @staticmethod
    def resolve_courses(obj: Any) -> list[Any]:
        return list(obj.listed_courses)
