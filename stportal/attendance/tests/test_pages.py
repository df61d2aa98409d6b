"""The course leader's register pages (C17, SPEC 2, SPEC 7): recording a day, results with and
without the reason C17 asks for, closing (and the 409 list of what is missing), reopening by
staff, who may see what, a constant number of queries, and Swedish first (STYLE rule 10)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import time_machine
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation.template import templatize

from stportal.attendance import services
from stportal.attendance.models import AttendanceRecord, CourseRegister
from stportal.attendance.tests.fixtures import AFTER_COURSE, DURING_COURSE, ETIK_DAYS, attend, line
from stportal.registrations import services as registration_services
from stportal.registrations.models import LineStatus


@pytest.fixture(autouse=True)
def after_the_course():
    with time_machine.travel(AFTER_COURSE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def three(make_participant, seat):
    """Anna, Bo and Cilla, seated in every course of the week."""
    return seat(
        make_participant(user__first_name="Anna", user__last_name="Andersson"),
        make_participant(user__first_name="Bo", user__last_name="Berg"),
        make_participant(user__first_name="Cilla", user__last_name="Ceder"),
    )


def as_user(client, user):
    client.force_login(user)
    return client


def text_of(response) -> str:
    """The page's visible words, tags removed and whitespace made single spaces."""
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def register_url(course, day=None) -> str:
    url = reverse("attendance:register", args=[course.pk])
    return f"{url}?day={day.isoformat()}" if day else url


def day_data(registrations, absent=(), notes=None) -> dict[str, str]:
    data = {}
    for registration in registrations:
        data[f"presence-{registration.pk}"] = "absent" if registration in absent else "present"
        data[f"note-{registration.pk}"] = (notes or {}).get(registration, "")
    return data


def record_day(client, course, day, data):
    return client.post(reverse("attendance:record_day", args=[course.pk, day.isoformat()]), data)


# --- recording a day ---------------------------------------------------------------------------


