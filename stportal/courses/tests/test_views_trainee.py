"""The trainee's course pages: the catalogue, a week and the information page (C3–C8, C21,
SPEC 7), driven through the Django test client on the fixed timeline of the registration
tests (invitation 1 Sep 2026, deadline 15 Oct 2026, cancellation deadline 8 Mar 2027, course
days 22–26 Mar 2027)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stportal.accounts.models import Role
from stportal.courses import services as course_services
from stportal.courses.models import InformationPage
from stportal.curricula.models import CurriculumVersion, Goal
from stportal.registrations import services
from stportal.registrations.tests import conftest as registration_fixtures
from stportal.registrations.tests.conftest import (
    AFTER_DEADLINE,
    BEFORE_INVITATION,
    COURSE_STARTED,
    OPEN,
)
from stportal.testing import factories

pytestmark = pytest.mark.django_db

# The registration tests' fixed timeline and fixtures: a published LEKA A 2027 week and
# trainees of the region.
make_week = registration_fixtures.make_week
week = registration_fixtures.week
make_trainee = registration_fixtures.make_trainee


def travel(instant):
    return time_machine.travel(instant, tick=False)


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words with tags dropped and (ASCII) spaces folded."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def make_other_week(series, course_admin, *, title, start, invitation, deadline, publish=True):
    week = course_services.create_course_week(
        actor=course_admin,
        series=series,
        title=title,
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        place="Skellefteå",
        capacity=30,
        invitation_date=invitation,
        registration_deadline=deadline,
        late_cancellation_fee=2000,
    )
    course_services.add_course(
        actor=course_admin, week=week, title="Försäkringsmedicin", days=[start]
    )
    if publish:
        week = course_services.publish_course_week(actor=course_admin, week=week, now=OPEN)
    return week


# --- the catalogue (C4, C8) --------------------------------------------------------------------


def test_the_catalogue_lists_upcoming_weeks_with_deadlines_and_seats(
    client, week, make_trainee, series, course_admin
):
    """C4: published weeks still ahead, with dates, place, state in words, the invitation date,
    the deadlines and the seats left per course; drafts and finished weeks are not listed."""
    make_other_week(
        series,
        course_admin,
        title="LEKA B 2026 (utkast)",
        start=dt.date(2026, 11, 23),
        invitation=dt.date(2026, 9, 10),
        deadline=dt.date(2026, 10, 1),
        publish=False,
    )
    finished = make_other_week(
        series,
        course_admin,
        title="LEKA B 2025",
        start=dt.date(2025, 11, 24),
        invitation=dt.date(2025, 4, 1),
        deadline=dt.date(2025, 5, 15),
        publish=False,
    )
    course_services.publish_course_week(actor=course_admin, week=finished, now=OPEN)
    trainee = make_trainee()
    with travel(OPEN):
        client.force_login(trainee.user)
        html = page(client, reverse("courses:catalogue"))
    words = text_of(html)
    assert "<h1>Kursveckor</h1>" in html
    assert f'href="{reverse("courses:week", args=[week.pk])}"' in html
    assert "22 mars 2027 – 26 mars 2027, Umeå" in words
    assert "Status: Publicerad" in words
    assert "Anmälan är öppen till och med 15 oktober 2026." in words
    assert "Anmälan öppnar 1 september 2026" in words
    assert "Sista anmälningsdag 15 oktober 2026" in words
    assert "Sista dag för kostnadsfri avbokning 8 mars 2027" in words
    assert "Etik, mångfald och jämlikhet måndag 22 mars 60 av 60 platser lediga" in words
    assert "LEKA B 2026 (utkast)" not in words
    assert "LEKA B 2025" not in words


def test_the_catalogue_counts_seats_taken_and_waiting_after_allocation(
    client, make_week, make_trainee, course_admin
):
    """C8: seats taken = confirmed + offered; a full course says so, with its waiting list."""
    week = make_week(course_capacities=(1, None))
    first = make_trainee(planned_completion=dt.date(2027, 5, 1))
    second = make_trainee()
    for trainee in (first, second):
        services.register_for_course_week(actor=trainee.user, week=week, trainee=trainee, now=OPEN)
    services.run_allocation(actor=course_admin, week=week, dry_run=False, now=AFTER_DEADLINE)
    with travel(AFTER_DEADLINE):
        client.force_login(second.user)
        words = text_of(page(client, reverse("courses:catalogue")))
    assert "Fullt, 1 på reservlistan" in words
    assert "58 av 60 platser lediga" in words
    assert "Status: Fördelad" in words
    assert "Du är anmäld till den här kursveckan." in words


def test_the_catalogue_uses_a_constant_number_of_queries(
    client, make_week, make_trainee, course_admin
):
    """SPEC 7: 2 or 10 weeks (with courses, days, goals and registrations) cost the same."""
    trainee = make_trainee()
    others = [make_trainee() for _ in range(3)]

    def add_weeks(count):
        for _ in range(count):
            week = make_week()
            for person in [trainee, *others]:
                services.register_for_course_week(
                    actor=person.user, week=week, trainee=person, now=OPEN
                )

    def count_queries():
        with travel(OPEN):
            client.force_login(trainee.user)
            client.get(reverse("courses:catalogue"))
            with CaptureQueriesContext(connection) as queries:
                html = page(client, reverse("courses:catalogue"))
        return len(queries), html

    add_weeks(2)
    two, _html = count_queries()
    add_weeks(8)
    ten, html = count_queries()
    assert html.count('class="card week-card"') == 10
    assert two == ten


# --- a week (C3, C5, C7) ----------------------------------------------------------------------


def test_the_week_page_shows_goals_in_the_trainees_own_curriculum(
    client, week, make_trainee, course_admin
):
    """C3: goals per curriculum version: 2015 codes and titles for a 2015 trainee, 2021 for a
    2021 trainee, the 2008 free text for a 2008 trainee."""
    leader = factories.user_with_role(
        Role.COURSE_LEADER, region=week.series.region, username="ledare"
    )
    leader.first_name, leader.last_name = "Maria", "Sundberg"
    leader.save(update_fields=["first_name", "last_name"])
    course_services.add_course(
        actor=course_admin,
        week=week,
        title="Försäkringsmedicin",
        description="Sjukskrivningsprocessen.\nIntyg.",
        days=[dt.date(2027, 3, 24)],
        leaders=[leader],
        goals=Goal.objects.filter(specialty=None, code__in=["b4", "STb3"]),
        goals_2008_text="Delmål 12 och 13 (allmänmedicin)",
    )
    versions = {v.code: v for v in CurriculumVersion.objects.all()}
    pages = {}
    with travel(OPEN):
        for code in ("2015", "2021", "2008"):
            trainee = make_trainee(curriculum_version=versions[code])
            client.force_login(trainee.user)
            pages[code] = page(client, reverse("courses:week", args=[week.pk]))
    p2015, p2021, p2008 = pages["2015"], pages["2021"], pages["2008"]
    assert '<span class="goal-code">a2</span> Etik, mångfald och jämlikhet' in p2015
    assert '<span class="goal-code">b4</span> Försäkringsmedicin' in p2015
    assert "STa4" not in p2015 and "Delmål 12 och 13" not in p2015
    assert "Delmål i din målbeskrivning (SOSFS 2015:8)" in text_of(p2015)
    assert '<span class="goal-code">STa4</span> Etik' in p2021
    assert '<span class="goal-code">a2</span>' not in p2021
    assert "Delmål i din målbeskrivning (HSLF-FS 2021:8)" in text_of(p2021)
    assert "Delmål 12 och 13 (allmänmedicin)" in p2008
    assert 'class="goal-code"' not in p2008
    words = text_of(p2015)
    assert "Kursledare Maria Sundberg" in words
    assert "<p>Sjukskrivningsprocessen.<br>Intyg.</p>" in p2015
    assert "onsdag 24 mars" in words
    assert "60 av 60 platser lediga" in words
    assert f'href="{reverse("registrations:register", args=[week.pk])}"' in p2015
    assert "Anmäl dig till LEKA A 2027" in words
    assert "Kostnad vid sen avbokning 3\u00a0000\u00a0kr" in words


def test_the_week_page_explains_why_registration_is_not_possible(client, week, make_trainee):
    """C7: not open until the invitation date; closed once the week started; already
    registered leads to the registration."""
    trainee = make_trainee()
    url = reverse("courses:week", args=[week.pk])
    register_url = reverse("registrations:register", args=[week.pk])
    with travel(BEFORE_INVITATION):
        client.force_login(trainee.user)
        before = page(client, url)
    with travel(OPEN):
        registration = services.register_for_course_week(
            actor=trainee.user, week=week, trainee=trainee
        )
        client.force_login(trainee.user)
        registered = page(client, url)
    with travel(COURSE_STARTED):
        other = make_trainee()
        client.force_login(other.user)
        started = page(client, url)
    assert "Anmälan är inte öppen ännu: den öppnar 1 september 2026." in text_of(before)
    assert register_url not in before
    assert "Du är anmäld till den här kursveckan." in text_of(registered)
    assert reverse("registrations:detail", args=[registration.pk]) in registered
    assert "Din status: Anmäld" in text_of(registered)
    assert register_url not in registered
    assert "Kursveckan har börjat, så anmälan är stängd." in text_of(started)
    assert register_url not in started


def test_a_week_outside_the_region_or_in_draft_is_404(
    client, week, make_trainee, other_region, series, course_admin
):
    """C4, SPEC 2: a draft is invisible to trainees; another region's week is private."""
    draft = make_other_week(
        series,
        course_admin,
        title="Utkast",
        start=dt.date(2027, 11, 22),
        invitation=dt.date(2027, 4, 1),
        deadline=dt.date(2027, 5, 15),
        publish=False,
    )
    outsider = factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(region=other_region), user__username="annan"
    )
    with travel(OPEN):
        client.force_login(make_trainee().user)
        assert client.get(reverse("courses:week", args=[draft.pk])).status_code == 404
        client.force_login(outsider.user)
        assert client.get(reverse("courses:week", args=[week.pk])).status_code == 404
        assert client.get(reverse("registrations:register", args=[week.pk])).status_code == 404
        assert "LEKA A 2027" not in page(client, reverse("courses:catalogue"))


