"""Who may do what with registrations, lines, offers and fees (SPEC 2).

Plain predicates, used by the selectors, the pages, the API and the services alike; the
services refuse on their own too, so no entry point can skip a check. `None` as the user is
the system (commands, the demo), which may do everything.

- A trainee acts for themself only.
- Staff act only within their regions (security review finding 1): they register a trainee
  whose home unit is in a region where they are staff, on a week of such a region; they act
  on a registration of a week of their regions.
- The manager of the home unit that pays reads the unit's registrations, and changes nothing.

An object outside the caller's reach answers like an unknown one: 404 (finding 9).
"""

from __future__ import annotations

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.roles import managed_units
from stportal.core.errors import NotFound, PermissionDenied
from stportal.core.permissions import staff_region_ids
from stportal.courses.models import CourseWeek
from stportal.courses.permissions import admits_region, may_manage_region, may_manage_week
from stportal.registrations.models import Registration


def is_self(user: User | None, trainee: TraineeProfile) -> bool:
    return user is not None and trainee.user_id == user.pk


def may_manage_trainee(user: User | None, trainee: TraineeProfile) -> bool:
    """Staff of the region of the trainee's home unit."""
    if user is None:
        return True
    return trainee.home_unit.region_id in staff_region_ids(user)


def acts_as_staff_for(user: User | None, trainee: TraineeProfile, week: CourseWeek) -> bool:
    """Staff of the week's region who are also staff of the trainee's home unit's region:
    they register on behalf at any time (C7)."""
    return may_manage_week(user, week) and may_manage_trainee(user, trainee)


def may_act_for_trainee(user: User | None, trainee: TraineeProfile, week: CourseWeek) -> bool:
    """Register the trainee for the week: the trainee themself, on a week of their region or
    one opened to it (C23), or staff of both regions."""
    return (
        is_self(user, trainee) and admits_region(week, trainee.home_unit.region_id)
    ) or acts_as_staff_for(user, trainee, week)


def may_manage_registration(user: User | None, registration: Registration) -> bool:
    """Staff of the region whose week it is: cancel for anyone, waive fees, record an
    acceptable reason, change after the start."""
    return may_manage_region(user, registration.course_week.series.region_id)


def may_change_registration(user: User | None, registration: Registration) -> bool:
    """Its trainee and staff of the week's region."""
    return is_self(user, registration.trainee) or may_manage_registration(user, registration)


def may_read_registration(user: User | None, registration: Registration) -> bool:
    """Its trainee, staff of the week's region, and the manager of the home unit that pays."""
    if may_change_registration(user, registration):
        return True
    if user is None:
        return False
    return managed_units(user).filter(pk=registration.home_unit_id).exists()


# --- refusals the services raise on their own ---------------------------------------------


def check_may_act_for(actor: User | None, trainee: TraineeProfile, week: CourseWeek) -> bool:
    """Refuse (404, as for an unknown trainee) anyone who may not register this trainee for
    this week. Returns whether the actor acts as staff."""
    if acts_as_staff_for(actor, trainee, week):
        return True
    if is_self(actor, trainee) and admits_region(week, trainee.home_unit.region_id):
        return False
    raise NotFound()


def check_may_change(actor: User | None, registration: Registration) -> bool:
    """Refuse anyone who may not act on the registration: 403 to a reader who may not change
    it (the unit manager), 404 to everyone else. Returns whether the actor acts as staff."""
    if may_manage_registration(actor, registration):
        return True
    if is_self(actor, registration.trainee):
        return False
    if may_read_registration(actor, registration):
        raise PermissionDenied()
    raise NotFound()


def check_may_manage(actor: User | None, registration: Registration) -> None:
    """Refuse anyone but staff of the week's region (404 to whoever may not read it)."""
    if may_manage_registration(actor, registration):
        return
    if may_read_registration(actor, registration):
        raise PermissionDenied()
    raise NotFound()
