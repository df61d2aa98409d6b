"""Issue 9, what people see: the accessibility statement the DOS law asks for, with a way to
report a barrier, linked from every page; the language switch also sets the e-mail language
(C22); long words hyphenate on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

import stportal
from stportal.core.models import AuditEvent, BarrierReport
from stportal.core.views import BARRIER_REPORTS_PER_HOUR

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def test_accessibility_statement_is_public_in_swedish_and_english(client):
    """DOS law: conformance (WCAG 2.1 AA, tested with axe-core), known gaps, a way to report
    a barrier, and the supervisory authority Digg; no log-in needed."""
    html = client.get(reverse("accessibility")).content.decode()
    assert '<html lang="sv">' in html  # hyphenation follows the page's language
    sv = text_of(html)
    assert "Tillgänglighetsredogörelse för ST-portalen" in sv
    assert "WCAG) 2.1 på nivå AA" in sv and "axe-core" in sv
    assert "Kända brister" in sv and "Rapportera ett hinder" in sv
    assert "Myndigheten för digital förvaltning (Digg)" in sv
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    en = text_of(client.get(reverse("accessibility")).content.decode())
    assert "Accessibility statement for ST-portalen" in en and "Known gaps" in en


def test_every_page_links_the_accessibility_statement_from_its_footer(client, trainee):
    client.force_login(trainee.user)
    for url in ("/", reverse("courses:info"), reverse("accessibility")):
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'href="{reverse("accessibility")}"' in footer


def test_reporting_a_barrier_keeps_the_report_and_confirms_it(client, trainee):
    """A report is stored with who sent it, audited, and confirmed on the page."""
    client.force_login(trainee.user)
    response = client.post(
        reverse("accessibility"),
        {
            "description": "Knappen Avboka går inte att nå med tangentbordet.",
            "page": "/mina-anmalningar/",
            "email": "sara@example.org",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Tack, din rapport har kommit in." in text_of(response.content.decode())
    report = BarrierReport.objects.get()
    assert report.reporter == trainee.user and report.page == "/mina-anmalningar/"
    assert report.email == "sara@example.org" and report.language == "sv"
    assert AuditEvent.objects.filter(action="barrier.reported", actor=trainee.user).count() == 1


def test_a_report_without_a_description_is_refused_with_the_field_named(client):
    response = client.post(reverse("accessibility"), {"description": "", "email": "nej"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_description"' in html and 'href="#id_email"' in html
    assert BarrierReport.objects.count() == 0


def test_reports_from_one_address_are_limited_per_hour(client):
    for _ in range(BARRIER_REPORTS_PER_HOUR):
        client.post(reverse("accessibility"), {"description": "Svårläst kontrast."})
    refused = client.post(reverse("accessibility"), {"description": "En till."})
    assert refused.status_code == 422
    assert BarrierReport.objects.count() == BARRIER_REPORTS_PER_HOUR


def test_language_switch_sets_the_persons_e_mail_language(client, trainee):
    """C22, issue 9: choosing English in the header also makes English the person's e-mail
    language; the change is audited, and the redirect stays on this site."""
    assert trainee.user.language == "sv"
    client.force_login(trainee.user)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    trainee.user.refresh_from_db()
    assert trainee.user.language == "en"
    event = AuditEvent.objects.get(action="user.language_set")
    assert (event.before, event.after) == ({"language": "sv"}, {"language": "en"})
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    trainee.user.refresh_from_db()
    assert trainee.user.language == "en"


def test_language_switch_needs_post_and_works_without_log_in(client):
    assert client.get(reverse("set_language")).status_code == 405
    response = client.post(reverse("set_language"), {"language": "en", "next": "/information/"})
    assert response.status_code == 302 and response["Location"] == "/information/"


def test_long_swedish_words_hyphenate_on_a_phone():
    """Issue 9: hyphens by the page's language on narrow screens, long words wrap."""
    css = (Path(stportal.__file__).parent / "static" / "stportal" / "site.css").read_text()
    phone = css[css.index("@media (max-width: 40rem) {\n  body {") :]
    assert re.search(r"body \{\s*-webkit-hyphens: auto;\s*hyphens: auto;", phone)
    body = css[css.index("\nbody {") :]
    assert "overflow-wrap: break-word;" in body[: body.index("}")]
