"""The transactional shell of the registration engine (C5–C16).

Every write on registrations, lines and fees goes through a function here. Each one:

1. opens a transaction and, when it places seats, locks the course week row, then the
   week's courses in id order (`lock_week`), before it reads any seat count: every path that
   changes seats takes the same locks in the same order, so two writers never both see the
   last free seat (C13). A registration before allocation places no seat: it holds the week
   under a shared lock only (`share_week`), so registrations do not queue behind each other.
   Every lock waits a bounded time and then answers "busy, try again" (`core.locks`). On
   SQLite `select_for_update` does nothing, but write transactions start IMMEDIATE, so
   writers queue on the database lock instead;
2. asks the pure core (`allocation`, `offers`, `fees`) what to do, with `now` passed in;
3. writes the answer, an audit event per change, and queues e-mail in the same transaction
   (sent after commit; a failed send never undoes the action).

Nothing is ever deleted (C15).

The functions live in modules by subject: `locking`, `registering`, `cancelling`,
`allocating`, `waiting_list`, `week_changes` and `no_shows`; this package offers them under
one name.
"""

from stportal.registrations.lines import ACTIVE
from stportal.registrations.models import Registration
from stportal.registrations.services.allocating import (
    AllocationResult,
    CourseResult,
    PlacedLine,
    run_allocation,
)
from stportal.registrations.services.cancelling import (
    CancelResult,
    cancel_registration_lines,
    decide_cancellation,
    record_acceptable_reason,
)
from stportal.registrations.services.locking import lock_week
from stportal.registrations.services.no_shows import NoShowFees, settle_no_show_fees
from stportal.registrations.services.registering import (
    change_registration,
    register_for_course_week,
)
from stportal.registrations.services.waiting_list import (
    accept_offer,
    change_course_capacity,
    decline_offer,
    expire_lapsed_offers,
    mark_not_seated_at_start,
    promote_week_after_capacity_change,
    waitlist_position,
)
from stportal.registrations.services.week_changes import (
    cancel_course_lines_by_organiser,
    cancel_week_registrations,
    follow_course_days,
)

__all__ = [
    "ACTIVE",
    "AllocationResult",
    "CancelResult",
    "CourseResult",
    "NoShowFees",
    "PlacedLine",
    "Registration",
    "accept_offer",
    "cancel_course_lines_by_organiser",
    "cancel_registration_lines",
    "cancel_week_registrations",
    "change_course_capacity",
    "change_registration",
    "decide_cancellation",
    "decline_offer",
    "expire_lapsed_offers",
    "follow_course_days",
    "lock_week",
    "mark_not_seated_at_start",
    "promote_week_after_capacity_change",
    "record_acceptable_reason",
    "register_for_course_week",
    "run_allocation",
    "settle_no_show_fees",
    "waitlist_position",
]
