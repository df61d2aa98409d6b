"""The authorisation matrix's rows for annual reports (SPEC 5 P13): pages and API.

In each region the owner has two annual reports: `annual_report` (2025) is ready for review
(the study director reviews it, editing it is `locked`), and `annual_report_draft` (2026) is
a draft with both parts written (each author writes their part, the supervisor submits).
"""

from __future__ import annotations

from stportal.core.tests.matrix_cases import Case, case, pk
from stportal.core.tests.matrix_world import World

REFLECTION = "Ett lärorikt år på vårdcentralen."
ASSESSMENT = "Självständig och omtyckt av patienterna."


def extend(world: World) -> None:
    from stportal.annualreport import services

    for side in (world.a, world.b):
        reports = []
        for year in (2025, 2026):
            report = services.create_report(actor=side.owner.user, trainee=side.owner, year=year)
            report = services.write_part(actor=side.owner.user, report=report, text=REFLECTION)
            reports.append(
                services.write_part(actor=side.supervisor, report=report, text=ASSESSMENT)
            )
        side.annual_report = services.submit_report(  # type: ignore[attr-defined]
            actor=side.supervisor, report=reports[0]
        )
        side.annual_report_draft = reports[1]  # type: ignore[attr-defined]


WEB = {
    "arsrapporter/": [case("any_user")],
    "arsrapporter/ny/": [
        case("trainee_anywhere"),
        case("trainee_anywhere", "POST", {"year": "2020"}),
    ],
    "arsrapporter/st-lakare/<id:trainee_id>/": [case("trainee_record", trainee_id="a.owner")],
    "arsrapporter/<id:report_id>/": [
        case("trainee_record", report_id="a.annual_report"),
        case(
            "record_author",
            "POST",
            {"text": "Nytt.", "action": "save"},
            report_id="a.annual_report_draft",
        ),
    ],
    "arsrapporter/<id:report_id>/uppdatera/": [
        case("record_author", "POST", report_id="a.annual_report_draft")
    ],
    "arsrapporter/<id:report_id>/granska/": [
        case("record_director", "POST", {"accepted": "yes"}, report_id="a.annual_report")
    ],
    "arsrapporter/<id:report_id>/jamfor/": [
        Case(
            rule="trainee_record",
            fill={"report_id": pk("a.annual_report")},
            url=lambda w: f"/arsrapporter/{w.a.annual_report.pk}/jamfor/?a=2&b=5",
        )
    ],
    "arsrapporter/<id:report_id>/pdf/": [case("trainee_record", report_id="a.annual_report")],
}

API = {
    "GET /trainees/{trainee_id}/annual-reports": [case("trainee_record", trainee_id="a.owner")],
    "POST /trainees/{trainee_id}/annual-reports": [
        case("owner", "POST", {"year": 2020}, trainee_id="a.owner")
    ],
    "GET /annual-reports/{report_id}": [case("trainee_record", report_id="a.annual_report")],
    "PATCH /annual-reports/{report_id}": [
        case("record_author", "PATCH", {"text": "Nytt."}, report_id="a.annual_report_draft"),
        Case(
            rule="record_author",
            method="PATCH",
            fill={"report_id": pk("a.annual_report")},
            body=lambda w: {"text": "Låst."},
            refused="record_author",
            label="locked",
        ),
    ],
    "POST /annual-reports/{report_id}/submit": [
        case("supervisor", "POST", report_id="a.annual_report_draft")
    ],
    "POST /annual-reports/{report_id}/review": [
        case("record_director", "POST", {"accepted": True}, report_id="a.annual_report")
    ],
    "GET /annual-reports/{report_id}.pdf": [case("trainee_record", report_id="a.annual_report")],
}
