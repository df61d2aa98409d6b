"""Pages of the trainee's ST record (SPEC 5 P1).

- "My ST trainees" (`/st/`): the supervisor's and study director's trainees in one table, with
  what each still lacks; sorted and filtered by query parameters (no JavaScript needed) and
  downloadable as CSV or Excel.
- A trainee's record overview (`/st/<id>/`) and coverage (`/st/<id>/tackning/`), for whoever
  may read the record; 404 for anyone else.
- `/st/min-tackning/`: the trainee's own coverage, for the menu.
Reads go through the selectors, which ask `stportal.portfolio.permissions`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile
from stportal.accounts.services import record_personal_id_viewed
from stportal.core import personnummer
from stportal.core.pages import message_and_redirect, readable, service_page
from stportal.core.spreadsheets import Table, table_response
from stportal.curricula.coverage import Covering
from stportal.portfolio import permissions, selectors
from stportal.portfolio.summaries import summary_lines

MAX_FILTER_LENGTH = 200  # a mandatory subject's name is at most 200 characters


def _to_list(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
    return redirect("portfolio:trainees")


page = service_page(message_and_redirect(_to_list))


# --- The table ---------------------------------------------------------------------------------


def _columns() -> list[tuple[str, str]]:
    return [
        ("name", _("Name")),
        ("unit", _("Home unit")),
        ("version", _("Curriculum version")),
        ("completion", _("Planned ST completion")),
        ("subjects", _("Mandatory subjects remaining")),
        ("goals", _("Goals remaining")),
        ("missing", _("Missing mandatory subjects")),
    ]


def _table_params(request: HttpRequest) -> tuple[str, bool, str]:
    sort = request.GET.get("sortera", selectors.DEFAULT_SORT)
    descending = request.GET.get("ordning") == "fallande"
    missing = request.GET.get("saknar", "").replace("\x00", "").strip()[:MAX_FILTER_LENGTH]
    return sort, descending, missing


def _query(**params: str) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v})


def _headers(table: selectors.CoverageTable) -> list[dict[str, Any]]:
    headers = []
    for key, label in _columns():
        current = key == table.sort
        descending = current and not table.descending
        headers.append(
            {
                "key": key,
                "label": label,
                "current": current,
                "aria_sort": ("descending" if table.descending else "ascending") if current else "",
                "url": _query(
                    sortera=key,
                    ordning="fallande" if descending else "",
                    saknar=table.missing_subject,
                ),
            }
        )
    return headers


def _export(table: selectors.CoverageTable, kind: str) -> HttpResponse:
    header = [label for _key, label in _columns()]
    rows = [
        [
            row.name,
            row.profile.home_unit.name,
            row.profile.curriculum_version.code,
            row.profile.planned_completion,
            row.remaining_subject_count,
            row.remaining_goal_count,
            ", ".join(row.missing_subjects),
        ]
        for row in table.rows
    ]
    widths = [28, 28, 10, 14, 14, 12, 60]
    return table_response(
        Table(title=_("My ST trainees"), header=header, rows=rows, widths=widths),
        stem="st-lakare-tackning",
        kind=kind,
    )


@page
def trainees(request: HttpRequest) -> HttpResponse:
    """The trainees the person supervises or directs, and what each still lacks."""
    sort, descending, missing = _table_params(request)
    table = selectors.coverage_table(
        request.user, sort=sort, descending=descending, missing_subject=missing
    )
    kind = request.GET.get("format", "")
    if kind in ("csv", "xlsx"):
        return _export(table, kind)
    return render(
        request,
        "portfolio/trainees.html",
        {
            "table": table,
            "headers": _headers(table),
            "csv_url": _query(
                sortera=table.sort,
                ordning="fallande" if table.descending else "",
                saknar=missing,
                format="csv",
            ),
            "xlsx_url": _query(
                sortera=table.sort,
                ordning="fallande" if table.descending else "",
                saknar=missing,
                format="xlsx",
            ),
            "sort_query": _query(
                sortera=table.sort, ordning="fallande" if table.descending else ""
            ),
        },
    )


# --- One trainee -------------------------------------------------------------------------------


def _covered_by(items: tuple[Covering, ...], links: dict[tuple[str, int], str]) -> list[dict]:
    return [
        {
            "kind": selectors.KIND_LABELS.get(item.kind, item.kind),
            "title": item.title,
            "on": item.on,
            "url": links.get((item.kind, item.id), ""),
        }
        for item in items
    ]


@page
def coverage(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """Per mandatory subject and per goal, whether it is covered and by what."""
    profile = readable(selectors.get_readable_trainee, request.user, trainee_id)
    found = selectors.coverage_for(profile)
    items = {item for row in (*found.goals, *found.subjects) for item in row.covered_by}
    links = selectors.covering_links(request.user, profile, items)
    return render(
        request,
        "portfolio/coverage.html",
        {
            "profile": profile,
            "coverage": found,
            "own": request.user.pk == profile.user_id,
            "summary": summary_lines(found),
            "subjects": [
                {
                    "name": row.subject.name,
                    "goal_codes": sorted(row.subject.goal_codes),
                    "covered": row.covered,
                    "covered_by": _covered_by(row.covered_by, links),
                }
                for row in found.subjects
            ],
            "goals": [
                {
                    "code": row.goal.code,
                    "title": row.goal.title,
                    "covered": row.covered,
                    "covered_by": _covered_by(row.covered_by, links),
                }
                for row in found.goals
            ],
        },
    )


@page
def record(request: HttpRequest, trainee_id: int) -> HttpResponse:
    """The record's overview: who the trainee is, who supervises and directs, what remains,
    and links to the record's parts."""
    profile = readable(selectors.get_readable_trainee, request.user, trainee_id)
    found = selectors.coverage_for(profile)
    stored = profile.personal_id
    if permissions.may_see_personal_id(request.user, profile):
        personal_id = f"{stored[:8]}-{stored[8:]}"
        record_personal_id_viewed(actor=request.user, profile=profile, where="st-record")
    else:
        personal_id = personnummer.mask(stored)
    return render(
        request,
        "portfolio/record.html",
        {
            "profile": profile,
            "own": request.user.pk == profile.user_id,
            "personal_id": personal_id,
            "coverage": found,
            "summary": summary_lines(found),
            "parts": selectors.record_parts(request.user, profile),
        },
    )


@page
def my_coverage(request: HttpRequest) -> HttpResponse:
    """The trainee's own coverage (the menu's link)."""
    profile = TraineeProfile.objects.filter(user=request.user).values_list("pk", flat=True).first()
    if profile is None:
        raise Http404(_("You have no ST trainee record in ST-portalen."))
    return redirect("portfolio:coverage", trainee_id=profile)
