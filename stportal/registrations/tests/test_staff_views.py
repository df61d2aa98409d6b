"""The course administration pages and the unit manager's page (SPEC 2, C4, C5a, C7–C16,
C20–C22), through the web client; state is built through the services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import smtplib
from pathlib import Path

import openpyxl
import pytest
import time_machine
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation.template import templatize

from stportal.accounts.models import PlannedCompletionChange, Role
from stportal.core.models import AuditEvent
from stportal.courses.models import CourseWeek, InformationPage
from stportal.courses.services import create_course_week
from stportal.notifications import services as notify
from stportal.notifications.models import OutboxMessage, OutboxStatus
from stportal.registrations import services
from stportal.registrations.models import Fee, FeeStatus, LineStatus, Registration
from stportal.registrations.tests.conftest import (
    AFTER_DEADLINE,
    COURSE_STARTED,
    INSIDE_CANCEL_PERIOD,
    OPEN,
    at,
)
from stportal.testing import factories

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(554, b"mail server said no")


def draft_week(series, admin, title):
    """A draft course week a year after the fixture's (C4)."""
    return create_course_week(
        actor=admin,
        series=series,
        title=title,
        start_date=dt.date(2028, 3, 20),
        end_date=dt.date(2028, 3, 24),
        place="Umeå",
        capacity=60,
        invitation_date=dt.date(2027, 9, 1),
        registration_deadline=dt.date(2027, 10, 15),
        late_cancellation_fee=3000,
    )


def frozen(instant):
    return time_machine.travel(instant, tick=False)


def register(trainee, week, now=OPEN, **kwargs):
    return services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=now, **kwargs
    )


def allocate(week, admin, now=AFTER_DEADLINE):
    return services.run_allocation(actor=admin, week=week, dry_run=False, now=now)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words without tags, spaces collapsed (and non-breaking spaces as spaces)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Tests travel in time; a log-in must outlive the trip."""
    settings.SESSION_COOKIE_AGE = 5 * 365 * 24 * 3600


@pytest.fixture
def admin_client(client, course_admin):
    client.force_login(course_admin)
    return client


@pytest.fixture
def away_unit(region):
    """A home unit away from the host site: its participants get lodging paid (C20)."""
    return factories.HomeUnitFactory(
        region=region, name="Lycksele lasarett", away_from_host_site=True
    )


@pytest.fixture
def full_week(make_week, make_trainee):
    """One seat in the first course, two on-time requests for it (C9) and one late (C10)."""
    week = make_week(course_capacities=(1, None))
    soon = make_trainee(planned_completion=dt.date(2027, 6, 1))
    later = make_trainee(planned_completion=dt.date(2029, 6, 1))
    for person in (soon, later):
        person.user.first_name, person.user.last_name = {
            soon.pk: ("Sara", "Snabb"),
            later.pk: ("Lars", "Längre"),
        }[person.pk]
        person.user.save()
    register(later, week, now=at(2026, 9, 10))
    register(soon, week, now=at(2026, 9, 12))
    late = make_trainee()
    late.user.first_name, late.user.last_name = "Sen", "Anmälan"
    late.user.save()
    register(late, week, now=at(2026, 10, 17))
    return week


# --- who may -------------------------------------------------------------------------------

WEEK_PAGES = [
    "staff:week",
    "staff:allocate",
    "staff:register_on_behalf",
    "staff:registrations",
    "staff:participants",
    "staff:waiting",
    "staff:lodging",
]
REGION_PAGES = ["staff:weeks", "staff:info_edit", "staff:outbox"]


@pytest.mark.parametrize("name", WEEK_PAGES)
def test_week_pages_are_for_staff_of_the_weeks_region(
    name, client, week, trainee, outsider_admin, course_admin, regional_study_director
):
    """SPEC 2: staff of the week's region; a trainee 403, another region's admin 404."""
    url = reverse(name, args=[week.pk])
    assert client.get(url).status_code == 302  # to the log-in
    client.force_login(trainee.user)
    assert client.get(url).status_code == 403
    client.force_login(outsider_admin)
    assert client.get(url).status_code == 404
    for staff in (course_admin, regional_study_director):
        client.force_login(staff)
        with frozen(AFTER_DEADLINE):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", REGION_PAGES)
def test_region_pages_are_for_staff_only(name, client, trainee, course_admin):
    """SPEC 2: pages of the course administration answer 403 to people who are not staff."""
    url = reverse(name)
    client.force_login(trainee.user)
    assert client.get(url).status_code == 403
    client.force_login(course_admin)
    assert client.get(url).status_code == 200


def test_a_registration_is_private_to_its_regions_staff(
    client, week, trainee, outsider_admin, course_admin
):
    """SPEC 2: even its own trainee gets 403 on the staff page; another region's admin 404."""
    registration = register(trainee, week)
    url = reverse("staff:registration", args=[registration.pk])
    client.force_login(trainee.user)
    assert client.get(url).status_code == 403
    client.force_login(outsider_admin)
    assert client.get(url).status_code == 404
    for name in ("staff:cancel", "staff:waive"):
        assert client.post(reverse(name, args=[registration.pk]), {}).status_code == 404
    assert not AuditEvent.objects.filter(actor=outsider_admin).exists()
    client.force_login(course_admin)
    assert client.get(url).status_code == 200
    assert client.get(reverse("staff:registration", args=[999_999])).status_code == 404


