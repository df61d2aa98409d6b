"""The trainee's registration pages (C5–C16, SPEC 7), driven through the Django test client.

State is built through the services on the fixed timeline of conftest.py; the pages are read
at a frozen instant of that timeline (deadlines are instants, end of day in Stockholm).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from stportal.accounts.models import Role
from stportal.core.errors import ServiceError
from stportal.registrations import services
from stportal.registrations.models import Fee, LineStatus, Registration
from stportal.registrations.tests.conftest import (
    AFTER_DEADLINE,
    BEFORE_CANCEL_DEADLINE,
    BEFORE_INVITATION,
    COURSE_STARTED,
    INSIDE_CANCEL_PERIOD,
    OPEN,
)
from stportal.testing import factories

pytestmark = pytest.mark.django_db

FEE_SV = "3\u00a0000\u00a0kr"
ETIK = "Etik, mångfald och jämlikhet"
LEDARSKAP = "Ledarskap och pedagogik"


def travel(instant):
    return time_machine.travel(instant, tick=False)


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words with tags dropped and spaces folded, to assert on sentences."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def register(trainee, week, now=OPEN, **kwargs):
    return services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=now, **kwargs
    )


def courses_of(week):
    return list(week.courses.order_by("position"))


@pytest.fixture
def seated_and_waiting(make_week, make_trainee, course_admin):
    """C9: the first course has one seat. `first` (planned completion sooner) is seated in
    both courses; `second` waits for the first course (place 1) and is seated in the other."""
    week = make_week(course_capacities=(1, None))
    first = make_trainee(planned_completion=dt.date(2027, 6, 1))
    second = make_trainee(planned_completion=dt.date(2029, 1, 1))
    first_registration = register(first, week)
    second_registration = register(second, week, dietary_needs="Vegetarisk")
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    return {
        "week": week,
        "first": first,
        "second": second,
        "first_registration": first_registration,
        "second_registration": second_registration,
    }


@pytest.fixture
def offered(seated_and_waiting):
    """C11: inside the cancellation period `first` gives up the first course; the seat is
    offered to `second`, first on its waiting list."""
    state = seated_and_waiting
    etik = courses_of(state["week"])[0]
    services.cancel_registration_lines(
        actor=state["first"].user,
        registration=state["first_registration"],
        course_ids=[etik.pk],
        reason="Jour",
        now=INSIDE_CANCEL_PERIOD,
    )
    return {**state, "etik": etik}


# --- register (C5–C7) -------------------------------------------------------------------------


def test_register_form_offers_the_whole_week_ticked(client, week, make_trainee):
    """C5: the whole week by default; the earlier-courses question, lodging (paid centrally
    only away from the host site), dietary needs and a note."""
    trainee = make_trainee()
    with travel(OPEN):
        client.force_login(trainee.user)
        html = page(client, reverse("registrations:register", args=[week.pk]))
    assert "<h1>Anmäl dig till LEKA A 2027</h1>" in html
    assert len(re.findall(r'<input type="checkbox" name="courses"[^>]*\bchecked\b', html)) == 2
    words = text_of(html)
    assert "Vilka tidigare kurser täcker resten?" in words
    assert "Logi betalas centralt bara för deltagare vars basenhet ligger på annan ort" in words
    assert "Specialkost" in words
    assert 'for="id_dietary_needs"' in html
    assert "Anmäl dig senast 15 oktober 2026" in words


def test_register_form_creates_the_registration_and_confirms(client, week, make_trainee):
    """C5, C7: whole week, pending lines; the page confirms with a message."""
    trainee = make_trainee()
    ids = [str(c.pk) for c in courses_of(week)]
    with travel(OPEN):
        client.force_login(trainee.user)
        response = client.post(
            reverse("registrations:register", args=[week.pk]),
            {"courses": ids, "needs_lodging": "on", "dietary_needs": "Glutenfri", "note": "Hej"},
            follow=True,
        )
    registration = Registration.objects.get(trainee=trainee, course_week=week)
    assert response.redirect_chain[-1][0] == reverse("registrations:detail", args=[registration.pk])
    assert registration.needs_lodging
    assert registration.dietary_needs == "Glutenfri"
    assert registration.earlier_courses_note == ""
    assert sorted(registration.lines.values_list("status", flat=True)) == ["pending", "pending"]
    words = text_of(response.content.decode())
    assert "Din anmälan till LEKA A 2027 är mottagen" in words
    assert "Anmäld Anmäld; platserna fördelas efter sista anmälningsdag." in words


def test_a_second_registration_leads_to_the_first_with_a_message(client, week, make_trainee):
    """C6: one registration per trainee and week; a second attempt shows the existing one."""
    trainee = make_trainee()
    url = reverse("registrations:register", args=[week.pk])
    ids = [str(c.pk) for c in courses_of(week)]
    with travel(OPEN):
        client.force_login(trainee.user)
        client.post(url, {"courses": ids})
        response = client.post(url, {"courses": ids}, follow=True)
    registration = Registration.objects.get(trainee=trainee, course_week=week)
    assert Registration.objects.filter(trainee=trainee).count() == 1
    assert registration.lines.count() == 2
    assert response.redirect_chain[-1][0] == reverse("registrations:detail", args=[registration.pk])
    assert "Du är redan anmäld till LEKA A 2027" in text_of(response.content.decode())


def test_a_409_from_the_service_also_leads_to_the_existing_registration(
    client, week, make_trainee, monkeypatch
):
    """C6: two tabs racing: the service's 409 `registration_exists` names the registration."""
    trainee = make_trainee()
    existing = register(trainee, week)
    services.cancel_registration_lines(
        actor=trainee.user, registration=existing, reason="Fel vecka", now=OPEN
    )

    def race(**kwargs):
        raise ServiceError(
            "registration_exists", "Already", extra={"existing_registration_id": existing.pk}
        )

    monkeypatch.setattr(services, "register_for_course_week", race)
    with travel(OPEN):
        client.force_login(trainee.user)
        response = client.post(
            reverse("registrations:register", args=[week.pk]),
            {"courses": [str(c.pk) for c in courses_of(week)]},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:detail", args=[existing.pk])


def test_partial_registration_stores_the_earlier_courses_note(client, week, make_trainee):
    """C5: choosing only some courses asks which earlier courses cover the rest."""
    trainee = make_trainee()
    etik, _ledarskap = courses_of(week)
    url = reverse("registrations:register", args=[week.pk])
    with travel(OPEN):
        client.force_login(trainee.user)
        refused = client.post(url, {"courses": [str(etik.pk)]})
        accepted = client.post(
            url,
            {"courses": [str(etik.pk)], "earlier_courses_note": "Ledarskap på LEKA A 2025."},
        )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert 'class="error-summary"' in html
    assert '<a href="#id_earlier_courses_note">Du har inte valt alla delkurser' in html
    assert 'aria-invalid="true"' in html
    assert accepted.status_code == 302
    registration = Registration.objects.get(trainee=trainee)
    assert registration.earlier_courses_note == "Ledarskap på LEKA A 2025."
    assert list(registration.lines.values_list("course_id", flat=True)) == [etik.pk]


def test_no_course_chosen_is_named_in_the_error_summary(client, week, make_trainee):
    """SPEC 7: the error summary names each field with a link to it."""
    trainee = make_trainee()
    with travel(OPEN):
        client.force_login(trainee.user)
        response = client.post(reverse("registrations:register", args=[week.pk]), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_courses_0">Välj minst en delkurs.</a>' in html
    assert "<title>Fel:" in html
    assert not Registration.objects.exists()


def test_a_rule_refusing_is_shown_in_the_error_summary(client, week, make_trainee, monkeypatch):
    """A ServiceError becomes a message on the page, never a server error."""
    trainee = make_trainee()

    def refuse(**kwargs):
        raise ServiceError(
            "registration_not_open", "Registration opens…", extra={"opens_on": "2026-09-01"}
        )

    monkeypatch.setattr(services, "register_for_course_week", refuse)
    with travel(OPEN):
        client.force_login(trainee.user)
        response = client.post(
            reverse("registrations:register", args=[week.pk]),
            {"courses": [str(c.pk) for c in courses_of(week)]},
        )
    assert response.status_code == 200
    assert "<li>Anmälan öppnar 1 september 2026.</li>" in response.content.decode()


def test_before_the_invitation_date_the_page_says_when_it_opens(client, week, make_trainee):
    """C7: nobody can register before the invitation date; the page says when it opens."""
    trainee = make_trainee()
    with travel(BEFORE_INVITATION):
        client.force_login(trainee.user)
        html = page(client, reverse("registrations:register", args=[week.pk]))
    assert "Anmälan är inte öppen ännu: den öppnar 1 september 2026." in text_of(html)
    assert 'name="courses"' not in html


def test_after_the_deadline_a_registration_is_late(client, week, make_trainee):
    """C7, C10: after the deadline a trainee may still register, late, space permitting."""
    trainee = make_trainee()
    with travel(AFTER_DEADLINE):
        client.force_login(trainee.user)
        html = page(client, reverse("registrations:register", args=[week.pk]))
        response = client.post(
            reverse("registrations:register", args=[week.pk]),
            {"courses": [str(c.pk) for c in courses_of(week)]},
            follow=True,
        )
    assert "Din anmälan blir sen" in text_of(html)
    assert all(Registration.objects.get(trainee=trainee).lines.values_list("late", flat=True))
    words = text_of(response.content.decode())
    assert "Sen anmälan Sen anmälan: behandlas i mån av plats" in words
    assert "behandlas därför i mån av plats" in words


def test_once_the_week_started_nobody_registers_here(client, week, make_trainee):
    """C7 `course_started`."""
    trainee = make_trainee()
    with travel(COURSE_STARTED):
        client.force_login(trainee.user)
        html = page(client, reverse("registrations:register", args=[week.pk]))
    assert "Kursveckan har börjat, så anmälan är stängd." in text_of(html)
    assert 'name="courses"' not in html


# --- my registrations and one registration (C9, C11, C14) -------------------------------------


def test_my_registrations_tell_status_place_and_reason_in_words(client, seated_and_waiting):
    """C9: each line's status, waiting-list position and the reason for it."""
    second = seated_and_waiting["second"]
    with travel(AFTER_DEADLINE + dt.timedelta(days=3)):
        client.force_login(second.user)
        html = page(client, reverse("registrations:mine"))
    words = text_of(html)
    assert "LEKA A 2027" in words
    assert "Reservlista, plats 1" in words
    assert "Bekräftad plats" in words
    assert "Reservlista: fler anmälningar än platser" in words
    assert reverse("registrations:detail", args=[seated_and_waiting["second_registration"].pk]) in (
        html
    )
    assert reverse("registrations:calendar") in html


def test_an_offer_shows_its_deadline_and_can_be_accepted(client, offered):
    """C11: the offer says until when; accepting confirms the seat, with a message."""
    second, registration, etik = offered["second"], offered["second_registration"], offered["etik"]
    with travel(INSIDE_CANCEL_PERIOD + dt.timedelta(hours=1)):
        client.force_login(second.user)
        html = page(client, reverse("registrations:mine"))
        response = client.post(
            reverse("registrations:accept", args=[registration.pk, etik.pk]),
            {"next": reverse("registrations:mine")},
            follow=True,
        )
    words = text_of(html)
    assert "Erbjuden plats – svara senast 12 mars 2027 12:00" in words
    assert "Tacka ja till platsen" in words
    assert response.redirect_chain[-1][0] == reverse("registrations:mine")
    assert f"Du har tackat ja till platsen på {ETIK}. Din plats är bekräftad." in text_of(
        response.content.decode()
    )
    line = registration.lines.get(course=etik)
    assert line.status == LineStatus.CONFIRMED


def test_an_offer_can_be_declined(client, offered):
    """C11: declining an offer is free at any time; the seat passes on."""
    second, registration, etik = offered["second"], offered["second_registration"], offered["etik"]
    with travel(INSIDE_CANCEL_PERIOD + dt.timedelta(hours=1)):
        client.force_login(second.user)
        response = client.post(
            reverse("registrations:decline", args=[registration.pk, etik.pk]), follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("registrations:detail", args=[registration.pk])
    words = text_of(response.content.decode())
    assert f"Du har tackat nej till platsen på {ETIK}." in words
    assert "Erbjudandet avböjt" in words
    assert registration.lines.get(course=etik).status == LineStatus.CANCELLED
    assert not Fee.objects.filter(registration=registration).exists()


def test_offer_answers_are_post_only(client, offered):
    registration, etik = offered["second_registration"], offered["etik"]
    with travel(INSIDE_CANCEL_PERIOD):
        client.force_login(offered["second"].user)
        response = client.get(reverse("registrations:accept", args=[registration.pk, etik.pk]))
    assert response.status_code == 405


def test_a_lapsed_offer_answer_is_a_message_not_an_error(client, offered):
    """C11: after 48 hours the offer has lapsed; accepting says so."""
    registration, etik = offered["second_registration"], offered["etik"]
    with travel(INSIDE_CANCEL_PERIOD + dt.timedelta(hours=49)):
        client.force_login(offered["second"].user)
        response = client.post(
            reverse("registrations:accept", args=[registration.pk, etik.pk]), follow=True
        )
    assert response.status_code == 200
    assert "Erbjudandet har gått ut" in text_of(response.content.decode())


def test_the_registration_page_shows_lines_reasons_and_fee(client, offered):
    """C9, C14: lines with status and reason; the fee charged on the cancelled line."""
    first, registration = offered["first"], offered["first_registration"]
    with travel(INSIDE_CANCEL_PERIOD + dt.timedelta(hours=1)):
        client.force_login(first.user)
        html = page(client, reverse("registrations:detail", args=[registration.pk]))
    words = text_of(html)
    assert "Anmälan till LEKA A 2027" in words
    assert "Avbokad 10 mars 2027 12:00: Jour" in words
    assert f"{FEE_SV} för sen avbokning, debiteras basenheten" in words
    assert "Bekräftad plats" in words
    assert "Plats: inte fler anmälningar i tid än platser." in words
    assert reverse("registrations:edit", args=[registration.pk]) in html
    assert reverse("registrations:cancel", args=[registration.pk]) in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html


def test_the_home_units_manager_and_staff_read_others_get_404(
    client, seated_and_waiting, course_admin, home_unit, make_trainee
):
    """SPEC 2: the trainee, staff of the region and the unit manager may read; others 404."""
    registration = seated_and_waiting["first_registration"]
    url = reverse("registrations:detail", args=[registration.pk])
    manager = factories.user_with_role(
        Role.UNIT_MANAGER, region=home_unit.region, home_unit=home_unit, username="chef"
    )
    outsider = make_trainee()
    with travel(AFTER_DEADLINE):
        client.force_login(outsider.user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("registrations:cancel", args=[registration.pk])).status_code == (
            404
        )
        assert (
            client.post(reverse("registrations:decline", args=[registration.pk, 1])).status_code
            == 404
        )
        client.force_login(manager)
        manager_html = page(client, url)
        assert client.get(reverse("registrations:edit", args=[registration.pk])).status_code == (
            403
        )
        client.force_login(course_admin)
        staff_html = page(client, url)
    assert reverse("registrations:cancel", args=[registration.pk]) not in manager_html
    assert reverse("registrations:cancel", args=[registration.pk]) in staff_html
    assert seated_and_waiting["first"].user.display_name in staff_html


# --- cancel (C14) -------------------------------------------------------------------------------


def test_cancelling_inside_the_period_warns_of_the_fee_before_confirming(
    client, seated_and_waiting
):
    """C14: told before confirming: "Avbokningen kostar 3 000 kr för din basenhet"; confirming
    charges exactly one fee to the home unit, however many courses are cancelled."""
    first, registration = seated_and_waiting["first"], seated_and_waiting["first_registration"]
    url = reverse("registrations:cancel", args=[registration.pk])
    ids = [str(c.pk) for c in courses_of(seated_and_waiting["week"])]
    with travel(INSIDE_CANCEL_PERIOD):
        client.force_login(first.user)
        form_html = page(client, url)
        preview = client.post(url, {"courses": ids, "reason": "Sjuk"})
        assert not Fee.objects.exists()
        assert registration.lines.filter(status=LineStatus.CONFIRMED).count() == 2
        confirmed = client.post(
            url,
            {"courses": ids, "reason": "Sjuk", "expected_charge": "3000", "confirm": "1"},
            follow=True,
        )
    assert len(re.findall(r'name="courses"[^>]*\bchecked\b', form_html)) == 2
    preview_words = text_of(preview.content.decode())
    assert f"Avbokningen kostar {FEE_SV} för din basenhet" in preview_words
    assert "Bekräfta avbokning" in preview_words
    fee = Fee.objects.get()
    assert (fee.registration_id, fee.amount, fee.status) == (registration.pk, 3000, "charged")
    assert fee.home_unit_id == registration.home_unit_id
    assert set(registration.lines.values_list("status", flat=True)) == {LineStatus.CANCELLED}
    words = text_of(confirmed.content.decode())
    assert f"En utbildningskostnad på {FEE_SV} debiteras" in words
    assert confirmed.redirect_chain[-1][0] == reverse(
        "registrations:detail", args=[registration.pk]
    )


def test_cancelling_before_the_deadline_is_free(client, seated_and_waiting):
    """C14: cancelling a confirmed seat before the cancellation deadline instant is free."""
    first, registration = seated_and_waiting["first"], seated_and_waiting["first_registration"]
    url = reverse("registrations:cancel", args=[registration.pk])
    etik = courses_of(seated_and_waiting["week"])[0]
    with travel(BEFORE_CANCEL_DEADLINE):
        client.force_login(first.user)
        preview = client.post(url, {"courses": [str(etik.pk)], "reason": "Krock"})
        done = client.post(
            url,
            {"courses": [str(etik.pk)], "reason": "Krock", "expected_charge": "0", "confirm": "1"},
            follow=True,
        )
    words = text_of(preview.content.decode())
    assert "Avbokningen är kostnadsfri" in words
    assert "Du avbokar före sista dag för avbokning (8 mars 2027, dagen ut)." in words
    assert not Fee.objects.exists()
    assert registration.lines.get(course=etik).status == LineStatus.CANCELLED
    assert "Avbokningen var kostnadsfri" in text_of(done.content.decode())


def test_leaving_the_waiting_list_is_free_inside_the_period(client, seated_and_waiting):
    """C11, C14: giving up a waiting place is always free."""
    second, registration = seated_and_waiting["second"], seated_and_waiting["second_registration"]
    etik = courses_of(seated_and_waiting["week"])[0]
    with travel(INSIDE_CANCEL_PERIOD):
        client.force_login(second.user)
        preview = client.post(
            reverse("registrations:cancel", args=[registration.pk]),
            {"courses": [str(etik.pk)], "reason": "Annan kurs"},
        )
    words = text_of(preview.content.decode())
    assert "Avbokningen är kostnadsfri" in words
    assert "Reservlista, plats 1" in words


def test_a_cost_that_changed_since_the_preview_is_shown_again(client, seated_and_waiting):
    """C14: nobody is charged an amount they were not shown."""
    first, registration = seated_and_waiting["first"], seated_and_waiting["first_registration"]
    url = reverse("registrations:cancel", args=[registration.pk])
    ids = [str(c.pk) for c in courses_of(seated_and_waiting["week"])]
    with travel(INSIDE_CANCEL_PERIOD):
        client.force_login(first.user)
        response = client.post(
            url, {"courses": ids, "reason": "Sjuk", "expected_charge": "0", "confirm": "1"}
        )
    assert response.status_code == 200
    words = text_of(response.content.decode())
    assert "Kostnaden för avbokningen har ändrats" in words
    assert f"Avbokningen kostar {FEE_SV}" in words
    assert not Fee.objects.exists()


def test_a_cancellation_needs_a_reason(client, seated_and_waiting):
    """C15: who cancelled, when and why."""
    first, registration = seated_and_waiting["first"], seated_and_waiting["first_registration"]
    with travel(BEFORE_CANCEL_DEADLINE):
        client.force_login(first.user)
        response = client.post(
            reverse("registrations:cancel", args=[registration.pk]),
            {"courses": [str(c.pk) for c in courses_of(seated_and_waiting["week"])]},
        )
    assert '<a href="#id_reason">Skriv varför du avbokar.</a>' in response.content.decode()


# --- change (C6) --------------------------------------------------------------------------------


def test_before_the_deadline_courses_and_details_can_be_changed(client, week, make_trainee):
    """C6: changing courses is an edit of the registration, free before the deadline."""
    trainee = make_trainee()
    registration = register(trainee, week)
    etik, ledarskap = courses_of(week)
    url = reverse("registrations:edit", args=[registration.pk])
    with travel(OPEN):
        client.force_login(trainee.user)
        html = page(client, url)
        response = client.post(
            url,
            {
                "courses": [str(etik.pk)],
                "earlier_courses_note": "Ledarskap 2025",
                "dietary_needs": "Laktosfri",
            },
            follow=True,
        )
    assert "Du kan ändra dina delkurser fritt till och med sista anmälningsdag" in text_of(html)
    registration.refresh_from_db()
    assert registration.dietary_needs == "Laktosfri"
    assert registration.earlier_courses_note == "Ledarskap 2025"
    assert registration.lines.get(course=ledarskap).status == LineStatus.CANCELLED
    assert registration.lines.get(course=etik).status == LineStatus.PENDING
    assert not Fee.objects.exists()
    assert "Din anmälan är ändrad." in text_of(response.content.decode())


def test_after_the_deadline_details_change_and_held_courses_stay_free(client, seated_and_waiting):
    """C6, C14: after the deadline the held courses can be unticked on the edit page (issue
    9: as through API PATCH); keeping them all and changing details costs nothing."""
    first, registration = seated_and_waiting["first"], seated_and_waiting["first_registration"]
    held = [str(ln.course_id) for ln in registration.lines.all()]
    url = reverse("registrations:edit", args=[registration.pk])
    with travel(INSIDE_CANCEL_PERIOD):
        client.force_login(first.user)
        html = page(client, url)
        client.post(url, {"courses": held, "needs_lodging": "on", "dietary_needs": "Vegansk"})
    assert not re.findall(r'name="courses"[^>]*\bdisabled\b', html)
    registration.refresh_from_db()
    assert registration.needs_lodging
    assert registration.dietary_needs == "Vegansk"
    assert registration.lines.filter(status=LineStatus.CONFIRMED).count() == 2
    assert not Fee.objects.exists()


# --- the calendar file ------------------------------------------------------------------------


def test_the_calendar_holds_the_confirmed_courses_only(client, seated_and_waiting):
    """One event per confirmed course day, Europe/Stockholm, with a stable UID; the course
    `second` waits for is left out."""
    second = seated_and_waiting["second"]
    with travel(AFTER_DEADLINE + dt.timedelta(days=1)):
        client.force_login(second.user)
        response = client.get(reverse("registrations:calendar"))
        again = client.get(reverse("registrations:calendar"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == [LEDARSKAP]
    event = events[0]
    assert event.decoded("DTSTART") == dt.date(2027, 3, 23)
    assert str(event["LOCATION"]) == "Umeå"
    assert "LEKA A 2027" in str(event["DESCRIPTION"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    uids = [str(e["UID"]) for e in Calendar.from_ical(again.content).walk("VEVENT")]
    assert uids == [str(event["UID"])]


# --- English, and a constant number of queries (SPEC 7) ---------------------------------------


def test_every_registration_page_works_in_english(client, offered):
    """SPEC 7: Swedish first, English when the person switched language."""
    second, registration = offered["second"], offered["second_registration"]
    etik, ledarskap = courses_of(offered["week"])
    cancel_url = reverse("registrations:cancel", args=[registration.pk])
    client.cookies["django_language"] = "en"
    with travel(INSIDE_CANCEL_PERIOD + dt.timedelta(hours=1)):
        client.force_login(second.user)
        mine = text_of(page(client, reverse("registrations:mine")))
        detail = text_of(page(client, reverse("registrations:detail", args=[registration.pk])))
        edit = text_of(page(client, reverse("registrations:edit", args=[registration.pk])))
        cancel = text_of(page(client, cancel_url))
        free = client.post(cancel_url, {"courses": [str(etik.pk)], "reason": "Ill"})
        costly = client.post(cancel_url, {"courses": [str(ledarskap.pk)], "reason": "Ill"})
        client.force_login(offered["first"].user)
        fee_exists = client.post(
            reverse("registrations:cancel", args=[offered["first_registration"].pk]),
            {"courses": [str(ledarskap.pk)], "reason": "Ill"},
        )
    assert "My registrations" in mine
    assert "Offered a seat – answer by March 12, 2027, noon" in mine
    assert "Accept the seat" in mine
    assert "Confirmed seat" in detail
    assert "Change your registration for LEKA A 2027" in edit
    assert "Courses to cancel" in cancel
    assert "The cancellation is free of charge" in text_of(free.content.decode())
    assert "The cancellation costs SEK 3,000 for your home unit" in text_of(costly.content.decode())
    assert "already been charged its one late-cancellation fee" in text_of(
        fee_exists.content.decode()
    )


def test_the_register_page_works_in_english(client, week, make_trainee):
    trainee = make_trainee()
    client.cookies["django_language"] = "en"
    with travel(OPEN):
        client.force_login(trainee.user)
        words = text_of(page(client, reverse("registrations:register", args=[week.pk])))
    assert "Register for LEKA A 2027" in words
    assert "Which earlier courses cover the rest?" in words


def _queries_for(client, user, path):
    client.force_login(user)
    client.get(path)  # warm the session and caches alike for both sizes
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_my_registrations_use_a_constant_number_of_queries(
    client, make_week, make_trainee, course_admin
):
    """SPEC 7: 2 or 10 registrations (with places, waiting lists and a fee) cost the same."""
    weeks = [make_week(course_capacities=(1, None)) for _ in range(10)]
    ahead = make_trainee(planned_completion=dt.date(2027, 5, 1))
    few = make_trainee()
    many = make_trainee()
    for index, week in enumerate(weeks):
        register(ahead, week)
        if index < 2:
            register(few, week)
        register(many, week)
        services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    mine = reverse("registrations:mine")
    with travel(AFTER_DEADLINE + dt.timedelta(days=1)):
        few_count = _queries_for(client, few.user, mine)
        many_count = _queries_for(client, many.user, mine)
        html = page(client, mine)
    assert html.count("Reservlista, plats") == 10
    assert few_count == many_count
