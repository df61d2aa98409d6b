"""Fixtures of the education plan tests: a trainee in allmänmedicin 2015 (and one in 2021)
with their supervisor and the study director of their area; another trainee, another
supervisor, a study director of another area, a course admin of the region, and staff of
another region; real PDFs made on the spot."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfWriter

from stportal.accounts.models import Role
from stportal.core.dates import STOCKHOLM
from stportal.curricula.models import CurriculumVersion
from stportal.plan import services
from stportal.testing import factories

NOW = dt.datetime(2027, 4, 12, 10, 0, tzinfo=STOCKHOLM)
TODAY = NOW.date()


def make_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def area(region):
    return factories.AreaFactory(region=region, name="Område Norr")


@pytest.fixture
def other_area(region):
    return factories.AreaFactory(region=region, name="Område Söder")


@pytest.fixture
def unit(region, area):
    return factories.HomeUnitFactory(region=region, area=area, name="Hälsocentralen Ålidhem")


@pytest.fixture
def supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-plan")


@pytest.fixture
def other_supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-annan")


@pytest.fixture
def study_director(region, area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=area, username="studierektor-norr"
    )


@pytest.fixture
def other_study_director(region, other_area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=other_area, username="studierektor-soder"
    )


@pytest.fixture
def sara(unit, supervisor):
    return factories.TraineeFactory(
        home_unit=unit,
        supervisor=supervisor,
        user__username="sara-plan",
        user__first_name="Sara",
        user__last_name="Berglund",
        st_start=dt.date(2024, 9, 1),
        planned_completion=dt.date(2029, 8, 31),
    )


@pytest.fixture
def other_trainee(unit, other_supervisor):
    return factories.TraineeFactory(
        home_unit=unit, supervisor=other_supervisor, user__username="annan-st"
    )


@pytest.fixture
def goran(unit, supervisor):
    return factories.TraineeFactory(
        home_unit=unit,
        supervisor=supervisor,
        curriculum_version=CurriculumVersion.objects.get(code="2021"),
        user__username="goran-plan",
        st_start=dt.date(2025, 1, 1),
        planned_completion=dt.date(2030, 6, 30),
    )


def add(actor, trainee, kind="placement", now=NOW, **changes):
    values = {
        "title": "Allmänmedicin",
        "place": "Hälsocentralen Ålidhem",
        "start_date": dt.date(2024, 9, 1),
        "end_date": dt.date(2025, 8, 31),
        "status": "done",
    }
    values.update(changes)
    return services.add_plan_item(actor=actor, trainee=trainee, kind=kind, now=now, **values)