def test_actions_of_another_regions_admin_change_nothing(client, week, outsider_admin):
    course = week.courses.first()
    client.force_login(outsider_admin)
    assert client.post(reverse("staff:publish", args=[week.pk])).status_code == 404
    assert client.post(reverse("staff:allocate", args=[week.pk])).status_code == 404
    response = client.post(reverse("staff:capacity", args=[course.pk]), {"course-x": "1"})
    assert response.status_code == 404
    course.refresh_from_db()
    assert course.own_capacity is None


def test_the_unit_page_is_for_unit_managers_only(client, course_admin, trainee):
    client.force_login(course_admin)
    assert client.get(reverse("staff:unit")).status_code == 403
    client.force_login(trainee.user)
    assert client.get(reverse("staff:unit")).status_code == 403
    assert client.get(reverse("staff:fees")).status_code == 403


# --- 1. the weeks with live counts ---------------------------------------------------------


def test_weeks_page_shows_every_state_with_live_counts(
    admin_client, full_week, series, course_admin
):
    """C4, C8: all states, and per course requests, confirmed, offered, waiting, late,
    cancelled against capacity."""
    draft_week(series, course_admin, "LEKA A 2028 (utkast)")
    allocate(full_week, course_admin)
    with frozen(AFTER_DEADLINE):
        html = page(admin_client, reverse("staff:weeks"))
    text = text_of(html)
    assert "LEKA A 2027" in text and "LEKA A 2028 (utkast)" in text
    assert "Utkast" in text and "Fördelad" in text
    assert "3 personer anmälda" in text
    # First course: one seat, three requests (one late): 1 of 1 taken, 2 waiting.
    # Etik (one seat): taken of capacity, then requests, not yet placed, confirmed, offered,
    # waiting, late, cancelled.
    cells = text.split("Etik, mångfald och jämlikhet ", 1)[1].split(" Ledarskap")[0].split()
    assert cells == ["1", "av", "1", "fullt", "3", "0", "1", "0", "2", "1", "0"]
    cells = text.split("Ledarskap och pedagogik ", 1)[1].split(" LEKA")[0].split()
    assert cells == ["3", "av", "60", "3", "0", "3", "0", "0", "1", "0"]


def test_weeks_page_runs_a_constant_number_of_queries(
    client, make_week, make_trainee, course_admin
):
    """SPEC 7: list views run a fixed number of queries (2 vs 10 registrations)."""
    week = make_week()
    client.force_login(course_admin)
    for _ in range(2):
        register(make_trainee(), week)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("staff:weeks")).status_code == 200
    for _ in range(8):
        register(make_trainee(), week)
    make_week_two = draft_week(week.series, course_admin, "LEKA A 2028")
    assert make_week_two.pk
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("staff:weeks"))
    assert response.status_code == 200
    assert "10 personer anmälda" in text_of(response.content.decode())
    assert len(many) == len(few)


# --- 2. one week: publish, allocation preview and commit, capacity -------------------------


def test_week_page_shows_facts_counts_and_actions(admin_client, full_week):
    with frozen(AFTER_DEADLINE):
        text = text_of(page(admin_client, reverse("staff:week", args=[full_week.pk])))
    assert "LEKA A 2027" in text and "Stängd" in text
    assert "3 000 kr" in text  # the late-cancellation fee
    assert "Förhandsgranska platsfördelningen" in text
    assert "6 kursanmälningar väntar på platsfördelning." in text
    assert "Ändra antal platser i en delkurs" in text


def test_publishing_a_draft_week(admin_client, series, course_admin):
    """C4: staff publish a draft; the page says so."""
    week = draft_week(series, course_admin, "LEKA A 2028")
    url = reverse("staff:publish", args=[week.pk])
    response = admin_client.post(url, follow=True)
    text = text_of(response.content.decode())
    assert "Lägg till minst en delkurs innan kursveckan publiceras." in text  # refused, no 500
    assert CourseWeek.objects.get(pk=week.pk).stored_state == "draft"
    from stportal.courses.services import add_course

    add_course(actor=course_admin, week=week, title="Etik", days=[dt.date(2028, 3, 20)])
    response = admin_client.post(url, follow=True)
    assert "LEKA A 2028 är publicerad." in text_of(response.content.decode())
    assert CourseWeek.objects.get(pk=week.pk).stored_state == "published"
    assert AuditEvent.objects.filter(action="course_week.published", actor=course_admin).exists()


