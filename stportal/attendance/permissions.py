"""Who may read and fill a course's register (C17, SPEC 2).

Plain predicates, used by the selectors, the pages, the API and the services alike. `None` as
the user is the system (commands, the demo), which may do everything. A course's own leader(s)
and staff of the week's region record attendance and results and close the register; only
staff reopen it. A leader of another course, a trainee or any other member of the region is
refused with 403 (the course itself is public in the catalogue); staff of another region get
404 from the pages and the API (its existence is private to them).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stportal.accounts.models import User
from stportal.core.errors import NotFound, PermissionDenied
from stportal.core.permissions import staff_region_ids
from stportal.courses.models import Course, CourseWeek
from stportal.courses.permissions import may_lead_course, may_manage_week


def may_record(actor: User | None, course: Course, week: CourseWeek | None = None) -> bool:
    """The course's own leader(s), or staff of the week's region."""
    return may_manage_week(actor, week or course.week) or may_lead_course(actor, course)


def may_reopen(actor: User | None, week: CourseWeek) -> bool:
    """Reopening a closed register is for staff of the week's region."""
    return may_manage_week(actor, week)


def outsider_refusal(user: User, course: Course) -> NotFound | PermissionDenied:
    """What a page or API call answers someone who may not use the register."""
    if staff_region_ids(user) - {course.week.series.region_id}:
        return NotFound()
    return PermissionDenied(_("Only the course's leader or the course administration may do this."))


def check_may_record(actor: User | None, course: Course, week: CourseWeek) -> None:
    if not may_record(actor, course, week):
        raise PermissionDenied(
            _("Only the course's leader or the course administration may do this.")
        )


def check_may_reopen(actor: User | None, week: CourseWeek) -> None:
    if not may_reopen(actor, week):
        raise PermissionDenied(_("Only the course administration may reopen a register."))
