"""The trainee's ST record (SPEC 5 P1, Appendix A "Trainee record"): coverage of the goals and
mandatory subjects of a trainee's curriculum, and the supervisor's and study director's table
of their trainees. A trainee outside the caller's reach answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from stportal.api.auth import AUTH, caller
from stportal.api.types import Text
from stportal.curricula.coverage import KINDS, Coverage, Covering
from stportal.portfolio import selectors

router = Router(tags=["portfolio"])


# Every kind of coverage item (curricula.coverage.KINDS), so a kind another app adds is listed
# in the schema and never refused on the way out.
CoveringKind = Literal[KINDS]  # type: ignore[valid-type]


class CoveringOut(Schema):
    kind: CoveringKind
    id: int
    title: str
    on: dt.date | None = Field(description="When it was passed or issued.")


class GoalCoverageOut(Schema):
    code: str
    title: str
    covered: bool
    covered_by: list[CoveringOut]


class SubjectCoverageOut(Schema):
    id: int
    name: str
    goals: list[str] = Field(description="The codes of the goals the subject serves.")
    covered: bool
    covered_by: list[CoveringOut]


class RemainingOut(Schema):
    goals: list[str] = Field(description="Codes of the goals not yet covered.")
    mandatory_subjects: list[str] = Field(description="Names of the subjects not yet covered.")


class CoverageOut(Schema):
    trainee_id: int
    curriculum_version: str
    goals: list[GoalCoverageOut]
    mandatory_subjects: list[SubjectCoverageOut]
    remaining: RemainingOut


class CoverageRowOut(Schema):
    trainee_id: int
    name: str
    home_unit: str
    curriculum_version: str
    planned_completion: dt.date
    remaining_mandatory_subjects: int
    remaining_goals: int
    missing_subjects: list[str]


class CoverageTableQuery(Schema):
    sort: Literal["name", "unit", "version", "completion", "subjects", "goals", "missing"] = "name"
    descending: bool = False
    missing_subject: Text(200) | None = Field(  # type: ignore[valid-type]
        None, description="Only the trainees who lack the mandatory subject of this name."
    )


def _covering(item: Covering) -> dict[str, Any]:
    return {"kind": item.kind, "id": item.id, "title": item.title, "on": item.on}


def coverage_out(trainee_id: int, version: str, coverage: Coverage) -> dict[str, Any]:
    return {
        "trainee_id": trainee_id,
        "curriculum_version": version,
        "goals": [
            {
                "code": row.goal.code,
                "title": row.goal.title,
                "covered": row.covered,
                "covered_by": [_covering(item) for item in row.covered_by],
            }
            for row in coverage.goals
        ],
        "mandatory_subjects": [
            {
                "id": row.subject.id,
                "name": row.subject.name,
                "goals": sorted(row.subject.goal_codes),
                "covered": row.covered,
                "covered_by": [_covering(item) for item in row.covered_by],
            }
            for row in coverage.subjects
        ],
        "remaining": {
            "goals": [goal.code for goal in coverage.remaining_goals],
            "mandatory_subjects": [subject.name for subject in coverage.remaining_subjects],
        },
    }


@router.get(
    "/trainees/{id:trainee_id}/coverage",
    auth=AUTH,
    response=CoverageOut,
    summary="A trainee's coverage of goals and mandatory subjects",
)
def trainee_coverage(request: HttpRequest, trainee_id: int) -> dict[str, Any]:
    profile = selectors.get_readable_trainee(caller(request), trainee_id)
    return coverage_out(
        profile.pk, profile.curriculum_version.code, selectors.coverage_for(profile)
    )


@router.get(
    "/coverage",
    auth=AUTH,
    response=list[CoverageRowOut],
    summary="What each of my trainees (supervised or directed) still lacks",
)
def coverage_table(request: HttpRequest, query: Query[CoverageTableQuery]) -> list[dict[str, Any]]:
    table = selectors.coverage_table(
        caller(request),
        sort=query.sort,
        descending=query.descending,
        missing_subject=query.missing_subject or "",
    )
    return [
        {
            "trainee_id": row.profile.pk,
            "name": row.name,
            "home_unit": row.profile.home_unit.name,
            "curriculum_version": row.profile.curriculum_version.code,
            "planned_completion": row.profile.planned_completion,
            "remaining_mandatory_subjects": row.remaining_subject_count,
            "remaining_goals": row.remaining_goal_count,
            "missing_subjects": row.missing_subjects,
        }
        for row in table.rows
    ]
