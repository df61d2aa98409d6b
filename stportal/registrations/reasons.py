"""Why a line is where it is (C9: each line carries a short reason shown to its trainee).

The line stores a reason code and, for the audit trail, the Swedish text of the moment. What
people read is rendered from the code in their own language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stportal.courses.models import PriorityPolicy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_SEAT_BY_POLICY: dict[str, StrOrPromise] = {
    PriorityPolicy.SHORTEST_REMAINING: gettext_lazy(
        "Seat: shortest remaining time to planned ST completion."
    ),
    PriorityPolicy.LONGEST_SERVED: gettext_lazy("Seat: longest time served in ST."),
    PriorityPolicy.MONTHS_SERVED_FEWEST_COURSES: gettext_lazy(
        "Seat: most months of ST served, then fewest earlier courses."
    ),
    PriorityPolicy.SHORTEST_SERVED: gettext_lazy(
        "Seat: shortest time served in ST (a course for early ST)."
    ),
}
_WAIT_BY_POLICY: dict[str, StrOrPromise] = {
    PriorityPolicy.SHORTEST_REMAINING: gettext_lazy(
        "Waiting list: more requests than seats; order by shortest remaining time to planned "
        "ST completion."
    ),
    PriorityPolicy.LONGEST_SERVED: gettext_lazy(
        "Waiting list: more requests than seats; order by longest time served in ST."
    ),
    PriorityPolicy.MONTHS_SERVED_FEWEST_COURSES: gettext_lazy(
        "Waiting list: more requests than seats; order by most months of ST served, then "
        "fewest earlier courses."
    ),
    PriorityPolicy.SHORTEST_SERVED: gettext_lazy(
        "Waiting list: more requests than seats; order by shortest time served in ST (a course "
        "for early ST)."
    ),
}
_FIXED = {
    "pending": gettext_lazy("Registered; seats are allocated after the registration deadline."),
    "late_pending": gettext_lazy(
        "Late registration: handled space permitting after every on-time one."
    ),
    "within_capacity": gettext_lazy("Seat: no more on-time requests than seats."),
    "late_seat": gettext_lazy("Seat space permitting: late registration, after every on-time one."),
    "late_wait": gettext_lazy("Waiting list: late registration, after every on-time one."),
    "after_allocation_seat": gettext_lazy(
        "Seat: registered on time after the seats had been allocated; a seat was free."
    ),
    "after_allocation_wait": gettext_lazy(
        "Waiting list: registered on time after the seats had been allocated; last in the queue."
    ),
    "guest_seat": gettext_lazy(
        "Seat space permitting: registration from another region, after the host region's "
        "on-time registrations."
    ),
    "guest_wait": gettext_lazy(
        "Waiting list: registration from another region, after the host region's on-time "
        "registrations."
    ),
    "promoted_confirmed": gettext_lazy("Seat: first on the waiting list when a seat became free."),
    "offer_accepted": gettext_lazy("Seat confirmed: you accepted the offer."),
    "offer_declined": gettext_lazy("Offer declined."),
    "offer_lapsed": gettext_lazy("The offer lapsed without an answer; the seat passed on."),
    "not_seated": gettext_lazy("No seat: the course started before a seat became free."),
}


def describe_placement(code: str, *, policy: str) -> str:
    """The reason for a placement `code` of the allocation under `policy`, in the active
    language (the projection's "where would I land", C9, C10)."""
    if code == "priority_seat":
        return str(
            _SEAT_BY_POLICY.get(policy) or _SEAT_BY_POLICY[PriorityPolicy.SHORTEST_REMAINING]
        )
    if code == "priority_wait":
        return str(
            _WAIT_BY_POLICY.get(policy) or _WAIT_BY_POLICY[PriorityPolicy.SHORTEST_REMAINING]
        )
    return str(_FIXED.get(code, ""))


def describe(line) -> str:
    """The reason for `line` in the active language; the stored text for unknown codes."""
    code = line.reason_code
    if code == "priority_seat":
        policy = line.course.week.series.priority_policy
        return str(
            _SEAT_BY_POLICY.get(policy) or _SEAT_BY_POLICY[PriorityPolicy.SHORTEST_REMAINING]
        )
    if code == "priority_wait":
        policy = line.course.week.series.priority_policy
        return str(
            _WAIT_BY_POLICY.get(policy) or _WAIT_BY_POLICY[PriorityPolicy.SHORTEST_REMAINING]
        )
    if code == "promoted_offer" and line.offer_expires_at:
        deadline = date_format(timezone.localtime(line.offer_expires_at), "DATETIME_FORMAT")
        return _(
            "Offer of a seat: first on the waiting list when a seat became free; answer by "
            "%(deadline)s."
        ) % {"deadline": deadline}
    if code in _FIXED:
        return str(_FIXED[code])
    return line.reason


def fixed_text(code: str) -> str:
    """The text of a reason that reads the same for every line (`offer_lapsed`, `pending`…),
    in the active language."""
    return str(_FIXED[code])
