"""`stportal allocate ID --dry-run` prints the preview a person reads and changes nothing (C8)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from stportal.registrations import services
from stportal.registrations.models import LineStatus, RegistrationLine
from stportal.registrations.tests.conftest import AFTER_DEADLINE, OPEN


def test_dry_run_prints_who_is_seated_and_who_waits_and_saves_nothing(
    make_week, make_trainee, course_admin
):
    week = make_week(capacity=1, course_capacities=(None,))
    near = make_trainee(dt.date(2027, 6, 1))
    far = make_trainee(dt.date(2030, 6, 1))
    for trainee in (far, near):
        services.register_for_course_week(actor=trainee.user, week=week, trainee=trainee, now=OPEN)
    out = StringIO()
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        call_command("allocate", str(week.pk), "--dry-run", stdout=out)
    text = out.getvalue()
    assert near.user.display_name in text and far.user.display_name in text
    seat_line = next(line for line in text.splitlines() if near.user.display_name in line)
    wait_line = next(line for line in text.splitlines() if far.user.display_name in line)
    assert "seat" in seat_line or "plats" in seat_line
    assert "1" in wait_line
    assert "kortast återstående tid till planerat ST-slut" in text and "(C9)" not in text
    assert RegistrationLine.objects.filter(status=LineStatus.PENDING).count() == 2


def test_allocating_before_the_deadline_says_why(week):
    with time_machine.travel(OPEN, tick=False), pytest.raises(CommandError, match="deadline"):
        call_command("allocate", str(week.pk))


def test_real_run_saves(make_week, make_trainee):
    week = make_week(capacity=5, course_capacities=(None,))
    trainee = make_trainee()
    services.register_for_course_week(actor=trainee.user, week=week, trainee=trainee, now=OPEN)
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        call_command("allocate", str(week.pk), stdout=StringIO())
    assert RegistrationLine.objects.get().status == LineStatus.CONFIRMED