def test_allocation_before_the_deadline_says_so(admin_client, full_week):
    """C8: allocation before the deadline answers `deadline_not_passed`, on the page."""
    with frozen(OPEN):
        text = text_of(page(admin_client, reverse("staff:allocate", args=[full_week.pk])))
        response = admin_client.post(reverse("staff:allocate", args=[full_week.pk]), follow=True)
    assert "Platsfördelningen kan göras först efter sista anmälningsdag (2026-10-15)." in text
    assert "Fördela platserna" not in text
    assert "Platsfördelningen kan göras först efter sista anmälningsdag" in text_of(
        response.content.decode()
    )
    assert not Registration.objects.filter(lines__status=LineStatus.CONFIRMED).exists()


def test_allocation_preview_shows_seats_waits_and_reasons_and_changes_nothing(
    admin_client, full_week
):
    """C8, C9, C10, C5a: per course who gets a seat and who waits, the position, the reason,
    the late mark, the planned completion and a change after the deadline; nothing saved."""
    later = Registration.objects.get(trainee__user__last_name="Längre").trainee
    PlannedCompletionChange.objects.create(  # no service writes these yet (C5a)
        trainee=later,
        old_date=dt.date(2030, 1, 1),
        new_date=later.planned_completion,
        source="studierektor",
        changed_at=at(2026, 10, 18),
    )
    audit_before = AuditEvent.objects.count()
    with frozen(AFTER_DEADLINE):
        html = page(admin_client, reverse("staff:allocate", args=[full_week.pk]))
    text = text_of(html)
    assert "Förhandsvisning: inget är sparat ännu." in text
    first = text[text.index("Etik, mångfald och jämlikhet") :]
    assert first.index("Sara Snabb") < first.index("Lars Längre") < first.index("Sen Anmälan")
    assert "Plats: kortast återstående tid till planerat ST-slut." in text
    assert "Reservlista, plats 1" in text and "Reservlista, plats 2" in text
    assert "Reservlista: sen anmälan, efter alla anmälningar i tid." in text
    assert "Ändrat efter sista anmälningsdag" in text
    assert "1 juni 2027" in text  # Sara's planned completion
    assert "Sen anmälan" in text
    assert set(
        Registration.objects.filter(course_week=full_week).values_list("lines__status", flat=True)
    ) == {LineStatus.PENDING}
    assert AuditEvent.objects.count() == audit_before
    assert CourseWeek.objects.get(pk=full_week.pk).stored_state == "published"


def test_allocation_commit_allocates_and_says_what_happened(admin_client, full_week, course_admin):
    """C8: the real run seats and waits as previewed; running it again changes nothing."""
    url = reverse("staff:allocate", args=[full_week.pk])
    with frozen(AFTER_DEADLINE):
        response = admin_client.post(url, follow=True)
    text = text_of(response.content.decode())
    assert "Platserna är fördelade: 4 kursplatser bekräftade och 2 på reservlistor." in text
    week = CourseWeek.objects.get(pk=full_week.pk)
    assert week.stored_state == "allocated"
    seated = Registration.objects.get(trainee__user__last_name="Snabb")
    assert set(seated.lines.values_list("status", flat=True)) == {LineStatus.CONFIRMED}
    assert AuditEvent.objects.filter(action="line.allocated", actor=course_admin).count() == 6
    with frozen(AFTER_DEADLINE):
        again = admin_client.post(url, follow=True)
    assert "Det fanns inget att fördela" in text_of(again.content.decode())


def test_capacity_change_and_its_refusal_are_shown(admin_client, full_week, course_admin):
    """C12: raising promotes the waiting list; lowering below the seats taken is refused."""
    allocate(full_week, course_admin)
    course = full_week.courses.order_by("position").first()
    url = reverse("staff:capacity", args=[course.pk])
    prefix = f"course-{course.pk}"
    with frozen(AFTER_DEADLINE):
        response = admin_client.post(url, {f"{prefix}-capacity": "0"})
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Något behöver rättas" in text
    assert "Antalet platser kan inte bli lägre än de platser som redan är tagna." in text
    assert f'href="#id_{prefix}-capacity"' in response.content.decode()
    course.refresh_from_db()
    assert course.own_capacity == 1
    with frozen(AFTER_DEADLINE):
        response = admin_client.post(url, {f"{prefix}-capacity": "2"}, follow=True)
    assert "Etik, mångfald och jämlikhet har nu 2 platser." in text_of(response.content.decode())
    course.refresh_from_db()
    assert course.own_capacity == 2
    lars = Registration.objects.get(trainee__user__last_name="Längre")
    assert lars.lines.get(course=course).status == LineStatus.CONFIRMED  # moved up
    with frozen(AFTER_DEADLINE):
        response = admin_client.post(url, {f"{prefix}-capacity": ""}, follow=True)
    assert "följer nu kursveckans antal platser: 60." in text_of(response.content.decode())