def test_the_leader_records_one_day_and_is_told_c17(client, etik, three, course_leader):
    anna, bo, cilla = three
    as_user(client, course_leader)
    page = client.get(register_url(etik, ETIK_DAYS[1]))
    assert page.status_code == 200
    body = text_of(page)
    assert "Närvaro tisdag 23 mars" in body
    assert "Alla är förvalda som närvarande" in body
    # Every participant is a group of two radio buttons, with a note beside.
    html = page.content.decode()
    assert f'name="presence-{bo.pk}" value="absent"' in html
    assert f'name="note-{bo.pk}"' in html

    response = record_day(
        client, etik, ETIK_DAYS[1], day_data(three, absent=[bo], notes={bo: "Sjuk"})
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?day={ETIK_DAYS[1].isoformat()}#day-heading")
    page = client.get(response["Location"])
    body = text_of(page)
    assert "Närvaron för tisdag 23 mars är sparad: 2 närvarande, 1 frånvarande." in body
    records = {r.line.registration_id: r for r in AttendanceRecord.objects.select_related("line")}
    assert {pk: r.present for pk, r in records.items()} == {
        anna.pk: True,
        bo.pk: False,
        cilla.pk: True,
    }
    assert records[bo.pk].note == "Sjuk"
    assert "Den sparade närvaron visas" in body
    assert "Sjuk" in body  # the note shows in the overview


def test_a_day_still_ahead_has_no_form(client, etik, three, course_leader, after_the_course):
    after_the_course.move_to(DURING_COURSE)
    as_user(client, course_leader)
    body = text_of(client.get(register_url(etik, ETIK_DAYS[2])))
    assert "onsdag 24 mars har inte kommit än" in body
    assert "Spara närvaron" not in body
    assert client.get(register_url(etik) + "?day=2027-02-30").status_code == 404
    assert client.get(register_url(etik) + "?day=2027-03-25").status_code == 404


def test_the_day_form_shows_a_missing_choice_by_the_person(client, etik, three, course_leader):
    anna, bo, cilla = three
    as_user(client, course_leader)
    data = day_data(three)
    del data[f"presence-{bo.pk}"]
    response = record_day(client, etik, ETIK_DAYS[0], data)
    assert response.status_code == 200
    body = text_of(response)
    assert "Något behöver rättas" in body
    assert "Bo Berg: Välj närvarande eller frånvarande." in body
    assert f'href="#id_presence-{bo.pk}_0"' in response.content.decode()
    assert not AttendanceRecord.objects.exists()


# --- results -------------------------------------------------------------------------------------


def test_passing_a_participant_who_missed_a_day_needs_the_reason_c17(
    client, etik, three, course_leader
):
    """C17: passing with less than full attendance needs a written reason. Without it the
    service refuses and the page shows its message by the field, linked from the summary."""
    anna, bo, cilla = three
    attend(course_leader, etik, bo, "PAP")
    as_user(client, course_leader)
    url = reverse("attendance:result", args=[etik.pk, bo.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Var inte närvarande alla kursdagar" in text_of(page)

    refused = client.post(url, {"result": "passed", "reason": "  "})
    assert refused.status_code == 200
    body = text_of(refused)
    message = "Bo Berg var inte närvarande alla kursdagar: skriv varför hen ändå blir godkänd."
    assert message in body
    html = refused.content.decode()
    assert 'href="#id_reason"' in html  # the error summary links to the field
    assert 'id="id_reason_error"' in html
    assert 'aria-invalid="true"' in html
    assert line(bo, etik).status == LineStatus.CONFIRMED

    reason = "Missade tisdagen för jour; gjorde en skriftlig ersättningsuppgift."
    response = client.post(url, {"result": "passed", "reason": reason})
    assert response.status_code == 302
    passed = line(bo, etik)
    assert (passed.status, passed.result_reason) == (LineStatus.PASSED, reason)
    body = text_of(client.get(response["Location"]))
    assert "Bo Berg är godkänd på Etik, mångfald och jämlikhet." in body
    assert reason in body  # the reason shows in the overview


def test_incomplete_records_what_must_be_made_up_c17(client, etik, three, course_leader):
    anna, bo, cilla = three
    attend(course_leader, etik, cilla, "PPA")
    as_user(client, course_leader)
    url = reverse("attendance:result", args=[etik.pk, cilla.pk])
    refused = client.post(url, {"result": "incomplete", "reason": ""})
    assert "Skriv vad Cilla Ceder behöver komplettera." in text_of(refused)
    client.post(url, {"result": "incomplete", "reason": "Seminariet onsdag."})
    assert line(cilla, etik).status == LineStatus.INCOMPLETE
    body = text_of(client.get(register_url(etik)))
    assert "Komplettering krävs" in body
    assert "Seminariet onsdag." in body


# --- closing -------------------------------------------------------------------------------------


def test_closing_with_something_missing_lists_it_with_links_c17(client, etik, three, course_leader):
    """C17: closing answers 409 `register_incomplete`; the page lists each day without a
    record (linking to that day's form at the person) and each partial attender without a
    result (linking to their result page). Nothing closes."""
    anna, bo, cilla = three
    attend(course_leader, etik, anna, "PPP")
    attend(course_leader, etik, bo, "PAP")
    attend(course_leader, etik, cilla, "PP")  # Wednesday not recorded
    as_user(client, course_leader)
    response = client.post(reverse("attendance:close", args=[etik.pk]))
    assert response.status_code == 200
    body = text_of(response)
    assert "Närvarolistan kan inte stängas än" in body
    assert "Onsdag 24 mars: närvaro saknas för 1 deltagare" in body
    assert "Bo Berg missade en kursdag och behöver ett resultat" in body
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f"?day=2027-03-24#participant-{cilla.pk}" in html
    assert reverse("attendance:result", args=[etik.pk, bo.pk]) in html
    assert not CourseRegister.objects.get(course=etik).is_closed


def test_the_leader_passes_with_a_reason_and_closes_the_register_c17(
    client, etik, three, course_leader
):
    anna, bo, cilla = three
    as_user(client, course_leader)
    for day in ETIK_DAYS:
        absent = [bo] if day == ETIK_DAYS[1] else []
        assert record_day(client, etik, day, day_data(three, absent=absent)).status_code == 302
    client.post(
        reverse("attendance:result", args=[etik.pk, bo.pk]),
        {"result": "passed", "reason": "Ersättningsuppgift godkänd."},
    )
    assert "Allt är registrerat: närvarolistan kan stängas." in text_of(
        client.get(register_url(etik))
    )
    response = client.post(reverse("attendance:close", args=[etik.pk]))
    assert response.status_code == 302
    body = text_of(client.get(response["Location"]))
    assert (
        "Närvarolistan för Etik, mångfald och jämlikhet är stängd. Godkända med full närvaro "
        "vid stängningen: 2. Uteblivna: 0." in body
    )
    assert "Närvarolistan stängdes den 29 mars 2027 av" in body
    assert "Spara närvaron" not in body  # attendance can no longer change
    assert "Öppna närvarolistan igen" not in body  # the leader is not staff
    assert CourseRegister.objects.get(course=etik).is_closed
    assert {line(r, etik).status for r in three} == {LineStatus.PASSED}


def test_a_no_show_is_told_with_the_fee_c14_c17(client, etik, three, course_leader):
    anna, bo, cilla = three
    attend(course_leader, etik, anna, "PPP")
    attend(course_leader, etik, bo, "PPP")
    attend(course_leader, etik, cilla, "AAA")
    as_user(client, course_leader)
    response = client.post(reverse("attendance:close", args=[etik.pk]), follow=True)
    body = text_of(response)
    assert "Uteblivna: 1." in body
    assert "Basenheten debiteras utbildningskostnaden" in body
    assert line(cilla, etik).status == LineStatus.NO_SHOW


def test_staff_reopen_a_closed_register_with_a_reason_c17(
    client, etik, three, course_leader, course_admin
):
    for registration in three:
        attend(course_leader, etik, registration, "PPP")
    services.close_register(actor=course_leader, course=etik)
    url = reverse("attendance:reopen", args=[etik.pk])
    # The leader may not reopen (staff only).
    assert as_user(client, course_leader).post(url, {"reason": "Fel"}).status_code == 403

    as_user(client, course_admin)
    page = client.get(register_url(etik))
    assert "Öppna närvarolistan igen" in text_of(page)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Skriv varför närvaroregistret öppnas igen." in text_of(refused)
    assert 'href="#id_reason"' in refused.content.decode()
    assert CourseRegister.objects.get(course=etik).is_closed

    response = client.post(url, {"reason": "Bo Berg var frånvarande på onsdagen."})
    assert response.status_code == 302
    body = text_of(client.get(response["Location"]))
    assert "Närvarolistan för Etik, mångfald och jämlikhet är öppen igen." in body
    assert "Närvarolistan öppnades igen den 29 mars 2027" in body
    assert "Bo Berg var frånvarande på onsdagen." in body
    register = CourseRegister.objects.get(course=etik)
    assert not register.is_closed
    assert register.reopen_reason == "Bo Berg var frånvarande på onsdagen."


def test_a_closed_register_refuses_a_day_on_the_page(client, etik, three, course_leader):
    for registration in three:
        attend(course_leader, etik, registration, "PPP")
    services.close_register(actor=course_leader, course=etik)
    as_user(client, course_leader)
    response = record_day(client, etik, ETIK_DAYS[0], day_data(three, absent=[three[0]]))
    assert response.status_code == 200
    assert "Närvaroregistret för delkursen är stängt." in text_of(response)
    assert AttendanceRecord.objects.filter(present=False).count() == 0


# --- who may see what ----------------------------------------------------------------------------


def test_a_leader_of_another_course_and_a_trainee_get_403_spec2(
    client, etik, three, other_leader, trainee, outsider_admin
):
    urls = [
        register_url(etik),
        reverse("attendance:result", args=[etik.pk, three[0].pk]),
    ]
    posts = [
        reverse("attendance:record_day", args=[etik.pk, ETIK_DAYS[0].isoformat()]),
        reverse("attendance:close", args=[etik.pk]),
        reverse("attendance:reopen", args=[etik.pk]),
    ]
    for user in (other_leader, trainee.user, three[0].trainee.user):
        as_user(client, user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        for url in posts:
            assert client.post(url, day_data(three)).status_code == 403, (user, url)
    # Staff of another region: the course is private to them.
    as_user(client, outsider_admin)
    assert client.get(register_url(etik)).status_code == 404
    client.logout()
    response = client.get(register_url(etik))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not AttendanceRecord.objects.exists()


def test_my_courses_lists_own_courses_and_staff_see_the_region(
    client, etik, ledarskap, three, course_leader, course_admin
):
    as_user(client, course_leader)
    page = client.get(reverse("attendance:courses"))
    body = text_of(page)
    assert "Delkurser som jag leder" in body
    assert "Etik, mångfald och jämlikhet" in body
    assert "Ledarskap och medarbetarskap" not in body
    assert "Öppen: fyll i och stäng" in body
    assert 'href="/narvaro/"' in page.content.decode()  # in the menu
    as_user(client, course_admin)
    body = text_of(client.get(reverse("attendance:courses")))
    assert "Påbörjade delkurser i regionen" in body
    assert "Etik, mångfald och jämlikhet" in body
    assert "Ledarskap och medarbetarskap" in body


def test_the_register_page_runs_a_constant_number_of_queries_spec7(
    client, etik, course_leader, course_admin, make_participant, seat
):
    few = seat(make_participant(), make_participant())
    for registration in few:
        attend(course_leader, etik, registration, "PAP")
    as_user(client, course_leader)

    def count() -> int:
        client.get(register_url(etik))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(register_url(etik)).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for trainee in [make_participant() for _ in range(5)]:
        registration = registration_services.register_for_course_week(
            actor=course_admin, week=etik.week, trainee=trainee
        )
        attend(course_leader, etik, registration, "PPA")
    assert count() == before


# --- Swedish first -------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "attendance" / "views.py", ROOT / "attendance" / "forms.py"]
TEMPLATES = sorted((ROOT / "attendance" / "templates" / "attendance").glob("*.html"))
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
}


def untranslated(sources: list[Path], templates: list[Path]) -> list[str]:
    translated: set[tuple[str | None, str]] = set()
    for path in ROOT.glob("**/locale/sv/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            for entry in read_po(handle):
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if entry.id and all(strings) and not entry.fuzzy:
                    singular = entry.id[0] if isinstance(entry.id, tuple) else entry.id
                    translated.add((entry.context, singular))
    texts = [
        "\n".join(row.strip() for row in templatize(path.read_text()).splitlines())
        for path in templates
    ] + [path.read_text() for path in sources]
    wanted: set[tuple[str | None, str]] = set()
    for text in texts:
        for _line, message, _comments, context in extract(
            "python", io.BytesIO(text.encode()), keywords=KEYWORDS
        ):
            wanted.add((context, message[0] if isinstance(message, tuple) else message))
    assert len(wanted) > 40, "no messages found: is extraction looking at the right files?"
    return sorted(str(m) for m in wanted if m not in translated)


def test_every_message_of_the_register_pages_has_a_swedish_translation():
    """STYLE rule 10: Swedish first."""
    assert untranslated(SOURCES, TEMPLATES) == []