# --- the information page (C21) ----------------------------------------------------------------


def test_the_information_page_is_public_with_deadlines_from_the_data(
    client, week, series, course_admin
):
    """C21: no log-in needed; the next dates come from the published weeks, sorted, dates
    already past left out; a sensible heading before staff have written the page."""
    make_other_week(
        series,
        course_admin,
        title="LEKA B 2026",
        start=dt.date(2026, 11, 23),
        invitation=dt.date(2026, 9, 10),
        deadline=dt.date(2026, 10, 1),
    )
    make_other_week(
        series,
        course_admin,
        title="Hemlig",
        start=dt.date(2026, 12, 7),
        invitation=dt.date(2026, 9, 20),
        deadline=dt.date(2026, 10, 20),
        publish=False,
    )
    with travel(OPEN):
        html = page(client, reverse("courses:info"))
    words = text_of(html)
    assert "<h1>Kursprogrammet för ST-läkare i Region Testland</h1>" in html
    found = re.findall(r'<time datetime="([0-9-]+)">', html)
    assert found == [
        "2026-10-01",
        "2026-10-15",
        "2026-11-09",
        "2026-11-23",
        "2027-03-08",
        "2027-03-22",
    ]
    assert "1 oktober 2026 Sista anmälningsdag: LEKA B 2026" in words
    assert "8 mars 2027 Sista dag för kostnadsfri avbokning: LEKA A 2027" in words
    assert "22 mars 2027 Första kursdagen: LEKA A 2027" in words
    assert "Hemlig" not in words
    assert "Anmälan öppnar" not in words  # both invitation dates are already past


