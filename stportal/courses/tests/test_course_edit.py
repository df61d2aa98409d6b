"""Editing a course: days, capacity, leaders, goals (issue 9, rule fix 1; C3, C4, C11, C12)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.urls import reverse
from django.utils.translation.template import templatize

from stportal.attendance.tests.fixtures import *  # noqa: F403 - shared fixtures
from stportal.attendance.tests.fixtures import AFTER_DEADLINE, OPEN, at, line
from stportal.core.errors import ServiceError, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.courses import services
from stportal.courses.models import CourseDay
from stportal.notifications.models import OutboxMessage
from stportal.registrations import services as registration_services
from stportal.registrations.models import LineStatus
from stportal.testing import factories

MON, TUE, WED, THU, FRI = (dt.date(2027, 3, 22 + n) for n in range(5))


def days_of(course):
    return list(CourseDay.objects.filter(course=course).values_list("date", flat=True))


def test_staff_change_a_courses_days_and_the_registered_are_told_c3(
    leka, etik, course_admin, make_participant
):
    """C3, C22: Etik moves from Monday–Wednesday to Wednesday–Friday; the change is audited
    and the people registered for it are told."""
    trainee = make_participant()
    registration_services.register_for_course_week(
        actor=trainee.user, week=leka, trainee=trainee, now=OPEN
    )
    services.update_course(actor=course_admin, course=etik, days=[FRI, WED, THU], now=OPEN)
    assert days_of(etik) == [WED, THU, FRI]
    event = AuditEvent.objects.get(action="course.changed", object_id=str(etik.pk))
    assert event.before["days"] == ["2027-03-22", "2027-03-23", "2027-03-24"]
    assert event.after["days"] == ["2027-03-24", "2027-03-25", "2027-03-26"]
    (told,) = OutboxMessage.objects.filter(kind="week_changed")
    assert told.to_email == trainee.user.email and etik.title in told.body


@pytest.mark.parametrize(
    ("days", "word"),
    [
        ([dt.date(2027, 3, 29)], "2027-03-29"),  # outside the week
        ([MON, dt.date(2027, 3, 27)], "2027-03-27"),  # a Saturday
        ([MON, MON], "2027-03-22"),  # twice
        ([], ""),  # none
    ],
)
def test_course_days_lie_in_the_week_on_weekdays_each_once_c3(etik, course_admin, days, word):
    with pytest.raises(ValidationFailed) as caught:
        services.update_course(actor=course_admin, course=etik, days=days, now=OPEN)
    assert word in " ".join(caught.value.fields["days"])
    assert days_of(etik) == [MON, TUE, WED]


def test_a_courses_days_stay_once_the_week_has_started_c4(etik, course_admin):
    with pytest.raises(ServiceError) as caught:
        services.update_course(
            actor=course_admin, course=etik, days=[WED, THU], now=at(2027, 3, 22, 9)
        )
    assert caught.value.code == "locked"
    # A typo in the title is still corrected after the start (the certificate reads it).
    services.update_course(
        actor=course_admin, course=etik, title="Etik och jämlikhet", now=at(2027, 3, 22, 9)
    )
    etik.refresh_from_db()
    assert etik.title == "Etik och jämlikhet"


def test_moving_a_courses_first_day_moves_when_its_offers_lapse_c11(
    leka, etik, course_admin, make_participant
):
    """C11: an offer lapses at the course start; the start is read from the days."""
    registration_services.change_course_capacity(
        actor=course_admin, course=etik, capacity=1, now=OPEN
    )
    first, second = make_participant(), make_participant()
    registrations = [
        registration_services.register_for_course_week(
            actor=t.user, week=leka, trainee=t, course_ids=[etik.pk], now=OPEN
        )
        for t in (first, second)
    ]
    registration_services.run_allocation(
        actor=course_admin, week=leka, dry_run=False, now=AFTER_DEADLINE
    )
    seated = next(r for r in registrations if line(r, etik).status == LineStatus.CONFIRMED)
    waiting = next(r for r in registrations if r is not seated)
    eve = at(2027, 3, 21, 10)
    registration_services.cancel_registration_lines(
        actor=course_admin, registration=seated, now=eve
    )
    assert line(waiting, etik).offer_expires_at == at(2027, 3, 22, 0)
    services.update_course(actor=course_admin, course=etik, days=[WED, THU], now=eve)
    assert line(waiting, etik).offer_expires_at == at(2027, 3, 23, 10)


def test_capacity_through_the_edit_follows_the_capacity_rule_c12(
    leka, etik, course_admin, make_participant
):
    trainee = make_participant()
    registration_services.register_for_course_week(
        actor=trainee.user, week=leka, trainee=trainee, now=OPEN
    )
    registration_services.run_allocation(
        actor=course_admin, week=leka, dry_run=False, now=AFTER_DEADLINE
    )
    with pytest.raises(ServiceError) as caught:
        services.update_course(actor=course_admin, course=etik, capacity=0, now=AFTER_DEADLINE)
    assert caught.value.code == "capacity_below_taken"
    services.update_course(actor=course_admin, course=etik, capacity=30, now=AFTER_DEADLINE)
    etik.refresh_from_db()
    assert etik.own_capacity == 30
    assert AuditEvent.objects.filter(action="course.capacity_changed").exists()


def test_leaders_must_belong_to_the_region(etik, course_admin, other_region):
    stranger = factories.user_with_role("course_leader", region=other_region)
    with pytest.raises(ValidationFailed) as caught:
        services.update_course(actor=course_admin, course=etik, leaders=[stranger], now=OPEN)
    assert "leader_ids" in caught.value.fields


def test_only_staff_of_the_region_change_a_course(etik, course_leader, outsider_admin):
    for someone in (course_leader, outsider_admin):
        with pytest.raises(ServiceError) as caught:
            services.update_course(actor=someone, course=etik, title="Nej", now=OPEN)
        assert caught.value.status in (403, 404)
    etik.refresh_from_db()
    assert etik.title.startswith("Etik")


# --- the staff page -----------------------------------------------------------------------


def test_staff_edit_a_courses_days_on_the_web_c3(client, leka, etik, course_admin, course_leader):
    """The course edit page under /kursadmin/: the days are the week's weekdays to tick."""
    client.force_login(course_admin)
    url = reverse("course_staff:edit", args=[etik.pk])
    with time_machine.travel(OPEN, tick=False):
        page = client.get(url)
        assert page.status_code == 200
        assert [value for value, _label in page.context["form"].fields["days"].choices] == [
            d.isoformat() for d in (MON, TUE, WED, THU, FRI)
        ]
        data = {
            "title": etik.title,
            "description": etik.description,
            "days": [THU.isoformat(), FRI.isoformat()],
            "capacity": "",
            "leaders": [course_leader.pk],
            "goals_2015": "a2, b1",
            "goals_2021": "STa4",
            "goals_2008": "13",
        }
        unknown = client.post(url, {**data, "goals_2015": "a2, zz9"})
        assert unknown.status_code == 200
        assert "zz9" in " ".join(unknown.context["form"].errors["goals_2015"])
        saved = client.post(url, data)
    assert saved.status_code == 302
    assert days_of(etik) == [THU, FRI]
    assert sorted(etik.goals.values_list("code", flat=True)) == ["STa4", "a2", "b1"]
    etik.refresh_from_db()
    assert etik.goals_2008_text == "13"


