"""Study time (SPEC 5 P6, Appendix A "Trainee record"): the entitlement per week between two
dates (4 hours at full time, pro rata by employment percent, none in weeks of secondment,
research, course weeks, ST-days, parental leave or other absence, each such week saying why),
the hours the trainee logged, and the log itself. Whoever may read the trainee's record reads;
only the trainee logs and removes entries. Unknown ids and ids outside the caller's reach
answer 404 alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from stportal.api.auth import AUTH, caller
from stportal.api.types import Day, Id, NoteText
from stportal.studytime import selectors, services
from stportal.studytime.models import MAX_ENTRY_HOURS, StudyTimeEntry
from stportal.studytime.rules import monday_of, quarter_of

router = Router(tags=["study time"])


class RangeQuery(Schema):
    date_from: Day | None = Field(
        None, alias="from", description="The first day; the current quarter's by default."
    )
    date_to: Day | None = Field(
        None,
        alias="to",
        description="The last day; the current quarter's by default. At most ten years after "
        "`from`.",
    )


class WeekOut(Schema):
    week: dt.date = Field(description="The week's Monday.")
    entitled_hours: float
    used_hours: float
    reason_if_zero: str | None = Field(
        description="Why the week gives no study time (every reason, separated by '; '); "
        "null when it gives some."
    )
    reasons: list[str]
    over: bool = Field(description="More hours logged than the week gives (a warning).")


class StudyTimeOut(Schema):
    trainee_id: int
    start: dt.date = Field(description="The Monday of the first week.")
    end: dt.date = Field(description="The Sunday of the last week.")
    employment_percent: int
    full_week_hours: float = Field(description="What a week without reasons gives.")
    entitled_hours: float
    used_hours: float
    weeks: list[WeekOut]


class EntryIn(Schema):
    day: Day = Field(description="The day the study time was used (not in the future).")
    hours: Decimal = Field(
        gt=0,
        le=MAX_ENTRY_HOURS,
        max_digits=4,
        decimal_places=2,
        description="In quarter hours, at most a working day (8) in one entry.",
    )
    activity_id: Id = Field(description="What the time was used for (`GET /study-activities`).")
    note: NoteText = ""


class EntryOut(Schema):
    id: int
    trainee_id: int
    day: dt.date
    week: dt.date
    hours: float
    activity_id: int
    activity: str
    note: str
    created_at: dt.datetime


class LoggedOut(EntryOut):
    warning: str | None = Field(
        description="Said when the week's logged hours pass what it gives (never refused)."
    )


class ActivityOut(Schema):
    id: int
    code: str
    name: str
    description: str


def _entry(entry: StudyTimeEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "trainee_id": entry.trainee_id,
        "day": entry.day,
        "week": monday_of(entry.day),
        "hours": float(entry.hours),
        "activity_id": entry.activity_id,
        "activity": entry.activity.label,
        "note": entry.note,
        "created_at": timezone.localtime(entry.created_at),
    }


def _range(query: RangeQuery) -> tuple[dt.date, dt.date]:
    """The range asked for; a missing end is that of the other end's quarter, and with
    neither, the current quarter."""
    if query.date_from is None and query.date_to is None:
        return selectors.default_range()
    start = query.date_from or quarter_of(query.date_to)[0]  # type: ignore[arg-type]
    end = query.date_to or quarter_of(start)[1]
    return start, end


@router.get(
    "/trainees/{id:trainee_id}/study-time",
    auth=AUTH,
    response=StudyTimeOut,
    summary="Study time per week between two dates: what each week gives and what was used",
)
def study_time(request: HttpRequest, trainee_id: int, query: Query[RangeQuery]) -> dict:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    start, end = _range(query)
    summary = selectors.study_time(profile, start, end)
    return {
        "trainee_id": profile.pk,
        "start": summary.start,
        "end": summary.end,
        "employment_percent": summary.employment_percent,
        "full_week_hours": summary.full_week_hours,
        "entitled_hours": summary.entitled_hours,
        "used_hours": summary.used_hours,
        "weeks": [
            {
                "week": w.week,
                "entitled_hours": w.entitled_hours,
                "used_hours": w.used_hours,
                "reason_if_zero": w.reason_if_zero,
                "reasons": w.reasons,
                "over": w.over,
            }
            for w in summary.weeks
        ],
    }


@router.post(
    "/trainees/{id:trainee_id}/study-time",
    auth=AUTH,
    response={201: LoggedOut},
    summary="Log study time used (the trainee)",
)
def log(request: HttpRequest, trainee_id: int, payload: EntryIn) -> Status:
    user = caller(request)
    profile = selectors.get_trainee_for_user(user, trainee_id)
    entry = services.log_study_time(
        actor=user,
        trainee=profile,
        day=payload.day,
        hours=payload.hours,
        activity=payload.activity_id,
        note=payload.note,
    )
    warning = selectors.over_warning(selectors.week_of(profile, entry.day))
    return Status(201, {**_entry(entry), "warning": warning or None})


@router.get(
    "/trainees/{id:trainee_id}/study-time/entries",
    auth=AUTH,
    response=list[EntryOut],
    summary="The trainee's logged study time between two dates (the current quarter by default)",
)
def entries(request: HttpRequest, trainee_id: int, query: Query[RangeQuery]) -> list[dict]:
    profile = selectors.get_trainee_for_user(caller(request), trainee_id)
    start, end = _range(query)
    selectors.check_range(start, end)
    return [_entry(e) for e in selectors.entries_of(profile, start, end)]


@router.get(
    "/study-time/{id:entry_id}",
    auth=AUTH,
    response=EntryOut,
    summary="One entry of a trainee's study-time log",
)
def get_entry(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    return _entry(selectors.get_entry_for_user(caller(request), entry_id))


@router.delete(
    "/study-time/{id:entry_id}",
    auth=AUTH,
    response={204: None},
    summary="Remove an entry of the trainee's study-time log (the trainee)",
)
def delete_entry(request: HttpRequest, entry_id: int) -> Status:
    user = caller(request)
    entry = selectors.get_entry_for_user(user, entry_id)
    services.remove_study_time(actor=user, entry=entry)
    return Status(204, None)


@router.get(
    "/study-activities",
    auth=AUTH,
    response=list[ActivityOut],
    summary="What study time may be logged for",
)
def activities(request: HttpRequest) -> list[dict[str, Any]]:
    caller(request)
    return [
        {"id": a.pk, "code": a.code, "name": a.label, "description": a.description}
        for a in selectors.activities()
    ]