def test_the_information_page_shows_what_staff_wrote(client, week, region):
    """C21: staff's text (with its line breaks), and the computed dates with it."""
    InformationPage.objects.create(
        region=region,
        title="LEKA-kurserna i Region Testland",
        introduction="Kurserna för alla ST-läkare.\nVälkommen!",
        how_to_register="Anmäl dig i ST-portalen.",
        cancellation_and_fees="Avboka i tid.",
        lodging="Logi ordnas centralt.",
        contact="kursadmin@example.org",
    )
    with travel(OPEN):
        html = page(client, reverse("courses:info"))
    assert "<h1>LEKA-kurserna i Region Testland</h1>" in html
    assert "<p>Kurserna för alla ST-läkare.<br>Välkommen!</p>" in html
    words = text_of(html)
    for heading in ("Så anmäler du dig", "Avbokning och kostnader", "Logi", "Kontakt"):
        assert f">{heading}</h2>" in html
    assert "kursadmin@example.org" in words
    assert "15 oktober 2026 Sista anmälningsdag: LEKA A 2027" in words


def test_with_several_regions_the_information_page_asks_which(
    client, week, region, other_region, make_trainee
):
    """C21: `?region=<code>` chooses; an unknown region is 404; a logged-in person sees
    their own region."""
    with travel(OPEN):
        chooser = page(client, reverse("courses:info"))
        chosen = page(client, reverse("courses:info") + "?region=annanstans")
        assert client.get(reverse("courses:info") + "?region=okand").status_code == 404
        client.force_login(make_trainee().user)
        own = page(client, reverse("courses:info"))
    assert "?region=testland" in chooser and "?region=annanstans" in chooser
    assert "Kursprogrammet för ST-läkare i Region Annanstans" in chosen
    assert "Ingen kommande kursvecka är planerad just nu." in text_of(chosen)
    assert "Kursprogrammet för ST-läkare i Region Testland" in own
    assert "LEKA A 2027" in own


def test_the_course_pages_work_in_english(client, week, make_trainee):
    """SPEC 7: every page in English when the person switched language."""
    client.cookies["django_language"] = "en"
    with travel(OPEN):
        info = text_of(page(client, reverse("courses:info")))
        client.force_login(make_trainee().user)
        catalogue = text_of(page(client, reverse("courses:catalogue")))
        week_page = text_of(page(client, reverse("courses:week", args=[week.pk])))
    assert "The course programme for ST trainees in Region Testland" in info
    assert "Last day to register" in info
    assert "Course weeks" in catalogue
    assert "60 of 60 seats left" in catalogue
    assert "Registration is open until Oct. 15, 2026." in catalogue
    assert "Goals in your curriculum (SOSFS 2015:8)" in week_page
    assert "Fee for a late cancellation SEK 3,000" in week_page


def test_staff_of_the_region_get_a_link_to_edit_the_information_page(
    client, week, region, course_admin
):
    """C21: staff edit the page in the product (the editor is the course administration's)."""
    with travel(OPEN):
        client.force_login(course_admin)
        html = page(client, reverse("courses:info"))
    assert f'href="{reverse("staff:info_edit")}?region={region.pk}"' in html
    assert "Redigera sidan" in html
