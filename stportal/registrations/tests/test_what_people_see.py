"""Issue 9, what people see: where a trainee would land if allocation ran now (C9, C10),
plurals in both languages, fees named by their cause (C14) and a reopened registration with
its history folded away (C6, C15). State is built through the services."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from stportal.registrations import services
from stportal.registrations.models import LineStatus, Registration
from stportal.registrations.page_selectors import split_reopened
from stportal.registrations.projection import project_pending
from stportal.registrations.tests.conftest import AFTER_DEADLINE, INSIDE_CANCEL_PERIOD, OPEN, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Tests travel in time; a log-in must outlive the trip."""
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


def text_of(response) -> str:
    assert response.status_code == 200, response.content.decode()[:1000]
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


def register(trainee, week, now=OPEN, **kwargs):
    return services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=now, **kwargs
    )


@pytest.fixture
def one_seat(make_week, make_trainee):
    """One seat in the first course; three on time, then one late (C9, C10)."""
    week = make_week(course_capacities=(1, None))
    soon = make_trainee(planned_completion=dt.date(2027, 6, 1))
    later = make_trainee(planned_completion=dt.date(2029, 6, 1))
    latest = make_trainee(planned_completion=dt.date(2030, 6, 1))
    registrations = {
        "latest": register(latest, week, now=at(2026, 9, 5)),
        "later": register(later, week, now=at(2026, 9, 10)),
        "soon": register(soon, week, now=at(2026, 9, 12)),
    }
    return week, registrations


def test_trainee_sees_where_they_would_land_if_allocation_ran_now(client, one_seat):
    """Issue 9 "Where do I stand?": during the registration window the trainee's page says
    seat or waiting-list place N, with the reason, by the same priority rule (C9)."""
    week, regs = one_seat
    first_course = week.courses.order_by("position", "pk").first()
    with time_machine.travel(OPEN, tick=False):
        client.force_login(regs["soon"].trainee.user)
        soon = text_of(client.get(reverse("registrations:detail", args=[regs["soon"].pk])))
        client.force_login(regs["latest"].trainee.user)
        latest = text_of(client.get(reverse("registrations:detail", args=[regs["latest"].pk])))
    assert "Var står jag?" in soon
    assert f"{first_course.title}: en plats" in soon
    assert "Plats: kortast återstående tid till planerat ST-slut." in soon
    # Registered first, but the furthest from completion: second on the list, after "later".
    assert f"{first_course.title}: plats 2 på reservlistan" in latest
    assert "Reservlista: fler anmälningar än platser" in latest
    # The second course has room for everyone: a seat for all.
    assert "Ledarskap och pedagogik: en plats" in latest
    assert set(Registration.objects.values_list("lines__status", flat=True)) == {"pending"}


def test_api_carries_projected_status_and_position_while_pending(client, one_seat):
    """Appendix A: a pending line carries `projected_status` and `projected_position`."""
    week, regs = one_seat
    first_course = week.courses.order_by("position", "pk").first()
    with time_machine.travel(OPEN, tick=False):
        client.force_login(regs["latest"].trainee.user)
        one = client.get(f"/api/v1/registrations/{regs['latest'].pk}").json()
        mine = client.get("/api/v1/me/registrations").json()
    line = next(ln for ln in one["lines"] if ln["course_id"] == first_course.pk)
    assert (line["status"], line["projected_status"], line["projected_position"]) == (
        "pending",
        "waitlisted",
        2,
    )
    other = next(ln for ln in one["lines"] if ln["course_id"] != first_course.pk)
    assert (other["projected_status"], other["projected_position"]) == ("confirmed", None)
    assert mine[0]["lines"] == one["lines"]


def test_projection_matches_the_real_allocation_and_ends_with_it(
    client, one_seat, make_trainee, course_admin
):
    """The projection is the real run's answer (the same pure allocation), a late line comes
    after every on-time one (C10), and once allocated nothing is projected any more."""
    week, regs = one_seat
    late = register(
        make_trainee(planned_completion=dt.date(2026, 12, 1)), week, now=at(2026, 10, 17)
    )
    everyone = [*regs.values(), late]
    projected = project_pending(
        Registration.objects.filter(pk__in=[r.pk for r in everyone]).prefetch_related("lines")
    )
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    for registration in everyone:
        for line in registration.lines.all():
            line.refresh_from_db()
            guess = projected[line.pk]
            assert guess.status == line.status
            assert guess.position == services.waitlist_position(line)
    first = week.courses.order_by("position", "pk").first()
    assert projected[late.lines.get(course=first).pk].position == 3  # late: last, C10
    assert project_pending(Registration.objects.prefetch_related("lines")) == {}
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        client.force_login(regs["soon"].trainee.user)
        page = text_of(client.get(reverse("registrations:detail", args=[regs["soon"].pk])))
        api = client.get(f"/api/v1/registrations/{regs['soon'].pk}").json()
    assert "Var står jag?" not in page
    assert all(ln["projected_status"] is None for ln in api["lines"])