# --- Swedish first ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = [
    *sorted((ROOT / "courses" / "templates" / "courses" / "staff").glob("*.html")),
    ROOT / "courses" / "staff_views.py",
    ROOT / "courses" / "forms.py",
    ROOT / "courses" / "services.py",
    ROOT / "notifications" / "templates" / "notifications" / "email" / "course_removed.body.txt",
]
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2)}


def test_every_message_of_the_course_pages_has_a_swedish_translation():
    """STYLE rule 10: the course edit and removal pages, their rules' messages and the
    e-mail to the participants are all in a Swedish catalogue."""
    translated = set()
    for path in ROOT.glob("**/locale/sv/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            for entry in read_po(handle):
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if entry.id and all(strings) and not entry.fuzzy:
                    translated.add(entry.id[0] if isinstance(entry.id, tuple) else entry.id)
    wanted = set()
    for path in PAGE_FILES:
        source = path.read_text()
        if path.suffix != ".py":
            source = "\n".join(line.strip() for line in templatize(source).splitlines())
        for _line, message, _comments, _context in extract(
            "python", io.BytesIO(source.encode()), keywords=KEYWORDS
        ):
            wanted.add(message[0] if isinstance(message, tuple) else message)
    assert len(wanted) > 30
    assert sorted(wanted - translated) == []
