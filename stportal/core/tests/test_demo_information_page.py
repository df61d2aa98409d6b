"""Issue 9, C21: the demo carries an information page written from the programme's own
description (seed 000), made through the staff service, once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from stportal.core.models import AuditEvent
from stportal.courses.models import InformationPage
from stportal.demo.data import REGION_CODE, load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_information_page_tells_the_seeds_facts(client):
    load_demo()
    page = InformationPage.objects.get(region__code=REGION_CODE)
    assert page.updated_by.username == "kursadmin"
    assert AuditEvent.objects.filter(action="information_page.created").count() == 1
    html = client.get(reverse("courses:info") + f"?region={REGION_CODE}").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Kursprogrammet LEKA för ST-läkare" in text
    assert "15 oktober" in text and "15 maj" in text  # the usual deadlines
    assert "senast 14 dagar före kursstart" in text  # cancellation
    assert "utbildningskostnad" in text and "basenhet" in text  # the fee and who pays
    assert "Lunch betalar du själv" in text  # lunch at one's own cost
    assert "logi från den centrala ST-budgeten" in text  # lodging
    assert "kursadministrationen:" in text and "@example.org" in text  # whom to ask
    # The text points to the dates the page computes from the weeks, and names none itself.
    assert "Närmaste datum ovan" in text
    assert not re.search(r"\b20[2-9]\d\b", page.how_to_register + page.introduction)
    before = page.updated_at
    load_demo()
    assert InformationPage.objects.get(pk=page.pk).updated_at == before  # once
