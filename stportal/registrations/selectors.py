"""Reads of registrations with permission and business meaning (STYLE rule 6)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.roles import managed_units, staff_regions
from stportal.core.errors import NotFound, PermissionDenied
from stportal.courses.models import CourseWeek
from stportal.registrations import permissions
from stportal.registrations.models import LineStatus, Registration, RegistrationLine


def lines_with_positions() -> QuerySet[RegistrationLine]:
    """Lines annotated with their waiting-list position (C9) in one query."""
    ahead = (
        RegistrationLine.objects.filter(
            course_id=OuterRef("course_id"), status=LineStatus.WAITLISTED
        )
        .filter(
            Q(queue_order__lt=OuterRef("queue_order"))
            | Q(queue_order=OuterRef("queue_order"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("course_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        RegistrationLine.objects.select_related("course__week__series", "fee")
        .annotate(ahead=Coalesce(Subquery(ahead), 0))
        .order_by("course__position", "course_id", "id")
    )


def with_lines(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    return qs.select_related(
        "trainee__user", "course_week__series", "home_unit", "fee"
    ).prefetch_related(Prefetch("lines", queryset=lines_with_positions()))


def as_answered(registration: Registration) -> Registration:
    """The registration with its lines for an answer, to be thrown away after it: with the
    lines a service just wrote when they are all there is (a new registration, see
    `services.registering`), else read again (`with_lines`)."""
    written = getattr(registration, "lines_written", None)
    if written is None:
        return with_lines(Registration.objects.filter(pk=registration.pk)).get()
    lines = registration.lines.all()  # not evaluated: filled with the lines at hand
    lines._result_cache = list(written)
    setattr(lines, "_prefetch_done", True)  # noqa: B010
    setattr(registration, "_prefetched_objects_cache", {"lines": lines})  # noqa: B010
    return registration


def get_registration_for_user(user: User, registration_id: int) -> Registration:
    """The registration if the caller may read it: its trainee, staff of the region, or the
    manager of the home unit that pays. Reading writes nothing: a lapsed offer is shown as
    lapsed (`lines.offer_lapsed`) until a service or the `send-reminders` command expires it
    (C11)."""
    registration = (
        Registration.objects.select_related("trainee", "course_week__series")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not permissions.may_read_registration(user, registration):
        raise NotFound()
    return with_lines(Registration.objects.filter(pk=registration_id)).get()


def get_registration_for_change(user: User, registration_id: int) -> Registration:
    """As above, but only the trainee and staff may change it; a unit manager reads only."""
    registration = get_registration_for_user(user, registration_id)
    if not permissions.may_change_registration(user, registration):
        raise PermissionDenied()
    return registration


def get_trainee_to_register(user: User, trainee_id: int, week: CourseWeek) -> TraineeProfile:
    """The trainee named by id in a registration for the week: oneself, or for staff a trainee
    of their regions on a week of their regions. Anyone else answers exactly like an unknown
    id, 404, so that names and home units cannot be found by trying ids (security review
    findings 1 and 9)."""
    trainee = (
        TraineeProfile.objects.select_related("user", "home_unit").filter(pk=trainee_id).first()
    )
    if trainee is None or not permissions.may_act_for_trainee(user, trainee, week):
        raise NotFound()
    return trainee


def registrations_of_trainee_user(user: User) -> QuerySet[Registration]:
    return with_lines(Registration.objects.filter(trainee__user=user)).order_by(
        "-course_week__start_date", "id"
    )


def registrations_visible_to(user: User) -> QuerySet[Registration]:
    """Staff: their regions' registrations; unit managers: their units'; trainees: own."""
    return with_lines(
        Registration.objects.filter(
            Q(trainee__user=user)
            | Q(course_week__series__region__in=staff_regions(user))
            | Q(home_unit__in=managed_units(user))
        ).distinct()
    )