def test_allocation_preview_says_one_seat_not_one_seats(client, one_seat, course_admin):
    """Issue 9: plurals right in both languages ("1 platser" before)."""
    week, _regs = one_seat
    client.force_login(course_admin)
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        sv = text_of(client.get(reverse("staff:allocate", args=[week.pk])))
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        en = text_of(client.get(reverse("staff:allocate", args=[week.pk])))
    assert "1 plats. Efter fördelningen: 1 med plats, 2 på reservlistan." in sv
    assert "1 platser" not in sv
    assert "60 platser. Efter fördelningen: 3 med plats, 0 på reservlistan." in sv
    assert "1 seat. After the allocation: 1 with a seat, 2 on the waiting list." in en
    assert "1 seats" not in en


def test_late_cancellation_fee_is_named_by_its_cause_on_the_trainee_page(
    client, week, trainee, course_admin
):
    """Issue 9, C14: the trainee reads which kind of fee was charged."""
    registration = register(trainee, week)
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    services.cancel_registration_lines(
        actor=trainee.user, registration=registration, reason="Jour.", now=INSIDE_CANCEL_PERIOD
    )
    client.force_login(trainee.user)
    with time_machine.travel(INSIDE_CANCEL_PERIOD, tick=False):
        text = text_of(client.get(reverse("registrations:detail", args=[registration.pk])))
    assert "3 000 kr för sen avbokning, debiteras basenheten" in text
    assert "uteblivande" not in text


@pytest.fixture
def reopened(week, trainee):
    """Registered for both courses, cancelled everything (free, before the deadline), then
    registered again for one course: the same registration, reopened (C6)."""
    registration = register(trainee, week, now=at(2026, 9, 10))
    services.cancel_registration_lines(
        actor=trainee.user, registration=registration, reason="Fel vecka.", now=at(2026, 9, 11)
    )
    first = week.courses.order_by("position", "pk").first()
    again = register(trainee, week, now=at(2026, 9, 20), course_ids=[first.pk])
    assert again.pk == registration.pk
    return registration


def test_reopened_registration_shows_current_lines_and_folds_the_history(
    client, reopened, trainee, course_admin
):
    """Issue 9, C6, C15: the trainee's and staff's pages show the lines of the reopening; the
    cancelled lines stay, folded away in a <details>."""
    client.force_login(trainee.user)
    with time_machine.travel(at(2026, 9, 21), tick=False):
        html = client.get(reverse("registrations:detail", args=[reopened.pk])).content.decode()
        client.force_login(course_admin)
        staff = client.get(reverse("staff:registration", args=[reopened.pk])).content.decode()
    for page in (html, staff):
        current, _sep, history = page.partition('<details class="line-history">')
        assert history, "the history is folded into a <details>"
        assert "Etik, mångfald och jämlikhet" in current
        assert "Ledarskap och pedagogik" not in current
        assert "Tidigare anmälan, avbokad: 2 delkurser" in history
        assert "Ledarskap och pedagogik" in history and "Fel vecka." in history
    statuses = sorted(reopened.lines.values_list("status", flat=True))
    assert statuses == ["cancelled", "cancelled", "pending"]  # nothing deleted (C15)


def test_an_edit_that_adds_a_course_opens_no_new_round(week, trainee):
    """Adding a course to an active registration keeps every line current."""
    first, second = week.courses.order_by("position", "pk")
    registration = register(trainee, week, now=at(2026, 9, 10), course_ids=[first.pk])
    services.change_registration(
        actor=trainee.user,
        registration=registration,
        course_ids=[first.pk, second.pk],
        now=at(2026, 9, 12),
    )
    lines = list(registration.lines.all())
    current, history = split_reopened(lines)
    assert history == [] and len(current) == 2
    assert {ln.status for ln in current} == {LineStatus.PENDING}