# --- 3. register on behalf -----------------------------------------------------------------


def test_search_finds_trainees_by_name_and_any_form_of_personal_identity_number(
    admin_client, week, make_trainee
):
    person = make_trainee()
    person.user.first_name, person.user.last_name = "Åsa", "Öberg"
    person.user.save()
    stored = person.personal_id
    url = reverse("staff:register_on_behalf", args=[week.pk])
    masked = f"{stored[:8]}-****"
    for query in (
        "åsa öberg",
        "ÖBERG",
        stored,
        f"{stored[:8]}-{stored[8:]}",
        f"{stored[2:8]}-{stored[8:]}",
        stored[2:],
    ):
        with frozen(OPEN):
            response = admin_client.post(url, {"q": query, "search": "1"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Åsa Öberg" in html, query
        assert masked in html
        assert stored not in html.replace(f'value="{query}"', "")
        assert not Registration.objects.exists()  # a search registers nobody
    with frozen(OPEN):
        html = admin_client.post(url, {"q": "Nobody", "search": "1"}).content.decode()
    assert "Ingen ST-läkare i din region matchar" in text_of(html)


@pytest.mark.parametrize("term", ["19910417-3241", "910417-3241", "9104173241", "19910417"])
def test_trainee_search_never_takes_a_personal_identity_number_from_the_address(
    admin_client, week, make_trainee, term
):
    """Security review finding 7: `?q=19910417-3241` in the address (and so in the access log
    and the browser's history) is neither searched for nor shown back; the search form posts
    its term instead."""
    person = make_trainee()
    url = reverse("staff:register_on_behalf", args=[week.pk])
    with frozen(OPEN):
        response = admin_client.get(url, {"q": term})
        assert response.status_code == 302
        assert response["Location"] == url
        html = admin_client.get(url).content.decode()
    assert term not in html
    assert person.masked_personal_id not in html  # nobody was searched for
    assert 'method="post" action="' + url + '" role="search"' in html


def test_week_registrations_filter_refuses_a_personal_identity_number_in_the_address(
    admin_client, week, trainee
):
    """Security review finding 7: the registrations list's name filter posts its term; a
    number in the address is dropped unsearched."""
    register(trainee, week)
    url = reverse("staff:registrations", args=[week.pk])
    with frozen(OPEN):
        response = admin_client.get(url, {"q": trainee.personal_id})
        assert response.status_code == 302 and response["Location"] == url
        html = admin_client.post(url, {"q": trainee.user.last_name}).content.decode()
    assert trainee.user.display_name in html
    assert '<form class="form search-form" method="post"' in html


def test_register_on_behalf_after_the_deadline_makes_a_late_line(
    admin_client, week, make_trainee, course_admin
):
    """C7: staff register at any time; after the deadline the line is late (C10)."""
    person = make_trainee()
    course = week.courses.order_by("position").first()
    url = reverse("staff:register_on_behalf", args=[week.pk])
    with frozen(AFTER_DEADLINE):
        searched = admin_client.post(url, {"q": person.personal_id, "search": "1"})
        text = text_of(searched.content.decode())
        assert "Sista anmälningsdag, 15 oktober 2026, har passerat" in text
        assert person.user.display_name in text
        response = admin_client.post(
            url,
            {
                "q": person.personal_id,
                "trainee": person.pk,
                "courses": [course.pk],
                "earlier_courses_note": "Ledarskap på LEKA A 2025.",
                "needs_lodging": "on",
                "dietary_needs": "Vegetarisk",
                "note": "Sen anmälan via e-post.",
            },
            follow=True,
        )
    registration = Registration.objects.get(trainee=person, course_week=week)
    line = registration.lines.get()
    assert line.course == course and line.late and line.status == LineStatus.PENDING
    assert registration.created_by == course_admin
    assert registration.needs_lodging and registration.dietary_needs == "Vegetarisk"
    text = text_of(response.content.decode())
    assert f"{person.user.display_name} är anmäld till LEKA A 2027." in text
    assert "Anmälan är sen" in text
    assert response.redirect_chain[-1][0] == reverse("staff:registration", args=[registration.pk])


def test_register_on_behalf_after_the_start_is_allowed(admin_client, week, make_trainee):
    """C7: records entered after the fact, even once the week has started."""
    person = make_trainee()
    url = reverse("staff:register_on_behalf", args=[week.pk])
    with frozen(COURSE_STARTED):
        response = admin_client.post(
            url,
            {
                "q": person.user.last_name,
                "trainee": person.pk,
                "courses": [c.pk for c in week.courses.all()],
            },
        )
    assert response.status_code == 302
    assert Registration.objects.get(trainee=person).lines.filter(late=True).count() == 2


def test_register_on_behalf_shows_errors_with_a_summary_and_the_existing_registration(
    admin_client, week, trainee
):
    """WCAG: an error summary naming each field with a link; C6: one registration per week."""
    url = reverse("staff:register_on_behalf", args=[week.pk])
    with frozen(OPEN):
        response = admin_client.post(url, {"q": trainee.user.last_name})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary-heading"' in html
    assert 'href="#id_trainee_0"' in html and 'href="#id_courses_0"' in html
    assert "Välj vilken ST-läkare som ska anmälas." in html
    assert not Registration.objects.exists()
    registration = register(trainee, week)
    with frozen(OPEN):
        response = admin_client.post(
            url,
            {
                "q": trainee.user.last_name,
                "trainee": trainee.pk,
                "courses": [week.courses.first().pk],
            },
        )
    html = response.content.decode()
    assert "redan anmäld till LEKA A 2027" in html
    assert reverse("staff:registration", args=[registration.pk]) in html


# --- 4. a registration: cancel, waive, history ---------------------------------------------


@pytest.fixture
def seated(week, trainee, course_admin):
    """A trainee with confirmed seats in both courses (C8)."""
    registration = register(trainee, week)
    allocate(week, course_admin)
    return registration


def test_registration_page_shows_lines_and_history(admin_client, seated, trainee):
    with frozen(AFTER_DEADLINE):
        text = text_of(page(admin_client, reverse("staff:registration", args=[seated.pk])))
    assert trainee.user.display_name in text
    assert trainee.masked_personal_id in text and trainee.personal_id not in text
    assert "Bekräftad" in text
    assert "Plats: inte fler anmälningar i tid än platser." in text
    assert "Anmälan gjord" in text and "Placerad av platsfördelningen" in text
    assert "Status: Anmäld → Bekräftad" in text
    assert "Avboka valda delkurser" in text


def test_cancel_with_an_acceptable_reason_records_a_waived_fee(admin_client, seated, course_admin):
    """C14: inside the cancellation period a confirmed seat would charge the fee; an
    acceptable reason recorded by a course admin waives it, and the fee row stays (C16)."""
    course = seated.lines.first().course
    url = reverse("staff:cancel", args=[seated.pk])
    with frozen(INSIDE_CANCEL_PERIOD):
        response = admin_client.post(
            url,
            {
                "courses": [course.pk],
                "reason": "Sjuk, läkarintyg finns.",
                "acceptable_reason": "on",
            },
            follow=True,
        )
    text = text_of(response.content.decode())
    assert "En delkurs är avbokad." in text
    assert "Utbildningskostnaden på 3 000 kr efterskänks: godtagbart skäl." in text
    fee = Fee.objects.get(registration=seated)
    assert fee.status == FeeStatus.WAIVED and fee.decided_by == course_admin
    line = seated.lines.get(course=course)
    assert line.status == LineStatus.CANCELLED and line.cancelled_by == course_admin
    assert line.cancel_reason == "Sjuk, läkarintyg finns."
    assert "Efterskänkt" in text
    assert "Avbokad delkurs" in text  # the history


def test_cancel_without_a_reason_is_refused_with_an_error_summary(admin_client, seated):
    with frozen(INSIDE_CANCEL_PERIOD):
        response = admin_client.post(reverse("staff:cancel", args=[seated.pk]), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary-heading"' in html
    assert 'href="#id_courses_0"' in html and 'href="#id_reason"' in html
    assert not seated.lines.filter(status=LineStatus.CANCELLED).exists()


def test_cancel_charges_the_fee_and_waiving_it_afterwards(admin_client, seated, course_admin):
    """C14: the fee is charged to the home unit; a course admin waives it afterwards."""
    with frozen(INSIDE_CANCEL_PERIOD):
        response = admin_client.post(
            reverse("staff:cancel", args=[seated.pk]),
            {"courses": [ln.course_id for ln in seated.lines.all()], "reason": "Jour."},
            follow=True,
        )
        text = text_of(response.content.decode())
        assert "2 delkurser är avbokade." in text
        assert f"En utbildningskostnad på 3 000 kr debiteras {seated.home_unit.name}." in text
        assert "Efterskänk avgiften" in text
        response = admin_client.post(
            reverse("staff:waive", args=[seated.pk]), {"waive-reason": "Sjukdom."}, follow=True
        )
    text = text_of(response.content.decode())
    assert "Avgiften på 3 000 kr är efterskänkt." in text
    fee = Fee.objects.get(registration=seated)
    assert fee.status == FeeStatus.WAIVED and fee.reason == "Sjukdom."
    assert AuditEvent.objects.filter(action="fee.waived", actor=course_admin).exists()
    assert "Avgift efterskänkt" in text  # in the history
    with frozen(INSIDE_CANCEL_PERIOD):
        response = admin_client.post(
            reverse("staff:waive", args=[seated.pk]), {"waive-reason": "Igen."}, follow=True
        )
    assert "Avgiften är redan efterskänkt." in text_of(response.content.decode())


# --- 5. lists per week (C20) ---------------------------------------------------------------


@pytest.fixture
def lodging_week(week, trainee, away_unit):
    """Two from a unit away from the host site asking for lodging, one who does not ask, and
    one from a unit at the host site asking for it anyway."""
    first, second = week.courses.order_by("position")
    away = factories.TraineeFactory(home_unit=away_unit, user__username="away1")
    away.user.first_name, away.user.last_name = "Bo", "Borta"
    away.user.save()
    away_one = factories.TraineeFactory(home_unit=away_unit, user__username="away2")
    away_one.user.first_name, away_one.user.last_name = "Ada", "Andra"
    away_one.user.save()
    away_no = factories.TraineeFactory(home_unit=away_unit, user__username="away3")
    register(away, week, needs_lodging=True)  # both days: 22 and 23 March
    register(away_one, week, needs_lodging=True, course_ids=[second.pk])  # 23 March
    register(away_no, week, needs_lodging=False)
    register(trainee, week, needs_lodging=True)
    return week


def test_lodging_list_before_allocation_is_preliminary(admin_client, lodging_week):
    """C20: before allocation, from the registrations (pending lines), clearly preliminary;
    the nights before each course day; consecutive nights are one stay."""
    with frozen(OPEN):
        html = page(admin_client, reverse("staff:lodging", args=[lodging_week.pk]))
    text = text_of(html)
    assert "Preliminär" in text and "Preliminär lista." in text
    # Rooms per night: Bo the nights before 22 and 23 March, Ada the night before 23 March.
    assert "söndag 21 mars 1 måndag 22 mars 2" in text
    # Bo's two nights in a row are one stay; Ada's one night another.
    bo = text[text.index("Bo Borta") :]
    assert bo.index("söndag 21 mars till tisdag 23 mars: 2 nätter") < bo.index("2 400 kr")
    ada = text[text.index("Ada Andra") :]
    assert ada.index("måndag 22 mars till tisdag 23 mars: 1 natt") < ada.index("1 200 kr")
    assert "3 600 kr" in text  # 3 nights × 1 200 kr
    assert lodging_week.lodging_nightly_rate == 1200  # the setting's default


def test_lodging_list_after_allocation_counts_seats_only(admin_client, lodging_week, course_admin):
    allocate(lodging_week, course_admin)
    ada = Registration.objects.get(trainee__user__last_name="Andra")
    with frozen(AFTER_DEADLINE):
        admin_client.post(
            reverse("staff:cancel", args=[ada.pk]),
            {"courses": [ln.course_id for ln in ada.lines.all()], "reason": "Förhinder."},
        )
        text = text_of(page(admin_client, reverse("staff:lodging", args=[lodging_week.pk])))
    assert "Preliminär lista." not in text and "Slutlig" in text
    assert "Bo Borta" in text and "Ada Andra" not in text
    assert "2 400 kr" in text


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))


def xlsx_rows(response):
    assert "spreadsheetml" in response["Content-Type"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_lists_download_as_csv_and_excel(admin_client, lodging_week, course_admin, make_trainee):
    """C20: participants, waiting list and lodging list as CSV and Excel, with their rows."""
    allocate(lodging_week, course_admin)
    first = lodging_week.courses.order_by("position").first()
    services.change_course_capacity(actor=course_admin, course=first, capacity=3)
    waiting_person = make_trainee()
    services.register_for_course_week(
        actor=course_admin,
        week=lodging_week,
        trainee=waiting_person,
        course_ids=[first.pk],
        now=AFTER_DEADLINE,
    )
    with frozen(AFTER_DEADLINE):
        for name, expected_header, expected in (
            ("staff:participants", "Delkurs", "Bo Borta"),
            ("staff:waiting", "Plats i kön", waiting_person.user.display_name),
            ("staff:lodging", "Namn", "Bo Borta"),
        ):
            url = reverse(name, args=[lodging_week.pk])
            rows = csv_rows(admin_client.get(url + "?format=csv"))
            assert expected_header in rows[0]
            assert any(expected in row for row in rows[1:]), (name, rows)
            sheet = xlsx_rows(admin_client.get(url + "?format=xlsx"))
            assert sheet[0] == rows[0]
            assert len(sheet) == len(rows)
            assert any(expected in row for row in sheet[1:])
        lodging_rows = csv_rows(
            admin_client.get(reverse("staff:lodging", args=[lodging_week.pk]) + "?format=csv")
        )
    bo = next(row for row in lodging_rows if row[0] == "Bo Borta")
    assert bo[3] == "2027-03-21, 2027-03-22" and bo[4] == "2" and bo[5] == "2400"
    assert (
        "attachment"
        in admin_client.get(reverse("staff:participants", args=[lodging_week.pk]) + "?format=csv")[
            "Content-Disposition"
        ]
    )


def test_participants_and_waiting_pages_show_people_in_order(admin_client, full_week, course_admin):
    allocate(full_week, course_admin)
    with frozen(AFTER_DEADLINE):
        participants = text_of(
            page(admin_client, reverse("staff:participants", args=[full_week.pk]))
        )
        waiting = text_of(page(admin_client, reverse("staff:waiting", args=[full_week.pk])))
        registrations = text_of(
            page(admin_client, reverse("staff:registrations", args=[full_week.pk]))
        )
    first = participants[
        participants.index("deltagare i Etik") : participants.index("deltagare i Ledarskap")
    ]
    assert "Sara Snabb" in first and "Lars Längre" not in first
    etik = waiting[waiting.index("på reservlistan för Etik") :]
    assert etik.index("1 Lars Längre") < etik.index("2 Sen Anmälan")
    assert "Reservlista: fler anmälningar än platser" in etik
    assert "3 anmälningar" in registrations


# --- 6. the fee report ---------------------------------------------------------------------


@pytest.fixture
def charged(seated, course_admin):
    """A fee charged to the trainee's home unit (C14)."""
    services.cancel_registration_lines(
        actor=seated.trainee.user,
        registration=seated,
        reason="Jour.",
        now=INSIDE_CANCEL_PERIOD,
    )
    return Fee.objects.get(registration=seated)


def test_fee_report_shows_rows_totals_and_downloads(admin_client, charged):
    """C16: per home unit, the cost centre and purchaser id, totals; CSV and Excel."""
    with frozen(INSIDE_CANCEL_PERIOD):
        text = text_of(page(admin_client, reverse("staff:fees")))
        assert charged.home_unit.name in text
        assert f"Kostnadsställe {charged.home_unit.cost_centre}" in text
        assert f"Beställar-id {charged.home_unit.area.purchaser_id}" in text
        assert "Debiterad" in text and "Sen avbokning" in text
        assert "3 000 kr (1 avgift)" in text
        url = reverse("staff:fees") + "?date_from=2027-01-01&date_to=2027-12-31"
        rows = csv_rows(admin_client.get(url + "&format=csv"))
        assert rows[0][0] == "Anmälan" and len(rows) == 2
        assert rows[1][1] == charged.registration.trainee.user.display_name
        sheet = xlsx_rows(admin_client.get(url + "&format=xlsx"))
        assert sheet[1][1] == charged.registration.trainee.user.display_name
        empty = text_of(page(admin_client, reverse("staff:fees") + "?date_from=2028-01-01"))
        assert "Inga avgifter under perioden." in empty


def test_fee_report_filters_are_checked(admin_client):
    with frozen(OPEN):
        response = admin_client.get(
            reverse("staff:fees") + "?date_from=2027-12-31&date_to=2027-01-01"
        )
    html = response.content.decode()
    assert 'id="error-summary-heading"' in html
    assert 'href="#id_date_to"' in html
    assert "Periodens slut är före dess början." in html


# --- 9. the unit manager -------------------------------------------------------------------


def test_unit_manager_sees_only_own_units(client, region, week, trainee, charged, make_trainee):
    """SPEC 2: a unit manager sees registrations and fees of own home units only, read only."""
    manager = factories.user_with_role(
        Role.UNIT_MANAGER, region=region, home_unit=trainee.home_unit, username="chef"
    )
    other_unit = factories.HomeUnitFactory(region=region, name="Annan enhet")
    stranger = factories.TraineeFactory(home_unit=other_unit, user__username="annan")
    register(stranger, week)
    client.force_login(manager)
    with frozen(INSIDE_CANCEL_PERIOD):
        text = text_of(page(client, reverse("staff:unit")))
        fees = text_of(page(client, reverse("staff:fees")))
        assert client.get(reverse("staff:weeks")).status_code == 403
        assert (
            client.get(reverse("staff:registration", args=[charged.registration_id])).status_code
            == 403
        )
    assert trainee.user.display_name in text
    assert stranger.user.display_name not in text and "Annan enhet" not in text
    assert "3 000 kr (1 avgift)" in text
    assert "Avboka valda delkurser" not in text and "/avboka/" not in text  # read only
    assert trainee.user.display_name in fees and stranger.user.display_name not in fees
    assert "Annan enhet" not in fees


# --- 7. the information page ---------------------------------------------------------------


def test_information_page_editor_saves_and_audits(admin_client, region, course_admin):
    """C21: staff edit the page; the change is audited; the public page is linked."""
    html = page(admin_client, reverse("staff:info_edit"))
    assert 'href="/information/"' in html
    response = admin_client.post(
        reverse("staff:info_edit"),
        {
            "region": region.pk,
            "title": "LEKA-kurserna",
            "introduction": "Kurser i a- och b-delmålen.",
            "how_to_register": "Anmäl dig i ST-portalen.",
            "contact": "kursadmin@example.org",
        },
        follow=True,
    )
    assert "Informationssidan för Region Testland är sparad." in text_of(response.content.decode())
    saved = InformationPage.objects.get(region=region)
    assert saved.title == "LEKA-kurserna" and saved.updated_by == course_admin
    event = AuditEvent.objects.get(action="information_page.created")
    assert event.actor == course_admin and event.after["title"] == "LEKA-kurserna"
    response = admin_client.post(
        reverse("staff:info_edit"),
        {"region": region.pk, "title": "LEKA-kurserna", "contact": "Ring 090-10 00 00."},
    )
    changed = AuditEvent.objects.get(action="information_page.changed")
    assert changed.before == {
        "introduction": "Kurser i a- och b-delmålen.",
        "how_to_register": "Anmäl dig i ST-portalen.",
        "contact": "kursadmin@example.org",
    }
    assert changed.after["contact"] == "Ring 090-10 00 00."
    response = admin_client.post(reverse("staff:info_edit"), {"region": region.pk, "title": ""})
    assert 'id="error-summary-heading"' in response.content.decode()
    assert InformationPage.objects.get(region=region).title == "LEKA-kurserna"


def test_information_page_service_is_for_the_regions_staff(outsider_admin, region):
    from stportal.core.errors import PermissionDenied
    from stportal.courses.info_services import save_information_page

    with pytest.raises(PermissionDenied):
        save_information_page(actor=outsider_admin, region=region, title="Nej")
    assert not InformationPage.objects.exists()


# --- 8. the e-mail outbox ------------------------------------------------------------------


def test_outbox_shows_failed_messages_first_and_retry_calls_the_service(
    admin_client, settings, week, trainee, other_region, monkeypatch
):
    """C22: failed sends are visible to staff with their error, and can be tried again."""
    register(trainee, week)
    stranger = factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(region=other_region), user__username="annan"
    )
    notify.queue_email(
        kind="registration_received",
        to_user=stranger.user,
        context={"week_title": "X", "courses": []},
    )
    settings.EMAIL_BACKEND = "stportal.registrations.tests.test_staff_views.FailingBackend"
    notify.send_due(now=at(2026, 9, 15, 13))
    failed = OutboxMessage.objects.get(recipient=trainee.user)
    assert failed.status == OutboxStatus.FAILED
    html = page(admin_client, reverse("staff:outbox"))
    text = text_of(html)
    assert "Misslyckat" in text and "mail server said no" in text
    assert failed.subject in text
    assert "annan@example.org" not in text  # another region's person
    calls = []
    real = notify.retry_failed

    def spy(*, ids, now):
        calls.append(sorted(ids))
        return real(ids=ids, now=now)

    monkeypatch.setattr("stportal.registrations.staff_views.outbox_pages.notify.retry_failed", spy)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    other = OutboxMessage.objects.exclude(recipient=trainee.user).get()
    response = admin_client.post(
        reverse("staff:outbox_retry"), {"message": [failed.pk, other.pk]}, follow=True
    )
    assert calls == [[failed.pk]]  # only the region's own messages
    assert "Nytt försök: 1 skickade, 0 misslyckades igen." in text_of(response.content.decode())
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT
    response = admin_client.post(reverse("staff:outbox_retry"), {"all": "1"}, follow=True)
    assert "Inget av de valda e-postmeddelandena har misslyckats." in text_of(
        response.content.decode()
    )


# --- Swedish first -------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "registrations" / "templates" / "staff").glob("*.html"))
SOURCES = [
    *sorted((ROOT / "registrations" / "staff_views").glob("*.py")),
    ROOT / "registrations" / "staff_forms.py",
    ROOT / "registrations" / "lodging_views.py",
    ROOT / "registrations" / "lodging_services.py",
    ROOT / "courses" / "info_services.py",
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def test_every_message_of_the_staff_pages_has_a_swedish_translation():
    """STYLE rule 10: Swedish first; every string of these pages is in a Swedish catalogue."""
    translated: set[tuple[str | None, str]] = set()
    for path in ROOT.glob("**/locale/sv/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            for entry in read_po(handle):
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if entry.id and all(strings) and not entry.fuzzy:
                    singular = entry.id[0] if isinstance(entry.id, tuple) else entry.id
                    translated.add((entry.context, singular))
    # templatize keeps the template's indentation, which Python's tokenizer refuses.
    sources = [
        "\n".join(line.strip() for line in templatize(path.read_text()).splitlines())
        for path in TEMPLATES
    ]
    sources += [path.read_text() for path in SOURCES]
    wanted: set[tuple[str | None, str]] = set()
    for source in sources:
        for _line, message, _comments, context in extract(
            "python", io.BytesIO(source.encode()), keywords=KEYWORDS
        ):
            wanted.add((context, message[0] if isinstance(message, tuple) else message))
    assert len(wanted) > 100, "no messages found: is extraction looking at the right files?"
    missing = sorted(str(m) for m in wanted if m not in translated)
    assert missing == []
