"""The authorisation matrix's rows of the education plan and the timeline (SPEC 2, 5 P11):
see `stportal/core/tests/matrix_cases.py`.

In each region the owner keeps a plan with a done placement whose signed certificate is
attached (`plan_item`) and a supervision meeting their supervisor recorded (`plan_meeting`).
Nobody but the owner, the supervisor and those who direct the owner's studies sees them."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfWriter

from stportal.core.tests.matrix_cases import case
from stportal.core.tests.matrix_world import World

DAY = dt.date(2027, 3, 1)


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def extend(world: World) -> None:
    from stportal.plan import services

    for side in (world.a, world.b):
        item = services.add_plan_item(
            actor=side.owner.user,
            trainee=side.owner,
            kind="placement",
            title="Allmänmedicin",
            place="Vårdcentralen",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
            status="done",
            goal_codes=["a1"],
        )
        side.plan_item = services.attach_plan_certificate(  # type: ignore[attr-defined]
            actor=side.owner.user, item=item, data=_pdf(), filename="intyg.pdf"
        )
        side.plan_meeting = services.add_plan_item(  # type: ignore[attr-defined]
            actor=side.supervisor,
            trainee=side.owner,
            kind="supervision",
            title="Uppföljning av målen",
            start_date=DAY,
            status="done",
        )


MEETING_FORM = {
    "kind": "supervision",
    "title": "Samtal om våren",
    "start_date": DAY.isoformat(),
    "status": "done",
}
ITEM_FORM = {
    "kind": "placement",
    "title": "Allmänmedicin",
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
    "status": "done",
}

WEB = {
    "utbildningsplan/": [case("any_user")],
    "utbildningsplan/st-lakare/<id:trainee_id>/": [case("plan_reader", trainee_id="a.owner")],
    "utbildningsplan/st-lakare/<id:trainee_id>/ny/": [
        case("plan_reader", trainee_id="a.owner"),
        case("plan_reader", "POST", MEETING_FORM, trainee_id="a.owner"),
    ],
    "utbildningsplan/st-lakare/<id:trainee_id>/tidslinje/": [
        case("plan_reader", trainee_id="a.owner")
    ],
    "utbildningsplan/post/<id:item_id>/andra/": [
        case("owner", item_id="a.plan_item"),
        case("owner", "POST", ITEM_FORM, item_id="a.plan_item"),
        case("owner_or_supervisor", item_id="a.plan_meeting"),
    ],
    "utbildningsplan/post/<id:item_id>/ta-bort/": [
        case("owner", item_id="a.plan_item"),
        case("owner", "POST", item_id="a.plan_item"),
    ],
    "utbildningsplan/post/<id:item_id>/intyg/": [case("owner", "POST", item_id="a.plan_item")],
    "utbildningsplan/post/<id:item_id>/intyg/ta-bort/": [
        case("owner", item_id="a.plan_item"),
        case("owner", "POST", item_id="a.plan_item"),
    ],
    "utbildningsplan/post/<id:item_id>/intyg.pdf": [case("plan_reader", item_id="a.plan_item")],
}

API = {
    "GET /trainees/{trainee_id}/plan-items": [case("plan_reader", trainee_id="a.owner")],
    "POST /trainees/{trainee_id}/plan-items": [
        case("plan_reader", "POST", MEETING_FORM, trainee_id="a.owner")
    ],
    "GET /plan-items/{item_id}": [case("plan_reader", item_id="a.plan_item")],
    "PATCH /plan-items/{item_id}": [
        case("owner", "PATCH", {"title": "Ny rubrik"}, item_id="a.plan_item"),
        case("owner_or_supervisor", "PATCH", {"title": "Nytt samtal"}, item_id="a.plan_meeting"),
    ],
    "DELETE /plan-items/{item_id}": [case("owner", "DELETE", item_id="a.plan_item")],
    "POST /plan-items/{item_id}/certificate": [case("owner", "POST", item_id="a.plan_item")],
    "DELETE /plan-items/{item_id}/certificate": [case("owner", "DELETE", item_id="a.plan_item")],
    "GET /plan-items/{item_id}/certificate.pdf": [case("plan_reader", item_id="a.plan_item")],
    "GET /trainees/{trainee_id}/timeline": [case("plan_reader", trainee_id="a.owner")],
}
