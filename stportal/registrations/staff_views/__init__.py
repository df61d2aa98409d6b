"""The course administration pages (SPEC 2, C4, C7–C16, C20–C22) and the unit manager's page.

Server-rendered, working without JavaScript. Views stay thin: reads through
`staff_selectors`, writes through the services (which audit every change); a rule that says
no is shown on the page, never as a server error; every action ends with a message saying
what happened.

The pages live in modules by subject: `week_pages`, `registration_pages`, `export_pages`
(participant and waiting lists, the fee report), `outbox_pages`, `information_page` and
`unit_page`; what they share is in `common`.
"""

from stportal.registrations.staff_views.common import (
    Column,
    HistoryRow,
    LineRow,
    audit_value,
    history_rows,
    line_row,
    staff_page,
)
from stportal.registrations.staff_views.export_pages import fees, participants, waiting
from stportal.registrations.staff_views.information_page import information_edit
from stportal.registrations.staff_views.outbox_pages import outbox, outbox_retry
from stportal.registrations.staff_views.registration_pages import (
    cancel,
    register_on_behalf,
    registration_detail,
    waive,
    week_registrations,
)
from stportal.registrations.staff_views.unit_page import unit
from stportal.registrations.staff_views.week_pages import (
    CoursePreview,
    PlacedRow,
    allocate,
    capacity,
    publish,
    week_detail,
    weeks,
)

__all__ = [
    "Column",
    "CoursePreview",
    "HistoryRow",
    "LineRow",
    "PlacedRow",
    "allocate",
    "audit_value",
    "cancel",
    "capacity",
    "fees",
    "history_rows",
    "information_edit",
    "line_row",
    "outbox",
    "outbox_retry",
    "participants",
    "publish",
    "register_on_behalf",
    "registration_detail",
    "staff_page",
    "unit",
    "waiting",
    "waive",
    "week_detail",
    "week_registrations",
    "weeks",
]
