"""The registration engine through the API alone, as a new user would (issue "Must show 1"):
150 on-time registrations for 60 seats, allocation by shortest remaining time, a late
registration behind them, free and charged cancellations, a waiver, the fee report."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from stportal.api.tests.conftest import WEEK_FIELDS
from stportal.core.dates import STOCKHOLM
from stportal.curricula.models import CurriculumVersion, Specialty
from stportal.testing import factories


def at(*args):
    return dt.datetime(*args, tzinfo=STOCKHOLM)


def test_a_course_week_from_registration_to_fee_report(
    api, course_admin, home_unit, frozen_time, series
):
    """C8–C11, C14, C16 end to end."""
    unit = api.post(
        "home-units",
        course_admin,
        json={
            "name": "Hälsocentralen Ålidhem",
            "cost_centre": "KS-4711",
            "area": home_unit.area_id,
        },
    ).json()
    week = api.post("course-weeks", course_admin, json={**WEEK_FIELDS, "capacity": 60}).json()
    api.post(
        f"course-weeks/{week['id']}/courses",
        course_admin,
        json={"title": "Etik", "days": ["2027-03-22"], "goals": {"2015": ["a2"]}},
    ).json()
    assert api.post(f"course-weeks/{week['id']}/publish", course_admin).status_code == 200

    # 150 trainees with different planned completion dates, each registering on time.
    frozen_time.move_to(at(2026, 9, 10, 9))
    specialty = Specialty.objects.get(code="allmanmedicin")
    version = CurriculumVersion.objects.get(code="2015")
    trainees = []
    for n in range(150):
        trainee = factories.TraineeFactory(
            home_unit_id=unit["id"],
            specialty=specialty,
            curriculum_version=version,
            planned_completion=dt.date(2027, 4, 1) + dt.timedelta(days=7 * ((n * 37) % 150)),
            user__username=f"st-{n}",
        )
        response = api.post(f"course-weeks/{week['id']}/registrations", trainee.user, json={})
        assert response.status_code == 201, response.json()
        trainees.append((trainee, response.json()["id"]))
        frozen_time.shift(dt.timedelta(minutes=1))

    # Allocation after the deadline: the 60 with the shortest remaining time are confirmed.
    frozen_time.move_to(at(2026, 10, 20, 9))
    preview = api.post(
        f"course-weeks/{week['id']}/allocation", course_admin, json={"dry_run": True}
    )
    result = api.post(
        f"course-weeks/{week['id']}/allocation", course_admin, json={"dry_run": False}
    )
    assert result.status_code == 200
    assert preview.json()["courses"][0]["confirmed"] == result.json()["courses"][0]["confirmed"]
    by_priority = [reg for t, reg in sorted(trainees, key=lambda p: p[0].planned_completion)]
    outcome = result.json()["courses"][0]
    assert sorted(outcome["confirmed"]) == sorted(by_priority[:60])
    assert outcome["waitlisted"] == by_priority[60:]
    first_waiting = by_priority[60]
    line = api.get(f"registrations/{first_waiting}", course_admin).json()["lines"][0]
    assert (line["status"], line["waitlist_position"]) == ("waitlisted", 1)
    assert line["reason"].startswith("Reservlista: fler anmälningar än platser")
    assert "(C9)" not in line["reason"]

    # A late registration lands behind them, even with the shortest remaining time.
    late_trainee = factories.TraineeFactory(
        home_unit_id=unit["id"], planned_completion=dt.date(2027, 3, 30), user__username="sen"
    )
    late = api.post(f"course-weeks/{week['id']}/registrations", late_trainee.user, json={}).json()
    assert late["late"] is True
    assert late["lines"][0]["waitlist_position"] == 91

    # Cancelling more than 14 days before the start is free and seats the first waiting.
    frozen_time.move_to(at(2027, 2, 1, 9))
    seated = by_priority[0]
    owner = next(t for t, reg in trainees if reg == seated)
    cancelled = api.post(f"registrations/{seated}/cancel", owner.user, json={"reason": "Krock"})
    assert cancelled.status_code == 200
    assert cancelled.json()["lines"][0]["status"] == "cancelled"
    assert cancelled.json()["lines"][0]["fee"] is None
    promoted = api.get(f"registrations/{first_waiting}", course_admin).json()["lines"][0]
    assert promoted["status"] == "confirmed"

    # Inside 14 days it charges the week's fee to the trainee's home unit.
    frozen_time.move_to(at(2027, 3, 12, 9))
    seated = by_priority[1]
    owner = next(t for t, reg in trainees if reg == seated)
    charged = api.post(f"registrations/{seated}/cancel", owner.user, json={"reason": "Jour"})
    assert charged.json()["lines"][0]["fee"] == {"status": "charged", "amount": 3000}
    offered = api.get(f"registrations/{by_priority[61]}", course_admin).json()["lines"][0]
    assert offered["status"] == "offered"
    assert offered["offer_expires_at"].startswith("2027-03-14T09:00:00+01:00")

    # A third inside-period cancellation, then the waiver by the course admin.
    seated = by_priority[2]
    owner = next(t for t, reg in trainees if reg == seated)
    api.post(f"registrations/{seated}/cancel", owner.user, json={"reason": "Sjuk"})
    waived = api.post(
        f"registrations/{seated}/waive-fee", course_admin, json={"reason": "Sjukintyg"}
    )
    assert waived.json()["lines"][0]["fee"] == {"status": "waived", "amount": 3000}

    # The fee report shows both, with cost centre and purchaser id.
    report = api.get("fees", course_admin, **{"from": "2027-01-01", "to": "2027-12-31"}).json()
    assert sorted((r["registration_id"], r["status"]) for r in report) == sorted(
        [(by_priority[1], "charged"), (by_priority[2], "waived")]
    )
    row = next(r for r in report if r["status"] == "charged")
    assert (row["cost_centre"], row["amount"]) == ("KS-4711", 3000)
    assert row["purchaser_id"] == home_unit.area.purchaser_id
    csv_text = api.get("fees", course_admin, format="csv").content.decode()
    assert len(list(csv.reader(io.StringIO(csv_text), delimiter=";"))) == 3
    workbook = load_workbook(io.BytesIO(api.get("fees", course_admin, format="xlsx").content))
    assert workbook.active.max_row >= 3
