"""Issue 9, "one home for each rule": the rules written once are the ones every page and
service follows, and a read never writes (C6, C7, C11)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from stportal.core.errors import ServiceError
from stportal.core.models import AuditEvent
from stportal.notifications.models import OutboxMessage
from stportal.registrations import selectors, services
from stportal.registrations import staff_selectors as sel
from stportal.registrations.models import LineStatus
from stportal.registrations.tests.conftest import (
    AFTER_DEADLINE,
    COURSE_STARTED,
    INSIDE_CANCEL_PERIOD,
    OPEN,
    at,
)

LAPSED = INSIDE_CANCEL_PERIOD + dt.timedelta(hours=49)


def register(trainee, week, now=OPEN, **kwargs):
    return services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=now, **kwargs
    )


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def one_offer(make_week, make_trainee, course_admin):
    """One seat per course; `seated` gives up the first course inside the cancellation
    period, so the seat is offered to `first` (48 hours); `second` waits behind."""
    week = make_week(capacity=1)
    seated = register(make_trainee(dt.date(2027, 6, 1)), week)
    first = register(make_trainee(dt.date(2028, 6, 1)), week)
    second = register(make_trainee(dt.date(2029, 6, 1)), week)
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    course = week.courses.order_by("id").first()
    services.cancel_registration_lines(
        actor=seated.trainee.user,
        registration=seated,
        course_ids=[course.pk],
        now=INSIDE_CANCEL_PERIOD,
    )
    assert first.lines.get(course=course).status == LineStatus.OFFERED
    return {"week": week, "course": course, "first": first, "second": second}


def test_reading_a_registration_with_a_lapsed_offer_writes_nothing(client, one_offer):
    """Issue 9 (C11): the selector and the page show the lapsed offer as lapsed and leave the
    writing (lapse, audit, e-mail, passing the seat on) to the services and the command."""
    first, course = one_offer["first"], one_offer["course"]
    events, mails = AuditEvent.objects.count(), OutboxMessage.objects.count()
    with time_machine.travel(LAPSED, tick=False):
        read = selectors.get_registration_for_user(first.trainee.user, first.pk)
        client.force_login(first.trainee.user)
        response = client.get(reverse("registrations:detail", args=[first.pk]))
    assert response.status_code == 200
    assert "Erbjudandet har gått ut" in words(response)
    accept = reverse("registrations:accept", args=[first.pk, course.pk])
    assert accept not in response.content.decode()
    assert read.pk == first.pk
    assert first.lines.get(course=course).status == LineStatus.OFFERED
    assert one_offer["second"].lines.get(course=course).status == LineStatus.WAITLISTED
    assert AuditEvent.objects.count() == events
    assert OutboxMessage.objects.count() == mails


def test_accepting_a_lapsed_offer_between_runs_is_refused_and_the_seat_passes_on(one_offer):
    """C11: nobody can accept a lapsed offer, even before the expiry command has run; the
    service writes the lapse itself and the next on the waiting list gets the offer."""
    first, second, course = one_offer["first"], one_offer["second"], one_offer["course"]
    with pytest.raises(ServiceError) as caught:
        services.accept_offer(
            actor=first.trainee.user, registration=first, course_id=course.pk, now=LAPSED
        )
    assert caught.value.code == "offer_lapsed"
    lapsed = first.lines.get(course=course)
    assert (lapsed.status, lapsed.reason_code) == (LineStatus.CANCELLED, "offer_lapsed")
    passed_on = second.lines.get(course=course)
    assert passed_on.status == LineStatus.OFFERED
    assert passed_on.offer_expires_at == LAPSED + dt.timedelta(hours=48)
    assert AuditEvent.objects.filter(action="line.offer_lapsed").count() == 1


def test_staff_change_courses_on_the_edit_page_after_the_start(
    client, make_week, make_trainee, course_admin
):
    """C6, C7: the edit page follows the service's edit window: staff enter courses after the
    fact once the week has started (the page used to lock the courses for them)."""
    week = make_week()
    first, second = week.courses.order_by("position")
    trainee = make_trainee()
    registration = register(trainee, week, course_ids=[first.pk], earlier_courses_note="2025")
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    url = reverse("registrations:edit", args=[registration.pk])
    data = {
        "courses": [str(first.pk), str(second.pk)],
        "earlier_courses_note": "",
        "dietary_needs": "",
        "note": "",
    }
    with time_machine.travel(COURSE_STARTED, tick=False):
        client.force_login(course_admin)
        response = client.post(url, data)
    assert response.status_code == 302
    added = registration.lines.get(course=second)
    assert added.late and added.status == LineStatus.CONFIRMED
    # The trainee's own window closed at the start: the page refuses to change anything.
    with time_machine.travel(COURSE_STARTED, tick=False):
        client.force_login(trainee.user)
        refused = client.post(url, {**data, "courses": [str(first.pk)]})
    assert refused.status_code == 200
    assert registration.lines.exclude(status=LineStatus.CANCELLED).count() == 2


def test_staff_search_counts_a_trainee_without_a_seat_as_registered(
    make_week, make_trainee, course_admin
):
    """C6: registering again is refused while a line is left (here `not_seated`), so the
    staff search says the trainee is registered (it used to offer to register them)."""
    week = make_week(capacity=1)
    register(make_trainee(dt.date(2027, 6, 1)), week)
    waiting = make_trainee(dt.date(2029, 6, 1))
    registration = register(waiting, week)
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    services.mark_not_seated_at_start(now=at(2027, 3, 24, 9))
    assert set(registration.lines.values_list("status", flat=True)) == {LineStatus.NOT_SEATED}
    assert sel.registered_trainee_ids(week, [waiting.pk]) == {waiting.pk}
    with pytest.raises(ServiceError) as caught:
        services.register_for_course_week(
            actor=course_admin, week=week, trainee=waiting, now=at(2027, 3, 24, 10)
        )
    assert caught.value.code == "registration_exists"
